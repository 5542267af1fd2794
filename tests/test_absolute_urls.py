"""Absolute links: from SITE_URL when it is set, else from the host the request was made to."""

import json

import pytest

from ijtech.urls_abs import DEFAULT_SITE_URL, absolute_url, site_url
from tests.factories import add_agreement, add_milestone, cite

pytestmark = pytest.mark.django_db

HOST = "example.test:8123"
BASE = f"http://{HOST}"
PAGE = "/agreements/2020-pact/"


@pytest.fixture
def records(source):
    agreement = add_agreement("2020-pact", title="Cyber Pact", year=2020)
    cite(agreement, source)
    milestone = add_milestone("2020-signing", title="Pact signed", year=2020)
    cite(milestone, source)
    return agreement, milestone


@pytest.fixture
def no_site_url(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["example.test"]
    return settings


def get(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


class TestWithoutSiteURL:
    def test_exports_link_to_the_host_asked(self, client, records, no_site_url):
        rows = json.loads(get(client, "/agreements/export.json"))["results"]
        assert [row["url"] for row in rows] == [BASE + PAGE]
        assert f"{BASE}{PAGE}".encode() in get(client, "/agreements/export.csv")

    @pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
    def test_citation_files_link_to_the_host_asked(self, client, records, no_site_url, fmt):
        body = get(client, f"{PAGE}cite.{fmt}").decode()
        assert f"{BASE}{PAGE}" in body
        assert "127.0.0.1" not in body

    def test_the_feed_links_to_the_host_asked(self, client, records, no_site_url):
        body = get(client, "/milestones/feed/").decode()
        assert f'href="{BASE}/milestones/"' in body
        assert f'href="{BASE}/milestones/feed/"' in body
        assert f"{BASE}/milestones/2020-signing/" in body
        assert "127.0.0.1" not in body

    def test_the_sitemap_links_to_the_host_asked(self, client, records, no_site_url):
        index = get(client, "/sitemap.xml").decode()
        assert f"<loc>{BASE}/sitemap-agreements.xml</loc>" in index
        body = get(client, "/sitemap-agreements.xml").decode()
        assert f"<loc>{BASE}{PAGE}</loc>" in body
        assert "127.0.0.1" not in index + body

    def test_the_page_metadata_links_to_the_host_asked(self, client, records, no_site_url):
        body = get(client, PAGE).decode()
        assert f'<link rel="canonical" href="{BASE}{PAGE}">' in body
        assert f"{BASE}{PAGE}</p>" in body  # the formatted reference

    def test_outside_a_request_it_falls_back_to_the_development_address(self, no_site_url):
        assert site_url() == DEFAULT_SITE_URL
        assert absolute_url(None, "/x/") == f"{DEFAULT_SITE_URL}/x/"


class TestWithSiteURL:
    @pytest.fixture
    def site(self, settings):
        settings.SITE_URL = "https://ijtech.example.org"
        settings.ALLOWED_HOSTS = ["example.test"]
        return settings.SITE_URL

    def test_site_url_wins_over_the_host_in_every_file(self, client, records, site):
        bodies = [
            get(client, "/agreements/export.json"),
            get(client, f"{PAGE}cite.bib"),
            get(client, f"{PAGE}cite.ris"),
            get(client, f"{PAGE}cite.json"),
            get(client, "/milestones/feed/"),
            get(client, "/sitemap.xml"),
            get(client, "/sitemap-agreements.xml"),
            get(client, PAGE),
        ]
        for body in bodies:
            text = body.decode()
            assert site in text
            assert HOST not in text

    def test_the_helper_uses_site_url_even_with_a_request(self, rf, site):
        request = rf.get("/", HTTP_HOST=HOST)
        assert absolute_url(request, "/a/") == "https://ijtech.example.org/a/"
