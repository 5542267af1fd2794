"""CSV and JSON exports of the list pages' filtered results, and the helpers rows are made of.

Each resource declares an `Export` in its app's exports module and its URLconf passes it to
the `export` view. Exports run the list pages' own FilterSets on the same query parameters,
hold every filtered result (no pagination) and show published records only. Each export
costs a fixed number of queries, whatever the number of rows: related data comes in through
the prefetches of the resource's public queryset.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from ijtech.dates import Precision
from ijtech.urls_abs import absolute_url

SEPARATOR = "; "

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
    many: bool = False  # several values, joined with SEPARATOR
    format: str = ""
    pattern: str = ""
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False
    # A single-valued column naming a record of another export: "<export>.<column>".
    references: str = ""
    # For a many-valued column: the export and column each of its values names.
    names: str = ""


@dataclass(frozen=True)
class Export:
    """One resource's export: the rows `row` makes of `queryset()` filtered by the FilterSet."""

    name: str  # in the file name: ijtech-<name>.csv
    filterset_class: type
    queryset: Callable[[], QuerySet]
    row: Callable[[object], dict]
    columns: list[str]  # the keys of `row`, in order
    # Each column's meaning, type and values: the data package's schema and the data
    # dictionary on the About page are both made from it.
    fields: dict[str, Column] = field(default_factory=dict)
    title: str = ""
    description: str = ""
    primary_key: str = "slug"

    def column(self, name: str) -> Column:
        """The column's definition; one not yet described is text without a meaning, which
        the About page's test refuses, rather than a page that fails."""
        return self.fields.get(name) or Column("")


# ---------------------------------------------------------------------------------------------
# Row helpers


def record_url(record) -> str:
    """The record's address: on SITE_URL when it is set, else on the host that was asked."""
    return absolute_url(None, record.get_absolute_url())


def date_fields(record) -> dict:
    return {
        "date": record.date_display,
        "date_iso": record.date_iso,
        "year": record.year,
        "year_end": record.year_end,
        "month": record.month,
        "day": record.day,
        "precision": str(record.precision),
    }


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


def tag_names(record) -> list[str]:
    return sorted(tag.name for tag in record.tags.all())


def slugs(related) -> list[str]:
    return [record.slug for record in related.all()]


def decimal_text(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def record_tail(record) -> dict:
    """The columns every published record's row ends with."""
    return {
        "sources": cited_sources(record),
        "citation_count": len(record.citations.all()),
        "disputed": record.is_disputed,
        "url": record_url(record),
    }


RECORD_TAIL = ["sources", "citation_count", "disputed", "url"]

SLUG_FIELD = Column(
    "The record's identifier, unique within its file and part of its address.", required=True
)
URL_FIELD = Column("The record's page on ijtech.", format="uri", required=True)

RECORD_TAIL_FIELDS = {
    "sources": Column(
        "The sources the record's citations rest on, by slug, in citation order.",
        many=True,
        names="sources.slug",
    ),
    "citation_count": Column("How many citations support the record.", "integer", minimum=0),
    "disputed": Column("true when the sources disagree on something about the record.", "boolean"),
    "url": URL_FIELD,
}


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


def export_rows(request, spec: Export) -> tuple[list[dict] | None, object]:
    """The rows of an export, or (None, filterset) when the query parameters are invalid."""
    filterset = spec.filterset_class(request.GET, queryset=spec.queryset(), request=request)
    if not filterset.is_valid():
        return None, filterset
    return [spec.row(record) for record in filterset.qs], filterset


@require_safe
def export(request, spec: Export, fmt: str):
    """The export `spec` (given by the URLconf) as CSV or JSON."""
    if fmt not in EXPORT_TYPES:
        raise Http404(f"No export format “{fmt}”; use csv or json.")
    rows, filterset = export_rows(request, spec)
    if rows is None:
        return error_response(filterset, fmt)
    filename = f"ijtech-{spec.name}.{fmt}"
    if fmt == "json":
        content = json.dumps(
            {"license": DATA_LICENSE, "count": len(rows), "results": rows},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=2,
        )
        return license_link(attachment(content, EXPORT_TYPES[fmt], filename))
    return license_link(attachment(to_csv(rows, spec.columns), EXPORT_TYPES[fmt], filename))
