"""Filters shared by the pages and the API: one FilterSet per resource, same parameters."""

import django_filters
from django import forms
from django.db.models import F, Q
from taggit.models import Tag

from ijtech.dates import CHRONOLOGICAL, MAX_YEAR, MIN_YEAR, REVERSE_CHRONOLOGICAL
from ijtech.search import search
from sectors.models import Sector

SORTS = {
    "date": ("Oldest first", CHRONOLOGICAL),
    "-date": ("Newest first", REVERSE_CHRONOLOGICAL),
    "title": ("Title A–Z", [F("title").asc()]),
    "-title": ("Title Z–A", [F("title").desc()]),
}


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("error_messages", {"invalid": "Enter a year as four digits, e.g. 2018."})
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug parameter (?sector=space&sector=digital-telecom); all must match."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("conjoined", True)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "There is no %(value)s to filter by; check the spelling."},
        )
        super().__init__(*args, **kwargs)


class DisputedFilter(django_filters.ChoiceFilter):
    """?disputed=true: only records on which the sources disagree; false: only the others."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Sources disagree")
        kwargs.setdefault("choices", [("true", "Sources disagree"), ("false", "Sources agree")])
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "Use disputed=true or disputed=false."}
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.disputed(value == "true") if value in ("true", "false") else qs


class SectorsFilter(SlugsFilter):
    """?sector=clean-energy also finds records filed under its sub-sectors, such as hydrogen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "sectors")
        kwargs.setdefault("queryset", Sector.objects.all())
        kwargs.setdefault("label", "Sector")
        kwargs.setdefault("error_messages", {"invalid_choice": "There is no sector “%(value)s”."})
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # One subquery per chosen sector: every sector must match, and no join multiplies
        # the rows, so no DISTINCT is needed.
        for sector in value or ():
            in_sector = qs.model.objects.filter(sectors__in=Sector.objects.in_scope(sector))
            qs = qs.filter(pk__in=in_sector.values("pk"))
        return qs


class RangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error(
                "year_to", f"The end year ({end}) is before the start year ({start}); swap them."
            )
        return cleaned


def published_tags():
    return Tag.objects.all()


def error_messages(filterset) -> list[str]:
    """The filter form's errors as sentences naming the filter, for pages and plain text."""
    messages = []
    for name, errors in filterset.form.errors.items():
        field = filterset.form.fields.get(name)
        messages += [f"{field.label}: {error}" if field else error for error in errors]
    return messages


class SearchSortFilterSet(django_filters.FilterSet):
    """Text search, then a sort order applied after every other filter.

    Subclasses declare their `sort` choices and say how to order: by `sorts[key]`, by
    `default_sort` when none is chosen, and by search rank then `relevance_order` when a
    search is given without a sort.
    """

    q = django_filters.CharFilter(method="filter_q", label="Search")

    sorts: dict[str, tuple[str, list]] = {}
    default_sort = ""
    relevance_order: list = []

    class Meta:
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search(queryset, value) if value.strip() else queryset

    def filter_sort(self, queryset, name, value):
        # Sorting is applied in `qs`, after every other filter.
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.is_valid():
            return queryset
        sort = self.form.cleaned_data.get("sort")
        if not sort and self.form.cleaned_data.get("q", "").strip():
            return queryset.order_by("-rank", *self.relevance_order, "pk")
        return queryset.order_by(*self.sorts[sort or self.default_sort][1], "pk")


def sort_filter(sorts: dict, empty_label: str):
    return django_filters.ChoiceFilter(
        method="filter_sort",
        choices=[(key, label) for key, (label, _) in sorts.items()],
        empty_label=empty_label,
        label="Sort",
    )


class RecordFilterSet(SearchSortFilterSet):
    """Search, sectors, tags, disputes, years and sorting, for agreements and milestones."""

    sector = SectorsFilter()
    tag = SlugsFilter(
        field_name="tags__slug",
        queryset=published_tags(),
        label="Tag",
        error_messages={"invalid_choice": "There is no tag “%(value)s”."},
    )
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
