"""The sitemap's parts: absolute URLs, published records, sources and pages.

Each app declares the sitemaps of its records; ijtech/urls.py assembles them.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ijtech.models import Source


class SiteURLSitemap(Sitemap):
    """Absolute URLs from SITE_URL when it is set, else from the request.

    Without the sites framework, the sitemap view passes a RequestSite (the request's host)
    and the request's scheme, which the base class uses.
    """

    def get_protocol(self, protocol=None):
        if not settings.SITE_URL:
            return super().get_protocol(protocol)
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        if not settings.SITE_URL:
            return super().get_domain(site)
        parts = urlsplit(settings.SITE_URL)
        # get_absolute_url() already starts with "/", so any path prefix loses its slash.
        return parts.netloc + parts.path.rstrip("/")


class EditorialSitemap(SiteURLSitemap):
    """The public records of `model`, each with its last change."""

    model = None
    changefreq = "monthly"

    def items(self):
        # Only the address and the last change are read: the related rows public() brings
        # for the pages would cost a query each on a page of up to 50,000 records.
        return (
            self.model.objects.public()
            .select_related(None)
            .prefetch_related(None)
            .only("slug", "updated_at")
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.updated_at


class SourceSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Source.objects.order_by("slug")


class StaticSitemap(SiteURLSitemap):
    """Pages that are not records, by URL name."""

    changefreq = "weekly"
    priority = 0.9

    def __init__(self, names: list[str]):
        self.names = names

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)
