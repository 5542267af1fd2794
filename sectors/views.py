from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from actors.models import Actor
from agreements.models import Agreement, Milestone
from sectors.models import Sector


def sector_list(request):
    sectors = (
        Sector.objects.filter(parent__isnull=True)
        .with_record_counts()
        .prefetch_related(Prefetch("children", queryset=Sector.objects.with_record_counts()))
    )
    return render(request, "sectors/sector_list.html", {"sectors": sectors})


def sector_detail(request, slug):
    sector = get_object_or_404(
        Sector.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=Sector.objects.with_record_counts())
        ),
        slug=slug,
    )
    # A sector's page includes what is filed under its sub-sectors.
    scope = Q(sectors__in=Sector.objects.in_scope(sector))
    agreements = Agreement.objects.published().filter(scope).distinct()
    milestones = Milestone.objects.published().filter(scope).distinct()
    actors = (
        Actor.objects.published()
        .filter(
            Q(sectors=sector)
            | Q(sectors__parent=sector)
            | Q(agreements__in=agreements)
            | Q(milestones__in=milestones)
        )
        .distinct()
        .order_by("name")
    )
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
        },
    )
