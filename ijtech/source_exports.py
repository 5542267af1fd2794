"""How sources are exported: the API's serializer over the filtered list."""

from ijtech.api import SourceSerializer
from ijtech.exports import Export
from ijtech.filters import SourceFilter
from ijtech.models import Source


def sources():
    return Source.objects.public()


SOURCES = Export("sources", SourceFilter, sources, SourceSerializer)
