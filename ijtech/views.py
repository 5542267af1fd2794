from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.dates import REVERSE_CHRONOLOGICAL
from ijtech.filters import SourceFilter, error_messages
from ijtech.models import Citation, Source
from ijtech.records import citation_prefetches, disagreement_versions
from ijtech.search import search as run_search
from ijtech.search import words
from sectors.models import Sector

REVIEWED_MODELS = (Agreement, Milestone, Actor)
SEARCH_LIMIT = 30
MAX_QUERY_LENGTH = 200


def home(request):
    sectors = (
        Sector.objects.filter(parent__isnull=True).with_record_counts().order_by("order", "name")
    )
    return render(
        request,
        "home.html",
        {
            "counts": {
                "agreements": Agreement.objects.published().count(),
                "milestones": Milestone.objects.published().count(),
                "actors": Actor.objects.published().count(),
                "sources": Source.objects.count(),
            },
            # Projections dated in the future are not "recent".
            "recent": Milestone.objects.published()
            .filter(year__lte=timezone.localdate().year)
            .order_by(*REVERSE_CHRONOLOGICAL, "title")
            .select_related("agreement")[:6],
            "sectors": sectors,
        },
    )


def disagreements(request):
    """Every published record on which the sources disagree, with each version."""
    groups = []
    for model in REVIEWED_MODELS:
        records = (
            model.objects.published()
            .disputed()
            .prefetch_related(*citation_prefetches())
            .order_by("pk")
        )
        items = [(record, disagreement_versions(record)) for record in records]
        items.sort(key=lambda item: str(item[0]).lower())
        groups.append((model._meta.verbose_name_plural.capitalize(), items))
    total = sum(len(items) for _, items in groups)
    return render(request, "disagreements.html", {"groups": groups, "total": total})


def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "results": [], "errors": [], "searched": bool(query)}
    if len(query) > MAX_QUERY_LENGTH:
        context["errors"].append(
            f"The search is too long ({len(query)} characters); use at most {MAX_QUERY_LENGTH}."
        )
        return render(request, "search.html", context, status=400)
    if query and not words(query):
        context["errors"].append("Type at least one word or number to search for.")
        return render(request, "search.html", context, status=400)
    if query:
        results = []
        for model, label in (
            (Agreement, "Agreement"),
            (Milestone, "Milestone"),
            (Actor, "Institution"),
        ):
            found = run_search(model.objects.published(), query).order_by("-rank", "pk")
            results += [(float(r.rank), label, r) for r in found[:SEARCH_LIMIT]]
        results.sort(key=lambda item: (-item[0], str(item[2]).lower()))
        context["results"] = [(label, record) for _, label, record in results]
    return render(request, "search.html", context)


def source_list(request):
    """The bibliography, filtered by the same SourceFilter as its exports and the API."""
    filterset = SourceFilter(
        request.GET, queryset=Source.objects.with_citation_counts().order_by("authors", "title")
    )
    context = {"filterset": filterset, "form_params": ["q", "kind"], "errors": []}
    if not filterset.is_valid():
        context.update(sources=[], errors=error_messages(filterset))
        return render(request, "sources/source_list.html", context, status=400)
    context["sources"] = filterset.qs
    return render(request, "sources/source_list.html", context)


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    cited = []
    for model in REVIEWED_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        records = (
            model.objects.published()
            .filter(citations__source=source)
            .distinct()
            .prefetch_related(
                Prefetch(
                    "citations",
                    queryset=Citation.objects.filter(source=source, content_type=content_type),
                    to_attr="from_source",
                )
            )
            .order_by("pk")
        )
        records = sorted(records, key=lambda r: str(r).lower())
        cited.append((model._meta.verbose_name_plural.capitalize(), records))
    total = sum(len(records) for _, records in cited)
    return render(
        request, "sources/source_detail.html", {"source": source, "cited": cited, "total": total}
    )
