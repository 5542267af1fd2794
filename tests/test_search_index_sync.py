"""The search index follows the records: what is saved, published, unpublished, deleted,
cited, tagged or renamed is found (or no longer found) at once, by /api/search/ and by the
lists' `q` filter alike."""

import pytest

from ijtech.models import EditorialStatus
from tests.factories import add_actor, add_agreement, add_sector, cite

pytestmark = pytest.mark.django_db


def found(client, query, kind="agreement"):
    """Slugs of the records of `kind` that /api/search/ finds for `query`."""
    response = client.get("/api/search/", {"q": query, "type": kind})
    assert response.status_code == 200, response.content[:1000]
    return {result["slug"] for result in response.json()["results"]}


def listed(client, query, resource="agreements"):
    """Slugs that the API list of `resource` keeps for `?q=query`."""
    response = client.get(f"/api/{resource}/", {"q": query})
    assert response.status_code == 200, response.content[:1000]
    return {record["slug"] for record in response.json()["results"]}


def findable(client, query, slug, kind="agreement", resource="agreements") -> bool:
    """Whether both the search and the list filter find the record; they must agree."""
    by_search, by_list = slug in found(client, query, kind), slug in listed(client, query, resource)
    assert by_search == by_list, f"/api/search/ says {by_search}, /api/{resource}/ {by_list}"
    return by_search


@pytest.fixture
def agreement(source):
    record = add_agreement("2019-orbital-accord", title="Orbital accord", year=2019)
    cite(record, source)
    return record


def test_a_published_agreement_is_found(client, agreement):
    assert findable(client, "orbital", agreement.slug)


def test_a_draft_is_never_found(client, source):
    draft = add_agreement("2019-secret-draft", EditorialStatus.DRAFT, title="Zanzibarian draft")
    cite(draft, source, quote="a zanzibarian undertaking")
    draft.tags.add("zanzibarian")
    assert not findable(client, "zanzibarian", draft.slug)
    response = client.get("/api/search/", {"q": "zanzibarian"})
    assert response.json()["count"] == 0


def test_a_new_title_is_found_and_the_old_one_is_not(client, agreement):
    agreement.title = "Celestial accord"
    agreement.save()
    assert findable(client, "celestial", agreement.slug)
    assert not findable(client, "orbital", agreement.slug)


def test_moving_to_draft_hides_it_and_publishing_again_finds_it(client, agreement):
    agreement.move_to(EditorialStatus.DRAFT)
    assert not findable(client, "orbital", agreement.slug)
    agreement.publish()
    assert findable(client, "orbital", agreement.slug)


def test_a_deleted_agreement_is_not_found(client, agreement):
    slug = agreement.slug
    agreement.delete()
    assert not findable(client, "orbital", slug)


def test_renaming_a_party_finds_its_agreements_by_the_new_name(client, agreement, source):
    party = add_actor("kestrel-agency", name="Kestrel Agency", country="india")
    cite(party, source)
    add_agreement("2020-unrelated", title="Unrelated accord", year=2020)
    agreement.party_links.create(actor=party, role="signatory")
    assert findable(client, "kestrel", agreement.slug)
    party.name = "Peregrine Agency"
    party.save()
    assert findable(client, "peregrine", agreement.slug)
    assert not findable(client, "kestrel", agreement.slug)
    assert "2020-unrelated" not in found(client, "peregrine")


def test_a_rare_word_in_a_new_citation_quote_is_found(client, agreement, source):
    assert not findable(client, "heliopause", agreement.slug)
    cite(agreement, source, locator="Chapter 2", quote="probes beyond the heliopause")
    assert findable(client, "heliopause", agreement.slug)


def test_a_new_tag_is_found(client, agreement):
    assert not findable(client, "magnetosphere", agreement.slug)
    agreement.tags.add("magnetosphere")
    assert findable(client, "magnetosphere", agreement.slug)


def test_a_renamed_sector_is_found_by_its_new_name(client):
    sector = add_sector("photonics", name="Photonics")
    assert findable(client, "photonics", "photonics", kind="sector", resource="sectors")
    sector.name = "Optoelectronics"
    sector.save()
    assert findable(client, "optoelectronics", "photonics", kind="sector", resource="sectors")
    assert not findable(client, "photonics", "photonics", kind="sector", resource="sectors")
