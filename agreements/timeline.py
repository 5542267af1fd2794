"""The timeline: milestones year by year, with a chart of milestones per year by sector."""

from collections import Counter

from django.db.models.functions import Coalesce
from django.shortcuts import render

from agreements.filters import MilestoneFilter
from agreements.models import Milestone
from ijtech.charts import OTHER_COLOUR, PALETTE, Chart, Series, draw
from ijtech.filters import error_messages
from sectors.models import Sector

CHART_TITLE = "Milestones per year by sector"
# One band per top-level sector for the nine most common; the rest share the "other" band.
TOP_SECTORS = len(PALETTE)


def milestones_per_year_by_sector(milestones) -> Chart | None:
    """Milestones per year, stacked by top-level sector (two queries).

    Each milestone is counted once, in the band of its most common sector, so a bar is as
    tall as the number of milestones that year.
    """
    base = milestones.model.objects.filter(pk__in=milestones.order_by().values("pk")).order_by()
    rows = base.annotate(top=Coalesce("sectors__parent__slug", "sectors__slug")).values_list(
        "pk", "year", "top"
    )
    years_of: dict[int, int] = {}
    tops_of: dict[int, set] = {}
    for pk, year, top in rows:
        years_of[pk] = year
        tops_of.setdefault(pk, set())
        if top is not None:
            tops_of[pk].add(top)
    if not years_of:
        return None
    reach = Counter(top for tops in tops_of.values() for top in tops)
    ranked = sorted(reach, key=lambda slug: (-reach[slug], slug))
    rank = {slug: i for i, slug in enumerate(ranked)}
    by_sector: dict[str | None, dict[int, int]] = {}
    for pk, year in years_of.items():
        tops = tops_of[pk]
        band = min(tops, key=rank.__getitem__) if tops else None
        if band is not None and rank[band] >= TOP_SECTORS:
            band = None
        counts = by_sector.setdefault(band, {})
        counts[year] = counts.get(year, 0) + 1
    shown = [slug for slug in ranked[:TOP_SECTORS] if slug in by_sector]
    names = dict(Sector.objects.filter(slug__in=shown).values_list("slug", "name"))
    series = [
        Series(slug, names.get(slug, slug), PALETTE[i], by_sector[slug])
        for i, slug in enumerate(shown)
    ]
    if None in by_sector:
        series.append(Series("other", "Other or no sector", OTHER_COLOUR, by_sector[None]))
    totals = Counter(years_of.values())
    years = list(range(min(totals), max(totals) + 1))
    return Chart(years, series, dict(totals), draw(years, series, CHART_TITLE))


def timeline(request):
    """Milestones grouped by year, with a chart of milestones per year by sector."""
    filterset = MilestoneFilter(request.GET, queryset=Milestone.objects.published().with_disputed())
    context = {
        "filterset": filterset,
        "form_params": ["year", "year_from", "year_to"],
        "errors": [],
        "years": [],
        "chart": None,
        # The timeline is a section of the menu of its own, not part of "milestones".
        "nav_section": "timeline",
    }
    if not filterset.is_valid():
        context["errors"] = error_messages(filterset)
        return render(request, "agreements/timeline.html", context, status=400)
    results = filterset.qs
    # Years run in date order, also when searching (not by rank); ?sort=-date reverses them.
    if filterset.form.cleaned_data.get("sort") != "-date":
        results = results.chronological()
    milestones = list(results.prefetch_related("sectors"))
    years: dict[int, list] = {}
    # A span is listed under its first year, but under the chosen year when the reader asked
    # for one: "2024–25" belongs to the 2025 page too, and the page shows only that year.
    chosen = filterset.form.cleaned_data.get("year")
    for milestone in milestones:
        years.setdefault(chosen or milestone.year, []).append(milestone)
    context["years"] = list(years.items())
    context["total"] = len(milestones)
    context["chart"] = milestones_per_year_by_sector(results)
    return render(request, "agreements/timeline.html", context)
