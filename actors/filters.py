import django_filters
from django.db.models import F

from actors.models import Actor, ActorKind, Country
from ijtech.filters import DisputedFilter, SearchSortFilterSet, sort_filter
from sectors.filters import SectorsFilter

NAME_SORTS = {
    "name": ("Name A–Z", [F("name").asc()]),
    "-name": ("Name Z–A", [F("name").desc()]),
}


class ActorFilter(SearchSortFilterSet):
    sector = SectorsFilter()
    country = django_filters.ChoiceFilter(choices=Country, label="Country")
    disputed = DisputedFilter()
    kind = django_filters.ChoiceFilter(choices=ActorKind, label="Kind")
    sort = sort_filter(NAME_SORTS, "Name A–Z")

    sorts = NAME_SORTS
    default_sort = "name"
    relevance_order = [F("name").asc()]

    class Meta:
        model = Actor
        fields: list[str] = []
