"""The sitemap."""

import xml.etree.ElementTree as ET

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor
from ijtech.models import Source
from tests.factories import DRAFT, UNPUBLISHED, add_agreement, add_milestone, cite, publish

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class TestSitemap:
    def locations(self, client) -> list[str]:
        response = client.get(reverse("sitemap"))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert root.tag == f"{SITEMAP}urlset"
        return [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]

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
                publish(add_agreement(f"a-{i}", editorial=DRAFT), source)
                publish(add_milestone(f"m-{i}", editorial=DRAFT), source)
                Source.objects.create(slug=f"s-{i}", title=f"S {i}", kind="report")

        add(0, 1)
        # a count and a page of items for each of the five sitemaps of records
        with django_assert_num_queries(10):
            few = self.locations(client)
        add(1, 5)
        with django_assert_num_queries(10):
            many = self.locations(client)
        assert len(many) == len(few) + 15
