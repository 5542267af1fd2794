"""Server-drawn SVG charts, with the same numbers available as a table."""

from collections import Counter
from dataclasses import dataclass

from django.db.models.functions import Coalesce
from django.utils.html import escape

# Distinguishable for the common forms of colour blindness (after Okabe and Ito), plus two.
PALETTE = [
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#6a4c93",
    "#7a8b2a",
    "#f0e442",
]
OTHER_COLOUR = "#9e9e9e"
TOP_SECTORS = 9


@dataclass
class Series:
    slug: str
    name: str
    colour: str
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Chart:
    years: list[int]
    series: list[Series]
    totals: dict[int, int]
    svg: str

    @property
    def rows(self):
        """Table rows: (year, [count per series], milestones that year)."""
        return [
            (year, [s.counts.get(year, 0) for s in self.series], self.totals.get(year, 0))
            for year in self.years
        ]


def milestones_per_year_by_sector(milestones) -> Chart | None:
    """Milestones per year, stacked by top-level sector (two queries).

    Each milestone is counted once, in the band of its most common sector, so a bar is as
    tall as the number of milestones that year.
    """
    from sectors.models import Sector

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
    return Chart(years, series, dict(totals), draw(years, series))


def draw(years: list[int], series: list[Series]) -> str:
    width, height = 760, 260
    left, right, top, bottom = 36, 10, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    stacks = {y: sum(s.counts.get(y, 0) for s in series) for y in years}
    peak = max(max(stacks.values()), 1)
    step = plot_w / len(years)
    bar = max(step * 0.75, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'role="img" aria-labelledby="chart-title chart-desc" class="chart">',
        '<title id="chart-title">Milestones per year by sector</title>',
        '<desc id="chart-desc">Stacked bars, one per year; the table below gives the same '
        "numbers.</desc>",
    ]
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - tick / peak * plot_h
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>'
        )
    label_every = max(1, round(len(years) / 12))
    for i, year in enumerate(years):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for s in series:
            n = s.counts.get(year, 0)
            if not n:
                continue
            h = n / peak * plot_h
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"><title>{year}: {n} in {escape(s.name)}</title></rect>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'class="tick">{year}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
