from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from ijtech import fragments
from ijtech.active_filters import active_filters
from ijtech.charts import per_year_by_choice
from ijtech.dates import REVERSE_CHRONOLOGICAL
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
    context["active_filters"] = active_filters(request.GET, [], filterset.form)
    return render(request, "sectors/sector_list.html", context)


# A sector's page lists at most this many of each kind of record, the latest first, and
# links to the filtered list for the rest: its cost stays that of one page of results.
SHOWN = 50


def sector_detail(request, slug):
    sector = get_object_or_404(
        Sector.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=Sector.objects.with_record_counts())
        ),
        slug=slug,
    )
    # A sector's page includes what is filed under its sub-sectors. The records are reached
    # through the reverse relations the apps built on the sectors declare (sector.agreements,
    # sector.milestones, sector.actors), so that this app imports none of them. Each set is
    # a subquery of keys, so no join multiplies the rows and no DISTINCT is needed.
    agreement_model = sector.agreements.model
    milestone_model = sector.milestones.model
    actor_model = sector.actors.model
    filed_under = Sector.objects.keys_filed_under
    agreements = agreement_model.objects.published().filter(
        pk__in=filed_under(agreement_model, sector)
    )
    milestones = milestone_model.objects.published().filter(
        pk__in=filed_under(milestone_model, sector)
    )
    actors = actor_model.objects.published().filter(
        Q(pk__in=filed_under(actor_model, sector))
        | Q(pk__in=actor_model.objects.filter(agreements__in=agreements).values("pk"))
        | Q(pk__in=actor_model.objects.filter(milestones__in=milestones).values("pk"))
    )
    # The latest of each kind are sorted out of every record in the sector: kept, with the
    # counts, until the next public change (ijtech/fragments.py).
    latest = fragments.rows(milestones.order_by(*REVERSE_CHRONOLOGICAL, "-title")[:SHOWN])

    # Agreements over time, by kind and by status: one grouped query each (the same charts
    # as the agreements list filtered to this sector, by field name: no agreements import).
    def charts():
        drawn = []
        for field, title in (
            ("kind", "Agreements per year by kind of instrument"),
            ("status", "Agreements per year by status"),
        ):
            chart = per_year_by_choice(agreements, field, title, f"over-time-{field}")
            if chart is None:
                break
            drawn.append(chart)
        return drawn

    # Drawn once per public change, as on the agreements list (ijtech/fragments.py).
    over_time = fragments.cached(("sector-over-time", sector.pk), charts)
    years: dict[int, list] = {}
    for milestone in latest[::-1]:
        years.setdefault(milestone.year, []).append(milestone)
    agreement_list = fragments.rows(
        agreements.order_by(*REVERSE_CHRONOLOGICAL, "-title")[:SHOWN].prefetch_related("sectors")
    )[::-1]
    return render(
        request,
        "sectors/sector_detail.html",
        {
            "sector": sector,
            "agreements": agreement_list,
            # Until the next public change (ijtech/fragments.py).
            "agreement_count": fragments.count(agreements),
            "milestone_count": fragments.count(milestones),
            "years": list(years.items()),
            "actors": fragments.rows(actors.order_by("name")[:SHOWN]),
            "actor_count": fragments.count(actors),
            "shown": SHOWN,
            "over_time": over_time,
            "over_time_query": f"?sector={sector.slug}",
        },
    )
