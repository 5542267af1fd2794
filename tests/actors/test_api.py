"""The institutions API."""

import pytest

from actors.models import Actor
from ijtech.models import EditorialStatus
from sectors.models import Sector
from tests.factories import add_cited_actor, add_more_api_records, api_get, api_slugs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]


def test_an_actor_carries_its_parent_and_citations(client, api_corpus, source):
    department = add_cited_actor("dos", source=source, name="Department of Space", country="india")
    api_corpus["meti"].parent = department
    api_corpus["meti"].save()

    record = api_get(client, "/api/actors/meti/").json()

    assert record["url"] == "http://testserver/actors/meti/"
    assert record["name"] == "Ministry of Economy"
    assert record["acronym"] == "METI"
    assert record["country"] == "japan"
    assert record["kind"] == "agency"
    assert record["parent"] == "dos"
    assert record["disputed"] is False
    assert [c["source"]["slug"] for c in record["citations"]] == ["test-source"]


def test_it_hides_a_draft_parent_institution(client, api_corpus):
    api_corpus["meti"].parent = add_cited_actor("draft-parent", status=EditorialStatus.DRAFT)
    api_corpus["meti"].save()

    assert api_get(client, "/api/actors/meti/").json()["parent"] is None


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
def test_actors_filter_like_the_page(client, api_corpus, params, expected):
    Actor.objects.get(slug="isro").sectors.add(Sector.objects.get(slug="space"))
    # Names sort as stored: "Indian Space…" before "Ministry of Economy".
    assert api_slugs(api_get(client, "/api/actors/", **params)) == expected


def test_the_actor_list_runs_five_queries_however_long(
    client, api_corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of institutions with their parents, 3 sectors,
    # 4 citations with sources and disagreements, 5 disagreements.
    with django_assert_num_queries(5):
        assert len(api_get(client, "/api/actors/").json()["results"]) == 2
    add_more_api_records(source, other_source, sector)
    Actor.objects.filter(slug__startswith="more-").update(parent=api_corpus["meti"])
    with django_assert_num_queries(5):
        assert len(api_get(client, "/api/actors/").json()["results"]) == 6
