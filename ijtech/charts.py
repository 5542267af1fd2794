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


# ---------------------------------------------------------------------------------------------
# Records per year by a choice field (agreements by kind, by status), approximate dates apart

# One colour per choice, in the order the choices are declared, so a kind keeps its colour
# on every page and in every filtered view. Each passes WCAG's 3:1 non-text contrast on white
# (tests/test_charts.py); bands are separated by a white line.
CHOICE_PALETTE = [
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#6a4c93",
    "#8e6c00",
    "#332288",
    "#882255",
    "#5d6d7e",
    "#117733",
    "#a0522d",
]


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass
class YearChart:
    """Records per year, one band per choice; `approximate` counts those dated only to a
    decade, "about" a year or a span (drawn hatched at their first year)."""

    field: str
    title: str
    years: list[int]
    series: list[Series]
    approximate: dict[str, dict[int, int]]
    totals: dict[int, int]
    svg: str

    @property
    def rows(self):
        """Table rows for the years with records: (year, [count per series], approximate,
        total)."""
        return [
            (
                year,
                [s.counts.get(year, 0) for s in self.series],
                sum(a.get(year, 0) for a in self.approximate.values()),
                self.totals[year],
            )
            for year in self.years
            if self.totals.get(year)
        ]

    def csv_rows(self):
        for s in self.series:
            for year in sorted(s.counts):
                yield {
                    "year": year,
                    "by": self.field,
                    "value": s.slug,
                    "label": s.name,
                    "records": s.counts[year],
                    "approximate": self.approximate.get(s.slug, {}).get(year, 0),
                }


APPROXIMATE_QUALIFIERS = {"circa", "decade", "span"}  # ijtech.dates.DateQualifier values


def per_year_by_choice(queryset, field: str, title: str, id_prefix: str) -> YearChart | None:
    """`queryset`'s records per year by the choice `field` (one query), or None if empty."""
    from django.db.models import Count

    model = queryset.model
    choices = model._meta.get_field(field).choices
    # One grouped query over the filtered records (a subquery keeps a filter's joins from
    # counting a record twice): GROUP BY year, <field>, date_qualifier. Its
    # WHERE editorial_status = 'published' ... year is served by the (editorial_status, year)
    # index each dated model declares.
    rows = (
        model.objects.filter(pk__in=queryset.order_by().values("pk"))
        .order_by()
        .values_list("year", field, "date_qualifier")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, dict[int, int]] = {}
    approximate: dict[str, dict[int, int]] = {}
    for year, value, qualifier, n in rows:
        band = counts.setdefault(value, {})
        band[year] = band.get(year, 0) + n
        if qualifier in APPROXIMATE_QUALIFIERS:
            rough = approximate.setdefault(value, {})
            rough[year] = rough.get(year, 0) + n
    if not counts:
        return None
    series = [
        Series(value, label, CHOICE_PALETTE[i % len(CHOICE_PALETTE)], counts[value])
        for i, (value, label) in enumerate(choices)
        if value in counts
    ]
    totals: dict[int, int] = {}
    for s in series:
        for year, n in s.counts.items():
            totals[year] = totals.get(year, 0) + n
    years = list(range(min(totals), max(totals) + 1))
    svg = draw_year_bands(years, series, approximate, title, id_prefix)
    return YearChart(field, title, years, series, approximate, totals, svg)


def draw_year_bands(years, series, approximate, title: str, id_prefix: str) -> str:
    """Stacked bars per year; the approximate part of each band hatched in its colour."""
    width, height = 760, 220
    left, right, top, bottom = 34, 8, 8, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    stacks = {y: sum(s.counts.get(y, 0) for s in series) for y in years}
    peak = max(max(stacks.values()), 1)
    step = plot_w / len(years)
    bar = max(step * 0.8, 1)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="chart year-bands">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">Stacked bars, one per year from {years[0]} to {years[-1]}, one '
        "band per "
        + escape(", ".join(s.name for s in series))
        + "; hatched: dated only to a decade or approximately. The table below gives the same "
        "numbers.</desc>",
        "<defs>",
        *(
            f'<pattern id="{id_prefix}-hatch-{i}" width="6" height="6" '
            'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="#ffffff"/>'
            f'<rect width="3" height="6" fill="{s.colour}"/></pattern>'
            for i, s in enumerate(series)
        ),
        "</defs>",
    ]
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - tick / peak * plot_h
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>'
        )
    # A label every 5 or 10 years, on round years, so the axis reads as decades.
    label_every = 5 if len(years) <= 40 else 10
    for i, year in enumerate(years):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for k, s in enumerate(series):
            n = s.counts.get(year, 0)
            if not n:
                continue
            rough = approximate.get(s.slug, {}).get(year, 0)
            for part, fill, note in (
                (n - rough, s.colour, ""),
                (rough, f"url(#{id_prefix}-hatch-{k})", ", dated approximately"),
            ):
                if not part:
                    continue
                h = part / peak * plot_h
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{fill}" stroke="#ffffff" stroke-width="0.75">'
                    f"<title>{year}: {part} {escape(s.name)}{note}</title></rect>"
                )
        if year % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'class="tick">{year}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
