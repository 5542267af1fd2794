"""How institutions are exported: the API's serializer over the filtered list."""

from actors.api import ActorSerializer, public_actors
from actors.filters import ActorFilter
from ijtech.exports import Export

ACTORS = Export("actors", ActorFilter, public_actors, ActorSerializer)
