"""A search with no word or number in it (`?q=!!!`) cannot be run: every surface that takes
`q` answers 400 and says so, on SQLite and PostgreSQL alike, rather than ignoring it."""

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.factories import add_actor, add_agreement, add_milestone, cite

pytestmark = pytest.mark.django_db

NO_WORD = ["!!!", "(", "'", "?", "😀", "-", "[]", "%%", "@\x7f", '"', "&", "—", "+", ":"]
MESSAGE = "Type at least one word or number to search for."

PAGES = [
    "/agreements/",
    "/milestones/",
    "/actors/",
    "/sectors/",
    "/sources/",
    "/milestones/timeline/",
    "/search/",
]
EXPORTS = [
    f"/{resource}/export.{fmt}"
    for resource in ("agreements", "milestones", "actors", "sectors", "sources", "search")
    for fmt in ("csv", "json")
]
API = [
    "/api/agreements/",
    "/api/milestones/",
    "/api/actors/",
    "/api/sectors/",
    "/api/sources/",
    "/api/search/",
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


@pytest.mark.parametrize("url", PAGES)
def test_a_page_answers_a_wordless_search_with_a_400_that_says_why(client, records, url):
    for query in ("!!!", "😀", "("):
        response = client.get(url, {"q": query})
        html = response.content.decode()
        assert response.status_code == 400, (url, query)
        assert 'class="errors" role="alert"' in html
        assert MESSAGE in html


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_answers_a_wordless_search_with_a_400_that_says_why(client, records, url):
    response = client.get(url, {"q": "!!!"})
    assert response.status_code == 400
    if url.endswith(".json"):
        assert response.json()["errors"]["q"] == [MESSAGE]
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("url", API)
def test_the_api_answers_a_wordless_search_with_its_error_body(client, records, url):
    response = client.get(url, {"q": "?!"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"q": [MESSAGE]}}


@pytest.mark.parametrize("url", ["/agreements/", "/api/milestones/", "/api/search/"])
def test_no_punctuation_alone_is_taken_for_a_search(client, records, url):
    for query in NO_WORD:
        assert client.get(url, {"q": query}).status_code == 400, query


def test_a_wordless_search_is_refused_even_with_other_filters(client, records):
    response = client.get("/api/agreements/", {"q": "((", "actor": "isro"})
    assert response.status_code == 400
    assert response.json()["errors"]["q"] == [MESSAGE]


@pytest.mark.parametrize("url", ["/agreements/", "/api/agreements/"])
def test_an_empty_search_is_still_no_search(client, records, url):
    assert client.get(url, {"q": ""}).status_code == 200


def test_the_engine_refuses_a_wordless_search_rather_than_finding_nothing(records):
    from agreements.models import Agreement
    from ijtech.search import SearchError, search

    with pytest.raises(SearchError) as error:
        search(Agreement.objects.all(), "!!!")
    assert error.value.messages == [MESSAGE]
