"""Every list that takes `q` says when it corrected a misspelt word, and offers the words as
typed instead."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db

LISTS = [
    "/agreements/",
    "/milestones/",
    "/actors/",
    "/sectors/",
    "/sources/",
    "/milestones/timeline/",
]
LINE = (
    '<p class="search-plan">Showing results for <strong>satellite</strong> — '
    '<a href="?q=satelite&amp;literal=1">search instead for “satelite”</a></p>'
)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_says_what_it_searched_for_instead(client, site_world, url):
    assertContains(client.get(url, {"q": "satelite"}), LINE, html=True)


@pytest.mark.parametrize("url", LISTS)
def test_a_literal_search_is_not_corrected(client, site_world, url):
    response = client.get(url, {"q": "satelite", "literal": "1"})
    assert response.status_code == 200
    assertNotContains(response, "Showing results for")


@pytest.mark.parametrize("url", LISTS)
def test_a_correctly_spelt_search_says_nothing_of_corrections(client, site_world, url):
    assertNotContains(client.get(url, {"q": "satellite"}), "Showing results for")


def test_the_corrected_search_finds_what_the_word_was_meant_to(client, site_world):
    response = client.get("/agreements/", {"q": "satelite"})
    assert [record.slug for record in response.context["object_list"]] == ["satellite-mou"]
    literal = client.get("/agreements/", {"q": "satelite", "literal": "1"})
    assert list(literal.context["object_list"]) == []


def test_a_new_search_from_a_literal_one_is_corrected_again(client, site_world):
    # The filter form sets `literal` itself (it leaves it out): it does not carry it over.
    html = client.get("/agreements/", {"q": "satelite", "literal": "1"}).content.decode()
    assert 'name="literal"' not in html


def test_the_api_lists_take_literal_too(client, site_world):
    corrected = client.get("/api/agreements/", {"q": "satelite"}).json()
    literal = client.get("/api/agreements/", {"q": "satelite", "literal": "1"}).json()
    assert [r["slug"] for r in corrected["results"]] == ["satellite-mou"]
    assert literal["results"] == []
