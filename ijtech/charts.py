"""Server-drawn SVG charts, with the same numbers available as a table."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.html import escape

PALETTE = ["#1b6ca8", "#e07a1f", "#2a9d8f", "#c2185b", "#6a4c93", "#7a8b2a", "#8d6e63"]
OTHER_COLOUR = "#9e9e9e"
TOP_SECTORS = 6


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
    """Milestones per year, stacked by top-level sector (two queries)."""
    from sectors.models import Sector

    base = milestones.model.objects.filter(pk__in=milestones.order_by().values("pk")).order_by()
    # A milestone in two sectors counts once in each sector's band but once in the total.
    rows = (
        base.annotate(top=Coalesce("sectors__parent__slug", "sectors__slug"))
        .values("year", "top")
        .annotate(n=Count("pk", distinct=True))
    )
    totals = {r["year"]: r["n"] for r in base.values("year").annotate(n=Count("pk"))}
    if not totals:
        return None
    by_sector: dict[str | None, dict[int, int]] = {}
    for row in rows:
        by_sector.setdefault(row["top"], {})[row["year"]] = row["n"]
    ranked = sorted(
        (slug for slug in by_sector if slug is not None),
        key=lambda slug: (-sum(by_sector[slug].values()), slug),
    )
    names = dict(Sector.objects.filter(slug__in=ranked).values_list("slug", "name"))
    series = [
        Series(slug, names.get(slug, slug), PALETTE[i], by_sector[slug])
        for i, slug in enumerate(ranked[:TOP_SECTORS])
    ]
    rest: dict[int, int] = {}
    for slug in [*ranked[TOP_SECTORS:], None]:
        for year, n in by_sector.get(slug, {}).items():
            rest[year] = rest.get(year, 0) + n
    if rest:
        series.append(Series("other", "Other or no sector", OTHER_COLOUR, rest))
    years = list(range(min(totals), max(totals) + 1))
    return Chart(years, series, totals, draw(years, series))


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
