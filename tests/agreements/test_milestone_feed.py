"""The Atom feed of milestones."""

import datetime
import xml.etree.ElementTree as ET

from django.conf import settings
from django.urls import reverse

from tests.factories import DRAFT, add_milestone, publish

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_rfc3339(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


class TestMilestoneFeed:
    def get_feed(self, client):
        response = client.get(reverse("milestones:feed"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        return ET.fromstring(response.content)

    def test_the_feed_is_atom_with_the_required_elements(self, client, feed_milestones):
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

    def test_entries_are_published_milestones_newest_first(self, client, feed_milestones):
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

    def test_a_summary_is_escaped_html_with_the_date(self, client, feed_milestones):
        entries = self.get_feed(client).findall(f"{ATOM}entry")
        summary = entries[1].find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        assert summary.text == "<p>October 2020 · Summit</p><p>R&amp;D &lt;b&gt;</p>"

    def test_drafts_and_records_in_review_are_left_out(self, client, feed_milestones):
        assert b"Hidden" not in client.get(reverse("milestones:feed")).content

    def test_the_feed_holds_the_latest_fifty_in_fixed_queries(
        self, client, source, django_assert_num_queries
    ):
        for i in range(55):
            publish(add_milestone(f"m-{i}", year=1950 + i, editorial=DRAFT), source)
        # 1 the milestones, 2 their sectors, 3 their published institutions (the public
        # queryset the pages share)
        with django_assert_num_queries(3):
            entries = self.get_feed(client).findall(f"{ATOM}entry")
        assert len(entries) == 50
        assert entries[0].find(f"{ATOM}title").text == "M 54"
