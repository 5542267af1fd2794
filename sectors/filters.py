import django_filters

from ijtech.filters import SearchFilter, SlugsFilter
from sectors.models import Sector


class SectorFilter(django_filters.FilterSet):
    q = SearchFilter()
    search_plan = None
    parent = django_filters.ModelChoiceFilter(
        field_name="parent",
        to_field_name="slug",
        queryset=Sector.objects.filter(parent__isnull=True),
        label="Parent sector",
    )

    class Meta:
        model = Sector
        fields: list[str] = []


class SectorsFilter(SlugsFilter):
    """?sector=clean-energy also finds records filed under its sub-sectors, such as hydrogen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "sectors")
        kwargs.setdefault("queryset", Sector.objects.all())
        kwargs.setdefault("label", "Sector")
        kwargs.setdefault("error_messages", {"invalid_choice": "There is no sector “%(value)s”."})
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # One subquery per chosen sector (at most MAX_FILTER_VALUES): every sector must
        # match, and no join multiplies the rows, so no DISTINCT is needed.
        for sector in value or ():
            in_sector = Sector.objects.keys_filed_under(qs.model, sector, self.field_name)
            qs = qs.filter(pk__in=in_sector)
        return qs
