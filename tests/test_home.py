"""The home page."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import UNPUBLISHED, add_actor, add_agreement, add_milestone, add_sector, times

pytestmark = pytest.mark.django_db


class TestHome:
    def test_it_counts_published_records(self, client, site_world):
        response = client.get("/")
        assert response.context["counts"] == {
            "agreements": 3,
            "milestones": 5,
            "actors": 2,
            "sources": 1,
        }
        assertContains(response, "<strong>3</strong> agreements")

    def test_recent_milestones_newest_first_as_precise_as_known(self, client, site_world):
        response = client.get("/")
        assert [m.slug for m in response.context["recent"]] == [
            "pledge-2022",
            "signing-2020",
            "summit-2020",
            "launch-2020",
            "context-1960s",
        ]
        assert times(response) == {
            "about 2022": "2022",
            "8 December 2020": "2020-12-08",
            "October 2020": "2020-10",
            "2020": "2020",
            "the 1960s": "1960",
        }
        assertNotContains(response, "Hydrogen Hidden Milestone")

    def test_it_shows_at_most_six_recent_milestones(self, client, site_world):
        for i in range(5):
            add_milestone(f"more-{i}", year=2010)
        assert len(client.get("/").context["recent"]) == 6

    def test_sectors_count_published_agreements(self, client, site_world):
        response = client.get("/")
        counts = {s.slug: s.agreement_count for s in response.context["sectors"]}
        assert counts == {"energy": 2, "space": 2}

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_fixed_number_of_queries(self, client, db, django_assert_num_queries, n):
        for i in range(n):
            add_milestone(f"m-{i}", year=2000 + i, agreement=add_agreement(f"a-{i}"))
            add_sector(f"s-{i}")
        # The counts, the recent milestones, the sectors' counts and the data version are
        # computed once per public change and kept in the cache of fragments
        # (ijtech/fragments.py).
        client.get("/")
        # 1 the top-level sectors.
        with django_assert_num_queries(1):
            client.get("/")


def test_the_recent_milestones_follow_a_publication(client, db):
    add_milestone("older", year=2001)
    assert [m.slug for m in client.get("/").context["recent"]] == ["older"]
    add_milestone("newer", year=2002)
    assert [m.slug for m in client.get("/").context["recent"]] == ["newer", "older"]


def test_the_cached_counts_follow_a_public_change(client, site_world):
    before = client.get("/").context["counts"]
    add_agreement("fresh", sectors=[site_world.space])
    assert client.get("/").context["counts"]["agreements"] == before["agreements"] + 1


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_an_unpublished_record_is_in_no_count(client, site_world, status):
    before = client.get("/").context["counts"]
    add_agreement("ghost", status, sectors=[site_world.space])
    add_milestone("ghost-m", status)
    add_actor("ghost-a", status)
    assert client.get("/").context["counts"] == before
