"""Server-drawn SVG charts, each with the same numbers as a table and as CSV.

The primitives here are shared by every chart of the site:

- `palette(keys)`: a fixed style (colour and fill pattern) per key, from the key's place in
  a stored order (e.g. every top-level sector by its `order`), never from its rank in the
  view, so a sector looks the same on every page and in every range.
- `Scale`: years across the width in per cent, so the SVG stretches to any width while its
  text keeps its size in pixels (no viewBox: at 390 px the labels stay readable).
- `Table` and `csv_response`: the numbers behind a chart, for the `<table>` under it and
  for the CSV it links to.
"""

import csv
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.html import escape

# Distinguishable with the common forms of colour blindness (after Okabe and Ito, and
# Tol's dark colours), each at least 3:1 against white, the page background (WCAG 1.4.11).
# tests/test_charts.py checks both: contrast, and distance between every pair as seen
# with deuteranopia, protanopia and tritanopia.
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#332288", "#882255"]
# When the colours run out, the next keys get the colours again with a pattern of white
# marks; 6 colours x 4 fills is 24 styles, enough for every top-level sector.
PATTERNS = ["solid", "stripes", "dots", "grid"]
BACKGROUND = "#ffffff"
# The band of records with no key (no sector): a neutral grey, 4.5:1 against white, dotted
# so that it is told apart from the colours by its pattern as well.
OTHER_COLOUR = "#767676"
# Records dated only approximately ("about 2020"): hatched in ink on white, never a
# sector's colour, so that uncertainty does not pass for a sector.
UNCERTAIN_COLOUR = "#4a5260"


@dataclass(frozen=True)
class Style:
    colour: str
    pattern: str = "solid"

    @property
    def pattern_id(self) -> str:
        return f"fill-{self.pattern}-{self.colour.lstrip('#')}"

    @property
    def fill(self) -> str:
        return self.colour if self.pattern == "solid" else f"url(#{self.pattern_id})"

    def pattern_def(self) -> str:
        """The SVG <pattern> of this style: white marks on its colour ('' when solid)."""
        marks = {
            "stripes": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#fff" '
            'stroke-width="1.6"/>',
            "dots": '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
            "grid": '<path d="M0,3 h6 M3,0 v6" stroke="#fff" stroke-width="1.2"/>',
        }.get(self.pattern)
        if marks is None:
            return ""
        return (
            f'<pattern id="{self.pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{self.colour}"/>{marks}</pattern>'
        )


OTHER = Style(OTHER_COLOUR, "dots")


def style_at(index: int) -> Style:
    """The style of the key at `index` in its stored order: colours first, then patterns."""
    colour = PALETTE[index % len(PALETTE)]
    pattern = PATTERNS[index // len(PALETTE) % len(PATTERNS)]
    return Style(colour, pattern)


def palette(keys) -> dict:
    """A style per key, from its place in `keys`: pass every key in its stored order
    (not only those in view), so that each keeps its style whatever is shown."""
    return {key: style_at(i) for i, key in enumerate(keys)}


UNCERTAIN_PATTERN = (
    '<pattern id="fill-uncertain" width="6" height="6" patternUnits="userSpaceOnUse">'
    f'<rect width="6" height="6" fill="#fff"/><path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" '
    f'stroke="{UNCERTAIN_COLOUR}" stroke-width="1.4"/></pattern>'
)


def swatch(style: Style, size: int = 14) -> str:
    """A legend's square in a style, hidden from screen readers (the text names it)."""
    return (
        f'<svg class="swatch" width="{size}" height="{size}" aria-hidden="true" '
        f'focusable="false"><defs>{style.pattern_def()}</defs>'
        f'<rect width="{size}" height="{size}" fill="{style.fill}"/></svg>'
    )


def uncertain_swatch(size: int = 14) -> str:
    return (
        f'<svg class="swatch" width="{size}" height="{size}" aria-hidden="true" '
        f'focusable="false"><defs>{UNCERTAIN_PATTERN}</defs><rect width="{size}" '
        f'height="{size}" fill="url(#fill-uncertain)" stroke="{UNCERTAIN_COLOUR}"/></svg>'
    )


# --- Contrast (WCAG 2.x relative luminance) ---------------------------------------------


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str = BACKGROUND) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- Axis ---------------------------------------------------------------------------------


@dataclass
class Scale:
    """Years across the width, in per cent of it: column i spans [x(i), x(i) + step]."""

    years: list[int]

    @property
    def step(self) -> float:
        return 100 / max(len(self.years), 1)

    def x(self, year: int) -> float:
        return (year - self.years[0]) * self.step

    def centre(self, year: int) -> float:
        return self.x(year) + self.step / 2

    def clip(self, start: int, end: int) -> tuple[float, float] | None:
        """The per-cent extent of the years start..end within the scale, or None."""
        first, last = max(start, self.years[0]), min(end, self.years[-1])
        if first > last:
            return None
        return self.x(first), (last - first + 1) * self.step

    def labelled(self, every: int | None = None) -> list[int]:
        """The years that get a label: all of a short range, round years of a long one."""
        if every is None:
            span = len(self.years)
            every = 1 if span <= 12 else 5 if span <= 40 else 10
        return [y for y in self.years if y % every == 0]


def pct(value: float) -> str:
    return f"{value:.2f}%"


# --- Numbers ------------------------------------------------------------------------------


@dataclass
class Table:
    """The numbers of a chart: a header and rows, for its <table> and its CSV."""

    caption: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


def csv_response(table: Table, filename: str) -> HttpResponse:
    """A chart's numbers as a CSV download: the table's header, then its rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def svg_open(height: int, title: str, desc: str, ident: str, defs: str = "") -> str:
    """An SVG that fills the width, `height` px tall, named for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="chart" id="{ident}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc><defs>{defs}</defs>'
    )


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


@dataclass
class Series:
    """One band of a stacked bar chart: its count per year."""

    slug: str
    name: str
    colour: str
    counts: dict[int, int]


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
