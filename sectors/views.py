from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.records import PUBLISHED
from sectors.models import Sector


def with_counts(queryset):
    return queryset.annotate(
        agreement_count=Count(
            "agreements", filter=Q(agreements__editorial_status=PUBLISHED), distinct=True
        ),
        milestone_count=Count(
            "milestones", filter=Q(milestones__editorial_status=PUBLISHED), distinct=True
        ),
    )


def sector_list(request):
    sectors = with_counts(Sector.objects.filter(parent__isnull=True)).prefetch_related(
        Prefetch("children", queryset=with_counts(Sector.objects.all()))
    )
    return render(request, "sectors/sector_list.html", {"sectors": sectors})


def sector_detail(request, slug):
    sector = get_object_or_404(
        Sector.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=with_counts(Sector.objects.all()))
        ),
        slug=slug,
    )
    # A sector's page includes what is filed under its sub-sectors.
    scope = Q(sectors=sector) | Q(sectors__parent=sector)
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
