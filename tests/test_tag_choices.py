"""Tags only drafts carry are as unknown to the public as tags that do not exist."""

import pytest

from tests.factories import DRAFT, add_agreement, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(source):
    publish(add_agreement("public-one", editorial=DRAFT), source).tags.add("satellites")
    add_agreement("draft-one", editorial=DRAFT).tags.add("zqxdrafttag")


@pytest.mark.parametrize("url", ["/agreements/", "/api/agreements/", "/api/milestones/"])
def test_a_draft_only_tag_answers_like_a_tag_that_does_not_exist(client, tagged, url):
    draft_only = client.get(url, {"tag": "zqxdrafttag"})
    missing = client.get(url, {"tag": "nonexistent"})
    assert (draft_only.status_code, missing.status_code) == (400, 400)
    assert "There is no tag “zqxdrafttag”" in draft_only.content.decode()


def test_a_published_tag_still_filters(client, tagged):
    response = client.get("/api/agreements/", {"tag": "satellites"})
    assert response.status_code == 200
    assert [r["slug"] for r in response.json()["results"]] == ["public-one"]


@pytest.mark.parametrize("url", ["/api/agreements/", "/api/milestones/"])
def test_the_browsable_api_offers_only_published_tags(client, tagged, url):
    page = client.get(url, {"format": "api"}).content.decode()
    assert 'value="satellites"' in page
    assert "zqxdrafttag" not in page
