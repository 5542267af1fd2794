import django_filters

from ijtech.models import Source, SourceKind


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    kind = django_filters.ChoiceFilter(choices=SourceKind, label="Kind")

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(title__icontains=value) | Q(authors__icontains=value) | Q(publisher__icontains=value)
        )
