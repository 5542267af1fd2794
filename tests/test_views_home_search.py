"""The home page, site search (PostgreSQL full text or the SQLite fallback) and disagreements."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement, Source
from tests.conftest import (
    UNPUBLISHED,
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    assert_bad_request,
    cite,
    times,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    w = type("World", (), {})()
    w.energy = add_sector("energy", name="Clean energy", order=1)
    w.hydrogen = add_sector("hydrogen", parent=w.energy, name="Hydrogen")
    w.space = add_sector("space", name="Space", order=2)
    w.h2_deal = add_agreement(
        "hydrogen-framework",
        title="Hydrogen Framework",
        year=2020,
        summary="Ammonia supply chains.",
        sectors=[w.energy],
    )
    w.battery = add_agreement(
        "battery-deal",
        title="Battery Partnership",
        year=2021,
        summary="Batteries and green hydrogen storage.",
        sectors=[w.energy, w.space],
    )
    w.sat = add_agreement(
        "satellite-mou",
        title="Satellite MoU",
        year=2019,
        summary="Navigation satellites.",
        sectors=[w.space],
    )
    w.draft = add_agreement(
        "hydrogen-secret", "draft", title="Hydrogen Secret", year=2022, sectors=[w.energy]
    )
    w.m1 = add_milestone(
        "summit-2020",
        title="Tokyo Summit",
        year=2020,
        month=10,
        summary="Leaders discussed hydrogen.",
    )
    w.m2 = add_milestone("launch-2020", title="Launch", year=2020)
    w.m3 = add_milestone("signing-2020", title="Signing", year=2020, month=12, day=8)
    w.m4 = add_milestone("context-1960s", title="Context", year=1960, date_qualifier="decade")
    w.m5 = add_milestone("pledge-2022", title="Pledge", year=2022, date_qualifier="circa")
    w.hidden_m = add_milestone(
        "hidden-ms", "in_review", title="Hydrogen Hidden Milestone", year=2024
    )
    w.isro = add_actor(
        "isro",
        name="Indian Space Research Organisation",
        acronym="ISRO",
        country="india",
        description="Builds satellites.",
    )
    w.h2_body = add_actor(
        "h2-association", name="Hydrogen Association", description="Industry body."
    )
    w.hidden_a = add_actor("hydrogen-ghost", "draft", name="Hydrogen Ghost Body")
    w.source = Source.objects.create(slug="s", title="S", kind="report")
    return w


class TestHome:
    def test_it_counts_published_records(self, client, world):
        response = client.get("/")
        assert response.context["counts"] == {
            "agreements": 3,
            "milestones": 5,
            "actors": 2,
            "sources": 1,
        }
        assertContains(response, "<strong>3</strong> agreements")

    def test_recent_milestones_newest_first_as_precise_as_known(self, client, world):
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

    def test_it_shows_at_most_six_recent_milestones(self, client, world):
        for i in range(5):
            add_milestone(f"more-{i}", year=2010)
        assert len(client.get("/").context["recent"]) == 6

    def test_sectors_count_published_agreements(self, client, world):
        response = client.get("/")
        counts = {s.slug: s.agreement_count for s in response.context["sectors"]}
        assert counts == {"energy": 2, "space": 2}

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_fixed_number_of_queries(self, client, db, django_assert_num_queries, n):
        for i in range(n):
            add_milestone(f"m-{i}", year=2000 + i, agreement=add_agreement(f"a-{i}"))
            add_sector(f"s-{i}")
        # 1-4 counts of agreements, milestones, institutions and sources,
        # 5 recent milestones with their agreements, 6 sectors with their counts.
        with django_assert_num_queries(6):
            client.get("/")


def results(response):
    assert response.status_code == 200, response.content.decode()[:1000]
    return [(label, record.slug) for label, record in response.context["results"]]


class TestSearch:
    def test_no_query_shows_the_form(self, client, world):
        response = client.get("/search/")
        assert response.status_code == 200
        assertContains(response, '<input id="q" type="search" name="q" value=""')
        assertNotContains(response, "results-count")
        assertNotContains(response, "Nothing matches")

    def test_a_blank_query_shows_the_form(self, client, world):
        response = client.get("/search/", {"q": "   "})
        assert response.status_code == 200
        assert response.context["results"] == []
        assertNotContains(response, "Nothing matches")

    def test_it_searches_agreements_milestones_and_institutions(self, client, world):
        found = results(client.get("/search/", {"q": "hydrogen"}))
        assert set(found) == {
            ("Agreement", "hydrogen-framework"),
            ("Agreement", "battery-deal"),
            ("Milestone", "summit-2020"),
            ("Institution", "h2-association"),
        }

    def test_title_matches_rank_above_summary_only_matches(self, client, world):
        found = results(client.get("/search/", {"q": "hydrogen"}))
        titles = {("Agreement", "hydrogen-framework"), ("Institution", "h2-association")}
        assert set(found[:2]) == titles
        assert set(found[2:]) == {("Agreement", "battery-deal"), ("Milestone", "summit-2020")}

    def test_it_hides_unpublished_records(self, client, world):
        html = client.get("/search/", {"q": "hydrogen"}).content.decode()
        for hidden in ("Hydrogen Secret", "Hydrogen Hidden Milestone", "Hydrogen Ghost Body"):
            assert hidden not in html

    def test_every_word_must_match(self, client, world):
        assert results(client.get("/search/", {"q": "hydrogen ammonia"})) == [
            ("Agreement", "hydrogen-framework")
        ]
        assert results(client.get("/search/", {"q": "hydrogen navigation"})) == []

    def test_word_forms_match(self, client, world):
        # A substring on SQLite, a stem on PostgreSQL: "satellite" finds "satellites".
        found = results(client.get("/search/", {"q": "satellite"}))
        assert set(found) == {("Agreement", "satellite-mou"), ("Institution", "isro")}
        assert found[0] == ("Agreement", "satellite-mou")

    def test_an_acronym_finds_its_institution(self, client, world):
        assert results(client.get("/search/", {"q": "ISRO"})) == [("Institution", "isro")]

    def test_results_link_to_records_and_show_dates(self, client, world):
        response = client.get("/search/", {"q": "hydrogen"})
        html = response.content.decode()
        assert "4 results for “hydrogen”, best matches first." in html
        assert (
            '<span class="badge">Agreement</span> <a href="/agreements/hydrogen-framework/">'
            in html
        )
        assert '<a href="/actors/h2-association/">Hydrogen Association</a></li>' in html
        assert times(response)["October 2020"] == "2020-10"

    def test_nothing_found_shows_the_empty_state(self, client, world):
        response = client.get("/search/", {"q": "zeppelin"})
        assertContains(response, "Nothing matches “zeppelin”.")

    def test_an_over_long_query_is_a_400(self, client, world):
        response = client.get("/search/", {"q": "hydrogen " * 30})
        assert_bad_request(response, "The search is too long (269 characters); use at most 200.")
        assert response.context["results"] == []

    def test_a_query_of_punctuation_is_a_400(self, client, world):
        assert_bad_request(
            client.get("/search/", {"q": "!!! ???"}),
            "Type at least one word or number to search for.",
        )

    def test_the_query_is_escaped(self, client, world):
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


class TestDisagreements:
    @pytest.fixture
    def disputed(self, world):
        other = Source.objects.create(
            slug="other", title="Other Report", authors="B. Writer", kind="report"
        )
        for record, aspect in ((world.sat, "date"), (world.m1, "parties"), (world.isro, "name")):
            d = Disagreement.objects.create(
                target=record, aspect=aspect, explanation=f"Dispute over {record}."
            )
            cite(
                record,
                world.source,
                disagreement=d,
                position="first version",
                locator="p. 1",
                quote="said so",
            )
            cite(record, other, disagreement=d, position="second version", locator="p. 2")
        d = Disagreement.objects.create(
            target=world.draft, aspect="date", explanation="A hidden dispute."
        )
        cite(world.draft, other, disagreement=d, position="hidden version")
        return other

    def test_it_lists_each_disputed_published_record_with_each_version(
        self, client, world, disputed
    ):
        response = client.get("/disagreements/")
        html = response.content.decode()
        assert "3 records are disputed." in html
        assert [
            (label, [r.slug for r, _ in items]) for label, items in response.context["groups"]
        ] == [
            ("Agreements", ["satellite-mou"]),
            ("Milestones", ["summit-2020"]),
            ("Institutions", ["isro"]),
        ]
        assert "<strong>Date:</strong> Dispute over Satellite MoU." in html
        assert (
            '<li><strong>first version</strong> — <a href="/sources/s/">S</a>, p. 1: '
            "<q>said so</q></li>"
        ) in html
        assert (
            '<li><strong>second version</strong> — <a href="/sources/other/">B. Writer</a>'
            ", p. 2</li>"
        ) in html

    def test_it_hides_unpublished_records(self, client, world, disputed):
        html = client.get("/disagreements/").content.decode()
        assert "A hidden dispute." not in html and "hidden version" not in html

    def test_with_no_disagreements(self, client, world):
        assertContains(client.get("/disagreements/"), "0 records are disputed.")

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_fixed_number_of_queries(
        self, client, world, warm_content_types, django_assert_num_queries, n
    ):
        for i in range(n):
            for record in (add_agreement(f"a-{i}"), add_milestone(f"m-{i}"), add_actor(f"b-{i}")):
                d = Disagreement.objects.create(target=record, aspect="date", explanation="x")
                cite(record, world.source, disagreement=d, position="one")
                cite(record, world.source, disagreement=d, position="two")
        client.get("/disagreements/")
        # For agreements, milestones and institutions each: the disputed records (1, 4, 7),
        # their citations with sources (2, 5, 8) and their disagreements (3, 6, 9).
        with django_assert_num_queries(9):
            response = client.get("/disagreements/")
        assert response.context["total"] == 3 * n


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_an_unpublished_record_is_in_no_count(client, world, status):
    before = client.get("/").context["counts"]
    add_agreement("ghost", status, sectors=[world.space])
    add_milestone("ghost-m", status)
    add_actor("ghost-a", status)
    assert client.get("/").context["counts"] == before
