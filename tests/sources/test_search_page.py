"""The search page, /search/: every kind of public record, ranked, filtered by type, paged."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Source
from tests.factories import (
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    assert_bad_request,
    chips,
    times,
)

pytestmark = pytest.mark.django_db


def found(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.content.decode()[:1000]
    return [(item.hit.kind, item.hit.record.slug) for item in response.context["items"]]


def type_counts(response) -> dict:
    return {option["label"]: option["count"] for option in response.context["types"]}


class TestTheForm:
    def test_no_query_shows_the_form_saying_what_is_searched(self, client, site_world):
        response = client.get("/search/")
        assert response.status_code == 200
        assertContains(
            response,
            '<label for="q">Search agreements, milestones, institutions, sectors and sources'
            "</label>",
        )
        assertContains(response, '<input id="q" type="search" name="q" value=""')
        assertNotContains(response, "results-count")
        assertNotContains(response, "Nothing matches")

    def test_a_blank_query_shows_the_form(self, client, site_world):
        response = client.get("/search/", {"q": "   "})
        assert response.status_code == 200
        assert response.context["items"] == []
        assertNotContains(response, "Nothing matches")

    def test_the_query_is_escaped(self, client, site_world):
        html = client.get("/search/", {"q": "<b>hydrogen</b>"}).content.decode()
        assert "<b>hydrogen</b>" not in html
        assert "&lt;b&gt;hydrogen&lt;/b&gt;" in html


class TestWhatIsFound:
    def test_it_searches_every_kind_of_public_record(self, client, site_world):
        Source.objects.create(slug="h2-report", title="Hydrogen Roadmap", kind="report")
        assert set(found(client.get("/search/", {"q": "hydrogen"}))) == {
            ("agreement", "hydrogen-framework"),
            ("agreement", "battery-deal"),
            ("milestone", "summit-2020"),
            ("institution", "h2-association"),
            ("sector", "hydrogen"),
            ("source", "h2-report"),
        }

    def test_title_matches_rank_above_text_only_matches(self, client, site_world):
        results = found(client.get("/search/", {"q": "hydrogen"}))
        in_title = {
            ("agreement", "hydrogen-framework"),
            ("institution", "h2-association"),
            ("sector", "hydrogen"),
        }
        assert set(results[:3]) == in_title
        assert ("milestone", "summit-2020") in results[3:]

    def test_it_hides_unpublished_records(self, client, site_world):
        html = client.get("/search/", {"q": "hydrogen"}).content.decode()
        for hidden in ("Hydrogen Secret", "Hydrogen Hidden Milestone", "Hydrogen Ghost Body"):
            assert hidden not in html

    def test_every_word_must_match(self, client, site_world):
        assert found(client.get("/search/", {"q": "hydrogen ammonia"})) == [
            ("agreement", "hydrogen-framework")
        ]
        assert found(client.get("/search/", {"q": "hydrogen navigation"})) == []

    def test_an_acronym_finds_its_institution_first(self, client, site_world):
        assert found(client.get("/search/", {"q": "ISRO"}))[0] == ("institution", "isro")

    def test_nothing_found_shows_the_empty_state(self, client, site_world):
        response = client.get("/search/", {"q": "zeppelin"})
        assertContains(response, "Nothing matches “zeppelin”.")
        assertNotContains(response, "Download these results")


class TestTheTypeFilter:
    def test_it_counts_every_kind_and_the_total(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen"})
        assert type_counts(response) == {
            "All": 5,
            "Agreements": 2,
            "Milestones": 1,
            "Institutions": 1,
            "Sectors": 1,
            "Sources": 0,
        }

    def test_its_links_keep_the_query_and_drop_the_page(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen", "page": "1"})
        urls = {option["label"]: option["url"] for option in response.context["types"]}
        assert urls["All"] == "?q=hydrogen"
        assert urls["Agreements"] == "?q=hydrogen&type=agreement"
        assertContains(response, 'href="?q=hydrogen&amp;type=sector"')

    def test_the_chosen_type_is_a_chip_that_removes_only_it(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen", "type": "agreement", "page": "1"})
        assert chips(response) == {"Remove filter: Type of record Agreements": "?q=hydrogen"}
        assert chips(client.get("/search/", {"q": "hydrogen"})) == {}

    def test_a_type_narrows_the_results_but_not_the_counts(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen", "type": "agreement"})
        assert set(found(response)) == {
            ("agreement", "hydrogen-framework"),
            ("agreement", "battery-deal"),
        }
        assert type_counts(response)["All"] == 5
        assertContains(response, "2 results for “hydrogen”")
        assertContains(
            response,
            '<a href="?q=hydrogen&amp;type=agreement" class="selected" aria-current="true">',
        )

    def test_a_type_with_nothing_offers_every_type(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen", "type": "source"})
        assertContains(response, "Nothing of this type matches “hydrogen”.")
        assertContains(response, '<a href="?q=hydrogen">every type of record</a>')

    def test_an_unknown_type_is_a_400_naming_the_types(self, client, site_world):
        assert_bad_request(
            client.get("/search/", {"q": "hydrogen", "type": "treaty"}),
            "“treaty” is not a type of record; use one of agreement, milestone, institution, "
            "sector, source, or none for all.",
        )


class TestAHit:
    def test_it_shows_its_type_a_link_and_its_date(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen"})
        html = response.content.decode()
        assert (
            '<span class="badge badge-agreement">Agreement</span> '
            '<a href="/agreements/hydrogen-framework/">Hydrogen Framework</a>'
        ) in html
        assert '<a href="/actors/h2-association/">Hydrogen Association</a>' in html
        assert times(response)["October 2020"] == "2020-10"

    def test_a_sector_has_no_date_and_a_source_its_own(self, client, site_world):
        Source.objects.create(
            slug="h2-report", title="Hydrogen Roadmap", kind="report", year=2019, month=3
        )
        response = client.get("/search/", {"q": "hydrogen"})
        dates = {item.hit.kind: item.date for item in response.context["items"]}
        assert dates["sector"] is None
        assert dates["source"] == "March 2019"
        assertContains(response, '<p class="meta">March 2019</p>')

    def test_its_snippet_marks_the_words_and_escapes_the_text(self, client, db):
        add_agreement("tags", title="Turbines", summary="<script>x</script> wind turbine parks")
        response = client.get("/search/", {"q": "turbine"})
        html = response.content.decode()
        assert "<mark>turbine</mark>" in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html
        assert "<script>x</script>" not in html


class TestCorrections:
    def test_a_misspelt_word_is_corrected_and_said_so(self, client, site_world):
        response = client.get("/search/", {"q": "satelite"})
        assert ("agreement", "satellite-mou") in found(response)
        assertContains(
            response,
            '<p class="search-plan">Showing results for <strong>satellite</strong> — '
            '<a href="?q=satelite&amp;literal=1">search instead for “satelite”</a></p>',
            html=True,
        )

    def test_searching_instead_takes_the_words_as_typed(self, client, site_world):
        response = client.get("/search/", {"q": "satelite", "literal": "1"})
        assert found(response) == []
        assertNotContains(response, "Showing results for")
        assertContains(response, "Nothing matches “satelite”.")

    def test_a_correct_word_is_not_said_to_be_corrected(self, client, site_world):
        assertNotContains(client.get("/search/", {"q": "satellite"}), "Showing results for")

    def test_a_bad_literal_value_is_a_400(self, client, site_world):
        assert_bad_request(
            client.get("/search/", {"q": "satellite", "literal": "maybe"}),
            "Give literal=1 to search for the words as typed, or leave it out.",
        )


class TestPages:
    @pytest.fixture
    def many(self, db):
        for i in range(23):
            add_agreement(f"turbine-{i:02}", title=f"Turbine agreement {i}", year=2000 + i)

    def test_it_shows_twenty_a_page(self, client, many):
        first = client.get("/search/", {"q": "turbine"})
        assert len(found(first)) == 20
        assertContains(first, "23 results for “turbine”")
        assertContains(first, "Page 1 of 2")
        assertContains(first, '<a rel="next" href="?q=turbine&amp;page=2">')
        second = client.get("/search/", {"q": "turbine", "page": "2"})
        assert len(found(second)) == 3
        assert not set(found(first)) & set(found(second))

    def test_a_page_past_the_end_is_a_400_as_on_the_lists(self, client, many):
        assert_bad_request(
            client.get("/search/", {"q": "turbine", "page": "3"}),
            "Page 3 does not exist; there are 2 pages of results.",
        )

    def test_a_page_that_is_no_number_is_a_400(self, client, many):
        assert_bad_request(
            client.get("/search/", {"q": "turbine", "page": "two"}), "“two” is not a page number."
        )

    def test_the_export_links_hold_the_search_but_not_the_page(self, client, many):
        response = client.get("/search/", {"q": "turbine", "type": "agreement", "page": "2"})
        assertContains(response, '<a href="/search/export.csv?q=turbine&amp;type=agreement">')
        assertContains(response, '<a href="/search/export.json?q=turbine&amp;type=agreement">')


class TestErrors:
    def test_an_over_long_query_is_a_400(self, client, site_world):
        response = client.get("/search/", {"q": "hydrogen " * 30})
        assert_bad_request(response, "The search is too long (269 characters); use at most 200.")
        assert response.context["items"] == []

    def test_a_query_of_punctuation_is_a_400(self, client, site_world):
        assert_bad_request(
            client.get("/search/", {"q": "!!! ???"}),
            "Type at least one word or number to search for.",
        )

    def test_a_query_of_stop_words_is_a_400(self, client, site_world):
        assert_bad_request(
            client.get("/search/", {"q": "the of"}),
            "“the”, “of” are too common to search for; add a more specific word.",
        )


# Both sizes fit on one page (20), so that every kind is on it.
@pytest.mark.parametrize("n", [2, 4])
def test_it_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, n):
    space = add_sector("turbine-parks", name="Turbine parks")
    for i in range(n):
        add_agreement(f"a-{i}", title=f"Turbine agreement {i}", sectors=[space])
        add_milestone(f"m-{i}", title=f"Turbine milestone {i}")
        add_actor(f"b-{i}", name=f"Turbine body {i}")
        Source.objects.create(slug=f"s-{i}", title=f"Turbine report {i}", kind="report")
    # 1 the vocabulary: is "turbine" a known word (else it may be a misspelling)?
    # 2 the count of matches of each kind;
    # 3 the page of ranked entries;
    # then the records behind them, each kind by its own row alone:
    # 4 agreements, 5 milestones, 6 institutions, 7 sectors, 8 sources.
    with django_assert_num_queries(8):
        response = client.get("/search/", {"q": "turbine"})
    assert len(found(response)) == 4 * n + 1
