"""
The search page and its CSV and JSON exports: every kind of public record, ranked by the one
engine (ijtech/search.py). The API's search (ijtech/search_api.py) reads its parameters here
too, so that the page, the exports and the API take the same `q`, `type` and `literal`.
"""

import html
import json
from dataclasses import dataclass

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.views.decorators.http import require_safe

from ijtech import fragments, search
from ijtech.active_filters import ActiveFilter, removed
from ijtech.exports import EXPORT_TYPES, attachment, record_url, to_csv
from ijtech.pagination import PageError, Paginator

PER_PAGE = 20
EXPORT_COLUMNS = ["rank", "type", "slug", "title", "date", "url", "snippet"]
LITERAL_VALUES = {"": False, "0": False, "false": False, "1": True, "true": True}


class BadSearch(Exception):
    """Parameters the search cannot run with: {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]


def kinds() -> list[str]:
    """The searchable kinds, those of apps built on the others first (as the menu lists them)."""
    configs = list(apps.get_app_configs())
    models = search.searchable_models()
    return sorted(models, key=lambda kind: -configs.index(models[kind]._meta.app_config))


def plural(kind: str) -> str:
    return str(search.searchable_models()[kind]._meta.verbose_name_plural)


@dataclass(frozen=True)
class SearchRequest:
    query: str
    kind: str | None
    literal: bool


def read(params) -> SearchRequest:
    """The search a request's `q`, `type` and `literal` ask for, or BadSearch saying why not."""
    errors: dict[str, list[str]] = {}
    query = params.get("q", "").strip()
    try:
        search.parse(query)
    except search.SearchError as error:
        errors["q"] = error.messages
    kind = params.get("type", "").strip() or None
    if kind is not None and kind not in search.searchable_models():
        errors["type"] = [
            f"“{kind}” is not a type of record; use one of {', '.join(kinds())}, or none for all."
        ]
    literal = LITERAL_VALUES.get(params.get("literal", "").strip().lower())
    if literal is None:
        errors["literal"] = ["Give literal=1 to search for the words as typed, or leave it out."]
    if errors:
        raise BadSearch(errors)
    return SearchRequest(query, kind, literal)


def run(request_: SearchRequest) -> search.Results:
    return search.search_records(request_.query, request_.kind, correct=not request_.literal)


def total(results: search.Results, kind: str | None) -> int:
    return results.counts.get(kind, 0) if kind else results.count


def date_text(record) -> str | None:
    """The record's date as the pages show it, or None for an undated record or a sector."""
    if getattr(record, "year", None) is None:
        return None
    return record.date_display


def title_of(record) -> str:
    return getattr(record, "title", None) or str(record)


def plain(snippet) -> str:
    return html.unescape(strip_tags(snippet))


@dataclass
class Item:
    """One hit as the results page shows it."""

    hit: search.Hit
    label: str
    title: str
    date: str | None
    timed: bool  # the date has the precision includes/date.html shows


def items(hits) -> list[Item]:
    return [
        Item(
            hit,
            hit.kind.capitalize(),
            title_of(hit.record),
            date_text(hit.record),
            hasattr(hit.record, "date_iso"),
        )
        for hit in hits
    ]


def type_filter(request, results: search.Results, chosen: str | None) -> list[dict]:
    """The "All" option and one per kind, each with its count and address (keeping `q`)."""
    query = request.GET.copy()
    query.pop("page", None)
    options = []
    for kind in [None, *kinds()]:
        query.pop("type", None)
        if kind:
            query["type"] = kind
        options.append(
            {
                "kind": kind,
                "label": plural(kind).capitalize() if kind else "All",
                "count": results.counts.get(kind, 0) if kind else results.count,
                "selected": kind == chosen,
                "url": "?" + query.urlencode(),
            }
        )
    return options


@require_safe
def search_page(request):
    query = request.GET.get("q", "").strip()
    context = {
        "query": query,
        "plan": None,
        "items": [],
        "types": [],
        "page_obj": None,
        "errors": [],
        "searched": bool(query),
    }
    if not query:
        return render(request, "search.html", context)
    try:
        asked = read(request.GET)
        found = run(asked)
        paginator = Paginator(found.entries, PER_PAGE)
        # Known already from the counts by kind: spare the paginator its own COUNT query.
        paginator.count = total(found, asked.kind)
        page = paginator.page(request.GET.get("page") or 1)
        # Ranking sorts every match: the page's entries are kept until the next public
        # change (ijtech/fragments.py), so a repeated search costs the records' rows alone.
        page.object_list = fragments.rows(page.object_list)
    except BadSearch as error:
        context["errors"] = error.messages
        return render(request, "search.html", context, status=400)
    except PageError as error:
        context["errors"] = [str(error)]
        return render(request, "search.html", context, status=400)
    types = type_filter(request, found, asked.kind)
    context.update(
        plan=found.plan,
        kind=asked.kind,
        active_filters=[
            ActiveFilter(
                "type",
                t["kind"],
                "Type of record",
                t["label"],
                removed(request.GET, "type", t["kind"]),
            )
            for t in types
            if t["selected"] and t["kind"]
        ],
        total=paginator.count,
        types=types,
        page_obj=page,
        items=items(found.hits(page.object_list)),
    )
    return render(request, "search.html", context)


def export_row(hit: search.Hit) -> dict:
    return {
        "rank": hit.rank,
        "type": hit.kind,
        "slug": hit.record.slug,
        "title": title_of(hit.record),
        "date": date_text(hit.record),
        "url": record_url(hit.record),
        "snippet": plain(hit.snippet),
    }


def export_error(error: BadSearch, fmt: str):
    if fmt == "json":
        return JsonResponse({"errors": error.errors}, status=400)
    lines = ["The search is not valid:"]
    for name, messages in error.errors.items():
        lines += [f"{name}: {message}" for message in messages]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8", status=400
    )


@require_safe
def search_export(request, fmt: str):
    """Every result of the search (not one page), as CSV or JSON, as the lists export theirs."""
    if fmt not in EXPORT_TYPES:
        raise Http404(f"No export format “{fmt}”; use csv or json.")
    try:
        asked = read(request.GET)
    except BadSearch as error:
        return export_error(error, fmt)
    found = run(asked)
    rows = [export_row(hit) for hit in found.hits(found.entries)]
    filename = f"ijtech-search.{fmt}"
    if fmt == "json":
        content = json.dumps(
            {
                "query": found.plan.query,
                "searched_for": found.plan.searched_for,
                "corrected": found.plan.corrected,
                "count": len(rows),
                "results": rows,
            },
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=2,
        )
        return attachment(content, EXPORT_TYPES[fmt], filename)
    return attachment(to_csv(rows, EXPORT_COLUMNS), EXPORT_TYPES[fmt], filename)
