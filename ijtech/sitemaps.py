"""The sitemap: published records, sectors, sources and the static pages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.models import Source
from sectors.models import Sector


class SiteURLSitemap(Sitemap):
    """Absolute URLs from SITE_URL: the sites framework is not installed."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        # get_absolute_url() already starts with "/", so any path prefix loses its slash.
        return parts.netloc + parts.path.rstrip("/")


class RecordSitemap(SiteURLSitemap):
    model = None
    changefreq = "monthly"

    def items(self):
        return self.model.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class AgreementSitemap(RecordSitemap):
    model = Agreement
    priority = 0.8


class MilestoneSitemap(RecordSitemap):
    model = Milestone
    priority = 0.6


class ActorSitemap(RecordSitemap):
    model = Actor
    priority = 0.6


class SectorSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Sector.objects.order_by("slug")


class SourceSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Source.objects.order_by("slug")


class StaticSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return [
            "home",
            "agreements:list",
            "milestones:list",
            "milestones:timeline",
            "actors:list",
            "sectors:list",
            "sources:list",
            "disagreements",
            "pledges",
            "search",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "agreements": AgreementSitemap,
    "milestones": MilestoneSitemap,
    "actors": ActorSitemap,
    "sectors": SectorSitemap,
    "sources": SourceSitemap,
}
