import django_filters
from django.db.models import F, Q

from actors.models import Actor, Country
from agreements.models import Agreement, AgreementKind, AgreementStatus, Milestone, MilestoneKind
from ijtech.dates import CHRONOLOGICAL, REVERSE_CHRONOLOGICAL
from ijtech.filters import (
    DisputedFilter,
    RangeForm,
    SearchSortFilterSet,
    SlugsFilter,
    TagsFilter,
    YearFilter,
    sort_filter,
)
from ijtech.models import EditorialStatus
from sectors.filters import SectorsFilter

SORTS = {
    "date": ("Oldest first", CHRONOLOGICAL),
    "-date": ("Newest first", REVERSE_CHRONOLOGICAL),
    "title": ("Title A–Z", [F("title").asc()]),
    "-title": ("Title Z–A", [F("title").desc()]),
}


class InstitutionsFilter(SlugsFilter):
    """?actor=isro&actor=jaxa through `path` (parties or actors): published institutions only."""

    def __init__(self, path: str, **kwargs):
        kwargs.setdefault("field_name", f"{path}__slug")
        kwargs.setdefault("queryset", Actor.objects.published())
        kwargs.setdefault("label", "Institution")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "There is no institution “%(value)s”."}
        )
        super().__init__(**kwargs)


class PublishedCountryFilter(django_filters.ChoiceFilter):
    """Records with a *published* institution of that country: a draft must not match."""

    def __init__(self, path: str, **kwargs):
        kwargs.setdefault("field_name", path)
        kwargs.setdefault("choices", Country)
        kwargs.setdefault("label", "Country")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        # A subquery rather than a join, so no record is counted twice and no DISTINCT is needed.
        matching = qs.model.objects.filter(
            **{
                f"{self.field_name}__country": value,
                f"{self.field_name}__editorial_status": EditorialStatus.PUBLISHED,
            }
        )
        return qs.filter(pk__in=matching.values("pk"))


class RecordFilterSet(SearchSortFilterSet):
    """Search, sectors, tags, disputes, years and sorting, for agreements and milestones."""

    sector = SectorsFilter()
    tag = TagsFilter()
    disputed = DisputedFilter()
    # A span of years (1990–91) matches every year it covers; year_to needs only its start.
    year = YearFilter(method="filter_year", label="Year")
    year_from = YearFilter(method="filter_year_from", label="From year")
    year_to = YearFilter(field_name="year", lookup_expr="lte", label="To year")
    sort = sort_filter(SORTS, "Relevance or newest first")

    sorts = SORTS
    default_sort = "-date"
    relevance_order = REVERSE_CHRONOLOGICAL

    class Meta:
        form = RangeForm
        fields: list[str] = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(Q(year=value) | Q(year__lt=value, year_end__gte=value))

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(Q(year__gte=value) | Q(year_end__gte=value))


class AgreementFilter(RecordFilterSet):
    actor = InstitutionsFilter("parties")
    country = PublishedCountryFilter("parties")
    kind = django_filters.ChoiceFilter(choices=AgreementKind, label="Kind")
    status = django_filters.ChoiceFilter(choices=AgreementStatus, label="Status")

    class Meta(RecordFilterSet.Meta):
        model = Agreement


class MilestoneFilter(RecordFilterSet):
    actor = InstitutionsFilter("actors")
    country = PublishedCountryFilter("actors")
    kind = django_filters.ChoiceFilter(choices=MilestoneKind, label="Kind")
    agreement = django_filters.ModelChoiceFilter(
        field_name="agreement",
        to_field_name="slug",
        queryset=Agreement.objects.published(),
        label="Agreement",
    )

    class Meta(RecordFilterSet.Meta):
        model = Milestone
