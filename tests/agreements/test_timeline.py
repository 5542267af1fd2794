"""The timeline with its chart."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import add_milestone, assert_bad_request, times

pytestmark = pytest.mark.django_db


def test_the_timeline_form_keeps_what_is_not_a_year(client, db):
    html = client.get("/milestones/timeline/", {"sector": "x", "year": "2020"}).content.decode()
    assert '<input type="hidden" name="sector" value="x">' in html
    assert 'type="hidden" name="year"' not in html


TIMELINE = "/milestones/timeline/"


def chart_numbers(html):
    """{(year, series): n} from the SVG and from the table under it, and the table totals."""
    svg = {
        (int(year), name): int(n)
        for year, n, name in re.findall(r"<title>(\d{4}): (\d+) in ([^<]+)</title>", html)
    }
    head = re.search(r"<thead><tr><th scope=\"col\">Year</th>(.*?)</tr></thead>", html).group(1)
    series = re.findall(r'<th scope="col">([^<]+)</th>', head)[:-1]
    table, totals = {}, {}
    for year, cells in re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', html):
        counts = [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]
        totals[int(year)] = counts[-1]
        for name, n in zip(series, counts[:-1], strict=True):
            if n:
                table[(int(year), name)] = n
    return svg, table, totals


class TestTimeline:
    def test_it_groups_published_milestones_by_year_in_date_order(self, client, milestone_world):
        response = client.get(TIMELINE)
        assert response.status_code == 200
        years = response.context["years"]
        assert [(year, [m.slug for m in items]) for year, items in years] == [
            (1960, ["sixties-context"]),
            (2018, ["tokyo-summit"]),
            (2020, ["space-signing", "digital-launch"]),
            (2022, ["hydrogen-pledge"]),
        ]
        html = response.content.decode()
        assert "5 milestones in 4 years." in html
        assert '<h2><a href="?year=2020">2020</a> <span class="count">2</span></h2>' in html
        assert "Secret Summit" not in html and "Review Pledge" not in html

    def test_it_shows_dates_as_precise_as_known(self, client, milestone_world):
        assert times(client.get(TIMELINE))["October 2020"] == "2020-10"

    def test_a_single_year(self, client, milestone_world):
        response = client.get(TIMELINE, {"year": "2020"})
        assert [y for y, _ in response.context["years"]] == [2020]
        assert response.context["total"] == 2
        assert response.context["chart"].years == [2020]

    def test_a_range(self, client, milestone_world):
        response = client.get(TIMELINE, {"year_from": "2018", "year_to": "2020"})
        assert [y for y, _ in response.context["years"]] == [2018, 2020]
        # The chart has a bar for every year of the range, even an empty one.
        assert response.context["chart"].years == [2018, 2019, 2020]

    def test_other_filters_apply(self, client, milestone_world):
        response = client.get(TIMELINE, {"sector": "space"})
        assert response.context["total"] == 2

    def test_a_search_keeps_the_years_in_order(self, client, milestone_world):
        # Two title matches (2018, 2023) rank above a summary match (2020); the timeline
        # still runs in date order.
        add_milestone("tokyo-dialogue", title="Tokyo Dialogue", year=2023)
        response = client.get(TIMELINE, {"q": "tokyo"})
        assert [y for y, _ in response.context["years"]] == [2018, 2020, 2023]

    def test_newest_first_on_request(self, client, milestone_world):
        response = client.get(TIMELINE, {"sort": "-date"})
        assert [y for y, _ in response.context["years"]] == [2022, 2020, 2018, 1960]

    def test_the_chart_and_the_table_carry_the_same_numbers(self, client, milestone_world):
        html = client.get(TIMELINE).content.decode()
        svg, table, totals = chart_numbers(html)
        assert svg == table
        # Each milestone sits in one band: the 2018 one is in space and digital, which reach
        # two milestones each; the tie goes to the first by slug, digital.
        assert svg == {
            (1960, "Other or no sector"): 1,
            (2018, "Digital"): 1,
            (2020, "Space"): 1,
            (2020, "Digital"): 1,
            # In hydrogen and its parent, clean energy: once in the clean energy band.
            (2022, "Clean energy"): 1,
        }
        # Every year of the span has a row, and each bar is as tall as that year's total.
        assert totals == {year: 0 for year in range(1960, 2023)} | {
            1960: 1,
            2018: 1,
            2020: 2,
            2022: 1,
        }

    def test_the_chart_follows_the_filters(self, client, milestone_world):
        html = client.get(TIMELINE, {"year": "2020", "sector": "digital"}).content.decode()
        svg, table, totals = chart_numbers(html)
        assert svg == table == {(2020, "Digital"): 1}
        assert totals == {2020: 1}

    def test_the_chart_is_accessible(self, client, milestone_world):
        html = client.get(TIMELINE).content.decode()
        assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
        assert "<caption>Milestones per year by sector" in html

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
        ],
    )
    def test_bad_input_is_a_400(self, client, milestone_world, params, message):
        response = client.get(TIMELINE, params)
        assert_bad_request(response, message)
        assertNotContains(response, "No milestones in these years.", status_code=400)


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_timeline(
        self, client, milestone_crowd, warm_content_types, django_assert_num_queries, n
    ):
        milestone_crowd(n)
        client.get(TIMELINE)
        # 1 milestones, 2 their sectors; the chart: 3 each milestone's year and top-level
        # sectors, 4 sector names.
        with django_assert_num_queries(4):
            response = client.get(TIMELINE)
        assert response.context["total"] == n
