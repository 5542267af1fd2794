"""How sources are exported: the API's serializer over the filtered list, and what each of
its CSV columns means."""

from ijtech.api import SourceSerializer
from ijtech.export_columns import API_URL_FIELD, SLUG_FIELD
from ijtech.exports import Column, Export, values
from ijtech.filters import SourceFilter
from ijtech.models import Source, SourceKind


def sources():
    return Source.objects.public()


SOURCES = Export(
    "sources",
    SourceFilter,
    sources,
    SourceSerializer,
    fields={
        "slug": SLUG_FIELD,
        "page_url": Column("The source's page on ijtech.", format="uri", required=True),
        "api_url": API_URL_FIELD,
        "authors": Column("The authors as the source names them; empty when it names none."),
        "title": Column("The source's title.", required=True),
        "publisher": Column("The publisher as the source or its citers give it."),
        "year": Column("The publication year; empty when the source prints none.", "integer"),
        "month": Column("The publication month (1-12).", "integer", minimum=1, maximum=12),
        "day": Column("The publication day.", "integer", minimum=1, maximum=31),
        "kind": Column("What kind of document the source is.", enum=values(SourceKind)),
        "url": Column("Where the source document itself can be read.", format="uri"),
        "note": Column("What ijtech records about the source: its dating, gaps, limits."),
        "citation_count": Column(
            "How many citations of published records rest on the source.", "integer", minimum=0
        ),
    },
    title="Sources",
    description="The documents ijtech is curated from: every fact cites one of them.",
)
