"""The sitemap: an index of one sitemap per section, each in pages of bounded size."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor
from agreements.sitemaps import MilestoneSitemap
from ijtech.models import Source
from tests.factories import DRAFT, UNPUBLISHED, add_agreement, add_milestone, cite, publish

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


SECTIONS = ["pages", "agreements", "milestones", "actors", "sectors", "sources"]


def index_locations(client) -> list[str]:
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [entry.findtext(f"{SITEMAP}loc") for entry in root.findall(f"{SITEMAP}sitemap")]


def section_root(client, location: str):
    parts = urlsplit(location)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return root


class TestSitemap:
    def locations(self, client) -> list[str]:
        """Every address of every sitemap the index names."""
        return [
            url.findtext(f"{SITEMAP}loc")
            for location in index_locations(client)
            for url in section_root(client, location).findall(f"{SITEMAP}url")
        ]

    def test_the_index_names_one_sitemap_per_section(self, client, db):
        assert index_locations(client) == [
            f"{settings.SITE_URL}/sitemap-{section}.xml" for section in SECTIONS
        ]

    def test_a_section_too_long_for_one_file_is_split_into_pages(self, client, source, monkeypatch):
        for i in range(5):
            publish(add_milestone(f"m-{i}", editorial=DRAFT), source)
        monkeypatch.setattr(MilestoneSitemap, "limit", 2)
        milestones = f"{settings.SITE_URL}/sitemap-milestones.xml"
        listed = [loc for loc in index_locations(client) if loc.startswith(milestones)]
        assert listed == [milestones, f"{milestones}?p=2", f"{milestones}?p=3"]
        pages = [
            [url.findtext(f"{SITEMAP}loc") for url in section_root(client, loc)] for loc in listed
        ]
        assert [len(page) for page in pages] == [2, 2, 1]
        assert sorted(sum(pages, [])) == [
            f"{settings.SITE_URL}/milestones/m-{i}/" for i in range(5)
        ]

    @pytest.mark.parametrize("page", ["4", "0", "two"])
    def test_a_page_that_is_not_there_is_not_found(self, client, source, monkeypatch, page):
        for i in range(5):
            publish(add_milestone(f"m-{i}", editorial=DRAFT), source)
        monkeypatch.setattr(MilestoneSitemap, "limit", 2)
        response = client.get(reverse("sitemap-section", args=["milestones"]), {"p": page})
        assert response.status_code == 404

    def test_an_unknown_section_is_not_found(self, client, db):
        assert client.get("/sitemap-nothing.xml").status_code == 404

    def test_published_records_sectors_sources_and_pages_are_listed(
        self, client, feed_milestones, actor, sector, source
    ):
        agreement = publish(add_agreement("2018-deal", editorial=DRAFT), source)
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

    def test_unpublished_records_are_left_out(self, client, feed_milestones, source):
        for status in UNPUBLISHED:
            cite(add_agreement(f"hidden-deal-{status}", editorial=status), source)
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
        assert not [loc for loc in self.locations(client) if "hidden" in loc]

    def test_records_carry_their_last_change(self, client, actor):
        root = section_root(client, reverse("sitemap-section", args=["actors"]))
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
                publish(add_agreement(f"a-{i}", editorial=DRAFT), source)
                publish(add_milestone(f"m-{i}", editorial=DRAFT), source)
                Source.objects.create(slug=f"s-{i}", title=f"S {i}", kind="report")

        sections = [reverse("sitemap-section", args=[name]) for name in SECTIONS]

        def fetch():
            # The index:
            # 1-2. agreements: their latest change, their count (for the number of pages)
            # 3-4. milestones: the same
            # 5-6. institutions: the same
            # 7. sectors: their count
            # 8. sources: their count
            with django_assert_num_queries(8):
                assert client.get(reverse("sitemap")).status_code == 200
            # Each section but the pages: 1. its count, 2. a page of addresses.
            found = []
            for path in sections:
                with django_assert_num_queries(0 if path.endswith("pages.xml") else 2):
                    found += section_root(client, path).findall(f"{SITEMAP}url")
            return found

        add(0, 1)
        few = fetch()
        add(1, 5)
        many = fetch()
        assert len(many) == len(few) + 15
