"""The timeline: a decade at a time, with its chart, its table and its CSV."""

import csv
import io
import math
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from agreements import timeline as timeline_module
from ijtech import charts
from tests.factories import add_agreement, add_milestone, add_sector, assert_bad_request, times

pytestmark = pytest.mark.django_db

TIMELINE = "/milestones/timeline/"
CHART_CSV = "/milestones/timeline/chart.csv"


def test_the_timeline_form_keeps_what_is_not_a_year(client, db):
    html = client.get(TIMELINE, {"sector": "x", "year": "2020"}).content.decode()
    assert '<input type="hidden" name="sector" value="x">' in html
    assert 'type="hidden" name="year"' not in html


def chart_numbers(html):
    """{(year, band): n} from the SVG's bars and from the table under it."""
    svg = {
        (int(year), name): int(n)
        for year, n, name in re.findall(r"<title>(\d{4}): (\d+) in ([^<]+)</title>", html)
    }
    head = re.search(r"<thead><tr><th scope=\"col\">Year</th>(.*?)</tr></thead>", html).group(1)
    bands = re.findall(r'<th scope="col">([^<]+)</th>', head)[:-4]
    table = {}
    for year, cells in re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', html):
        counts = [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]
        for name, n in zip(bands, counts[: len(bands)], strict=True):
            if n:
                table[(int(year), name)] = n
    return svg, table


def fills(html):
    """{band name: its fill} from the bars of the SVG."""
    return dict(
        (name, fill)
        for fill, name in re.findall(
            r'fill="([^"]+)" class="segment"><title>\d{4}: \d+ in ([^<]+)</title>', html
        )
    )


def listed(response):
    return [
        (year, [r.slug for r in section["records"]], [r.slug for r in section["context"]])
        for year, section in response.context["years"]
    ]


class TestPages:
    def test_it_shows_the_latest_decade_with_links_to_every_decade(self, client, milestone_world):
        response = client.get(TIMELINE)
        assert response.status_code == 200
        # The 2020s by default; the agreement of 2018 is on the 2010s' page.
        assert listed(response) == [
            (2020, ["space-signing", "digital-launch"], []),
            (2022, ["hydrogen-pledge"], []),
        ]
        decades = [(d, m, a) for d, m, a, _ in response.context["decades"]]
        assert decades == [(1960, 1, 0), (2010, 1, 1), (2020, 3, 0)]
        html = response.content.decode()
        assert '<a href="?decade=1960">1960s</a>' in html
        assert '<a href="?decade=2020" aria-current="page">2020s</a>' in html
        assert "The 2020s: 3 milestones and 0 agreements in 2 years." in html
        assert "Secret Summit" not in html and "Review Pledge" not in html

    def test_agreements_are_listed_among_the_milestones_and_marked(self, client, milestone_world):
        response = client.get(TIMELINE, {"decade": "2010"})
        assert listed(response) == [(2018, ["space-mou", "tokyo-summit"], [])]
        html = response.content.decode()
        assert '<li class="event agreement kind-mou">' in html
        assert "Agreement: Memorandum of understanding" in html
        # And in the chart, in a row of their own: not in a sector's bar.
        assert "<title>2018: 1 agreement</title>" in html
        assert "Secret Deal" not in html

    def test_a_milestone_only_filter_leaves_agreements_out(self, client, milestone_world):
        response = client.get(TIMELINE, {"decade": "2010", "kind": "summit"})
        assert listed(response) == [(2018, ["tokyo-summit"], [])]
        assert not response.context["agreements_shown"]

    def test_it_shows_dates_as_precise_as_known(self, client, milestone_world):
        assert times(client.get(TIMELINE))["October 2020"] == "2020-10"

    def test_a_single_year(self, client, milestone_world):
        response = client.get(TIMELINE, {"year": "2020"})
        assert [y for y, _ in response.context["years"]] == [2020]
        assert response.context["total"] == 2
        assert response.context["chart"].years == [2020]

    def test_a_range_shows_its_years_of_the_decade(self, client, milestone_world):
        response = client.get(TIMELINE, {"year_from": "2014", "year_to": "2021"})
        # The range's latest decade, cut to the range; the others a link away.
        assert response.context["chart"].years == [2020, 2021]
        response = client.get(TIMELINE, {"year_from": "2014", "year_to": "2021", "decade": "2010"})
        assert response.context["chart"].years == list(range(2014, 2020))
        assert listed(response) == [(2018, ["space-mou", "tokyo-summit"], [])]

    def test_a_search_keeps_the_years_in_order(self, client, milestone_world):
        add_milestone("tokyo-dialogue", title="Tokyo Dialogue", year=2013)
        response = client.get(TIMELINE, {"q": "tokyo", "decade": "2010"})
        assert [y for y, _ in response.context["years"]] == [2013, 2018]

    def test_newest_first_on_request(self, client, milestone_world):
        response = client.get(TIMELINE, {"sort": "-date"})
        assert [y for y, _ in response.context["years"]] == [2022, 2020]
        assert listed(response)[1][1] == ["digital-launch", "space-signing"]

    def test_a_year_lists_a_bounded_number_and_links_to_the_rest(
        self, client, milestone_world, monkeypatch
    ):
        monkeypatch.setattr(timeline_module, "PER_YEAR", 1)
        response = client.get(TIMELINE)
        assert listed(response)[0] == (2020, ["space-signing"], [])
        assertContains(
            response,
            '<a href="/milestones/?year=2020">1 more milestones of 2020</a>, in the list',
        )

    def test_nothing_in_range_shows_the_empty_state(self, client, milestone_world):
        response = client.get(TIMELINE, {"year": "1999"})
        assert response.status_code == 200
        assertContains(response, "No milestones in these years.")
        assertNotContains(response, "<svg xmlns")

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"year": "abc"}, "Year: Enter a year as four digits, e.g. 2018."),
            (
                {"year_from": "2020", "year_to": "2010"},
                "To year: The end year (2010) is before the start year (2020); swap them.",
            ),
            ({"sector": "atlantis"}, "There is no sector “atlantis”."),
            ({"kind": "nonsense"}, "Kind: Select a valid choice."),
            ({"decade": "2015"}, "Decade: A decade starts on a year ending in 0, such as 2010."),
            ({"decade": "ten"}, "Decade: Enter the first year of a decade, e.g. 2010."),
            ({"context": "maybe"}, "Context events: Choose “hide”"),
        ],
    )
    def test_bad_input_is_a_400(self, client, milestone_world, params, message):
        response = client.get(TIMELINE, params)
        assert_bad_request(response, message)
        assertNotContains(response, "No milestones in these years.", status_code=400)

    def test_bad_input_to_the_csv_is_a_400(self, client, milestone_world):
        response = client.get(CHART_CSV, {"decade": "2015"})
        assert response.status_code == 400
        assert "Decade: A decade starts on a year ending in 0" in response.content.decode()


class TestChart:
    def test_the_chart_and_the_table_carry_the_same_numbers(self, client, milestone_world):
        html = client.get(TIMELINE).content.decode()
        svg, table = chart_numbers(html)
        assert svg == table
        # Digital first by the sectors' stored order (all 0, then by name): Clean energy,
        # Digital, Space. The "about 2022" pledge is hatched, in no sector's count.
        assert svg == {(2020, "Space"): 1, (2020, "Digital"): 1}
        assert "<title>2022: 1 dated about 2022</title>" in html
        # Every year of the decade up to the last record has a column.
        assert client.get(TIMELINE).context["chart"].years == [2020, 2021, 2022]

    def test_a_milestone_is_in_its_primary_sector_whatever_the_filter(
        self, client, milestone_world
    ):
        # The summit is in space and digital: digital comes first in the stored order, so
        # it is counted under digital, also when the reader filters by space.
        for params in ({"decade": "2010"}, {"decade": "2010", "sector": "space"}):
            svg, _ = chart_numbers(client.get(TIMELINE, params).content.decode())
            assert svg == {(2018, "Digital"): 1}, params

    def test_a_sector_keeps_its_colour_and_its_count_across_ranges(self, client, db):
        # The review's case: 2020 showed Digital 7 / Finance 1 in the full view and 8 / 0
        # in 2010-2020, and the colours moved with each sector's rank in the view.
        digital = add_sector("digital", name="Digital", order=20)
        finance = add_sector("finance", name="Finance", order=15)
        space = add_sector("space", name="Space", order=10)
        for i in range(7):
            add_milestone(f"d-{i}", year=2020, sectors=[digital])
        add_milestone("f-2020", year=2020, sectors=[finance, digital])
        for i in range(5):
            add_milestone(f"s-{i}", year=1990, sectors=[space])
        add_milestone("f-2012", year=2012, sectors=[finance])
        views = [
            {},
            {"year_from": "2010", "year_to": "2020"},
            {"year": "2020"},
            {"year_from": "2020", "year_to": "2020", "sector": "digital"},
        ]
        seen = []
        for params in views:
            html = client.get(TIMELINE, params).content.decode()
            svg, table = chart_numbers(html)
            assert svg == table
            assert {k: n for k, n in svg.items() if k[0] == 2020} == {
                (2020, "Digital"): 7,
                (2020, "Finance"): 1,
            }, params
            seen.append(fills(html))
        # The milestone in finance and digital is in finance, first in the stored order,
        # though digital reaches more milestones. Finance is the second sector in stored
        # order and digital the third, in every view.
        assert all(f["Finance"] == charts.style_at(1).fill for f in seen)
        assert all(f["Digital"] == charts.style_at(2).fill for f in seen)

    def test_every_sector_appears_and_no_two_look_alike(self, client, db):
        sectors = [add_sector(f"s-{i:02}", name=f"Sector {i:02}", order=i) for i in range(24)]
        for i, sector in enumerate(sectors):
            add_milestone(f"m-{i}", year=2020 + i % 5, sectors=[sector])
        response = client.get(TIMELINE)
        html = response.content.decode()
        legend = re.search(r'<ul class="legend">(.*?)</ul>', html).group(1)
        assert all(f"Sector {i:02}" in legend for i in range(24))
        styles = fills(html)
        assert len(styles) == 24 and len(set(styles.values())) == 24
        # Those past the colours are patterned, and their patterns are defined.
        for fill in styles.values():
            if fill.startswith("url(#"):
                assert f'<pattern id="{fill[5:-1]}"' in html

    def test_decades_and_spans_are_drawn_as_spans(self, client, milestone_world):
        add_milestone("nineties-exchange", year=1990, year_end=1992, date_qualifier="span")
        add_agreement("sixties-pact", year=1960, date_qualifier="decade")
        response = client.get(TIMELINE, {"decade": "1960"})
        html = response.content.decode()
        # The decade records are bars across the ten years, not a column for 1960.
        scale = charts.Scale(response.context["chart"].years)
        assert scale.years == list(range(1960, 1970))
        assert re.search(
            r'<rect x="0.00%" y="[\d.]+" width="100.00%" height="9" '
            r'fill="url\(#fill-span-context\)" class="span context"',
            html,
        )
        assert re.search(
            r'<rect x="0.00%" y="[\d.]+" width="100.00%" height="9" '
            r'fill="url\(#fill-span-agreement\)" class="span agreement"',
            html,
        )
        assert "the 1960s: 1 context event" in html and "the 1960s: 1 agreement" in html
        assert "<title>1960: 1" not in html  # no column, no marker for 1960
        # A span of years covers its three years.
        html = client.get(TIMELINE, {"decade": "1990"}).content.decode()
        assert re.search(
            r'<rect x="0.00%" y="[\d.]+" width="30.00%" height="9" '
            r'fill="url\(#fill-span-milestone\)"',
            html,
        )
        assert "1990–92: 1 milestone" in html

    def test_a_decade_record_does_not_stretch_the_axis(self, client, milestone_world):
        # "The 2020s" says nothing of 2029: the axis still ends with the last dated year.
        add_milestone("twenties", year=2020, date_qualifier="decade")
        response = client.get(TIMELINE)
        assert response.context["chart"].years == [2020, 2021, 2022]
        assert "the 2020s: 1 milestone" in response.content.decode()

    def test_context_events_are_apart_and_can_be_hidden(self, client, milestone_world):
        add_milestone("ladakh", title="Stand-off at Ladakh", kind="context", year=2020)
        response = client.get(TIMELINE)
        html = response.content.decode()
        assert listed(response)[0] == (2020, ["space-signing", "digital-launch"], ["ladakh"])
        assert "Context in 2020, not cooperation" in html
        # In the chart's context row, not in a sector's bar.
        assert "<title>2020: 1 context event</title>" in html
        svg, _ = chart_numbers(html)
        assert sum(svg.values()) == 2
        assertContains(response, '<a href="?context=hide">Hide context events</a>')

        response = client.get(TIMELINE, {"context": "hide", "decade": "2020"})
        html = response.content.decode()
        assert "Stand-off at Ladakh" not in html
        assert "context event" not in html
        # The links keep the choice.
        assert 'href="?context=hide&amp;decade=2010"' in html
        assert '<input type="hidden" name="context" value="hide">' in html
        assert '<a href="?decade=2020">Show them apart from cooperation</a>' in html

    def test_the_chart_is_accessible(self, client, milestone_world):
        html = client.get(TIMELINE).content.decode()
        assert 'role="img" aria-labelledby="timeline-chart-title timeline-chart-desc"' in html
        assert (
            '<title id="timeline-chart-title">Milestones per year by sector, 2020 to 2022</title>'
            in html
        )
        assert "<caption>Milestones per year by primary sector" in html
        assert "Each bar counts the milestones of cooperation in a year" in html

    def test_the_chart_links_to_its_data_with_the_same_filters(self, client, milestone_world):
        html = client.get(TIMELINE, {"sector": "space"}).content.decode()
        assert '<a href="/milestones/timeline/chart.csv?sector=space">' in html
        response = client.get(CHART_CSV, {"sector": "space"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [
            (r["record"], r["from_year"], r["date"], r["sector"], r["count"]) for r in rows
        ] == [
            # The agreement of 2018 is in no sector, so not in space.
            ("milestone", "2018", "dated", "Digital", "1"),
            ("milestone", "2020", "dated", "Space", "1"),
        ]


class TestPalette:
    def test_every_colour_has_3_to_1_contrast_with_the_background(self):
        for colour in [*charts.PALETTE, charts.OTHER_COLOUR, charts.UNCERTAIN_COLOUR]:
            assert charts.contrast_ratio(colour, charts.BACKGROUND) >= 3, colour

    def test_the_contrast_ratio_is_wcags(self):
        assert charts.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
        assert charts.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)

    def test_a_style_depends_on_the_place_in_the_stored_order_only(self):
        assert charts.palette(["a", "b", "c"])["b"] == charts.palette(["a", "b"])["b"]
        styles = [charts.style_at(i) for i in range(24)]
        assert len(set(styles)) == 24


# Colour-blind vision, simulated (Machado, Oliveira and Fernandes 2009, severity 1) on
# linear RGB; distances in CIELAB, where about 10 or more reads as a different colour.
CVD = {
    "deuteranopia": [[0.367, 0.861, -0.228], [0.280, 0.673, 0.047], [-0.012, 0.043, 0.969]],
    "protanopia": [[0.152, 1.053, -0.205], [0.115, 0.786, 0.099], [-0.004, -0.048, 1.052]],
    "tritanopia": [[1.256, -0.077, -0.179], [-0.078, 0.931, 0.148], [0.005, 0.691, 0.304]],
}


def lab(colour, matrix=None):
    rgb = [charts._channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    if matrix:
        rgb = [min(1, max(0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("vision", [None, *CVD])
def test_the_colours_stay_apart_for_colour_blind_readers(vision):
    matrix = CVD.get(vision)
    # The sectors' colours; "no sector" is grey and dotted, apart by its pattern too.
    colours = charts.PALETTE
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            assert math.dist(lab(a, matrix), lab(b, matrix)) >= 12, (vision, a, b)


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_timeline(
        self, client, milestone_crowd, warm_content_types, django_assert_num_queries, n
    ):
        milestone_crowd(n)
        # 1 top-level sectors; 2 milestones grouped by date and primary sector; 3 agreements
        # grouped by date; 4 the milestones listed, 5 the agreements listed.
        with django_assert_num_queries(5):
            client.get(TIMELINE)
        # The grouped counts hold for every decade of the same filters, until the next
        # public change: 1 top-level sectors, 2 the milestones listed, 3 the agreements.
        with django_assert_num_queries(3):
            response = client.get(TIMELINE, {"decade": "2000"})
        assert response.context["total"] == min(n, 10)

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_chart_csv(
        self, client, milestone_crowd, warm_content_types, django_assert_num_queries, n
    ):
        milestone_crowd(n)
        # 1 top-level sectors, 2 milestones grouped, 3 agreements grouped.
        with django_assert_num_queries(3):
            response = client.get(CHART_CSV)
        assert (
            sum(int(r["count"]) for r in csv.DictReader(io.StringIO(response.content.decode())))
            == n + 1
        )
