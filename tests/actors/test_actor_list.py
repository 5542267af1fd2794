"""The institution list."""

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import (
    UNPUBLISHED,
    add_actor,
    assert_bad_request,
    facet_counts,
    facet_option,
    shown,
)

pytestmark = pytest.mark.django_db


LIST = "/actors/"


class TestList:
    def test_it_lists_published_institutions_by_name(self, client, world):
        response = client.get(LIST)
        assert shown(response) == ["dos", "isro", "jaxa", "meti", "orphan"]
        assertNotContains(response, "Hidden Body")
        assertNotContains(response, "Pending Body")

    def test_it_names_only_a_published_parent(self, client, world):
        html = client.get(LIST).content.decode()
        assert 'part of <a href="/actors/dos/">DOS</a>' in html
        assert html.count("part of") == 1  # the orphan's parent is in review

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"country": "india"}, ["dos", "isro"]),
            ({"kind": "ministry"}, ["dos", "meti"]),
            ({"sector": "space"}, ["dos", "isro", "jaxa"]),
            ({"sector": ["space", "energy"]}, []),
            ({"country": "india", "kind": "agency"}, ["isro"]),
            ({"sort": "-name"}, ["orphan", "meti", "jaxa", "isro", "dos"]),
            ({"sort": "name", "country": "japan"}, ["jaxa", "meti", "orphan"]),
            ({"q": "ISRO"}, ["isro"]),
            ({"q": "department"}, ["dos"]),
            ({"q": "agency", "country": "japan"}, ["jaxa", "orphan"]),
        ],
    )
    def test_filters_alone_and_combined(self, client, world, params, expected):
        assert shown(client.get(LIST, params)) == expected

    def test_facet_counts(self, client, world):
        response = client.get(LIST)
        assert facet_counts(response, "country") == {"japan": 3, "india": 2}
        assert facet_counts(response, "kind") == {"agency": 3, "ministry": 2}
        assert facet_counts(response, "sector") == {"space": 3, "energy": 1}
        response = client.get(LIST, {"country": "india"})
        # Country counts what choosing it gives; sectors count within the results.
        assert facet_counts(response, "country") == {"japan": 3, "india": 2}
        assert facet_counts(response, "kind") == {"agency": 1, "ministry": 1}
        assert facet_counts(response, "sector") == {"space": 2}
        assert facet_option(response, "sector", "space").url == "?country=india&sector=space"

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"country": "mars"}, "Country: Select a valid choice. mars is not one"),
            ({"kind": "nonsense"}, "Kind: Select a valid choice. nonsense is not one"),
            ({"sector": "atlantis"}, "Sector: There is no sector “atlantis”."),
            ({"sort": "size"}, "Sort: Select a valid choice."),
            ({"page": "2"}, "Page 2 does not exist; there is 1 page of results."),
            ({"page": "two"}, "“two” is not a page number."),
        ],
    )
    def test_bad_input_is_a_400(self, client, world, params, message):
        assert_bad_request(client.get(LIST, params), message)

    def test_the_empty_state(self, client, world):
        assertContains(client.get(LIST, {"q": "zeppelin"}), "Nothing matches these filters.")

    def test_it_pages_by_50_keeping_the_filters(self, client, world):
        for i in range(50):
            add_actor(f"body-{i:02}", country="multilateral")
        response = client.get(LIST, {"country": "multilateral"})
        assert len(shown(response)) == 50
        assertNotContains(response, 'rel="next"')
        add_actor("body-50", country="multilateral")
        response = client.get(LIST, {"country": "multilateral"})
        assertContains(response, 'rel="next" href="?country=multilateral&amp;page=2"')
        assert shown(client.get(LIST, {"country": "multilateral", "page": "2"})) == ["body-50"]


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_list(self, client, actor_crowd, warm_content_types, django_assert_num_queries, n):
        actor_crowd(n)
        client.get(LIST)
        # 1 count, 2 rows with their parents, 3 their sectors (Actor.objects.public()),
        # 4-6 one per facet: country, kind, sector; 7-9 the network: agreements per
        # institution, pairs of institutions, the institutions.
        # The facets counted afresh, not read from the fragment cache the warm-up
        # filled (tests/test_http_caching.py counts that).
        cache.clear()
        with django_assert_num_queries(9):
            response = client.get(LIST)
        assert len(shown(response)) == 2 * n + 2


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_institutions_never_show(client, world, status):
    add_actor("ghost", status, name="Ghost Institute", parent=world.dos, sectors=[world.space])
    world.a1.party_links.create(actor_id=type(world.dos).objects.get(slug="ghost").pk)
    world.m1.actors.add(type(world.dos).objects.get(slug="ghost"))
    for url in (
        LIST,
        f"{LIST}?sector=space",
        world.dos.get_absolute_url(),
        world.isro.get_absolute_url(),
        world.a1.get_absolute_url(),
        world.m1.get_absolute_url(),
        "/agreements/",
        "/milestones/",
        world.space.get_absolute_url(),
    ):
        assertNotContains(client.get(url), "Ghost Institute")
