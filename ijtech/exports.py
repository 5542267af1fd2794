"""CSV and JSON exports of the list pages' filtered results, and the helpers rows are made of.

Each resource declares an `Export` in its app's exports module and its URLconf passes it to
the `export` view. Exports run the list pages' own FilterSets on the same query parameters,
stream every filtered result (no pagination), CHUNK records at a time, and show published
records only. Each export costs a fixed number of queries per chunk, whatever the number of
rows: related data comes in through the prefetches of the resource's public queryset.

One vocabulary: a resource's API serializer lists its fields once (`Meta.fields`). The JSON
export is that serializer's output, record for record; the CSV has the same columns, with
nested values flattened (`csv_columns`, `flat_row`), and citations in their own CSV keyed
by record (`citations_export`). What each CSV column means, its type and its values is said
once, in the spec's `fields` (`Column`): the data package's Table Schemas and the About
page's data dictionary are both made from it.
"""

import contextvars
import csv
import dataclasses
import io
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from ijtech.dates import Precision
from ijtech.urls_abs import absolute_url, site_url

SEPARATOR = "; "

# Between the parts of a party ("jaxa:signatory") and between parties in a CSV cell: neither
# can occur in a slug or a role value.
PART_SEPARATOR = ":"
ITEM_SEPARATOR = "|"

# The data's licence, stated in every export, the data package and the About page.
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DATA_LICENSE_NOTE = (
    "ijtech's own text (summaries, descriptions, notes and the structure of the data) is "
    "licensed CC BY 4.0. Short quotes remain their authors' and are quoted as evidence; the "
    "sources themselves are not redistributed."
)

# The date as a string in the exports: ISO 8601 reduced precision with the EDTF marks,
# "2020-10-01", "2020-10", "2020", "2020~" (about), "196X" (the 1960s), "1990/1991" (a span).
EDTF_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?|\d{4}~|\d{3}X|\d{4}/\d{4}"


def values(choices) -> tuple[str, ...]:
    return tuple(str(value) for value in choices.values)


def labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for label in choices.labels)


@dataclass(frozen=True)
class Column:
    """What an export column holds: the data dictionary's entry and the Table Schema field."""

    description: str
    type: str = "string"  # a Table Schema type: string, integer, number, boolean
    enum: tuple[str, ...] = ()
    many: bool = False  # several values, joined with `delimiter`
    delimiter: str = SEPARATOR
    format: str = ""
    pattern: str = ""
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False
    # A single-valued column naming a record of another export: "<export>.<column>".
    references: str = ""
    # For a many-valued column: the export and column each of its values names (the part
    # of a value before PART_SEPARATOR, for "slug:role" items).
    names: str = ""
    # For a many-valued column: the pattern each value follows. Table Schema lists take no
    # constraints, so such a column is declared a string matching the whole joined list.
    item_pattern: str = ""


@dataclass(frozen=True)
class Export:
    """One resource's export: `serializer_class` applied to `queryset()` filtered."""

    name: str  # in the file name: ijtech-<name>.csv
    filterset_class: type
    queryset: Callable[[], QuerySet]
    serializer_class: type
    # Each CSV column's meaning, type and values: the data package's schema and the data
    # dictionary on the About page are both made from it.
    fields: dict[str, Column] = dataclasses.field(default_factory=dict)
    title: str = ""
    description: str = ""
    primary_key: str | None = "slug"

    @property
    def serializer_fields(self) -> list[str]:
        return list(self.serializer_class.Meta.fields)

    @property
    def columns(self) -> list[str]:
        return csv_columns(self.serializer_fields)

    def column(self, name: str) -> Column:
        """The column's definition; one not yet described is text without a meaning, which
        the About page's test refuses, rather than a page that fails."""
        return self.fields.get(name) or Column("")

    def serialize(self, records) -> list[dict]:
        # Addresses name the canonical site (SITE_URL), else the host that was asked,
        # whichever host served the file.
        context = {"site_url": site_url()}
        return self.serializer_class(records, many=True, context=context).data

    def rows(self, records):
        """The serialized rows, read and serialized CHUNK records at a time."""
        for batch in chunks(records):
            yield from self.serialize(batch)

    def csv_chunks(self, records):
        yield csv_line(self.columns)
        for batch in chunks(records):
            yield "".join(csv_line(flat_row(row), self.columns) for row in self.serialize(batch))

    def csv(self, records) -> str:
        return "".join(self.csv_chunks(records))

    def json_chunks(self, records, count: int):
        """The JSON export as json.dumps(indent=2) writes it, one chunk of rows at a time."""
        empty = dumps({"license": DATA_LICENSE, "count": count, "results": []})
        head, tail = empty.removesuffix("[]\n}"), "\n  ]\n}"
        first = True
        for batch in chunks(records):
            items = [textwrap.indent(dumps(row), "    ") for row in self.serialize(batch)]
            yield (head + "[\n" if first else ",\n") + ",\n".join(items)
            first = False
        yield head + "[]\n}" if first else tail


# ---------------------------------------------------------------------------------------------
# Row helpers


def record_url(record) -> str:
    """The record's address: on SITE_URL when it is set, else on the host that was asked."""
    return absolute_url(None, record.get_absolute_url())


DATE_COLUMNS = ["date", "date_iso", "year", "year_end", "month", "day", "precision"]

DATE_FIELDS = {
    "date": Column("The date as the page shows it, only as precise as the sources.", required=True),
    "date_iso": Column(
        "The date in ISO 8601 reduced precision with EDTF marks: 2020-10-01, 2020-10, 2020, "
        "2020~ (about 2020), 196X (the 1960s), 1990/1991 (a span of years).",
        pattern=EDTF_PATTERN,
        required=True,
    ),
    "year": Column("The year (the first year of a span or decade).", "integer", required=True),
    "year_end": Column("The last year of a span; empty otherwise.", "integer"),
    "month": Column("The month (1-12) when the sources give it.", "integer", minimum=1, maximum=12),
    "day": Column(
        "The day of the month when the sources give it.", "integer", minimum=1, maximum=31
    ),
    "precision": Column("How precise the date is.", enum=values(Precision), required=True),
}

# The CSV columns of the API's nested `date` object, and the key each one comes from.
DATE_PARTS = {
    "date": "display",
    "date_iso": "iso",
    "year": "year",
    "year_end": "year_end",
    "month": "month",
    "day": "day",
    "precision": "precision",
}

# Too rich for a cell: the citations CSV has one row per citation instead.
NOT_IN_CSV = {"citations"}


def csv_columns(fields: list[str]) -> list[str]:
    """The CSV header for a resource's fields: `date` spreads over DATE_COLUMNS."""
    columns = []
    for field in fields:
        if field == "date":
            columns += DATE_COLUMNS
        elif field not in NOT_IN_CSV:
            columns.append(field)
    return columns


def flat_value(field: str, value):
    """A nested API value as one CSV cell's worth (still a list for csv_value to join)."""
    if not isinstance(value, list) or not value or not isinstance(value[0], dict):
        return value
    if field == "disagreements":
        return [item["aspect"] for item in value]
    if "role" in value[0]:
        return ITEM_SEPARATOR.join(
            f"{item['slug']}{PART_SEPARATOR}{item['role']}" for item in value
        )
    return [item["slug"] for item in value]


def flat_row(data: dict) -> dict:
    row = {}
    for field, value in data.items():
        if field == "date":
            row.update({column: value[key] for column, key in DATE_PARTS.items()})
        elif field not in NOT_IN_CSV:
            row[field] = flat_value(field, value)
    return row


def distinct_sources(record) -> list:
    """The distinct sources the record's citations rest on, in citation order."""
    seen, sources = set(), []
    for citation in record.citations.all():
        if citation.source_id not in seen:
            seen.add(citation.source_id)
            sources.append(citation.source)
    return sources


def cited_sources(record) -> list[str]:
    return [source.slug for source in distinct_sources(record)]


# ---------------------------------------------------------------------------------------------
# Writing


def attachment(content, content_type: str, filename: str, status: int = 200):
    response = HttpResponse(content, content_type=content_type, status=status)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def license_link(response):
    """Name the data's licence in a header, where CSV readers never see it as a row."""
    response["Link"] = f'<{DATA_LICENSE["path"]}>; rel="license"'
    return response


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = SEPARATOR.join(str(v) for v in value)
    if isinstance(value, str):
        # A cell that starts like a formula would run as one in a spreadsheet.
        return "'" + value if value[:1] in FORMULA_STARTS else value
    return str(value)


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_value(row[column]) for column in columns])
    return buffer.getvalue()


def csv_line(row, columns: list[str] | None = None) -> str:
    """One CSV line, as to_csv writes it: the header when `columns` is None."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row if columns is None else [csv_value(row[c]) for c in columns])
    return buffer.getvalue()


def dumps(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# Records read, with their prefetches, and serialized at a time by a streamed export: the
# memory an export takes is that of one chunk, however many rows it has.
CHUNK = 500


def chunks(records):
    batch = []
    # iterator(chunk_size) runs the queryset's prefetches once per chunk of records.
    for record in records.iterator(chunk_size=CHUNK):
        batch.append(record)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def in_request_context(chunks):
    """The chunks, each made in the request's context: the response is written after the
    view and its middleware return, and the rows' addresses need the host that was asked
    (ijtech/urls_abs.py)."""
    context = contextvars.copy_context()  # now, in the view, not when first read

    def run():
        while True:
            try:
                yield context.run(next, chunks)
            except StopIteration:
                return

    return run()


def streamed(chunks, content_type: str, filename: str):
    response = StreamingHttpResponse(in_request_context(chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filter_errors(filterset) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in filterset.form.errors.items()}


def error_response(filterset, fmt: str):
    errors = filter_errors(filterset)
    if fmt == "json":
        return JsonResponse({"errors": errors}, status=400)
    lines = ["The filters are not valid:"]
    for name, messages in errors.items():
        field = filterset.form.fields.get(name)
        label = f"{field.label} ({name})" if field else "Filters"
        lines += [f"{label}: {message}" for message in messages]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8", status=400
    )


def filtered(request, spec: Export):
    """The filtered records, or (None, filterset) when the query parameters are invalid."""
    filterset = spec.filterset_class(request.GET, queryset=spec.queryset(), request=request)
    if not filterset.is_valid():
        return None, filterset
    return filterset.qs, filterset


def export_rows(request, spec: Export) -> tuple[list[dict] | None, object]:
    """The rows of an export, or (None, filterset) when the query parameters are invalid."""
    records, filterset = filtered(request, spec)
    if records is None:
        return None, filterset
    return spec.serialize(records), filterset


@require_safe
def export(request, spec: Export, fmt: str):
    """The export `spec` (given by the URLconf) as CSV or JSON."""
    if fmt not in EXPORT_TYPES:
        raise Http404(f"No export format “{fmt}”; use csv or json.")
    records, filterset = filtered(request, spec)
    if records is None:
        return error_response(filterset, fmt)
    # Streamed: the rows are read and written a chunk at a time as the client reads them.
    filename = f"ijtech-{spec.name}.{fmt}"
    if fmt == "json":
        chunks = spec.json_chunks(records, records.count())
    else:
        chunks = spec.csv_chunks(records)
    return license_link(streamed(chunks, EXPORT_TYPES[fmt], filename))


# ---------------------------------------------------------------------------------------------
# Citations: too rich for a cell of the records' CSV, one row each in their own file


CITATION_COLUMNS = [
    "record_type",
    "record_slug",
    "source",
    "locator",
    "quote",
    "supports",
    "disagreement",
    "position",
    "note",
]


def citation_row(record, citation) -> dict:
    disagreement = citation.disagreement
    return {
        "record_type": record._meta.model_name,
        "record_slug": record.slug,
        "source": citation.source.slug,
        "locator": citation.locator,
        "quote": citation.quote,
        "supports": citation.supports,
        "disagreement": disagreement.aspect if disagreement else None,
        "position": citation.position,
        "note": citation.note,
    }


@dataclass(frozen=True)
class CitationsExport:
    """The citations of an export's records: a file of its own, described like an export."""

    spec: Export
    primary_key = None  # a citation has no identifier of its own in the exports
    columns = CITATION_COLUMNS

    @property
    def name(self) -> str:
        return f"{self.spec.name}-citations"

    @property
    def title(self) -> str:
        return f"Citations of the {(self.spec.title or self.spec.name).lower()}"

    @property
    def description(self) -> str:
        return (
            f"Every citation of the records in {self.spec.name}.csv, one row each, with the "
            "source, where in it the fact stands and the quote; a disputed point's versions "
            "name the disagreement's aspect."
        )

    @property
    def fields(self) -> dict[str, Column]:
        # ijtech.models imports this module (through the citation formats): import late.
        from ijtech.export_columns import citation_fields

        return citation_fields(self.spec)

    def column(self, name: str) -> Column:
        return self.fields.get(name) or Column("")

    def csv_chunks(self, records):
        # The citations come from the queryset's prefetch, sources and disagreements with them.
        yield csv_line(self.columns)
        for batch in chunks(records):
            yield "".join(
                csv_line(citation_row(record, c), self.columns)
                for record in batch
                for c in record.citations.all()
            )

    def csv(self, records) -> str:
        return "".join(self.csv_chunks(records))


@require_safe
def citations_export(request, spec: Export):
    """Every citation of the filtered records, one row each, keyed by record."""
    records, filterset = filtered(request, spec)
    if records is None:
        return error_response(filterset, "csv")
    table = CitationsExport(spec)
    return license_link(
        streamed(table.csv_chunks(records), EXPORT_TYPES["csv"], f"ijtech-{table.name}.csv")
    )
