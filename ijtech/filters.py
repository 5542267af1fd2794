"""Filters shared by the pages and the API: one FilterSet per resource, same parameters."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from taggit.models import Tag

from ijtech import search
from ijtech.dates import MAX_YEAR, MIN_YEAR
from ijtech.models import Source, SourceKind
from ijtech.workflow import published_tag_ids


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("error_messages", {"invalid": "Enter a year as four digits, e.g. 2018."})
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


# How many different values a repeatable parameter (?tag=a&tag=b…) may carry. Each value is
# one more condition every record must meet; no real question needs more, and the cap keeps
# the cost of a request bounded.
MAX_FILTER_VALUES = 10


class SlugsField(forms.ModelMultipleChoiceField):
    """Slugs, each counted once, at most MAX_FILTER_VALUES of them."""

    param = ""  # the query parameter, named in the message; set by the FilterSet

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = list(dict.fromkeys(value))
            if len(value) > MAX_FILTER_VALUES:
                raise ValidationError(
                    f"Give at most {MAX_FILTER_VALUES} different values of “{self.param}” at "
                    f"a time; this request has {len(value)}.",
                    code="too_many",
                )
        return super().clean(value)


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug parameter (?tag=satellites&tag=5g); all must match."""

    field_class = SlugsField
    param = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "There is no %(value)s to filter by; check the spelling."},
        )
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.param = self.param
        return field

    def filter(self, qs, value):
        chosen = [row.pk for row in value or ()]
        if not chosen:
            return qs
        # The records linked to every chosen row, as one grouped subquery: its cost stays
        # that of one join however many values are given (one join per value, as a
        # conjoined filter does, made 32 tags fail on SQLite and take half a minute on PG).
        path = self.field_name.removesuffix("__" + self.extra["to_field_name"])
        having_all = (
            qs.model._base_manager.filter(**{f"{path}__in": chosen})
            .values("pk")
            .annotate(matched=Count(path, distinct=True))
            .filter(matched=len(chosen))
            .values("pk")
        )
        return qs.filter(pk__in=having_all)


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


class RangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error(
                "year_to", f"The end year ({end}) is before the start year ({start}); swap them."
            )
        return cleaned


def tags_on_published_records(request=None):
    """Tags that published records carry; one only drafts carry is as unknown as no tag."""
    return Tag.objects.filter(pk__in=published_tag_ids())


class TagsFilter(SlugsFilter):
    """?tag=satellites&tag=5g: records carrying every tag given (tags of published records)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "tags__slug")
        # A callable, so that the choices are read per request, not once at import.
        kwargs.setdefault("queryset", tags_on_published_records)
        kwargs.setdefault("label", "Tag")
        kwargs.setdefault("error_messages", {"invalid_choice": "There is no tag “%(value)s”."})
        super().__init__(*args, **kwargs)


def error_messages(filterset) -> list[str]:
    """The filter form's errors as sentences naming the filter, for pages and plain text."""
    messages = []
    for name, errors in filterset.form.errors.items():
        field = filterset.form.fields.get(name)
        messages += [f"{field.label}: {error}" if field else error for error in errors]
    return messages


def validate_search(value: str) -> None:
    # A search the engine cannot run (only punctuation, only stop words, too long) is
    # refused with its reason, on every list, export and API list alike.
    search.parse(value)


class SearchFilter(django_filters.CharFilter):
    """`q`: the one search engine (ijtech/search.py), ranking what it finds.

    The FilterSet keeps the plan it searched by as `search_plan`, so that a page can say
    when a misspelt word was corrected ("Showing results for …"); `literal=1` in the same
    query searches the words as typed, uncorrected (that line's "search instead" link).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("validators", [validate_search])
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        literal = (self.parent.data or {}).get("literal", "") in {"1", "true"}
        plan = search.plan(value, correct=not literal)
        self.parent.search_plan = plan
        return search.search(queryset, plan)


class SearchSortFilterSet(django_filters.FilterSet):
    """Text search, then a sort order applied after every other filter.

    Subclasses declare their `sort` choices and say how to order: by `sorts[key]`, by
    `default_sort` when none is chosen, and by search rank then `relevance_order` when a
    search is given without a sort.
    """

    q = SearchFilter()

    sorts: dict[str, tuple[str, list]] = {}
    default_sort = ""
    relevance_order: list = []

    class Meta:
        fields: list[str] = []

    search_plan = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, filter_ in self.filters.items():
            filter_.param = name  # for messages that name the parameter

    def filter_sort(self, queryset, name, value):
        # Sorting is applied in `qs`, after every other filter.
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.is_valid():
            return queryset
        sort = self.form.cleaned_data.get("sort")
        if not sort and self.form.cleaned_data.get("q"):
            return queryset.order_by("-rank", *self.relevance_order, "pk")
        return queryset.order_by(*self.sorts[sort or self.default_sort][1], "pk")


def sort_filter(sorts: dict, empty_label: str):
    return django_filters.ChoiceFilter(
        method="filter_sort",
        choices=[(key, label) for key, (label, _) in sorts.items()],
        empty_label=empty_label,
        label="Sort",
    )


class SourceFilter(django_filters.FilterSet):
    """The bibliography's filters, for the sources page, its exports and the API."""

    q = SearchFilter()
    kind = django_filters.ChoiceFilter(choices=SourceKind, label="Kind", empty_label="Any kind")

    search_plan = None

    class Meta:
        model = Source
        fields: list[str] = []
