"""The feeds of records recently added or changed: all of them, and per sector."""

import datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from agreements.models import Agreement, Milestone
from tests.factories import DRAFT, add_actor, add_cited_agreement, add_cited_milestone, add_sector

pytestmark = pytest.mark.django_db


def set_changed(record, day):
    # updated_at is set on save; the feed's order is by it, so tests pin it directly.
    when = datetime.datetime(2026, 1, day, tzinfo=datetime.UTC)
    type(record).objects.filter(pk=record.pk).update(updated_at=when)


ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [
        {
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.find(f"{ATOM}updated").text,
        }
        for entry in feed.iter(f"{ATOM}entry")
    ]


def slugs(items) -> list[str]:
    return [item["link"].rsplit("/", 2)[1] for item in items]


@pytest.fixture
def changes(source, sector):
    other = add_sector("health")
    # An old event changed last, a recent event changed first: the feed follows the change.
    old = add_cited_agreement("1985-st-agreement", source, year=1985, sectors=[sector])
    new = add_cited_milestone("2025-summit", source, year=2025, sectors=[other])
    body = add_actor("jaxa", sectors=[sector])
    draft = add_cited_agreement("2024-draft", source, sectors=[sector])
    Agreement.objects.filter(pk=draft.pk).update(editorial_status=DRAFT)
    set_changed(new, 1)
    set_changed(body, 2)
    set_changed(old, 3)
    set_changed(draft, 4)
    return old, new, body


def test_it_orders_entries_by_their_last_change(client, changes):
    items = entries(client, reverse("changes-feed"))
    assert slugs(items) == ["1985-st-agreement", "jaxa", "2025-summit"]
    assert items[0]["updated"].startswith("2026-01-03")


def test_it_hides_drafts(client, changes):
    assert b"2024-draft" not in client.get(reverse("changes-feed")).content


def test_a_sector_feed_holds_only_that_sectors_records(client, changes, sector):
    items = entries(client, reverse("sector-feed", args=[sector.slug]))
    assert slugs(items) == ["1985-st-agreement", "jaxa"]
    health = entries(client, reverse("sector-feed", args=["health"]))
    assert slugs(health) == ["2025-summit"]


def test_an_unknown_sector_has_no_feed(client, changes):
    assert client.get("/sectors/no-such-sector/feed/").status_code == 404


def test_the_home_and_sector_pages_advertise_their_feeds(client, changes, sector):
    home = client.get(reverse("home")).content.decode()
    assert 'type="application/atom+xml"' in home and reverse("changes-feed") in home
    page = client.get(sector.get_absolute_url()).content.decode()
    assert reverse("sector-feed", args=[sector.slug]) in page


def test_a_milestone_changed_after_an_agreement_comes_first(client, changes):
    milestone = Milestone.objects.get(slug="2025-summit")
    set_changed(milestone, 9)
    items = entries(client, reverse("changes-feed"))
    assert items[0]["link"].endswith("/milestones/2025-summit/")
