"""The agreements and milestones API."""

import pytest

from agreements.models import AgreementParty, Milestone
from ijtech.models import EditorialStatus
from tests.factories import add_agreement, add_cited_actor, add_more_api_records, api_get, api_slugs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]


# Payloads ------------------------------------------------------------------------------


def test_an_agreement_carries_its_date_parties_tags_and_sources(client, api_corpus):
    response = api_get(client, "/api/agreements/2018-space-mou/")

    assert response.status_code == 200
    record = response.json()
    assert record["url"] == "http://testserver/agreements/2018-space-mou/"
    assert record["api_url"] == "http://testserver/api/agreements/2018-space-mou/"
    assert record["title"] == "Space cooperation MoU"
    assert record["date"] == {
        "year": 2018,
        "year_end": None,
        "month": None,
        "day": None,
        "qualifier": "exact",
        "precision": "year",
        "display": "2018",
        "iso": "2018",
    }
    assert record["kind"] == "mou"
    assert record["status"] == "concluded"
    assert record["sectors"] == [{"slug": "space", "name": "Space"}]
    assert {party["slug"] for party in record["parties"]} == {"isro", "meti"}
    assert {
        "slug": "isro",
        "name": "Indian Space Research Organisation",
        "acronym": "ISRO",
        "country": "india",
        "role": "signatory",
    } in record["parties"]
    assert record["tags"] == ["Lunar", "Satellites"]
    assert record["disputed"] is True
    assert record["citations"][0] == {
        "source": {"slug": "test-source", "title": "A Test Report"},
        "locator": "Chapter 1",
        "quote": "",
        "supports": "record",
        "position": "",
        "note": "",
    }
    assert len(record["citations"]) == 3
    assert record["disagreements"] == [
        {
            "aspect": "date",
            "explanation": "The sources give different years.",
            "versions": [
                {
                    "source": "test-source",
                    "locator": "Chapter 1",
                    "position": "2018",
                    "quote": "signed in 2018",
                },
                {
                    "source": "other-source",
                    "locator": "Chapter 1",
                    "position": "2019",
                    "quote": "in 2019",
                },
            ],
        }
    ]


def test_an_undisputed_record_says_so(client, api_corpus):
    record = api_get(client, "/api/agreements/2015-high-speed-rail/").json()

    assert record["disputed"] is False
    assert record["disagreements"] == []
    assert record["date"]["precision"] == "day"
    assert record["date"]["display"] == "12 December 2015"
    assert record["date"]["iso"] == "2015-12-12"


def test_a_milestone_carries_its_pledge_and_agreement(client, api_corpus):
    record = api_get(client, "/api/milestones/2022-investment-pledge/").json()

    assert record["url"] == "http://testserver/milestones/2022-investment-pledge/"
    assert record["agreement"] == "2015-high-speed-rail"
    assert record["amount"] == "5.000"
    assert record["unit"] == "trillion JPY"
    assert record["deadline_year"] == 2027
    assert record["delivery_note"] == "Partly delivered."
    assert record["actors"] == [
        {"slug": "meti", "name": "Ministry of Economy", "acronym": "METI", "country": "japan"}
    ]
    assert record["sectors"] == [{"slug": "digital", "name": "Digital"}]
    assert record["tags"] == []


def test_a_milestone_without_an_amount_gives_null(client, api_corpus):
    record = api_get(client, "/api/milestones/2018-annual-summit/").json()

    assert record["amount"] is None
    assert record["date"]["display"] == "October 2018"
    assert record["date"]["iso"] == "2018-10"


def test_it_hides_unpublished_parties_and_actors_inside_records(client, api_corpus):
    hidden = add_cited_actor("hidden-ministry", status=EditorialStatus.IN_REVIEW)
    AgreementParty.objects.create(agreement=api_corpus["space"], actor=hidden)
    api_corpus["summit"].actors.add(hidden)

    agreement = api_get(client, "/api/agreements/2018-space-mou/").json()
    milestone = api_get(client, "/api/milestones/2018-annual-summit/").json()

    assert "hidden-ministry" not in [party["slug"] for party in agreement["parties"]]
    assert [actor["slug"] for actor in milestone["actors"]] == ["isro"]


def test_a_pledge_names_its_summit_unless_the_summit_is_a_draft(client, api_corpus):
    Milestone.objects.filter(slug="2022-investment-pledge").update(
        occasion=Milestone.objects.get(slug="2018-annual-summit")
    )
    record = api_get(client, "/api/milestones/2022-investment-pledge/").json()
    assert record["occasion"] == "2018-annual-summit"

    Milestone.objects.filter(slug="2018-annual-summit").update(editorial_status="draft")
    record = api_get(client, "/api/milestones/2022-investment-pledge/").json()
    assert record["occasion"] is None


def test_it_hides_a_draft_agreement_behind_a_milestone(client, api_corpus):
    draft = add_agreement("draft-framework", editorial=EditorialStatus.DRAFT)
    Milestone.objects.filter(slug="2018-annual-summit").update(agreement=draft)

    record = api_get(client, "/api/milestones/2018-annual-summit/").json()

    assert record["agreement"] is None


# Filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["2018-space-mou", "2015-high-speed-rail"]),
        ({"q": "shinkansen"}, ["2015-high-speed-rail"]),
        ({"sector": "space"}, ["2018-space-mou"]),
        ({"actor": "isro"}, ["2018-space-mou"]),
        ({"actor": ["isro", "meti"]}, ["2018-space-mou"]),
        ({"country": "japan"}, ["2018-space-mou", "2015-high-speed-rail"]),
        ({"country": "india"}, ["2018-space-mou"]),
        ({"kind": "moc"}, ["2015-high-speed-rail"]),
        ({"status": "in_force"}, ["2015-high-speed-rail"]),
        ({"tag": "satellites"}, ["2018-space-mou"]),
        ({"year": 2015}, ["2015-high-speed-rail"]),
        ({"year_from": 2016}, ["2018-space-mou"]),
        ({"year_to": 2016}, ["2015-high-speed-rail"]),
        ({"sort": "date"}, ["2015-high-speed-rail", "2018-space-mou"]),
        ({"sort": "title"}, ["2015-high-speed-rail", "2018-space-mou"]),
        ({"sort": "-title"}, ["2018-space-mou", "2015-high-speed-rail"]),
        ({"country": "japan", "year_from": 2010, "year_to": 2016}, ["2015-high-speed-rail"]),
        ({"sector": "digital", "kind": "mou"}, []),
        ({"actor": "meti", "tag": "lunar", "status": "concluded"}, ["2018-space-mou"]),
    ],
)
def test_agreements_filter_like_the_page(client, api_corpus, params, expected):
    assert api_slugs(api_get(client, "/api/agreements/", **params)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["2022-investment-pledge", "2018-annual-summit"]),
        ({"q": "tokyo"}, ["2018-annual-summit"]),
        ({"sector": "digital"}, ["2022-investment-pledge"]),
        ({"actor": "isro"}, ["2018-annual-summit"]),
        ({"country": "japan"}, ["2022-investment-pledge"]),
        ({"kind": "pledge"}, ["2022-investment-pledge"]),
        ({"tag": "satellites"}, ["2018-annual-summit"]),
        ({"year": 2018}, ["2018-annual-summit"]),
        ({"year_from": 2019}, ["2022-investment-pledge"]),
        ({"year_to": 2019}, ["2018-annual-summit"]),
        ({"sort": "date"}, ["2018-annual-summit", "2022-investment-pledge"]),
        ({"kind": "summit", "actor": "isro", "year_from": 2018}, ["2018-annual-summit"]),
        ({"kind": "summit", "country": "japan"}, []),
    ],
)
def test_milestones_filter_like_the_page(client, api_corpus, params, expected):
    assert api_slugs(api_get(client, "/api/milestones/", **params)) == expected


def test_milestones_filter_by_agreement(client, api_corpus):
    assert api_slugs(api_get(client, "/api/milestones/", agreement="2018-space-mou")) == [
        "2018-annual-summit"
    ]


def test_an_unpublished_institution_is_not_a_filter_value(client, api_corpus):
    response = api_get(client, "/api/agreements/", actor="hidden-actor-draft")

    assert response.status_code == 400
    assert "actor" in response.json()["errors"]


def test_the_agreement_list_runs_eleven_queries_however_long(
    client, api_corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of agreements (with is_disputed), 3 parties with their institutions,
    # 4 tags, 5 sectors, 6 citations with sources and disagreements, 7 disagreements,
    # 8-11 the published agreements each builds on, is built upon by, supersedes and is
    # superseded by.
    with django_assert_num_queries(11):
        assert len(api_get(client, "/api/agreements/").json()["results"]) == 2
    add_more_api_records(source, other_source, sector)
    with django_assert_num_queries(11):
        assert len(api_get(client, "/api/agreements/").json()["results"]) == 6
    # The filters add conditions to those queries, not queries of their own, apart from
    # checking that each slug given exists: 12 sector, 13 actor, 14 tag; and 15 whether the
    # search vocabulary holds "space" (were it misspelt, it would be corrected).
    with django_assert_num_queries(15):
        response = api_get(
            client, "/api/agreements/", sector="space", actor="isro", tag="satellites", q="space"
        )
        assert api_slugs(response) == ["2018-space-mou"]


def test_an_agreement_detail_runs_ten_queries(
    client, api_corpus, source, other_source, sector, django_assert_num_queries
):
    add_more_api_records(source, other_source, sector)
    # 1 the agreement, 2 parties, 3 tags, 4 sectors, 5 citations, 6 disagreements,
    # 7-10 its lineage: builds on, built upon by, supersedes, superseded by.
    with django_assert_num_queries(10):
        assert api_get(client, "/api/agreements/more-agreement-1/").status_code == 200


def test_the_milestone_list_runs_eight_queries_however_long(
    client, api_corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of milestones with their agreements, 3 published institutions,
    # 4 tags, 5 sectors, 6 citations with sources and disagreements, 7 disagreements,
    # 8 the published milestones announced at each (outcomes).
    with django_assert_num_queries(8):
        assert len(api_get(client, "/api/milestones/").json()["results"]) == 2
    add_more_api_records(source, other_source, sector)
    with django_assert_num_queries(8):
        assert len(api_get(client, "/api/milestones/").json()["results"]) == 6
