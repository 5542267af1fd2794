from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from ijtech.charts import per_year_by_choice
from ijtech.filters import error_messages
from sectors.filters import SectorFilter
from sectors.models import Sector


def sector_list(request):
    """The sectors the SectorFilter matches (as in the exports and the API), as a tree.

    A matching sub-sector is listed under its parent when the parent matches too, on its own
    otherwise; unfiltered, that is every top-level sector with all its sub-sectors.
    """
    filterset = SectorFilter(request.GET, queryset=Sector.objects.all())
    context = {"filterset": filterset, "form_params": ["q", "literal"], "errors": []}
    if not filterset.is_valid():
        context.update(sectors=[], errors=error_messages(filterset))
        return render(request, "sectors/sector_list.html", context, status=400)
    matching = filterset.qs
    context["sectors"] = (
        matching.filter(Q(parent__isnull=True) | ~Q(parent__in=matching.values("pk")))
        .with_record_counts()
        .prefetch_related(Prefetch("children", queryset=matching.with_record_counts()))
    )
    return render(request, "sectors/sector_list.html", context)


def sector_detail(request, slug):
    sector = get_object_or_404(
        Sector.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=Sector.objects.with_record_counts())
        ),
        slug=slug,
    )
    # A sector's page includes what is filed under its sub-sectors. The records are reached
    # through the reverse relations the apps built on the sectors declare (sector.agreements,
    # sector.milestones, sector.actors), so that this app imports none of them.
    scope = Q(sectors__in=Sector.objects.in_scope(sector))
    agreements = sector.agreements.model.objects.published().filter(scope).distinct()
    milestones = sector.milestones.model.objects.published().filter(scope).distinct()
    actors = (
        sector.actors.model.objects.published()
        .filter(
            Q(sectors=sector)
            | Q(sectors__parent=sector)
            | Q(agreements__in=agreements)
            | Q(milestones__in=milestones)
        )
        .distinct()
        .order_by("name")
    )
    # Agreements over time, by kind and by status: one grouped query each (the same charts
    # as the agreements list filtered to this sector, by field name: no agreements import).
    over_time = []
    for field, title in (
        ("kind", "Agreements per year by kind of instrument"),
        ("status", "Agreements per year by status"),
    ):
        chart = per_year_by_choice(agreements, field, title, f"over-time-{field}")
        if chart is None:
            break
        over_time.append(chart)
    milestone_list = list(milestones.chronological())
    years: dict[int, list] = {}
    for milestone in milestone_list:
        years.setdefault(milestone.year, []).append(milestone)
    return render(
        request,
        "sectors/sector_detail.html",
        {
            "sector": sector,
            "agreements": agreements.chronological().prefetch_related("sectors"),
            "milestone_count": len(milestone_list),
            "years": list(years.items()),
            "actors": actors,
            "over_time": over_time,
            "over_time_query": f"?sector={sector.slug}",
        },
    )
