"""The milestone list and page, the timeline with its chart, and the pledges table."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement, Source
from tests.conftest import (
    UNPUBLISHED,
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    assert_bad_request,
    base_world,
    cite,
    facet_counts,
    shown,
    times,
)

pytestmark = pytest.mark.django_db

LIST = "/milestones/"
TIMELINE = "/milestones/timeline/"
PLEDGES = "/pledges/"


@pytest.fixture
def world(db):
    w = base_world()
    w.mou = add_agreement("space-mou", title="Space Cooperation MoU", kind="mou")
    w.secret_deal = add_agreement("secret-deal", "draft", title="Secret Deal")
    w.signing = add_milestone(
        "space-signing",
        title="Space MoU Signing",
        kind="signing",
        year=2020,
        month=10,
        sectors=[w.space],
        actors=[w.isro, w.jaxa],
        agreement=w.mou,
        tags=["satellites"],
        summary="The two agencies signed in Tokyo.",
    )
    w.summit = add_milestone(
        "tokyo-summit",
        title="Tokyo Summit",
        kind="summit",
        year=2018,
        sectors=[w.space, w.digital],
        actors=[w.jaxa, w.hidden],
        tags=["summits", "satellites"],
        summary="Leaders met in Tokyo.",
    )
    w.pledge = add_milestone(
        "hydrogen-pledge",
        title="Hydrogen Investment Pledge",
        kind="pledge",
        year=2022,
        date_qualifier="circa",
        sectors=[w.hydrogen, w.energy],
        actors=[w.jaxa],
        agreement=w.secret_deal,
        amount=Decimal("5.000"),
        unit="trillion JPY",
        deadline_year=2027,
        delivery_note="Half delivered by 2024.",
    )
    w.context = add_milestone(
        "sixties-context",
        title="Sixties Context",
        kind="context",
        year=1960,
        date_qualifier="decade",
    )
    w.launch = add_milestone(
        "digital-launch",
        title="Digital Launch",
        kind="launch",
        year=2020,
        month=12,
        day=8,
        sectors=[w.digital],
        actors=[w.isro],
    )
    w.draft = add_milestone(
        "secret-summit",
        "draft",
        title="Secret Summit",
        kind="summit",
        year=2020,
        sectors=[w.space],
        actors=[w.isro],
        agreement=w.mou,
        tags=["satellites", "secret-tag"],
    )
    w.review = add_milestone(
        "review-pledge",
        "in_review",
        title="Review Pledge",
        kind="pledge",
        year=2019,
        sectors=[w.digital],
        amount=Decimal("1"),
        unit="billion USD",
    )
    return w


class TestList:
    def test_it_shows_published_milestones_newest_first(self, client, world):
        response = client.get(LIST)
        assert shown(response) == [
            "hydrogen-pledge",
            "digital-launch",
            "space-signing",
            "tokyo-summit",
            "sixties-context",
        ]
        assertNotContains(response, "Secret Summit")
        assertNotContains(response, "Review Pledge")

    def test_it_shows_dates_exactly_as_precise_as_known(self, client, world):
        assert times(client.get(LIST)) == {
            "about 2022": "2022",
            "8 December 2020": "2020-12-08",
            "October 2020": "2020-10",
            "2018": "2018",
            "the 1960s": "1960",
        }

    def test_it_links_only_published_agreements(self, client, world):
        response = client.get(LIST)
        assertContains(response, '<a href="/agreements/space-mou/">Space Cooperation MoU</a>')
        assertNotContains(response, "Secret Deal")

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"sector": "space"}, ["space-signing", "tokyo-summit"]),
            ({"sector": ["space", "digital"]}, ["tokyo-summit"]),
            ({"sector": "hydrogen"}, ["hydrogen-pledge"]),
            ({"actor": "isro"}, ["digital-launch", "space-signing"]),
            ({"actor": ["isro", "jaxa"]}, ["space-signing"]),
            ({"country": "india"}, ["digital-launch", "space-signing"]),
            ({"country": "japan"}, ["hydrogen-pledge", "space-signing", "tokyo-summit"]),
            ({"country": "other"}, []),  # only a draft institution is "other"
            ({"kind": "pledge"}, ["hydrogen-pledge"]),
            ({"tag": "satellites"}, ["space-signing", "tokyo-summit"]),
            ({"tag": ["satellites", "summits"]}, ["tokyo-summit"]),
            ({"year": "2020"}, ["digital-launch", "space-signing"]),
            (
                {"year_from": "2018", "year_to": "2020"},
                ["digital-launch", "space-signing", "tokyo-summit"],
            ),
            ({"year_to": "2018"}, ["tokyo-summit", "sixties-context"]),
            ({"agreement": "space-mou"}, ["space-signing"]),
            ({"q": "tokyo"}, ["tokyo-summit", "space-signing"]),  # title before summary
            ({"sector": "space", "year": "2020", "kind": "signing"}, ["space-signing"]),
            ({"actor": "jaxa", "sector": "digital"}, ["tokyo-summit"]),
            (
                {"country": "japan", "year_from": "2019", "sort": "title"},
                ["hydrogen-pledge", "space-signing"],
            ),
            (
                {"sort": "date"},
                [
                    "sixties-context",
                    "tokyo-summit",
                    "space-signing",
                    "digital-launch",
                    "hydrogen-pledge",
                ],
            ),
            (
                {"sort": "title"},
                [
                    "digital-launch",
                    "hydrogen-pledge",
                    "sixties-context",
                    "space-signing",
                    "tokyo-summit",
                ],
            ),
            (
                {"sort": "-title"},
                [
                    "tokyo-summit",
                    "space-signing",
                    "sixties-context",
                    "hydrogen-pledge",
                    "digital-launch",
                ],
            ),
        ],
    )
    def test_filters_alone_and_combined(self, client, world, params, expected):
        assert shown(client.get(LIST, params)) == expected

    def test_facets_count_published_milestones_only(self, client, world):
        response = client.get(LIST)
        assert facet_counts(response, "kind") == {
            "context": 1,
            "launch": 1,
            "pledge": 1,
            "signing": 1,
            "summit": 1,
        }
        assert facet_counts(response, "actor") == {"jaxa": 3, "isro": 2}
        assert facet_counts(response, "country") == {"japan": 3, "india": 2}
        assert facet_counts(response, "sector") == {
            "digital": 2,
            "space": 2,
            "energy": 1,
            "hydrogen": 1,
        }
        assert facet_counts(response, "tag") == {"satellites": 2, "summits": 1}
        assert facet_counts(response, "year") == {"2022": 1, "2020": 2, "2018": 1, "1960": 1}

    def test_single_choice_and_repeatable_facets(self, client, world):
        response = client.get(LIST, {"sector": "space", "kind": "summit"})
        assert facet_counts(response, "kind") == {"signing": 1, "summit": 1}
        assert facet_counts(response, "year") == {"2018": 1}
        assert facet_counts(response, "sector") == {"digital": 1, "space": 1}

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"kind": "nonsense"}, "Kind: Select a valid choice. nonsense is not one"),
            ({"year_from": "abc"}, "From year: Enter a year as four digits, e.g. 2018."),
            ({"year_from": "2020", "year_to": "2010"}, "swap them"),
            ({"sector": "atlantis"}, "There is no sector “atlantis”."),
            ({"agreement": "secret-deal"}, "Agreement: Select a valid choice."),
            ({"page": "9"}, "Page 9 does not exist; there is 1 page of results."),
            ({"page": "abc"}, "“abc” is not a page number."),
        ],
    )
    def test_bad_input_is_a_400(self, client, world, params, message):
        assert_bad_request(client.get(LIST, params), message)

    def test_the_empty_state(self, client, world):
        response = client.get(LIST, {"year": "1999"})
        assertContains(response, "Nothing matches these filters.")

    def test_the_next_page_keeps_the_filters(self, client, world):
        for i in range(26):
            add_milestone(f"extra-{i}", kind="report", year=2001)
        response = client.get(LIST, {"kind": "report"})
        assert len(shown(response)) == 25
        assertContains(response, 'rel="next" href="?kind=report&amp;page=2"')
        assert len(shown(client.get(LIST, {"kind": "report", "page": "2"}))) == 1

    def test_the_timeline_link_keeps_the_filters(self, client, world):
        assertContains(
            client.get(LIST, {"sector": "space"}), 'href="/milestones/timeline/?sector=space"'
        )


class TestDetail:
    def test_it_shows_the_facts(self, client, world):
        response = client.get(world.signing.get_absolute_url())
        html = response.content.decode()
        assert "<h1>Space MoU Signing</h1>" in html
        assert '<a href="/milestones/?kind=signing">Signing</a>' in html
        assert "The two agencies signed in Tokyo." in html
        assert '<dt>Part of</dt><dd><a href="/agreements/space-mou/">' in html
        assert '<a href="/actors/isro/">Indian Space Research Organisation (ISRO)</a>' in html
        assert '<a class="sector" href="/sectors/space/">Space</a>' in html
        assert '<a class="tag" href="/milestones/?tag=satellites">satellites</a>' in html
        assert '<a href="/milestones/timeline/?year=2020">other milestones of 2020</a>' in html
        assert times(response)["October 2020"] == "2020-10"
        assert "<dt>Delivery</dt>" not in html

    def test_a_pledge_shows_amount_deadline_and_delivery(self, client, world):
        html = client.get(world.pledge.get_absolute_url()).content.decode()
        assert "<dt>Amount</dt><dd>5 trillion JPY</dd>" in html
        assert "<dt>Deadline</dt><dd>2027</dd>" in html
        assert "<dt>Delivery</dt><dd>Half delivered by 2024.</dd>" in html

    def test_a_summit_and_its_pledges_link_to_each_other(self, client, world):
        pledge = add_milestone("summit-pledge", kind="pledge", occasion=world.summit, year=2021)
        add_milestone("draft-pledge", UNPUBLISHED[0], kind="pledge", occasion=world.summit)
        html = client.get(pledge.get_absolute_url()).content.decode()
        assert "<dt>Announced at</dt>" in html
        assert f'<a href="{world.summit.get_absolute_url()}">' in html
        html = client.get(world.summit.get_absolute_url()).content.decode()
        assert '<h2 id="outcomes-h">Announced here</h2>' in html
        assert '<a href="/milestones/summit-pledge/">' in html
        assert "draft-pledge" not in html

    def test_a_pledge_without_delivery_news_says_so(self, client, world):
        add_milestone("bare-pledge", kind="pledge", year=2023)
        response = client.get(reverse("milestones:detail", args=["bare-pledge"]))
        assertContains(response, "No delivery reported in the sources.")

    def test_it_hides_unpublished_agreement_and_institutions(self, client, world):
        html = client.get(world.pledge.get_absolute_url()).content.decode()
        assert "Secret Deal" not in html and "Part of" not in html
        html = client.get(world.summit.get_absolute_url()).content.decode()
        assert "Hidden Body" not in html
        assert "Japan Aerospace Exploration Agency (JAXA)" in html

    def test_it_shows_citations_and_disagreements(self, client, world):
        one = Source.objects.create(
            slug="mea",
            title="Press release",
            authors="MEA",
            kind="official",
            year=2018,
            month=10,
            day=29,
        )
        two = Source.objects.create(slug="nikkei", title="Summit report", kind="web_article")
        disagreement = Disagreement.objects.create(
            target=world.summit, aspect="date", explanation="28 or 29 October?"
        )
        a = cite(
            world.summit,
            one,
            locator="Para 2",
            quote="on 29 October",
            disagreement=disagreement,
            position="29 October",
            supports="date",
        )
        b = cite(
            world.summit, two, locator="Section 1", disagreement=disagreement, position="28 October"
        )
        html = client.get(world.summit.get_absolute_url()).content.decode()
        assert "Sources disagree" in html and "<h3>Date</h3>" in html
        assert "28 or 29 October?" in html
        assert (
            f'<strong>29 October</strong> — <a href="/sources/mea/">MEA</a>, Para 2: '
            f'<q>on 29 October</q> <a href="#citation-{a.pk}"'
        ) in html
        assert (
            f'<strong>28 October</strong> — <a href="/sources/nikkei/">Summit report</a>, '
            f'Section 1 <a href="#citation-{b.pk}"'
        ) in html
        assert '<a href="/sources/mea/">MEA, Press release</a> (29 October 2018)' in html
        assert "Supports: its date." in html

    @pytest.mark.parametrize(
        ("slug", "shown_date", "datetime"),
        [
            ("sixties-context", "the 1960s", "1960"),
            ("tokyo-summit", "2018", "2018"),
            ("digital-launch", "8 December 2020", "2020-12-08"),
            ("hydrogen-pledge", "about 2022", "2022"),
        ],
    )
    def test_dates(self, client, world, slug, shown_date, datetime):
        assert times(client.get(reverse("milestones:detail", args=[slug])))[shown_date] == datetime

    @pytest.mark.parametrize("slug", ["secret-summit", "review-pledge", "nothing-here"])
    def test_unpublished_and_unknown_are_404(self, client, world, slug):
        assert client.get(reverse("milestones:detail", args=[slug])).status_code == 404


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
    def test_it_groups_published_milestones_by_year_in_date_order(self, client, world):
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

    def test_it_shows_dates_as_precise_as_known(self, client, world):
        assert times(client.get(TIMELINE))["October 2020"] == "2020-10"

    def test_a_single_year(self, client, world):
        response = client.get(TIMELINE, {"year": "2020"})
        assert [y for y, _ in response.context["years"]] == [2020]
        assert response.context["total"] == 2
        assert response.context["chart"].years == [2020]

    def test_a_range(self, client, world):
        response = client.get(TIMELINE, {"year_from": "2018", "year_to": "2020"})
        assert [y for y, _ in response.context["years"]] == [2018, 2020]
        # The chart has a bar for every year of the range, even an empty one.
        assert response.context["chart"].years == [2018, 2019, 2020]

    def test_other_filters_apply(self, client, world):
        response = client.get(TIMELINE, {"sector": "space"})
        assert response.context["total"] == 2

    def test_a_search_keeps_the_years_in_order(self, client, world):
        # Two title matches (2018, 2023) rank above a summary match (2020); the timeline
        # still runs in date order.
        add_milestone("tokyo-dialogue", title="Tokyo Dialogue", year=2023)
        response = client.get(TIMELINE, {"q": "tokyo"})
        assert [y for y, _ in response.context["years"]] == [2018, 2020, 2023]

    def test_newest_first_on_request(self, client, world):
        response = client.get(TIMELINE, {"sort": "-date"})
        assert [y for y, _ in response.context["years"]] == [2022, 2020, 2018, 1960]

    def test_the_chart_and_the_table_carry_the_same_numbers(self, client, world):
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

    def test_the_chart_follows_the_filters(self, client, world):
        html = client.get(TIMELINE, {"year": "2020", "sector": "digital"}).content.decode()
        svg, table, totals = chart_numbers(html)
        assert svg == table == {(2020, "Digital"): 1}
        assert totals == {2020: 1}

    def test_the_chart_is_accessible(self, client, world):
        html = client.get(TIMELINE).content.decode()
        assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
        assert "<caption>Milestones per year by sector" in html

    def test_nothing_in_range_shows_the_empty_state(self, client, world):
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
    def test_bad_input_is_a_400(self, client, world, params, message):
        response = client.get(TIMELINE, params)
        assert_bad_request(response, message)
        assertNotContains(response, "No milestones in these years.", status_code=400)


class TestPledges:
    def test_it_lists_published_pledges(self, client, world):
        response = client.get(PLEDGES)
        html = response.content.decode()
        assert [m.slug for m in response.context["page_obj"]] == ["hydrogen-pledge"]
        assert "<caption>1 pledge and target</caption>" in html
        assert "<td>5 trillion JPY</td>" in html
        assert "<td>2027</td>" in html
        assert "<td>Half delivered by 2024.</td>" in html
        assert "Review Pledge" not in html
        # The pledge's agreement is a draft: no link, no title.
        assert "Secret Deal" not in html
        assert times(response) == {"about 2022": "2022"}

    def test_it_links_a_published_agreement(self, client, world):
        add_milestone("mou-pledge", kind="pledge", agreement=world.mou, year=2021)
        assertContains(
            client.get(PLEDGES),
            '<td><a href="/agreements/space-mou/">Space Cooperation MoU</a></td>',
        )

    def test_it_names_the_summit_a_pledge_was_announced_at(self, client, world):
        add_milestone("summit-pledge", kind="pledge", occasion=world.summit, year=2021)
        add_milestone("hidden-summit", UNPUBLISHED[0], kind="summit", title="Secret Summit")
        add_milestone(
            "orphan-pledge",
            kind="pledge",
            occasion=type(world.summit).objects.get(slug="hidden-summit"),
            year=2021,
        )
        html = client.get(PLEDGES).content.decode()
        assert (
            f'<td><a href="{world.summit.get_absolute_url()}">{world.summit.title}</a></td>' in html
        )
        assert "Secret Summit" not in html

    def test_pledges_are_in_date_order(self, client, world):
        add_milestone("early-pledge", kind="pledge", year=2010)
        add_milestone("late-pledge", kind="pledge", year=2024, month=1)
        response = client.get(PLEDGES)
        assert [m.slug for m in response.context["page_obj"]] == [
            "early-pledge",
            "hydrogen-pledge",
            "late-pledge",
        ]

    def test_with_no_pledges_it_says_so(self, client, db):
        response = client.get(PLEDGES)
        assert response.status_code == 200
        assertContains(response, "No pledges or targets are recorded yet.")

    def test_it_pages_by_50(self, client, world):
        for i in range(50):
            add_milestone(f"p-{i:02}", kind="pledge", year=2000)
        response = client.get(PLEDGES)
        assert len(response.context["page_obj"]) == 50
        assertContains(response, 'rel="next" href="?page=2"')
        assert len(client.get(PLEDGES, {"page": "2"}).context["page_obj"]) == 1

    @pytest.mark.parametrize(
        ("page", "message"),
        [
            ("abc", "“abc” is not a page number."),
            ("2", "Page 2 does not exist; there is 1 page of results."),
        ],
    )
    def test_a_bad_page_is_a_400(self, client, world, page, message):
        assert_bad_request(client.get(PLEDGES, {"page": page}), message)


@pytest.fixture
def crowd(source):
    def make(n):
        sectors = [add_sector(f"c-{i}") for i in range(3)]
        actors = [add_actor(f"c-body-{i}") for i in range(3)]
        agreement = add_agreement("c-agreement")
        for i in range(n):
            milestone = add_milestone(
                f"c-{n}-{i:02}",
                kind="pledge",
                year=2000 + i,
                sectors=sectors,
                actors=actors,
                tags=["crowd", f"t{i}"],
                agreement=agreement,
                amount=Decimal(i),
                unit="USD",
            )
            cite(milestone, source)
            Disagreement.objects.create(target=milestone, aspect="date", explanation="x")
        return sectors

    return make


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_list(self, client, crowd, warm_content_types, django_assert_num_queries, n):
        crowd(n)
        client.get(LIST)
        # 1 count, 2 rows with their agreements and occasions, 3 sectors prefetch, 4 published
        # institutions prefetch (Milestone.objects.public()),
        # 5-10 one per facet: sector, kind, country, institution, tag, year.
        with django_assert_num_queries(10):
            response = client.get(LIST)
        assert len(shown(response)) == n

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_detail_page(
        self, client, crowd, source, warm_content_types, django_assert_num_queries, n
    ):
        crowd(n)
        summit = add_milestone("hub-summit", kind="summit")
        milestone = add_milestone(
            "hub", kind="pledge", agreement=add_agreement("hub-deal"), amount=Decimal(1), unit="USD"
        )
        milestone.occasion = summit
        milestone.save()
        on_agreement = Disagreement.objects.create(
            target=milestone.agreement, aspect="kind", explanation="y"
        )
        for i in range(n):
            cite(milestone.agreement, source, disagreement=on_agreement, position=f"a{i}")
        for i in range(n):
            add_milestone(f"hub-outcome-{i}", kind="pledge", occasion=milestone)
        from actors.models import Actor
        from sectors.models import Sector

        milestone.actors.set(Actor.objects.all())
        milestone.sectors.set(Sector.objects.all())
        milestone.tags.add(*[f"h{i}" for i in range(n)])
        disagreement = Disagreement.objects.create(target=milestone, aspect="date", explanation="x")
        for i in range(n):
            cite(milestone, source, locator=f"p. {i}", disagreement=disagreement, position=str(i))
        url = milestone.get_absolute_url()
        client.get(url)
        # 1 the milestone with its agreement and occasion, 2 institutions, 3 sectors, 4 tags,
        # 5 what was announced at it, 6 citations with their sources and disagreements,
        # 7 disagreements, 8 the disagreements recorded on its agreement, 9 their citations
        # with sources.
        with django_assert_num_queries(9):
            response = client.get(url)
        assert response.content.decode().count('class="small">(citation)') == 2 * n

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_timeline(self, client, crowd, warm_content_types, django_assert_num_queries, n):
        crowd(n)
        client.get(TIMELINE)
        # 1 milestones, 2 their sectors; the chart: 3 each milestone's year and top-level
        # sectors, 4 sector names.
        with django_assert_num_queries(4):
            response = client.get(TIMELINE)
        assert response.context["total"] == n

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_pledges(self, client, crowd, warm_content_types, django_assert_num_queries, n):
        crowd(n)
        client.get(PLEDGES)
        # 1 count, 2 rows with their agreements, 3 sectors, 4 citations, 5 disagreements.
        with django_assert_num_queries(5):
            response = client.get(PLEDGES)
        assert len(response.context["page_obj"]) == n


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_milestones_never_show(client, world, status):
    add_milestone(
        "hidden-pledge",
        status,
        title="Hidden Pledge",
        kind="pledge",
        year=2020,
        sectors=[world.space],
        agreement=world.mou,
    )
    for url in (
        LIST,
        TIMELINE,
        PLEDGES,
        world.mou.get_absolute_url(),
        f"{LIST}?sector=space",
        f"{TIMELINE}?year=2020",
    ):
        assertNotContains(client.get(url), "Hidden Pledge")
