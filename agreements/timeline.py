"""The timeline: a decade at a time (or one year), with a chart drawn from aggregates.

What the chart counts, and the rules that keep it the same in every view:

- A milestone is counted once, in the band of its *primary* sector: the first of its
  top-level sectors in the sectors' stored order (`order`, then name). The rule does not
  look at the view, so 2020's Digital count is the same in the full timeline, in a range
  and on 2020's own page.
- Each top-level sector has one style everywhere (ijtech.charts.palette over every
  top-level sector in stored order), whatever is shown.
- Context events (MilestoneKind.CONTEXT: figures, policy changes, a stand-off) are not
  cooperation: they have a row of their own, and ?context=hide leaves them out.
- Agreements have a row of their own too, and are listed among the year's milestones.
- Records dated "about" a year are hatched, never drawn as a sector's exact count; decades
  ("the 1960s") and spans ("1990-91") are drawn across the years they cover.

The page is bounded: one decade's years (or one year) with at most PER_YEAR records of
each type per year, the rest linked to the paginated lists; the chart and the decade links
come from one grouped query per type.
"""

from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.db.models import Case, Count, F, OuterRef, Subquery, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape

from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import Agreement, Milestone, MilestoneKind
from ijtech import charts, fragments
from ijtech.dates import MAX_YEAR, MIN_YEAR, DateQualifier, format_partial_date
from ijtech.filters import error_messages
from sectors.models import Sector

CHART_TITLE = "Milestones per year by sector"
# Records of each type listed under a year on a decade's page, and on a year's own page;
# the rest are a link away, in the paginated lists. The corpus's busiest year has 43.
PER_YEAR = 50
PER_YEAR_ALONE = 200
# Rows of spans drawn under the bars; any more are in the table.
SPAN_LANES = 8
# The filters agreements share with milestones; `kind` and `agreement` are milestones' own.
SHARED = ["q", "sector", "tag", "disputed", "year", "year_from", "year_to", "actor", "country"]
MILESTONE_ONLY = ["kind", "agreement"]

# Within a year: dated records by date, then those known only to the year, then "about".
IN_YEAR = [
    F("year").asc(),
    F("month").asc(nulls_last=True),
    F("day").asc(nulls_last=True),
    F("date_qualifier").desc(),  # exact, decade, circa: "about 2020" last
    F("title").asc(),
]
IN_YEAR_NEWEST = [
    F("year").desc(),
    F("month").desc(nulls_first=True),
    F("day").desc(nulls_first=True),
    F("date_qualifier").asc(),
    F("title").asc(),
]
SPREAD = {DateQualifier.DECADE, DateQualifier.SPAN}


class TimelineForm(forms.Form):
    decade = forms.IntegerField(
        label="Decade",
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": "Enter the first year of a decade, e.g. 2010."},
    )
    context = forms.ChoiceField(
        label="Context events",
        required=False,
        choices=[("", "Shown apart"), ("hide", "Hidden")],
        error_messages={"invalid_choice": "Choose “hide”, or leave it out to show them apart."},
    )

    def clean_decade(self):
        decade = self.cleaned_data["decade"]
        if decade is not None and decade % 10:
            raise forms.ValidationError(
                f"A decade starts on a year ending in 0, such as {decade // 10 * 10}."
            )
        return decade


def primary_sector(through, owner: str) -> Subquery:
    """The pk of a record's primary sector: the first of its top-level sectors by stored
    order. Correlated on the m2m table's unique (owner, sector) index."""
    links = through.objects.filter(**{owner: OuterRef("pk")})
    return Subquery(
        links.annotate(top=Coalesce("sector__parent_id", "sector_id"))
        .order_by(
            Coalesce("sector__parent__order", "sector__order"),
            Coalesce("sector__parent__name", "sector__name"),
            "top",
        )
        .values("top")[:1]
    )


def milestone_band():
    return primary_sector(Milestone.sectors.through, "milestone")


IS_CONTEXT = Case(When(kind=MilestoneKind.CONTEXT, then=Value(True)), default=Value(False))


@dataclass
class Band:
    pk: int | None
    name: str
    style: charts.Style


@dataclass
class Aggregates:
    """Counts from the grouped queries: everything the chart, its table, its CSV and the
    decade links need, for the whole filtered set."""

    dated: Counter = field(default_factory=Counter)  # (year, band pk) -> cooperation, exact
    about: Counter = field(default_factory=Counter)  # (year, band pk) -> cooperation, "about"
    context: Counter = field(default_factory=Counter)  # (year, approximate?) -> context events
    agreements: Counter = field(default_factory=Counter)  # (year, approximate?) -> agreements
    spans: Counter = field(default_factory=Counter)  # (start, end, what) -> n
    milestones_from: Counter = field(default_factory=Counter)  # start year -> milestones
    agreements_from: Counter = field(default_factory=Counter)  # start year -> agreements

    def add_milestones(self, rows):
        for year, year_end, qualifier, context, band, n in rows:
            self.milestones_from[year] += n
            what = "context" if context else "milestone"
            if qualifier in SPREAD:
                end = year + 9 if qualifier == DateQualifier.DECADE else year_end
                self.spans[(year, end, qualifier, what)] += n
            elif context:
                self.context[(year, qualifier == DateQualifier.CIRCA)] += n
            elif qualifier == DateQualifier.CIRCA:
                self.about[(year, band)] += n
            else:
                self.dated[(year, band)] += n

    def add_agreements(self, rows):
        for year, year_end, qualifier, n in rows:
            self.agreements_from[year] += n
            if qualifier in SPREAD:
                end = year + 9 if qualifier == DateQualifier.DECADE else year_end
                self.spans[(year, end, qualifier, "agreement")] += n
            else:
                self.agreements[(year, qualifier == DateQualifier.CIRCA)] += n

    @property
    def first(self):
        return min([*self.milestones_from, *self.agreements_from], default=None)

    @property
    def last(self):
        # A span's last year is a date; a decade's is not ("the 2020s" says nothing of 2029).
        ends = [end for _, end, qualifier, _ in self.spans if qualifier == DateQualifier.SPAN]
        return max([*self.milestones_from, *self.agreements_from, *ends], default=None)

    def decades(self) -> list[tuple[int, int, int]]:
        """(decade, milestones, agreements) for each decade a record starts in."""
        m, a = Counter(), Counter()
        for year, n in self.milestones_from.items():
            m[year // 10 * 10] += n
        for year, n in self.agreements_from.items():
            a[year // 10 * 10] += n
        return [(d, m[d], a[d]) for d in sorted(set(m) | set(a))]

    def bar(self, year) -> int:
        """The height of a year's bar: cooperation milestones dated to it, exactly or about."""
        return sum(n for (y, _), n in self.dated.items() if y == year) + sum(
            n for (y, _), n in self.about.items() if y == year
        )


def span_label(start, end, qualifier) -> str:
    if qualifier == DateQualifier.DECADE:
        return format_partial_date(start, qualifier=DateQualifier.DECADE)
    return format_partial_date(start, qualifier=DateQualifier.SPAN, year_end=end)


SPAN_WHAT = {
    "milestone": ("milestone", "milestones"),
    "context": ("context event", "context events"),
    "agreement": ("agreement", "agreements"),
}


def plural(n, what) -> str:
    one, many = SPAN_WHAT[what]
    return f"{n} {one if n == 1 else many}"


@dataclass
class TimelineChart:
    years: list[int]
    bands: list[Band]  # those with a count in `years`, in stored order
    agg: Aggregates
    context_shown: bool
    agreements_shown: bool
    svg: str = ""
    overview: str = ""

    def count(self, year, band) -> int:
        return self.agg.dated.get((year, band.pk), 0)

    def about(self, year) -> int:
        return sum(n for (y, _), n in self.agg.about.items() if y == year)

    def context(self, year) -> int:
        return self.agg.context.get((year, False), 0) + self.agg.context.get((year, True), 0)

    def agreements(self, year) -> int:
        return self.agg.agreements.get((year, False), 0) + self.agg.agreements.get((year, True), 0)

    @property
    def rows(self):
        """The table: (year, [dated count per band], about, bar total, context, agreements)."""
        return [
            (
                year,
                [self.count(year, band) for band in self.bands],
                self.about(year),
                self.agg.bar(year),
                self.context(year),
                self.agreements(year),
            )
            for year in self.years
        ]

    @property
    def spans(self):
        """(label, start, end, what, n) of the spans that overlap the chart's years."""
        first, last = self.years[0], self.years[-1]
        return [
            (span_label(start, end, qualifier), start, end, what, n)
            for (start, end, qualifier, what), n in sorted(self.agg.spans.items())
            if start <= last and end >= first
        ]


# --- Drawing ------------------------------------------------------------------------------

PLOT_TOP, PLOT_H = 20, 150
ROW_H = 34
LANE_H = 28
ACCENT = "#0b5394"


def draw(chart: TimelineChart) -> str:
    scale = charts.Scale(chart.years)
    peak = max([chart.agg.bar(y) for y in chart.years] + [1])
    bar_w = scale.step * 0.72
    parts = []
    base = PLOT_TOP + PLOT_H
    parts.append(f'<line x1="0" x2="100%" y1="{base}" y2="{base}" class="axis"/>')
    for year in chart.years:
        x = scale.x(year) + (scale.step - bar_w) / 2
        y = base
        for band in chart.bands:
            n = chart.count(year, band)
            if n:
                h = n / peak * PLOT_H
                y -= h
                parts.append(
                    f'<rect x="{charts.pct(x)}" y="{y:.1f}" width="{charts.pct(bar_w)}" '
                    f'height="{h:.1f}" fill="{band.style.fill}" class="segment">'
                    f"<title>{year}: {n} in {escape(band.name)}</title></rect>"
                )
        about = chart.about(year)
        if about:
            h = about / peak * PLOT_H
            y -= h
            parts.append(
                f'<rect x="{charts.pct(x)}" y="{y:.1f}" width="{charts.pct(bar_w)}" '
                f'height="{h:.1f}" fill="url(#fill-uncertain)" class="segment uncertain">'
                f"<title>{year}: {about} dated about {year}</title></rect>"
            )
        total = chart.agg.bar(year)
        if total:
            parts.append(
                f'<text x="{charts.pct(scale.centre(year))}" y="{y - 4:.1f}" '
                f'text-anchor="middle" class="value">{total}</text>'
            )
    labelled = set(scale.labelled())
    for year in chart.years:
        if year in labelled:
            parts.append(
                f'<text x="{charts.pct(scale.centre(year))}" y="{base + 16}" '
                f'text-anchor="middle" class="tick">{year}</text>'
            )
    y = base + 24
    rows = []
    if chart.agreements_shown:
        rows.append(("Agreements (◆)", "agreement", chart.agreements))
    if chart.context_shown:
        rows.append(("Context events, not cooperation", "context", chart.context))
    for label, what, count in rows:
        parts.append(f'<text x="0" y="{y + 12}" class="row-label">{label}</text>')
        for year in chart.years:
            n = count(year)
            if n:
                parts.append(
                    f'<text x="{charts.pct(scale.centre(year))}" y="{y + 28}" '
                    f'text-anchor="middle" class="marker {what}">{n}'
                    f"<title>{year}: {plural(n, what)}</title></text>"
                )
        y += ROW_H
    spans = chart.spans
    if spans:
        parts.append(
            f'<text x="0" y="{y + 12}" class="row-label">Decades and spans of years</text>'
        )
        y += 16
        # One span a row, so that labels never run into each other at any width; the
        # largest when there are more than SPAN_LANES, the rest are in the table.
        drawn = sorted(spans, key=lambda span: -span[4])[:SPAN_LANES]
        drawn.sort(key=lambda span: (span[1], span[2], span[3]))
        left_out = len(spans) - len(drawn)
        for lane, (label, start, end, what, n) in enumerate(drawn):
            x, w = scale.clip(start, end)
            top = y + lane * LANE_H
            right = x + w / 2 > 50
            parts.append(
                f'<rect x="{charts.pct(x)}" y="{top + 16}" width="{charts.pct(w)}" height="9" '
                f'fill="url(#fill-span-{what})" class="span {what}" rx="2">'
                f"<title>{escape(label)}: {plural(n, what)}</title></rect>"
                f'<text x="{charts.pct(x + w if right else x)}" y="{top + 12}" '
                f'text-anchor="{"end" if right else "start"}" class="span-label">'
                f"{escape(label)}: {plural(n, what)}</text>"
            )
        y += len(drawn) * LANE_H
        if left_out:
            parts.append(
                f'<text x="0" y="{y + 10}" class="row-label">and {left_out} more '
                f"span{'s' if left_out != 1 else ''}, in the table</text>"
            )
            y += 16
    styles = {band.style for band in chart.bands}
    defs = "".join(style.pattern_def() for style in styles) + charts.UNCERTAIN_PATTERN
    for what, colour in (("milestone", "#4a5260"), ("context", "#6b6b6b"), ("agreement", ACCENT)):
        defs += (
            f'<pattern id="fill-span-{what}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/><path d="M-1,1 l2,-2 M0,6 l6,-6 '
            f'M5,7 l2,-2" stroke="#fff" stroke-width="1.2"/></pattern>'
        )
    first, last = chart.years[0], chart.years[-1]
    when = str(first) if first == last else f"{first} to {last}"
    desc = (
        f"Stacked bars, one per year from {when}: milestones of cooperation by primary "
        "sector, hatched where dated only about the year"
        + ("; a row of agreements" if chart.agreements_shown else "")
        + ("; a row of context events" if chart.context_shown else "")
        + "; decades and spans drawn across their years. The tables below give the numbers."
    )
    return (
        charts.svg_open(y + 4, f"{CHART_TITLE}, {when}", desc, "timeline-chart", defs)
        + "".join(parts)
        + "</svg>"
    )


def draw_overview(agg: Aggregates, shown: list[int]) -> str:
    """Every year of the filtered records, small, with the years on show outlined.

    A picture of the decade links under it, which carry the same counts: hidden from
    screen readers."""
    first, last = agg.first, agg.last
    years = list(range(first // 10 * 10, last + 1))
    scale = charts.Scale(years)
    totals = Counter()
    for year, n in agg.milestones_from.items():
        totals[year] += n
    for year, n in agg.agreements_from.items():
        totals[year] += n
    for (start, _, _, _), n in agg.spans.items():
        totals[start] -= n  # drawn as spans in the main chart, not as a year's bar here
    peak = max([*totals.values(), 1])
    height = 40
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="62" aria-hidden="true" '
        'focusable="false" class="chart overview">'
    ]
    x, w = scale.clip(shown[0], shown[-1])
    parts.append(
        f'<rect x="{charts.pct(x)}" y="0" width="{charts.pct(w)}" height="{height + 2}" '
        'class="window"/>'
    )
    for year in years:
        n = totals.get(year, 0)
        if n > 0:
            h = max(n / peak * height, 1)
            parts.append(
                f'<rect x="{charts.pct(scale.x(year))}" y="{height - h:.1f}" '
                f'width="{charts.pct(scale.step * 0.8)}" height="{h:.1f}" class="tick-bar"/>'
            )
    every = 10 if len(years) <= 100 else 20
    for year in years:
        if year % every == 0:
            parts.append(
                f'<text x="{charts.pct(scale.x(year))}" y="{height + 16}" class="tick">'
                f"{year}s</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


# --- The view -----------------------------------------------------------------------------


@dataclass
class Timeline:
    """What the page and its CSV are made of, or the errors that make them a 400."""

    errors: list[str]
    filterset: MilestoneFilter
    form: TimelineForm | None = None
    milestones: object = None
    agreements: object = None
    agg: Aggregates | None = None
    bands: dict = field(default_factory=dict)
    context_shown: bool = True
    agreements_shown: bool = True


def build(request) -> Timeline:
    filterset = MilestoneFilter(request.GET, queryset=Milestone.objects.published().with_disputed())
    form = TimelineForm(request.GET)
    timeline = Timeline([], filterset, form)
    if not filterset.is_valid():
        timeline.errors += error_messages(filterset)
    if not form.is_valid():
        timeline.errors += [
            f"{form.fields[name].label}: {error}"
            for name, errors in form.errors.items()
            for error in errors
        ]
    if timeline.errors:
        return timeline
    milestones = filterset.qs
    timeline.context_shown = form.cleaned_data["context"] != "hide"
    if not timeline.context_shown:
        milestones = milestones.exclude(kind=MilestoneKind.CONTEXT)
    timeline.milestones = milestones
    # Agreements follow the filters they share with milestones; a milestone kind or an
    # agreement asks for milestones only.
    timeline.agreements_shown = not any(request.GET.get(name) for name in MILESTONE_ONLY)
    if timeline.agreements_shown:
        data = QueryDict(mutable=True)
        for name in SHARED:
            data.setlist(name, request.GET.getlist(name))
        agreements = AgreementFilter(data, queryset=Agreement.objects.published().with_disputed())
        timeline.agreements = agreements.qs
    # 1 every top-level sector in stored order, for the bands and their fixed styles.
    tops = Sector.objects.filter(parent=None).order_by("order", "name", "pk")
    tops = list(tops.values_list("pk", "name"))
    styles = charts.palette([pk for pk, _ in tops])
    timeline.bands = {pk: Band(pk, name, styles[pk]) for pk, name in tops}
    timeline.bands[None] = Band(None, "No sector", charts.OTHER)
    # The counts depend on the filters alone (not on the decade shown, the order or the
    # page), and last until the next public change (ijtech/fragments.py).
    filters = sorted((k, v) for k, v in request.GET.lists() if k not in NOT_FILTERS)
    agg = fragments.cached(("timeline-aggregates", filters), lambda: aggregate(timeline))
    timeline.agg = agg
    return timeline


# The timeline's parameters that choose what is shown of the filtered set, not the set.
NOT_FILTERS = {"decade", "sort", "page"}


def aggregate(timeline: Timeline) -> Aggregates:
    agg = Aggregates()
    # 2 milestones grouped by date and primary sector: one row per (year, end, qualifier,
    # context?, band). WHERE editorial_status = 'published' uses agreements_ms_status_year;
    # the band's subquery the unique (milestone_id, sector_id) index of the m2m table.
    agg.add_milestones(
        timeline.milestones.order_by()
        .annotate(band=milestone_band(), context=IS_CONTEXT)
        .values_list("year", "year_end", "date_qualifier", "context", "band")
        .annotate(n=Count("pk"))
    )
    if timeline.agreements_shown:
        # 3 agreements grouped by date, from agreements_status_year.
        agg.add_agreements(
            timeline.agreements.order_by()
            .values_list("year", "year_end", "date_qualifier")
            .annotate(n=Count("pk"))
        )
    return agg


def listed(queryset, first, last, newest_first, alone):
    """The records of the years first..last, at most PER_YEAR of each year (one query).

    The rows are chosen by a window over the bare filtered rows, and only those chosen
    get the page's annotations (primary sector, disputed): not every row of the decade."""
    order = IN_YEAR_NEWEST if newest_first else IN_YEAR
    # Chosen out of every row of the decade: kept until the next public change
    # (ijtech/fragments.py).
    if alone:
        return fragments.rows(queryset.order_by(*order)[:PER_YEAR_ALONE])
    place = Window(RowNumber(), partition_by=[F("year")], order_by=order)
    chosen = (
        queryset.model.objects.filter(pk__in=queryset.order_by().values("pk"))
        .filter(year__gte=first, year__lte=last)
        .annotate(place=place)
        .filter(place__lte=PER_YEAR)
        .values("pk")
    )
    return fragments.rows(queryset.filter(pk__in=chosen).order_by(*order))


def query_without(request, *names, **extra) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    for name, value in extra.items():
        params[name] = value
    return params.urlencode()


def timeline(request):
    """A decade of milestones and agreements year by year (or one year), with its chart."""
    data = build(request)
    context = {
        "filterset": data.filterset,
        "form_params": ["year", "year_from", "year_to", "decade"],
        "errors": data.errors,
        "years": [],
        "chart": None,
        # The timeline is a section of the menu of its own, not part of "milestones".
        "nav_section": "timeline",
    }
    if data.errors:
        return render(request, "agreements/timeline.html", context, status=400)
    agg = data.agg
    cleaned = data.filterset.form.cleaned_data
    chosen_year = cleaned.get("year")
    newest_first = cleaned.get("sort") == "-date"
    decades = agg.decades()
    context.update(context_shown=data.context_shown, agreements_shown=data.agreements_shown)
    context["context_toggle"] = (
        query_without(request, "context")
        if not data.context_shown
        else query_without(request, "context", context="hide")
    )
    if agg.first is None:
        return render(request, "agreements/timeline.html", context)
    # The decade on show: the one asked for, else the latest with records.
    decade = data.form.cleaned_data["decade"]
    if chosen_year:
        decade = chosen_year // 10 * 10
    elif decade is None:
        decade = decades[-1][0]
    context["decade"] = decade
    context["decades"] = [
        (d, m, a, query_without(request, "year", "decade", decade=str(d))) for d, m, a in decades
    ]
    if chosen_year:
        first = last = chosen_year
    else:
        first = max(decade, cleaned.get("year_from") or decade)
        last = min(decade + 9, cleaned.get("year_to") or agg.last or decade)
        last = max(first, last)
    years_shown = list(range(first, last + 1))
    bands_in_view = {band for (year, band), n in agg.dated.items() if first <= year <= last and n}
    bands = [band for pk, band in data.bands.items() if pk in bands_in_view and pk is not None]
    if None in bands_in_view:
        bands.append(data.bands[None])
    chart = TimelineChart(years_shown, bands, agg, data.context_shown, data.agreements_shown)
    chart.svg = draw(chart)
    chart.overview = draw_overview(agg, years_shown)
    context["chart"] = chart
    context["legend"] = [(band, charts.swatch(band.style)) for band in bands]
    context["uncertain_swatch"] = charts.uncertain_swatch()
    context["csv_query"] = request.GET.urlencode()

    # 4 the milestones listed, 5 the agreements listed: at most PER_YEAR a year each.
    alone = chosen_year is not None
    milestones = listed(
        data.milestones.annotate(band=milestone_band()), first, last, newest_first, alone
    )
    agreements = (
        listed(data.agreements, first, last, newest_first, alone) if data.agreements_shown else []
    )
    sections: dict[int, dict] = {}
    for year in reversed(years_shown) if newest_first else years_shown:
        sections[year] = {"records": [], "context": [], "more": []}
    for record in agreements:
        record.entry = "agreement"
        sections.setdefault(chosen_year or record.year, {"records": [], "context": [], "more": []})
        sections[chosen_year or record.year]["records"].append(record)
    for record in milestones:
        record.entry = "milestone"
        record.band_info = data.bands.get(record.band)
        record.band_swatch = charts.swatch(record.band_info.style, 10)
        where = "context" if record.kind == MilestoneKind.CONTEXT else "records"
        section = sections.setdefault(
            chosen_year or record.year, {"records": [], "context": [], "more": []}
        )
        section[where].append(record)

    def in_year(record):
        return (record.year, record.month or 13, record.day or 32, record.title)

    for year, section in sections.items():
        section["records"].sort(key=in_year, reverse=newest_first)
        shown_a = sum(1 for r in section["records"] if r.entry == "agreement")
        shown_m = len(section["records"]) - shown_a + len(section["context"])
        total_m = sum(agg.milestones_from.values()) if alone else agg.milestones_from[year]
        total_a = sum(agg.agreements_from.values()) if alone else agg.agreements_from[year]
        section["count"] = len(section["records"]) + len(section["context"])
        section["link"] = query_without(
            request, "decade", "year_from", "year_to", "page", year=str(year)
        )
        params = query_without(request, "decade", "context", "sort", year=str(year))
        if total_m > shown_m:
            section["more"].append(
                (
                    f"{total_m - shown_m} more milestones of {year}",
                    reverse("milestones:list") + "?" + params,
                )
            )
        if data.agreements_shown and total_a > shown_a:
            section["more"].append(
                (
                    f"{total_a - shown_a} more agreements of {year}",
                    reverse("agreements:list") + "?" + params,
                )
            )
    context["years"] = [(y, s) for y, s in sections.items() if s["records"] or s["context"]]
    context["total"] = (
        sum(agg.milestones_from[y] for y in years_shown)
        if not alone
        else sum(agg.milestones_from.values())
    )
    context["total_agreements"] = (
        sum(agg.agreements_from[y] for y in years_shown)
        if not alone
        else sum(agg.agreements_from.values())
    )
    return render(request, "agreements/timeline.html", context)


def chart_csv(request):
    """The chart's numbers for every year of the filtered records, as CSV."""
    data = build(request)
    if data.errors:
        lines = ["The filters are not valid:", *data.errors]
        return HttpResponse(
            "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8", status=400
        )
    table = charts.Table(
        CHART_TITLE,
        ["record", "from_year", "to_year", "date", "sector", "count"],
    )
    agg = data.agg
    rows = []
    for (year, band), n in agg.dated.items():
        rows.append(("milestone", year, year, "dated", data.bands[band].name, n))
    for (year, band), n in agg.about.items():
        rows.append(("milestone", year, year, "about", data.bands[band].name, n))
    for (year, approximate), n in agg.context.items():
        rows.append(("context event", year, year, "about" if approximate else "dated", "", n))
    for (year, approximate), n in agg.agreements.items():
        rows.append(("agreement", year, year, "about" if approximate else "dated", "", n))
    for (start, end, qualifier, what), n in agg.spans.items():
        rows.append((SPAN_WHAT[what][0], start, end, str(qualifier), "", n))
    table.rows = sorted(rows, key=lambda r: (r[1], r[2], r[0], r[3], r[4]))
    return charts.csv_response(table, "timeline-chart.csv")
