import django_filters

from sectors.models import Sector


class SectorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    parent = django_filters.ModelChoiceFilter(
        field_name="parent",
        to_field_name="slug",
        queryset=Sector.objects.filter(parent__isnull=True),
        label="Parent sector",
    )

    class Meta:
        model = Sector
        fields: list[str] = []
