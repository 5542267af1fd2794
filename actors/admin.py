from django.contrib import admin

from actors.models import Actor
from ijtech.admin import EditorialAdmin


@admin.register(Actor)
class ActorAdmin(EditorialAdmin):
    list_display = [
        "name",
        "acronym",
        "country",
        "kind",
        "editorial_status",
        "citations_column",
        "disputed_column",
    ]
    list_filter = ["editorial_status", "country", "kind", "sectors"]
    search_fields = ["name", "acronym", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "sectors"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "country", "kind", "parent"]}),
        (None, {"fields": ["description", "website", "sectors"]}),
        ("Review", {"fields": ["editorial_status", "version"]}),
    ]
