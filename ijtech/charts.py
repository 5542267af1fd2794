"""Server-drawn SVG charts, with the same numbers available as a table."""

from dataclasses import dataclass

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


@dataclass
class Series:
    """One band of a stacked bar chart: its count per year."""

    slug: str
    name: str
    colour: str
    counts: dict[int, int]


@dataclass
class Chart:
    years: list[int]
    series: list[Series]
    totals: dict[int, int]
    svg: str

    @property
    def rows(self):
        """Table rows: (year, [count per series], total that year)."""
        return [
            (year, [s.counts.get(year, 0) for s in self.series], self.totals.get(year, 0))
            for year in self.years
        ]


def draw(years: list[int], series: list[Series], title: str) -> str:
    """Stacked bars, one per year, each band a series; `title` names the chart for readers."""
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
        f'<title id="chart-title">{escape(title)}</title>',
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
