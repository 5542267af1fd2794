"""Downloads: 'cite this record' files and CSV/JSON exports of the list pages' filtered results.

Exports run the list pages' own FilterSets on the same query parameters, hold every filtered
result (no pagination) and show published records only. Each export costs a fixed number of
queries, whatever the number of rows: related data comes in through prefetches.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from actors.filters import ActorFilter
from actors.models import Actor
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import Agreement, Milestone, published_actors, published_parties
from ijtech.citeformats import record_url, to_bibtex, to_csl, to_ris
from ijtech.filters import SourceFilter
from ijtech.models import Citation, EditorialStatus, Source
from sectors.filters import SectorFilter
from sectors.models import Sector

PUBLISHED = EditorialStatus.PUBLISHED
SEPARATOR = "; "

# ---------------------------------------------------------------------------------------------
# Prefetches: only published related records, so that drafts never leak through a relation.


def citations_prefetch():
    return Prefetch(
        "citations",
        queryset=Citation.objects.select_related("source").order_by("order", "pk"),
    )


# ---------------------------------------------------------------------------------------------
# Cite this record


CITE_FORMATS = {
    "bib": (to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (to_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (
        lambda record, accessed: json.dumps(
            [to_csl(record, accessed)], ensure_ascii=False, indent=2
        ),
        "application/vnd.citationstyles.csl+json; charset=utf-8",
    ),
}


def cite_querysets():
    return {
        "agreement": Agreement.objects.published().prefetch_related(
            published_parties(), "tags", citations_prefetch()
        ),
        "milestone": Milestone.objects.published()
        .select_related("agreement")
        .prefetch_related(published_actors(), "tags", citations_prefetch()),
        "actor": Actor.objects.published().prefetch_related(citations_prefetch()),
    }


def attachment(content: str, content_type: str, filename: str, status: int = 200):
    response = HttpResponse(content, content_type=content_type, status=status)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def cite(request, model: str, slug: str, fmt: str):
    if fmt not in CITE_FORMATS:
        raise Http404(f"No citation format “{fmt}”; use bib, ris or json.")
    record = get_object_or_404(cite_querysets()[model], slug=slug)
    render, content_type = CITE_FORMATS[fmt]
    content = render(record, timezone.localdate())
    return attachment(content, content_type, f"ijtech-{model}-{record.slug}.{fmt}")


def cite_agreement(request, slug, fmt):
    return cite(request, "agreement", slug, fmt)


def cite_milestone(request, slug, fmt):
    return cite(request, "milestone", slug, fmt)


def cite_actor(request, slug, fmt):
    return cite(request, "actor", slug, fmt)


# ---------------------------------------------------------------------------------------------
# Row builders: each returns the same keys, in order, as its COLUMNS.


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


def cited_sources(record) -> list[str]:
    slugs = []
    for citation in record.citations.all():
        if citation.source.slug not in slugs:
            slugs.append(citation.source.slug)
    return slugs


def sector_names(record) -> list[str]:
    return [sector.name for sector in record.sectors.all()]


def tag_names(record) -> list[str]:
    return sorted(tag.name for tag in record.tags.all())


def decimal_text(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def agreement_row(agreement) -> dict:
    return {
        "slug": agreement.slug,
        "title": agreement.title,
        "kind": agreement.kind,
        "kind_label": agreement.get_kind_display(),
        "status": agreement.status,
        **date_fields(agreement),
        "summary": agreement.summary,
        "parties": [
            f"{link.actor.name} ({link.get_role_display()})" for link in agreement.party_links.all()
        ],
        "sectors": sector_names(agreement),
        "tags": tag_names(agreement),
        "sources": cited_sources(agreement),
        "citation_count": len(agreement.citations.all()),
        "disputed": agreement.is_disputed,
        "url": record_url(agreement),
    }


def milestone_row(milestone) -> dict:
    agreement = milestone.agreement
    if agreement is not None and agreement.editorial_status != PUBLISHED:
        agreement = None
    occasion = milestone.occasion
    if occasion is not None and occasion.editorial_status != PUBLISHED:
        occasion = None
    return {
        "slug": milestone.slug,
        "title": milestone.title,
        "kind": milestone.kind,
        "kind_label": milestone.get_kind_display(),
        **date_fields(milestone),
        "summary": milestone.summary,
        "agreement": agreement.slug if agreement else None,
        "occasion": occasion.slug if occasion else None,
        "actors": [actor.name for actor in milestone.actors.all()],
        "sectors": sector_names(milestone),
        "tags": tag_names(milestone),
        "amount": decimal_text(milestone.amount),
        "unit": milestone.unit,
        "deadline_year": milestone.deadline_year,
        "deadline_text": milestone.deadline_text,
        "deadline_derived": milestone.deadline_derived,
        "delivery_note": milestone.delivery_note,
        "sources": cited_sources(milestone),
        "citation_count": len(milestone.citations.all()),
        "disputed": milestone.is_disputed,
        "url": record_url(milestone),
    }


def actor_row(actor) -> dict:
    parent = actor.parent
    if parent is not None and parent.editorial_status != PUBLISHED:
        parent = None
    return {
        "slug": actor.slug,
        "name": actor.name,
        "acronym": actor.acronym,
        "country": actor.country,
        "kind": actor.kind,
        "kind_label": actor.get_kind_display(),
        "parent": parent.slug if parent else None,
        "website": actor.website,
        "description": actor.description,
        "sectors": sector_names(actor),
        "sources": cited_sources(actor),
        "citation_count": len(actor.citations.all()),
        "disputed": actor.is_disputed,
        "url": record_url(actor),
    }


def sector_row(sector) -> dict:
    return {
        "slug": sector.slug,
        "name": sector.name,
        "parent": sector.parent.slug if sector.parent else None,
        "description": sector.description,
        "agreement_count": sector.agreement_count,
        "milestone_count": sector.milestone_count,
        "url": record_url(sector),
    }


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


# ---------------------------------------------------------------------------------------------
# Each export: the list page's FilterSet, the published records it filters (with what the rows
# read joined or prefetched: prefetches survive the FilterSet's filtering), the row builder
# and the columns.


@dataclass(frozen=True)
class Export:
    filterset_class: type
    queryset: Callable[[], QuerySet]
    row: Callable[[object], dict]
    columns: list[str]


def agreements():
    return (
        Agreement.objects.published()
        .with_disputed()
        .prefetch_related("sectors", "tags", published_parties(), citations_prefetch())
    )


def milestones():
    return (
        Milestone.objects.published()
        .with_disputed()
        .select_related("agreement", "occasion")
        .prefetch_related("sectors", "tags", published_actors(), citations_prefetch())
    )


def actors():
    return (
        Actor.objects.published()
        .with_disputed()
        .select_related("parent")
        .prefetch_related("sectors", citations_prefetch())
    )


def sectors():
    return Sector.objects.select_related("parent").with_record_counts()


def sources():
    return Source.objects.with_citation_counts().order_by("authors", "title")


DATE_COLUMNS = ["date", "date_iso", "year", "year_end", "month", "day", "precision"]
RECORD_TAIL = ["sources", "citation_count", "disputed", "url"]

EXPORTS = {
    "agreements": Export(
        AgreementFilter,
        agreements,
        agreement_row,
        ["slug", "title", "kind", "kind_label", "status", *DATE_COLUMNS, "summary"]
        + ["parties", "sectors", "tags", *RECORD_TAIL],
    ),
    "milestones": Export(
        MilestoneFilter,
        milestones,
        milestone_row,
        ["slug", "title", "kind", "kind_label", *DATE_COLUMNS, "summary", "agreement", "occasion"]
        + ["actors", "sectors", "tags", "amount", "unit", "deadline_year"]
        + ["deadline_text", "deadline_derived", "delivery_note"]
        + RECORD_TAIL,
    ),
    "actors": Export(
        ActorFilter,
        actors,
        actor_row,
        ["slug", "name", "acronym", "country", "kind", "kind_label", "parent", "website"]
        + ["description", "sectors", *RECORD_TAIL],
    ),
    "sectors": Export(
        SectorFilter,
        sectors,
        sector_row,
        ["slug", "name", "parent", "description", "agreement_count", "milestone_count", "url"],
    ),
    "sources": Export(
        SourceFilter,
        sources,
        source_row,
        ["slug", "authors", "title", "publisher", "kind", "date", "year", "month", "day"]
        + ["source_url", "note", "citation_count", "url"],
    ),
}

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


def export_rows(request, resource: str) -> tuple[list[dict] | None, object]:
    """The rows of an export, or (None, filterset) when the query parameters are invalid."""
    spec = EXPORTS[resource]
    filterset = spec.filterset_class(request.GET, queryset=spec.queryset(), request=request)
    if not filterset.is_valid():
        return None, filterset
    return [spec.row(record) for record in filterset.qs], filterset


@require_safe
def export(request, resource: str, fmt: str):
    if fmt not in EXPORT_TYPES:
        raise Http404(f"No export format “{fmt}”; use csv or json.")
    rows, filterset = export_rows(request, resource)
    if rows is None:
        return error_response(filterset, fmt)
    filename = f"ijtech-{resource}.{fmt}"
    if fmt == "json":
        content = json.dumps(
            {"count": len(rows), "results": rows},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=2,
        )
        return attachment(content, EXPORT_TYPES[fmt], filename)
    return attachment(to_csv(rows, EXPORTS[resource].columns), EXPORT_TYPES[fmt], filename)
