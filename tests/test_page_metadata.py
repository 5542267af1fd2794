"""What pages tell Zotero and search engines: citation_* and Open Graph tags, JSON-LD, canonical."""

import json
from html.parser import HTMLParser

import pytest

from ijtech.models import Source
from ijtech.page_metadata import json_ld
from tests.factories import add_actor, add_agreement, add_milestone

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """The page's <meta> tags, canonical links and JSON-LD scripts."""

    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.append((attrs.get("name") or attrs["property"], attrs.get("content", "")))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def values(self, name) -> list[str]:
        return [content for key, content in self.meta if key == name]

    def data(self) -> dict:
        assert len(self.json_ld) == 1
        return json.loads(self.json_ld[0])


def head(client, url) -> HeadParser:
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def pact(db):
    india = add_actor("goi", name="Government of India", country="india", kind="ministry")
    japan = add_actor("goj", name="Government of Japan", kind="ministry")
    return add_agreement(
        "2020-cyber-pact",
        title="India–Japan Cyber Security Pact",
        kind="treaty",
        year=2020,
        month=10,
        summary="A pact on cyber security.",
        parties=[india, japan],
    )


class TestAgreementPage:
    def test_it_has_highwire_tags_for_zotero(self, client, pact, settings):
        page = head(client, pact.get_absolute_url())
        url = f"{settings.SITE_URL}/agreements/2020-cyber-pact/"
        assert page.values("citation_title") == ["India–Japan Cyber Security Pact"]
        assert page.values("citation_author") == ["Government of India", "Government of Japan"]
        assert page.values("citation_publication_date") == ["2020/10"]
        assert page.values("citation_publisher") == ["ijtech"]
        assert page.values("citation_public_url") == [url]
        assert page.values("citation_abstract_html_url") == [url]

    def test_it_has_open_graph_tags_and_a_canonical_link(self, client, pact, settings):
        page = head(client, pact.get_absolute_url())
        url = f"{settings.SITE_URL}/agreements/2020-cyber-pact/"
        assert page.canonical == [url]
        assert page.values("og:url") == [url]
        assert page.values("og:title") == ["India–Japan Cyber Security Pact"]
        assert page.values("og:type") == ["article"]
        assert page.values("og:site_name") == ["ijtech"]
        assert page.values("og:description") == ["A pact on cyber security."]

    def test_its_json_ld_is_legislation(self, client, pact, settings):
        data = head(client, pact.get_absolute_url()).data()
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Legislation"
        assert data["url"] == f"{settings.SITE_URL}/agreements/2020-cyber-pact/"
        assert data["name"] == "India–Japan Cyber Security Pact"
        assert data["legislationDate"] == "2020-10"
        assert data["legislationType"] == "Treaty or pact"
        assert [a["name"] for a in data["author"]] == ["Government of India", "Government of Japan"]


class TestOtherPages:
    def test_a_milestone_is_an_event_with_a_start_date(self, client):
        milestone = add_milestone("2025-summit", title="Annual Summit", year=2025, month=8, day=29)
        data = head(client, milestone.get_absolute_url()).data()
        assert data["@type"] == "Event"
        assert data["startDate"] == "2025-08-29"
        assert data["name"] == "Annual Summit"

    def test_a_decade_milestone_ends_with_the_decade(self, client):
        milestone = add_milestone("1960-space", year=1960, date_qualifier="decade")
        page = head(client, milestone.get_absolute_url())
        assert (page.data()["startDate"], page.data()["endDate"]) == ("1960", "1969")
        assert page.values("citation_publication_date") == ["1960"]

    def test_a_ministry_is_a_government_organization(self, client):
        actor = add_actor("mext", name="Ministry of Education", acronym="MEXT", kind="ministry")
        data = head(client, actor.get_absolute_url()).data()
        assert data["@type"] == "GovernmentOrganization"
        assert data["name"] == "Ministry of Education"
        assert data["alternateName"] == "MEXT"
        assert "datePublished" not in data

    def test_a_company_is_an_organization(self, client):
        actor = add_actor("nec", name="NEC", kind="company", website="https://www.nec.com/")
        data = head(client, actor.get_absolute_url()).data()
        assert data["@type"] == "Organization"
        assert data["sameAs"] == "https://www.nec.com/"

    @pytest.mark.parametrize(
        "kind, schema_type",
        [("journal_article", "ScholarlyArticle"), ("report", "Report"), ("web_article", "Article")],
    )
    def test_a_source_is_the_work_itself(self, client, kind, schema_type):
        source = Source.objects.create(
            slug="punnen", title="Technology Ties", authors="Joseph Punnen", kind=kind, year=2020
        )
        page = head(client, source.get_absolute_url())
        data = page.data()
        assert data["@type"] == schema_type
        assert data["author"] == [{"@type": "Person", "name": "Joseph Punnen"}]
        assert data["datePublished"] == "2020"
        assert page.values("citation_author") == ["Joseph Punnen"]
        assert page.values("citation_title") == ["Technology Ties"]

    def test_the_home_page_describes_the_dataset(self, client, settings):
        page = head(client, "/")
        data = page.data()
        assert data["@type"] == "Dataset"
        assert data["name"] == "ijtech"
        assert data["url"] == f"{settings.SITE_URL}/"
        assert data["description"]
        assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
        download = data["distribution"]
        assert download["@type"] == "DataDownload"
        assert download["contentUrl"] == f"{settings.SITE_URL}/data/ijtech-data-latest.zip"
        assert page.canonical == [f"{settings.SITE_URL}/"]

    @pytest.mark.parametrize("url", ["/agreements/", "/milestones/timeline/", "/sources/"])
    def test_every_page_has_one_canonical_link_without_the_query(self, client, settings, url):
        page = head(client, url + "?page=1")
        assert page.canonical == [f"{settings.SITE_URL}{url}"]
        assert page.values("og:site_name") == ["ijtech"]


class TestJsonLdEscaping:
    def test_a_closing_script_tag_in_the_text_stays_inside_the_script(self, client):
        agreement = add_agreement("2020-x", title="Pact </script><script>alert(1)</script>")
        body = client.get(agreement.get_absolute_url()).content.decode()
        assert "</script><script>alert(1)" not in body
        parser = HeadParser()
        parser.feed(body)
        assert parser.data()["name"] == "Pact </script><script>alert(1)</script>"

    def test_it_parses_back_to_the_same_data(self):
        data = {"name": "<!-- & </script> “quoted”"}
        text = json_ld(data)
        assert "<" not in text and "&" not in text
        assert json.loads(text) == data

    def test_the_policy_allows_no_inline_script_for_it(self, client, pact):
        # JSON-LD is a data block, never run: the policy needs no 'unsafe-inline' for it.
        policy = client.get(pact.get_absolute_url())["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
