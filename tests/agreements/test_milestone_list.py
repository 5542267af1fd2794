"""The milestone list."""

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import (
    UNPUBLISHED,
    add_milestone,
    assert_bad_request,
    facet_counts,
    shown,
    times,
)

pytestmark = pytest.mark.django_db


LIST = "/milestones/"
TIMELINE = "/milestones/timeline/"
PLEDGES = "/pledges/"


class TestList:
    def test_it_shows_published_milestones_newest_first(self, client, milestone_world):
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

    def test_it_shows_dates_exactly_as_precise_as_known(self, client, milestone_world):
        assert times(client.get(LIST)) == {
            "about 2022": "2022",
            "8 December 2020": "2020-12-08",
            "October 2020": "2020-10",
            "2018": "2018",
            "the 1960s": "1960",
        }

    def test_it_links_only_published_agreements(self, client, milestone_world):
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
    def test_filters_alone_and_combined(self, client, milestone_world, params, expected):
        assert shown(client.get(LIST, params)) == expected

    def test_facets_count_published_milestones_only(self, client, milestone_world):
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

    def test_single_choice_and_repeatable_facets(self, client, milestone_world):
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
    def test_bad_input_is_a_400(self, client, milestone_world, params, message):
        assert_bad_request(client.get(LIST, params), message)

    def test_the_empty_state(self, client, milestone_world):
        response = client.get(LIST, {"year": "1999"})
        assertContains(response, "Nothing matches these filters.")

    def test_the_next_page_keeps_the_filters(self, client, milestone_world):
        for i in range(26):
            add_milestone(f"extra-{i}", kind="report", year=2001)
        response = client.get(LIST, {"kind": "report"})
        assert len(shown(response)) == 25
        assertContains(response, 'rel="next" href="?kind=report&amp;page=2"')
        assert len(shown(client.get(LIST, {"kind": "report", "page": "2"}))) == 1

    def test_the_timeline_link_keeps_the_filters(self, client, milestone_world):
        assertContains(
            client.get(LIST, {"sector": "space"}), 'href="/milestones/timeline/?sector=space"'
        )


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_list(
        self, client, milestone_crowd, warm_content_types, django_assert_num_queries, n
    ):
        milestone_crowd(n)
        client.get(LIST)
        # 1 count, 2 rows with their agreements and occasions, 3 sectors prefetch, 4 published
        # institutions prefetch (Milestone.objects.public()),
        # 5-10 one per facet: sector, kind, country, institution, tag, year.
        # The facets counted afresh, not read from the fragment cache the warm-up
        # filled (tests/test_http_caching.py counts that).
        cache.clear()
        with django_assert_num_queries(10):
            response = client.get(LIST)
        assert len(shown(response)) == n


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_milestones_never_show(client, milestone_world, status):
    add_milestone(
        "hidden-pledge",
        status,
        title="Hidden Pledge",
        kind="pledge",
        year=2020,
        sectors=[milestone_world.space],
        agreement=milestone_world.mou,
    )
    for url in (
        LIST,
        TIMELINE,
        PLEDGES,
        milestone_world.mou.get_absolute_url(),
        f"{LIST}?sector=space",
        f"{TIMELINE}?year=2020",
    ):
        assertNotContains(client.get(url), "Hidden Pledge")
