from django.contrib import admin

from ijtech.admin import SupportingAdmin
from sectors.models import Sector


@admin.register(Sector)
class SectorAdmin(SupportingAdmin):
    list_display = ["name", "parent", "order"]
    list_editable = ["order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
