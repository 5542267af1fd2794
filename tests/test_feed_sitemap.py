import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor
from ijtech.models import EditorialStatus, Source
from tests.conftest import cite, make_agreement, make_milestone, publish

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HIDDEN = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW]


def parse_rfc3339(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


@pytest.fixture
def milestones(db, source, sector):
    made = {
        "old": publish(
            make_milestone("1958-first-loan", title="First Yen Loan", year=1958), source
        ),
        "mid": publish(
            make_milestone("2020-oct", title="October", year=2020, month=10, summary="R&D <b>"),
            source,
        ),
        "new": publish(
            make_milestone("2024-summit", title="Summit", year=2024, month=8, day=29), source
        ),
    }
    made["new"].sectors.add(sector)
    for status in HIDDEN:
        cite(
            make_milestone(f"hidden-{status}", title=f"Hidden {status}", year=2025, status=status),
            source,
        )
    return made


class TestMilestoneFeed:
    def get_feed(self, client):
        response = client.get(reverse("milestones:feed"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        return ET.fromstring(response.content)

    def test_the_feed_is_atom_with_the_required_elements(self, client, milestones):
        feed = self.get_feed(client)
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{required}").text
        assert feed.find(f"{ATOM}author/{ATOM}name").text == "ijtech"
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["self"] == f"{settings.SITE_URL}/milestones/feed/"
        assert links["alternate"] == f"{settings.SITE_URL}/milestones/"
        for entry in feed.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated", "published", "summary"):
                assert entry.find(f"{ATOM}{required}").text, required
            published = parse_rfc3339(entry.find(f"{ATOM}published").text)
            assert parse_rfc3339(entry.find(f"{ATOM}updated").text) >= published

    def test_entries_are_published_milestones_newest_first(self, client, milestones):
        entries = self.get_feed(client).findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == [
            "Summit",
            "October",
            "First Yen Loan",
        ]
        summit = entries[0]
        assert summit.find(f"{ATOM}link").get("href") == (
            f"{settings.SITE_URL}/milestones/2024-summit/"
        )
        assert summit.find(f"{ATOM}id").text == f"{settings.SITE_URL}/milestones/2024-summit/"
        assert summit.find(f"{ATOM}published").text.startswith("2024-08-29T00:00:00")
        assert [c.get("term") for c in summit.findall(f"{ATOM}category")] == ["Summit", "Space"]

    def test_a_summary_is_escaped_html_with_the_date(self, client, milestones):
        entries = self.get_feed(client).findall(f"{ATOM}entry")
        summary = entries[1].find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        assert summary.text == "<p>October 2020 · Summit</p><p>R&amp;D &lt;b&gt;</p>"

    def test_drafts_and_records_in_review_are_left_out(self, client, milestones):
        assert b"Hidden" not in client.get(reverse("milestones:feed")).content

    def test_the_feed_holds_the_latest_fifty_in_fixed_queries(
        self, client, source, django_assert_num_queries
    ):
        for i in range(55):
            publish(make_milestone(f"m-{i}", year=1950 + i), source)
        # 1 the milestones, 2 their sectors, 3 their published institutions (the public
        # queryset the pages share)
        with django_assert_num_queries(3):
            entries = self.get_feed(client).findall(f"{ATOM}entry")
        assert len(entries) == 50
        assert entries[0].find(f"{ATOM}title").text == "M 54"


class TestSitemap:
    def locations(self, client) -> list[str]:
        response = client.get(reverse("sitemap"))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert root.tag == f"{SITEMAP}urlset"
        return [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]

    def test_published_records_sectors_sources_and_pages_are_listed(
        self, client, milestones, actor, sector, source
    ):
        agreement = publish(make_agreement("2018-deal"), source)
        locations = self.locations(client)
        site = settings.SITE_URL
        for path in [
            "/",
            "/agreements/",
            "/milestones/",
            "/milestones/timeline/",
            "/actors/",
            "/sectors/",
            "/sources/",
            "/disagreements/",
            "/pledges/",
            "/search/",
            agreement.get_absolute_url(),
            "/milestones/2024-summit/",
            "/actors/isro/",
            "/sectors/space/",
            "/sources/test-source/",
        ]:
            assert site + path in locations, path
        assert len(locations) == len(set(locations))

    def test_unpublished_records_are_left_out(self, client, milestones, source):
        for status in HIDDEN:
            cite(make_agreement(f"hidden-deal-{status}", status=status), source)
            cite(
                Actor.objects.create(
                    name="Hidden",
                    slug=f"hidden-actor-{status}",
                    country="india",
                    kind="agency",
                    editorial_status=status,
                ),
                source,
            )
        body = client.get(reverse("sitemap")).content.decode()
        assert "hidden" not in body

    def test_records_carry_their_last_change(self, client, actor):
        root = ET.fromstring(client.get(reverse("sitemap")).content)
        lastmods = {
            url.find(f"{SITEMAP}loc").text: url.findtext(f"{SITEMAP}lastmod")
            for url in root.findall(f"{SITEMAP}url")
        }
        assert lastmods[f"{settings.SITE_URL}/actors/isro/"] == (
            timezone.localdate(actor.updated_at).isoformat()
        )

    def test_the_sitemap_costs_a_fixed_number_of_queries(
        self, client, source, sector, actor, django_assert_num_queries
    ):
        def add(start, n):
            for i in range(start, start + n):
                publish(make_agreement(f"a-{i}"), source)
                publish(make_milestone(f"m-{i}"), source)
                Source.objects.create(slug=f"s-{i}", title=f"S {i}", kind="report")

        add(0, 1)
        # a count and a page of items for each of the five sitemaps of records
        with django_assert_num_queries(10):
            few = self.locations(client)
        add(1, 5)
        with django_assert_num_queries(10):
            many = self.locations(client)
        assert len(many) == len(few) + 15
