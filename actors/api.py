from rest_framework import serializers

from actors.filters import ActorFilter
from actors.models import Actor
from ijtech.api import (
    RECORD_TAIL,
    ReadOnlyViewSet,
    RecordSerializer,
    RelatedSlugField,
    api_url,
    documented,
)
from sectors.api import SectorRefSerializer


class ActorRefSerializer(serializers.ModelSerializer):
    # A plain string: a second "country" enum here would only repeat the Actor one.
    country = serializers.CharField(read_only=True)

    class Meta:
        model = Actor
        fields = ["slug", "name", "acronym", "country"]


# The institution's fields, in the API, the JSON export and (flattened) the CSV header alike.
ACTOR_FIELDS = [
    "slug",
    "url",
    "api_url",
    "name",
    "acronym",
    "country",
    "kind",
    "kind_label",
    "parent",
    "website",
    "description",
    "sectors",
    *RECORD_TAIL,
]


class ActorSerializer(RecordSerializer):
    api_url = api_url("actor")
    parent = RelatedSlugField(source="public_parent")
    sectors = SectorRefSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = ACTOR_FIELDS


def public_actors():
    return Actor.objects.public().detailed()


@documented(ActorSerializer)
class ActorViewSet(ReadOnlyViewSet):
    """Published institutions."""

    serializer_class = ActorSerializer
    filterset_class = ActorFilter

    def public_queryset(self):
        return public_actors()
