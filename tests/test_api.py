from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.models import Disagreement, EditorialStatus, Source
from sectors.models import Sector
from tests.conftest import cite, make_agreement, make_milestone

pytestmark = pytest.mark.django_db

PUBLISHED = EditorialStatus.PUBLISHED
UNPUBLISHED = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW]


@pytest.fixture(autouse=True)
def content_types(db):
    # ContentType lookups are cached per process; load them up front so that query counts
    # measure the API alone, not whichever test happened to fill the cache first.
    ContentType.objects.clear_cache()
    return ContentType.objects.get_for_models(Agreement, Milestone, Actor)


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def slugs(response):
    assert response.status_code == 200, response.json()
    return [record["slug"] for record in response.json()["results"]]


def make_actor(slug, status=PUBLISHED, source=None, **kwargs):
    kwargs.setdefault("name", slug.upper())
    kwargs.setdefault("country", "japan")
    kwargs.setdefault("kind", "agency")
    actor = Actor.objects.create(slug=slug, editorial_status=status, **kwargs)
    if source:
        cite(actor, source)
    return actor


def published_agreement(slug, source, *, sectors=(), parties=(), tags=(), **kwargs):
    # make_agreement's `status` is the editorial one; here it is the agreement's own.
    kwargs.setdefault("title", slug.replace("-", " ").title())
    kwargs.setdefault("kind", "framework")
    kwargs.setdefault("year", 2018)
    agreement = Agreement.objects.create(slug=slug, editorial_status=PUBLISHED, **kwargs)
    cite(agreement, source)
    agreement.sectors.set(sectors)
    for actor in parties:
        AgreementParty.objects.create(agreement=agreement, actor=actor)
    if tags:
        agreement.tags.add(*tags)
    return agreement


def published_milestone(slug, source, *, sectors=(), actors=(), tags=(), **kwargs):
    milestone = make_milestone(slug, status=PUBLISHED, **kwargs)
    cite(milestone, source)
    milestone.sectors.set(sectors)
    milestone.actors.set(actors)
    if tags:
        milestone.tags.add(*tags)
    return milestone


def dispute(record, source, other_source):
    disagreement = Disagreement.objects.create(
        target=record, aspect="date", explanation="The sources give different years."
    )
    cite(record, source, disagreement=disagreement, position="2018", quote="signed in 2018")
    cite(record, other_source, disagreement=disagreement, position="2019", quote="in 2019")
    return disagreement


@pytest.fixture
def other_source(db):
    return Source.objects.create(slug="other-source", title="Another Report", kind="official")


@pytest.fixture
def corpus(source, other_source, sector, actor):
    """A small published corpus, with a draft and an in-review record of each kind."""
    digital = Sector.objects.create(name="Digital", slug="digital")
    meti = make_actor("meti", source=source, name="Ministry of Economy", acronym="METI")
    railway = published_agreement(
        "2015-high-speed-rail",
        source,
        title="High-speed rail MoC",
        kind="moc",
        status="in_force",
        year=2015,
        month=12,
        day=12,
        summary="Shinkansen technology for the Mumbai–Ahmedabad line.",
        sectors=[digital],
        parties=[meti],
        tags=["Railways"],
    )
    space = published_agreement(
        "2018-space-mou",
        source,
        title="Space cooperation MoU",
        kind="mou",
        status="concluded",
        year=2018,
        sectors=[sector],
        parties=[actor, meti],
        tags=["Satellites", "Lunar"],
    )
    dispute(space, source, other_source)
    summit = published_milestone(
        "2018-annual-summit",
        source,
        title="Annual summit in Tokyo",
        kind="summit",
        year=2018,
        month=10,
        agreement=space,
        sectors=[sector],
        actors=[actor],
        tags=["Satellites"],
    )
    pledge = published_milestone(
        "2022-investment-pledge",
        source,
        title="Five trillion yen pledge",
        kind="pledge",
        year=2022,
        amount=Decimal("5"),
        unit="trillion JPY",
        deadline_year=2027,
        delivery_note="Partly delivered.",
        agreement=railway,
        sectors=[digital],
        actors=[meti],
    )
    for status in UNPUBLISHED:
        make_agreement(f"hidden-agreement-{status}", status=status, year=2018)
        make_milestone(f"hidden-milestone-{status}", status=status, year=2018)
        make_actor(f"hidden-actor-{status}", status=status)
    return {
        "railway": railway,
        "space": space,
        "summit": summit,
        "pledge": pledge,
        "meti": meti,
        "digital": digital,
    }


# Payloads ------------------------------------------------------------------------------


def test_an_agreement_carries_its_date_parties_tags_and_sources(client, corpus):
    response = get(client, "/api/agreements/2018-space-mou/")

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
                {"source": "test-source", "position": "2018", "quote": "signed in 2018"},
                {"source": "other-source", "position": "2019", "quote": "in 2019"},
            ],
        }
    ]


def test_an_undisputed_record_says_so(client, corpus):
    record = get(client, "/api/agreements/2015-high-speed-rail/").json()

    assert record["disputed"] is False
    assert record["disagreements"] == []
    assert record["date"]["precision"] == "day"
    assert record["date"]["display"] == "12 December 2015"
    assert record["date"]["iso"] == "2015-12-12"


def test_a_milestone_carries_its_pledge_and_agreement(client, corpus):
    record = get(client, "/api/milestones/2022-investment-pledge/").json()

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


def test_a_milestone_without_an_amount_gives_null(client, corpus):
    record = get(client, "/api/milestones/2018-annual-summit/").json()

    assert record["amount"] is None
    assert record["date"]["display"] == "October 2018"
    assert record["date"]["iso"] == "2018-10"


def test_an_actor_carries_its_parent_and_citations(client, corpus, source):
    department = make_actor("dos", source=source, name="Department of Space", country="india")
    corpus["meti"].parent = department
    corpus["meti"].save()

    record = get(client, "/api/actors/meti/").json()

    assert record["url"] == "http://testserver/actors/meti/"
    assert record["name"] == "Ministry of Economy"
    assert record["acronym"] == "METI"
    assert record["country"] == "japan"
    assert record["kind"] == "agency"
    assert record["parent"] == "dos"
    assert record["disputed"] is False
    assert [c["source"]["slug"] for c in record["citations"]] == ["test-source"]


def test_a_sector_counts_only_published_records(client, corpus):
    make_agreement("draft-in-space", status=EditorialStatus.DRAFT).sectors.add(
        Sector.objects.get(slug="space")
    )
    Sector.objects.create(name="Lunar", slug="lunar", parent=Sector.objects.get(slug="space"))

    space = get(client, "/api/sectors/space/").json()
    lunar = get(client, "/api/sectors/lunar/").json()

    assert space["url"] == "http://testserver/sectors/space/"
    assert space["agreement_count"] == 1
    assert space["milestone_count"] == 1
    assert space["parent"] is None
    assert lunar["parent"] == "space"
    assert lunar["agreement_count"] == 0


def test_a_source_counts_only_citations_of_published_records(client, corpus, source):
    draft = make_agreement("draft-citing", status=EditorialStatus.DRAFT)
    cite(draft, source)

    record = get(client, "/api/sources/test-source/").json()

    # isro, meti, two agreements (one with a dispute version), two milestones.
    assert record["citation_count"] == 7
    assert record["title"] == "A Test Report"
    assert record["authors"] == "A. Author"
    assert record["kind"] == "report"
    assert record["page_url"] == "http://testserver/sources/test-source/"
    assert record["api_url"] == "http://testserver/api/sources/test-source/"


# Drafts and records in review ----------------------------------------------------------


@pytest.mark.parametrize("resource", ["agreements", "milestones", "actors"])
def test_it_hides_drafts_and_records_in_review(client, corpus, resource):
    listed = slugs(get(client, f"/api/{resource}/"))

    assert listed
    assert not [slug for slug in listed if slug.startswith("hidden-")]
    for status in UNPUBLISHED:
        response = get(client, f"/api/{resource}/hidden-{resource[:-1]}-{status}/")
        assert response.status_code == 404
        noun = {"agreements": "agreement", "milestones": "milestone", "actors": "institution"}
        message = f"There is no {noun[resource]} “hidden-{resource[:-1]}-{status}”."
        assert response.json() == {"errors": {"detail": [message]}}


def test_it_hides_unpublished_parties_and_actors_inside_records(client, corpus):
    hidden = make_actor("hidden-ministry", status=EditorialStatus.IN_REVIEW)
    AgreementParty.objects.create(agreement=corpus["space"], actor=hidden)
    corpus["summit"].actors.add(hidden)

    agreement = get(client, "/api/agreements/2018-space-mou/").json()
    milestone = get(client, "/api/milestones/2018-annual-summit/").json()

    assert "hidden-ministry" not in [party["slug"] for party in agreement["parties"]]
    assert [actor["slug"] for actor in milestone["actors"]] == ["isro"]


def test_a_pledge_names_its_summit_unless_the_summit_is_a_draft(client, corpus):
    Milestone.objects.filter(slug="2022-investment-pledge").update(
        occasion=Milestone.objects.get(slug="2018-annual-summit")
    )
    record = get(client, "/api/milestones/2022-investment-pledge/").json()
    assert record["occasion"] == "2018-annual-summit"

    Milestone.objects.filter(slug="2018-annual-summit").update(editorial_status="draft")
    record = get(client, "/api/milestones/2022-investment-pledge/").json()
    assert record["occasion"] is None


def test_it_hides_a_draft_agreement_behind_a_milestone(client, corpus):
    draft = make_agreement("draft-framework", status=EditorialStatus.DRAFT)
    Milestone.objects.filter(slug="2018-annual-summit").update(agreement=draft)

    record = get(client, "/api/milestones/2018-annual-summit/").json()

    assert record["agreement"] is None


def test_it_hides_a_draft_parent_institution(client, corpus):
    corpus["meti"].parent = make_actor("draft-parent", status=EditorialStatus.DRAFT)
    corpus["meti"].save()

    assert get(client, "/api/actors/meti/").json()["parent"] is None


def test_an_unknown_slug_is_a_json_404(client, corpus):
    for resource in ["agreements", "milestones", "actors", "sectors", "sources"]:
        response = get(client, f"/api/{resource}/no-such-thing/")
        assert response.status_code == 404
        assert list(response.json()["errors"]) == ["detail"]


def test_a_slug_that_cannot_exist_is_a_json_404_not_a_database_error(client, corpus):
    response = get(client, "/api/agreements/bad%00slug/")

    assert response.status_code == 404


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
def test_agreements_filter_like_the_page(client, corpus, params, expected):
    assert slugs(get(client, "/api/agreements/", **params)) == expected


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
def test_milestones_filter_like_the_page(client, corpus, params, expected):
    assert slugs(get(client, "/api/milestones/", **params)) == expected


def test_milestones_filter_by_agreement(client, corpus):
    assert slugs(get(client, "/api/milestones/", agreement="2018-space-mou")) == [
        "2018-annual-summit"
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["isro", "meti"]),
        ({"q": "economy"}, ["meti"]),
        ({"country": "india"}, ["isro"]),
        ({"kind": "agency"}, ["isro", "meti"]),
        ({"kind": "ministry"}, []),
        ({"sort": "-name"}, ["meti", "isro"]),
        ({"sector": "space"}, ["isro"]),
        ({"sector": "space", "country": "japan"}, []),
    ],
)
def test_actors_filter_like_the_page(client, corpus, params, expected):
    Actor.objects.get(slug="isro").sectors.add(Sector.objects.get(slug="space"))
    # Names sort as stored: "Indian Space…" before "Ministry of Economy".
    assert slugs(get(client, "/api/actors/", **params)) == expected


def test_sectors_filter_by_name(client, corpus):
    Sector.objects.create(name="Lunar exploration", slug="lunar", parent=corpus["digital"])

    assert slugs(get(client, "/api/sectors/")) == ["digital", "lunar", "space"]
    assert slugs(get(client, "/api/sectors/", q="lunar")) == ["lunar"]


def test_sectors_filter_by_parent(client, corpus):
    Sector.objects.create(name="Lunar exploration", slug="lunar", parent=corpus["digital"])

    assert slugs(get(client, "/api/sectors/", parent="digital")) == ["lunar"]


def test_sources_filter_by_text_and_kind(client, corpus):
    assert slugs(get(client, "/api/sources/")) == ["other-source", "test-source"]
    assert slugs(get(client, "/api/sources/", q="author")) == ["test-source"]
    assert slugs(get(client, "/api/sources/", kind="official")) == ["other-source"]
    assert slugs(get(client, "/api/sources/", q="report", kind="report")) == ["test-source"]


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "param", "message"),
    [
        ("/api/agreements/", {"year_from": "abc"}, "year_from", "Enter a year as four digits"),
        ("/api/agreements/", {"year": "1066"}, "year", "greater than or equal to 1900"),
        ("/api/agreements/", {"sector": "atlantis"}, "sector", "There is no sector “atlantis”"),
        ("/api/agreements/", {"actor": "nobody"}, "actor", "There is no institution “nobody”"),
        ("/api/agreements/", {"kind": "pact"}, "kind", "Select a valid choice"),
        ("/api/agreements/", {"sort": "random"}, "sort", "Select a valid choice"),
        ("/api/agreements/", {"year_from": 2020, "year_to": 2010}, "year_to", "swap them"),
        ("/api/milestones/", {"agreement": "nothing"}, "agreement", "Select a valid choice"),
        ("/api/milestones/", {"tag": "unheard-of"}, "tag", "There is no tag “unheard-of”"),
        ("/api/actors/", {"country": "mars"}, "country", "Select a valid choice"),
        ("/api/sectors/", {"parent": "nowhere"}, "parent", "Select a valid choice"),
        ("/api/sources/", {"kind": "rumour"}, "kind", "Select a valid choice"),
        ("/api/sources/", {"q": "nul\x00byte"}, "q", "Null characters are not allowed"),
        # A NUL byte would make PostgreSQL fail the query; the form refuses it first.
        ("/api/agreements/", {"sector": "a\x00b"}, "sector", "Null characters are not allowed"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(
    client, corpus, url, params, param, message
):
    response = get(client, url, **params)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [param]
    assert message in errors[param][0]


def test_an_unpublished_institution_is_not_a_filter_value(client, corpus):
    response = get(client, "/api/agreements/", actor="hidden-actor-draft")

    assert response.status_code == 400
    assert "actor" in response.json()["errors"]


def test_every_bad_parameter_is_reported_at_once(client, corpus):
    response = get(client, "/api/agreements/", year_from="abc", kind="pact", sector="atlantis")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year_from", "kind", "sector"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "“abc” is not a page number."),
        ({"page": "0"}, "Page 0 does not exist; there is 1 page of results."),
        ({"page": "2"}, "Page 2 does not exist; there is 1 page of results."),
        ({"page": "3", "page_size": "1"}, "Page 3 does not exist; there are 2 pages of results."),
    ],
)
def test_a_page_past_the_end_is_a_400(client, corpus, params, message):
    response = get(client, "/api/agreements/", **params)

    assert response.status_code == 400
    assert response.json() == {"errors": {"page": [message]}}


def test_the_last_page_is_still_a_page(client, corpus):
    response = get(client, "/api/agreements/", page=2, page_size=1)

    assert slugs(response) == ["2015-high-speed-rail"]


@pytest.mark.parametrize("size", ["0", "-1", "abc", "201"])
def test_a_bad_page_size_is_a_400(client, corpus, size):
    response = get(client, "/api/agreements/", page_size=size)

    assert response.status_code == 400
    assert "from 1 to 200" in response.json()["errors"]["page_size"][0]


def test_writing_is_refused_as_json(client, corpus):
    response = client.post("/api/agreements/", {"title": "x"})

    assert response.status_code == 405
    assert response.json() == {"errors": {"detail": ['Method "POST" not allowed.']}}


# Pagination ----------------------------------------------------------------------------


def test_lists_are_paginated_with_links(client, corpus, source):
    for year in range(2000, 2005):
        published_agreement(f"{year}-extra", source, year=year)

    first = get(client, "/api/agreements/", page_size=3, kind="framework").json()
    second = get(client, "/api/agreements/", page_size=3, kind="framework", page=2).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 5
    assert [r["slug"] for r in first["results"]] == ["2004-extra", "2003-extra", "2002-extra"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/agreements/?")
    assert "page=2" in first["next"] and "kind=framework" in first["next"]
    assert [r["slug"] for r in second["results"]] == ["2001-extra", "2000-extra"]
    assert second["next"] is None
    assert second["previous"] is not None


def test_pages_hold_fifty_records_unless_asked(client, source):
    for n in range(51):
        published_agreement(f"agreement-{n}", source)

    assert len(get(client, "/api/agreements/").json()["results"]) == 50
    assert len(get(client, "/api/agreements/", page=2).json()["results"]) == 1
    assert len(get(client, "/api/agreements/", page_size=200).json()["results"]) == 51


def test_an_empty_list_is_one_empty_page(client, db):
    response = get(client, "/api/agreements/")

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


# Query counts --------------------------------------------------------------------------


def add_more(source, other_source, sector, n=4):
    """More records of each kind, each with every relation the payload shows."""
    for i in range(n):
        actor = make_actor(f"more-actor-{i}", source=source)
        actor.sectors.add(sector)
        agreement = published_agreement(
            f"more-agreement-{i}", source, sectors=[sector], parties=[actor], tags=[f"tag {i}"]
        )
        dispute(agreement, source, other_source)
        milestone = published_milestone(
            f"more-milestone-{i}",
            source,
            sectors=[sector],
            actors=[actor],
            tags=[f"tag {i}"],
            agreement=agreement,
        )
        dispute(milestone, source, other_source)
        Sector.objects.create(name=f"More {i}", slug=f"more-{i}", parent=sector)
        Source.objects.create(slug=f"more-source-{i}", title=f"More {i}", kind="report")


def test_the_agreement_list_runs_eleven_queries_however_long(
    client, corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of agreements (with is_disputed), 3 parties with their institutions,
    # 4 tags, 5 sectors, 6 citations with sources and disagreements, 7 disagreements,
    # 8-11 the published agreements each builds on, is built upon by, supersedes and is
    # superseded by.
    with django_assert_num_queries(11):
        assert len(get(client, "/api/agreements/").json()["results"]) == 2
    add_more(source, other_source, sector)
    with django_assert_num_queries(11):
        assert len(get(client, "/api/agreements/").json()["results"]) == 6
    # The filters add conditions to those queries, not queries of their own, apart from
    # checking that each slug given exists: 12 sector, 13 actor, 14 tag.
    with django_assert_num_queries(14):
        response = get(
            client, "/api/agreements/", sector="space", actor="isro", tag="satellites", q="space"
        )
        assert slugs(response) == ["2018-space-mou"]


def test_an_agreement_detail_runs_ten_queries(
    client, corpus, source, other_source, sector, django_assert_num_queries
):
    add_more(source, other_source, sector)
    # 1 the agreement, 2 parties, 3 tags, 4 sectors, 5 citations, 6 disagreements,
    # 7-10 its lineage: builds on, built upon by, supersedes, superseded by.
    with django_assert_num_queries(10):
        assert get(client, "/api/agreements/more-agreement-1/").status_code == 200


def test_the_milestone_list_runs_eight_queries_however_long(
    client, corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of milestones with their agreements, 3 published institutions,
    # 4 tags, 5 sectors, 6 citations with sources and disagreements, 7 disagreements,
    # 8 the published milestones announced at each (outcomes).
    with django_assert_num_queries(8):
        assert len(get(client, "/api/milestones/").json()["results"]) == 2
    add_more(source, other_source, sector)
    with django_assert_num_queries(8):
        assert len(get(client, "/api/milestones/").json()["results"]) == 6


def test_the_actor_list_runs_five_queries_however_long(
    client, corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of institutions with their parents, 3 sectors,
    # 4 citations with sources and disagreements, 5 disagreements.
    with django_assert_num_queries(5):
        assert len(get(client, "/api/actors/").json()["results"]) == 2
    add_more(source, other_source, sector)
    Actor.objects.filter(slug__startswith="more-").update(parent=corpus["meti"])
    with django_assert_num_queries(5):
        assert len(get(client, "/api/actors/").json()["results"]) == 6


def test_the_sector_list_runs_two_queries_however_long(
    client, corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of sectors with parents and published-record counts as subqueries.
    with django_assert_num_queries(2):
        assert len(get(client, "/api/sectors/").json()["results"]) == 2
    add_more(source, other_source, sector)
    with django_assert_num_queries(2):
        assert len(get(client, "/api/sectors/").json()["results"]) == 6


def test_the_source_list_runs_two_queries_however_long(
    client, corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of sources with their published-citation counts.
    with django_assert_num_queries(2):
        assert len(get(client, "/api/sources/").json()["results"]) == 2
    add_more(source, other_source, sector)
    with django_assert_num_queries(2):
        assert len(get(client, "/api/sources/").json()["results"]) == 6


# Root, schema and docs -----------------------------------------------------------------


def test_the_root_lists_the_five_resources(client, db):
    response = get(client, "/api/")

    assert response.status_code == 200
    assert response.json() == {
        name: f"http://testserver/api/{name}/"
        for name in ["agreements", "milestones", "actors", "sectors", "sources"]
    }


def test_the_schema_is_valid_openapi_listing_the_five_resources(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for name in ["agreements", "milestones", "actors", "sectors", "sources"]:
        assert f"/api/{name}/" in schema["paths"]
        assert f"/api/{name}/{{slug}}/" in schema["paths"]
        assert set(schema["paths"][f"/api/{name}/"]) == {"get"}
    parameters = {p["name"] for p in schema["paths"]["/api/agreements/"]["get"]["parameters"]}
    assert parameters == {
        "q",
        "sector",
        "actor",
        "country",
        "kind",
        "status",
        "tag",
        "disputed",
        "year",
        "year_from",
        "year_to",
        "sort",
        "page",
        "page_size",
    }


def test_the_docs_page_serves_swagger_from_our_own_static_files(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert "cdn" not in html.lower()
    # Swagger UI needs inline script, so the docs page alone goes without the policy.
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy" in client.get("/api/")


def test_a_model_validation_error_becomes_a_400_naming_the_field(db):
    from django.core.exceptions import ValidationError as DjangoValidationError

    from ijtech.api import exception_handler

    response = exception_handler(DjangoValidationError({"year": ["Too early."]}), {})

    assert response.status_code == 400
    assert response.data == {"errors": {"year": ["Too early."]}}
