"""How sources become export rows: their columns, in order."""

from ijtech.exports import SLUG_FIELD, URL_FIELD, Column, Export, record_url, values
from ijtech.filters import SourceFilter
from ijtech.models import Source, SourceKind


def source_row(source) -> dict:
    return {
        "slug": source.slug,
        "authors": source.authors,
        "title": source.title,
        "publisher": source.publisher,
        "kind": source.kind,
        "date": source.date_display,
        "year": source.year,
        "month": source.month,
        "day": source.day,
        "source_url": source.url,
        "note": source.note,
        "citation_count": source.citation_count,
        "url": record_url(source),
    }


def sources():
    return Source.objects.public()


SOURCES = Export(
    "sources",
    SourceFilter,
    sources,
    source_row,
    ["slug", "authors", "title", "publisher", "kind", "date", "year", "month", "day"]
    + ["source_url", "note", "citation_count", "url"],
    fields={
        "slug": SLUG_FIELD,
        "authors": Column("The authors as the source names them; empty when it names none."),
        "title": Column("The source's title.", required=True),
        "publisher": Column("The publisher as the source or its citers give it."),
        "kind": Column("What kind of document the source is.", enum=values(SourceKind)),
        "date": Column("The publication date as far as it is known; empty when unknown."),
        "year": Column("The publication year; empty when the source prints none.", "integer"),
        "month": Column("The publication month (1-12).", "integer", minimum=1, maximum=12),
        "day": Column("The publication day.", "integer", minimum=1, maximum=31),
        "source_url": Column("Where the source document can be read.", format="uri"),
        "note": Column("What ijtech records about the source: its dating, gaps, limits."),
        "citation_count": Column(
            "How many citations of published records rest on the source.", "integer", minimum=0
        ),
        "url": URL_FIELD,
    },
    title="Sources",
    description="The documents ijtech is curated from: every fact cites one of them.",
)
