from rest_framework import serializers

from actors.filters import ActorFilter
from actors.models import Actor
from ijtech.api import ReadOnlyViewSet, RecordSerializer, RelatedSlugField, api_url, documented
from sectors.api import SectorRefSerializer


class ActorRefSerializer(serializers.ModelSerializer):
    # A plain string: a second "country" enum here would only repeat the Actor one.
    country = serializers.CharField(read_only=True)

    class Meta:
        model = Actor
        fields = ["slug", "name", "acronym", "country"]


class ActorSerializer(RecordSerializer):
    api_url = api_url("actor")
    parent = RelatedSlugField(source="public_parent")
    sectors = SectorRefSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "url",
            "api_url",
            "name",
            "acronym",
            "country",
            "kind",
            "parent",
            "website",
            "description",
            "sectors",
            "disputed",
            "citations",
            "disagreements",
        ]


@documented(ActorSerializer)
class ActorViewSet(ReadOnlyViewSet):
    """Published institutions."""

    serializer_class = ActorSerializer
    filterset_class = ActorFilter

    def public_queryset(self):
        return Actor.objects.public().detailed()
