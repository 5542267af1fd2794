"""How sources become export rows: their columns, in order."""

from ijtech.exports import Export, record_url
from ijtech.filters import SourceFilter
from ijtech.models import Source


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
)
