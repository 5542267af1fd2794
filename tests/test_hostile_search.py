"""A search with no word or number in it (`?q=!!!`) is no search: every filtered surface
answers as if `q` were absent, on SQLite and PostgreSQL alike."""

import pytest
from django.contrib.contenttypes.models import ContentType

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.search import search
from tests.factories import add_actor, add_agreement, add_milestone, cite

pytestmark = pytest.mark.django_db

NO_WORD = ["!!!", "(", "'", "?", "😀", "-", "[]", "%%", "@\x7f", '"', "&", "—", "+", ":"]

SURFACES = [
    "/agreements/",
    "/milestones/",
    "/actors/",
    "/milestones/timeline/",
    "/agreements/export.csv",
    "/agreements/export.json",
    "/milestones/export.csv",
    "/milestones/export.json",
    "/actors/export.csv",
    "/actors/export.json",
    "/api/agreements/",
    "/api/milestones/",
    "/api/actors/",
]


@pytest.fixture
def records(source):
    ContentType.objects.clear_cache()
    isro = add_actor("isro", name="Indian Space Research Organisation")
    cite(isro, source)
    older = add_agreement("2014-space-mou", title="Space MoU", year=2014, parties=[isro])
    newer = add_agreement("2020-digital-mou", title="Digital MoU", year=2020)
    milestone = add_milestone("2023-launch", title="A launch", kind="launch", year=2023)
    for record in (older, newer, milestone):
        cite(record, source)
    return older, newer


def results(response):
    """What a surface found, whatever it echoes of the request (a page shows the search)."""
    assert response.status_code == 200, response.content[:500]
    context = response.context
    if context is not None and "object_list" in context:
        return [record.slug for record in context["object_list"]]
    if context is not None and "years" in context:
        return repr(context["years"])
    return response.content


@pytest.mark.parametrize("url", SURFACES)
def test_it_treats_a_search_with_no_word_as_no_search(client, records, url):
    for query in ("!!!", "😀", "("):
        assert results(client.get(url, {"q": query})) == results(client.get(url)), query


@pytest.mark.parametrize("url", ["/agreements/", "/api/milestones/"])
def test_no_punctuation_alone_is_taken_for_a_search(client, records, url):
    for query in NO_WORD:
        assert results(client.get(url, {"q": query})) == results(client.get(url)), query


def test_a_list_with_a_wordless_search_keeps_the_default_order(client, records):
    response = client.get("/api/agreements/", {"q": "?!"})
    assert [r["slug"] for r in response.json()["results"]] == ["2020-digital-mou", "2014-space-mou"]


def test_a_wordless_search_still_combines_with_the_other_filters(client, records):
    response = client.get("/api/agreements/", {"q": "((", "actor": "isro"})
    assert [r["slug"] for r in response.json()["results"]] == ["2014-space-mou"]


@pytest.mark.parametrize("model", [Agreement, Milestone, Actor])
def test_search_with_no_word_finds_nothing_but_can_still_be_ranked(model, records):
    # Callers that order by rank (the search page) must never meet a missing annotation.
    assert list(search(model.objects.all(), "!!!").order_by("-rank", "pk")) == []


def test_the_search_page_still_asks_for_a_word(client, records):
    response = client.get("/search/", {"q": "!!!"})
    assert response.status_code == 400
    assert "Type at least one word or number" in response.content.decode()
