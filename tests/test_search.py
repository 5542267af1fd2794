"""Site search (PostgreSQL full text or the SQLite fallback)."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import add_actor, add_agreement, add_milestone, assert_bad_request, times

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content.decode()[:1000]
    return [(label, record.slug) for label, record in response.context["results"]]


class TestSearch:
    def test_no_query_shows_the_form(self, client, site_world):
        response = client.get("/search/")
        assert response.status_code == 200
        assertContains(response, '<input id="q" type="search" name="q" value=""')
        assertNotContains(response, "results-count")
        assertNotContains(response, "Nothing matches")

    def test_a_blank_query_shows_the_form(self, client, site_world):
        response = client.get("/search/", {"q": "   "})
        assert response.status_code == 200
        assert response.context["results"] == []
        assertNotContains(response, "Nothing matches")

    def test_it_searches_agreements_milestones_and_institutions(self, client, site_world):
        found = results(client.get("/search/", {"q": "hydrogen"}))
        assert set(found) == {
            ("Agreement", "hydrogen-framework"),
            ("Agreement", "battery-deal"),
            ("Milestone", "summit-2020"),
            ("Institution", "h2-association"),
        }

    def test_title_matches_rank_above_summary_only_matches(self, client, site_world):
        found = results(client.get("/search/", {"q": "hydrogen"}))
        titles = {("Agreement", "hydrogen-framework"), ("Institution", "h2-association")}
        assert set(found[:2]) == titles
        assert set(found[2:]) == {("Agreement", "battery-deal"), ("Milestone", "summit-2020")}

    def test_it_hides_unpublished_records(self, client, site_world):
        html = client.get("/search/", {"q": "hydrogen"}).content.decode()
        for hidden in ("Hydrogen Secret", "Hydrogen Hidden Milestone", "Hydrogen Ghost Body"):
            assert hidden not in html

    def test_every_word_must_match(self, client, site_world):
        assert results(client.get("/search/", {"q": "hydrogen ammonia"})) == [
            ("Agreement", "hydrogen-framework")
        ]
        assert results(client.get("/search/", {"q": "hydrogen navigation"})) == []

    def test_word_forms_match(self, client, site_world):
        # A substring on SQLite, a stem on PostgreSQL: "satellite" finds "satellites".
        found = results(client.get("/search/", {"q": "satellite"}))
        assert set(found) == {("Agreement", "satellite-mou"), ("Institution", "isro")}
        assert found[0] == ("Agreement", "satellite-mou")

    def test_an_acronym_finds_its_institution(self, client, site_world):
        assert results(client.get("/search/", {"q": "ISRO"})) == [("Institution", "isro")]

    def test_results_link_to_records_and_show_dates(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen"})
        html = response.content.decode()
        assert "4 results for “hydrogen”, best matches first." in html
        assert (
            '<span class="badge">Agreement</span> <a href="/agreements/hydrogen-framework/">'
            in html
        )
        assert '<a href="/actors/h2-association/">Hydrogen Association</a></li>' in html
        assert times(response)["October 2020"] == "2020-10"

    def test_nothing_found_shows_the_empty_state(self, client, site_world):
        response = client.get("/search/", {"q": "zeppelin"})
        assertContains(response, "Nothing matches “zeppelin”.")

    def test_an_over_long_query_is_a_400(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen " * 30})
        assert_bad_request(response, "The search is too long (269 characters); use at most 200.")
        assert response.context["results"] == []

    def test_a_query_of_punctuation_is_a_400(self, client, site_world):
        assert_bad_request(
            client.get("/search/", {"q": "!!! ???"}),
            "Type at least one word or number to search for.",
        )

    def test_the_query_is_escaped(self, client, site_world):
        html = client.get("/search/", {"q": "<b>hydrogen</b>"}).content.decode()
        assert "<b>hydrogen</b>" not in html
        assert "&lt;b&gt;hydrogen&lt;/b&gt;" in html

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_fixed_number_of_queries(self, client, db, django_assert_num_queries, n):
        for i in range(n):
            add_agreement(f"a-{i}", title=f"Turbine agreement {i}")
            add_milestone(f"m-{i}", title=f"Turbine milestone {i}")
            add_actor(f"b-{i}", name=f"Turbine body {i}")
        # 1 agreements, 2 milestones, 3 institutions.
        with django_assert_num_queries(3):
            response = client.get("/search/", {"q": "turbine"})
        assert len(results(response)) == 3 * n
