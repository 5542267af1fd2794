import django_filters
from django.db.models import F

from actors.models import Actor, ActorKind, Country
from ijtech.filters import DisputedFilter, RangeForm, SectorsFilter
from ijtech.search import search


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    sector = SectorsFilter()
    country = django_filters.ChoiceFilter(choices=Country, label="Country")
    disputed = DisputedFilter()
    kind = django_filters.ChoiceFilter(choices=ActorKind, label="Kind")
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=[("name", "Name A–Z"), ("-name", "Name Z–A")],
        empty_label="Name A–Z",
        label="Sort",
    )

    class Meta:
        model = Actor
        form = RangeForm
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search(queryset, value) if value.strip() else queryset

    def filter_sort(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.is_valid():
            return queryset
        sort = self.form.cleaned_data.get("sort")
        if not sort and self.form.cleaned_data.get("q", "").strip():
            return queryset.order_by("-rank", "name", "pk")
        return queryset.order_by(F("name").desc() if sort == "-name" else F("name").asc(), "pk")
