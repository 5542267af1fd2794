from rest_framework import serializers

from ijtech.api import PageURLField, ReadOnlyViewSet, api_url, documented
from sectors.filters import SectorFilter
from sectors.models import Sector


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]


class SectorSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("sector")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    agreement_count = serializers.IntegerField(
        read_only=True, help_text="Published agreements in this sector."
    )
    milestone_count = serializers.IntegerField(
        read_only=True, help_text="Published milestones in this sector."
    )

    class Meta:
        model = Sector
        fields = [
            "slug",
            "url",
            "api_url",
            "name",
            "description",
            "parent",
            "agreement_count",
            "milestone_count",
        ]


@documented(SectorSerializer)
class SectorViewSet(ReadOnlyViewSet):
    """Fields of cooperation, with how many published records each holds."""

    serializer_class = SectorSerializer
    filterset_class = SectorFilter

    def public_queryset(self):
        return Sector.objects.public()
