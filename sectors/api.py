from rest_framework import serializers

from ijtech.api import PageURLField, ReadOnlyViewSet, RelatedSlugField, api_url, documented
from sectors.filters import SectorFilter
from sectors.models import Sector


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]


# The sector's fields, in the API, the JSON export and the CSV header alike.
SECTOR_FIELDS = [
    "slug",
    "url",
    "api_url",
    "name",
    "description",
    "parent",
    "agreement_count",
    "milestone_count",
]


class SectorSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("sector")
    # Top-level sectors have none: the schema must say null is a value.
    parent = RelatedSlugField()
    agreement_count = serializers.IntegerField(
        read_only=True, help_text="Published agreements in this sector."
    )
    milestone_count = serializers.IntegerField(
        read_only=True, help_text="Published milestones in this sector."
    )

    class Meta:
        model = Sector
        fields = SECTOR_FIELDS


def public_sectors():
    return Sector.objects.public()


@documented(SectorSerializer)
class SectorViewSet(ReadOnlyViewSet):
    """Fields of cooperation, with how many published records each holds."""

    serializer_class = SectorSerializer
    filterset_class = SectorFilter

    def public_queryset(self):
        return public_sectors()
