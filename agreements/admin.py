from django.contrib import admin

from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.admin import DecadeListFilter, EditorialAdmin, LabelledInlineMixin, YearListFilter

DATE_FIELDS = ("year", "month", "day", "date_qualifier", "year_end")


class AgreementPartyInline(LabelledInlineMixin, admin.TabularInline):
    model = AgreementParty
    extra = 1
    autocomplete_fields = ["actor"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["title", "kind", "year", "month", "day", "editorial_status"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(EditorialAdmin):
    list_display = [
        "title",
        "kind",
        "date_column",
        "status",
        "editorial_status",
        "citations_column",
        "disputed_column",
    ]
    list_filter = [
        "editorial_status",
        "kind",
        "status",
        "sectors",
        "parties__country",
        DecadeListFilter,
        YearListFilter,
    ]
    search_fields = ["title", "slug", "summary", "tags__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sectors", "builds_on", "supersedes"]
    inlines = [AgreementPartyInline, *EditorialAdmin.inlines, MilestoneInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status"]}),
        ("Date, as precise as the sources", {"fields": [DATE_FIELDS]}),
        (None, {"fields": ["summary", "sectors", "tags"]}),
        ("Lineage", {"fields": ["builds_on", "supersedes"]}),
        ("Review", {"fields": ["editorial_status", "version"]}),
    ]


@admin.register(Milestone)
class MilestoneAdmin(EditorialAdmin):
    list_display = [
        "title",
        "kind",
        "date_column",
        "agreement",
        "editorial_status",
        "citations_column",
        "disputed_column",
    ]
    list_filter = [
        "editorial_status",
        "kind",
        "sectors",
        "actors__country",
        DecadeListFilter,
        YearListFilter,
    ]
    search_fields = ["title", "slug", "summary", "tags__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agreement", "occasion", "actors", "sectors"]
    list_select_related = ["agreement"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind"]}),
        ("Date, as precise as the sources", {"fields": [DATE_FIELDS]}),
        (None, {"fields": ["summary", "agreement", "occasion", "actors", "sectors", "tags"]}),
        (
            "Pledge or target",
            {
                "fields": [
                    "amount",
                    "unit",
                    ("deadline_year", "deadline_text", "deadline_derived"),
                    "delivery_note",
                ]
            },
        ),
        ("Review", {"fields": ["editorial_status", "version"]}),
    ]
