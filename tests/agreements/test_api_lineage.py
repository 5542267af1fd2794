"""The API shows an agreement's lineage and a milestone's outcomes as their pages do."""

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.models import Citation, EditorialStatus

pytestmark = pytest.mark.django_db


PUBLISHED = EditorialStatus.PUBLISHED
LINEAGE = ["builds_on", "built_upon_by", "supersedes", "superseded_by"]


@pytest.fixture(autouse=True)
def content_types(db):
    # Loaded up front, so that query counts measure the API alone.
    ContentType.objects.clear_cache()
    return ContentType.objects.get_for_models(Agreement, Milestone, Actor)


def agreement(slug, source, year, status=PUBLISHED):
    record = Agreement.objects.create(
        slug=slug, title=slug.title(), kind="framework", year=year, editorial_status=status
    )
    Citation.objects.create(target=record, source=source, locator="p. 1")
    return record


def milestone(slug, source, year, status=PUBLISHED, **kwargs):
    record = Milestone.objects.create(
        slug=slug, title=slug.title(), kind="pledge", year=year, editorial_status=status, **kwargs
    )
    Citation.objects.create(target=record, source=source, locator="p. 1")
    return record


def lineage(client, slug):
    response = client.get(f"/api/agreements/{slug}/")
    assert response.status_code == 200, response.content[:200]
    payload = response.json()
    return {name: payload[name] for name in LINEAGE}


@pytest.fixture
def family(source):
    """2015 and 2012 agreements that 2018 builds on, a 2020 one superseding it, and drafts."""
    middle = agreement("middle", source, 2018)
    earlier = agreement("earlier", source, 2015)
    earliest = agreement("earliest", source, 2012)
    later = agreement("later", source, 2020)
    middle.builds_on.set([earlier, earliest])
    later.supersedes.set([middle])
    for status in (EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW):
        hidden = agreement(f"hidden-{status}", source, 2019, status=status)
        middle.builds_on.add(hidden)
        middle.supersedes.add(hidden)
        hidden.builds_on.add(middle)
        hidden.supersedes.add(middle)
    return middle


def test_an_agreement_lists_its_published_lineage_in_date_order(client, family):
    assert lineage(client, "middle") == {
        "builds_on": ["earliest", "earlier"],
        "built_upon_by": [],
        "supersedes": [],
        "superseded_by": ["later"],
    }
    assert lineage(client, "earlier") == {
        "builds_on": [],
        "built_upon_by": ["middle"],
        "supersedes": [],
        "superseded_by": [],
    }
    assert lineage(client, "later")["supersedes"] == ["middle"]


def test_the_agreement_list_carries_the_lineage_too(client, family):
    results = {
        record["slug"]: {name: record[name] for name in LINEAGE}
        for record in client.get("/api/agreements/").json()["results"]
    }
    assert sorted(results) == ["earlier", "earliest", "later", "middle"]
    assert results["middle"]["builds_on"] == ["earliest", "earlier"]
    assert results["middle"]["superseded_by"] == ["later"]
    assert results["earliest"]["built_upon_by"] == ["middle"]


def test_an_unpublished_agreement_is_in_no_lineage(client, family):
    payloads = client.get("/api/agreements/", {"page_size": 200}).json()["results"]
    named = {slug for record in payloads for name in LINEAGE for slug in record[name]}
    assert named == {"middle", "earlier", "earliest", "later"}
    assert "hidden" not in str(payloads)


def test_the_lineage_costs_four_queries_however_many_links(
    client, family, source, django_assert_num_queries
):
    # As tests/test_api.py counts: 7 for the agreements and what they carry, 8-11 lineage.
    with django_assert_num_queries(11):
        client.get("/api/agreements/")
    for i in range(4):
        newer = agreement(f"newer-{i}", source, 2021 + i)
        newer.builds_on.set([family])
        newer.supersedes.set(Agreement.objects.filter(slug__in=["earlier", "earliest"]))
    with django_assert_num_queries(11):
        assert len(client.get("/api/agreements/").json()["results"]) == 8


def test_a_milestone_lists_what_was_announced_at_it_published_only(client, source):
    summit = milestone("summit", source, 2022)
    milestone("later-pledge", source, 2023, occasion=summit)
    milestone("early-pledge", source, 2022, occasion=summit)
    milestone("draft-pledge", source, 2022, occasion=summit, status=EditorialStatus.DRAFT)
    milestone("review-pledge", source, 2022, occasion=summit, status=EditorialStatus.IN_REVIEW)

    detail = client.get("/api/milestones/summit/").json()
    assert detail["outcomes"] == ["early-pledge", "later-pledge"]
    listed = {m["slug"]: m for m in client.get("/api/milestones/").json()["results"]}
    assert listed["summit"]["outcomes"] == ["early-pledge", "later-pledge"]
    assert listed["early-pledge"]["outcomes"] == []
    assert listed["early-pledge"]["occasion"] == "summit"


def test_an_unpublished_occasion_shows_as_null(client, source):
    summit = milestone("summit", source, 2022, status=EditorialStatus.IN_REVIEW)
    milestone("pledge", source, 2022, occasion=summit)
    assert client.get("/api/milestones/pledge/").json()["occasion"] is None


def test_the_schema_documents_the_lineage_and_outcomes(client):
    schemas = yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]
    fields = {
        "Agreement": LINEAGE,
        "Milestone": ["outcomes"],
    }
    for component, names in fields.items():
        properties = schemas[component]["properties"]
        for name in names:
            assert properties[name]["type"] == "array"
            assert properties[name]["items"] == {"type": "string"}
            assert properties[name]["readOnly"] is True
            assert properties[name]["description"]
