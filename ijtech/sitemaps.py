"""The sitemap's parts: absolute URLs, published records, sources and pages.

Each app declares the sitemaps of its records; ijtech/urls.py assembles them. /sitemap.xml
is an index naming one sitemap per section (/sitemap-milestones.xml), each split into pages
(?p=2) of at most LIMIT addresses, so that no file grows with the corpus past what search
engines accept (50,000 URLs).
"""

import datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from ijtech import fragments
from ijtech.models import Source
from ijtech.urls_abs import absolute_url

# Addresses per sitemap file: the protocol allows 50,000; a fifth of that keeps a file
# under a second to write and about 2 MB.
LIMIT = 10_000
# Stands for the slug in an address built once per sitemap; it occurs in no URL prefix.
SLUG_MARK = "slug-mark"


class SiteURLSitemap(Sitemap):
    """Absolute URLs from SITE_URL when it is set, else from the request.

    Without the sites framework, the sitemap view passes a RequestSite (the request's host)
    and the request's scheme, which the base class uses.
    """

    limit = LIMIT

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

    def published(self):
        # The records public() shows, without the related rows and annotations it brings
        # for the pages: published() is the same rows.
        return self.model.objects.published()

    def items(self):
        # Only the address and the last change are read, as tuples rather than records: a
        # page holds up to 50,000 of them. Ordered by the unique slug's index.
        return self.published().order_by("slug").values_list("slug", "updated_at")

    def location(self, item):
        # The record's own get_absolute_url() once, its slug swapped for each item's: a
        # reverse() per address would be most of a 50,000-address page's time.
        if not hasattr(self, "_address"):
            self._address = self.model(slug=SLUG_MARK).get_absolute_url()
        return self._address.replace(SLUG_MARK, item[0])

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        # For the index: one aggregate, where the base class would read every record.
        return self.published().aggregate(latest=Max("updated_at"))["latest"]


class SourceSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Source.objects.order_by("slug").values_list("slug", flat=True)

    def location(self, item):
        return reverse("sources:detail", args=[item])


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


def section_pages(sitemaps: dict) -> dict:
    """{section: (pages, last change)}, until the next public change (ijtech/fragments.py)."""

    def compute():
        found = {}
        for section, site in sitemaps.items():
            site = site() if callable(site) else site
            found[section] = (site.paginator.num_pages, site.get_latest_lastmod())
        return found

    return fragments.cached(("sitemap-sections", tuple(sitemaps)), compute)


@require_safe
def index(request, sitemaps: dict):
    """/sitemap.xml: each section's sitemap and its further pages, with its last change.

    Django's own index view builds the addresses from the request's host; this one from
    SITE_URL when it is set, as the sitemaps themselves do. One count (and, for records, one
    latest change) per section, whatever the corpus holds, once per public change.
    """
    entries, latest = [], None
    for section, (pages, lastmod) in section_pages(sitemaps).items():
        location = absolute_url(request, reverse("sitemap-section", args=[section]))
        if lastmod is not None:
            latest = max(latest, lastmod) if latest else lastmod
        entries.append((location, lastmod))
        entries += [(f"{location}?p={page}", lastmod) for page in range(2, pages + 1)]
    headers = {"X-Robots-Tag": "noindex, noodp, noarchive"}
    if latest:
        headers["Last-Modified"] = http_date(latest.timestamp())
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": [{"location": loc, "last_mod": mod} for loc, mod in entries]},
        content_type="application/xml",
        headers=headers,
    )


def lastmod_text(value) -> str:
    # As Django's sitemap template writes it: the local date.
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value.isoformat()


def url_element(url: dict) -> str:
    parts = [f"<url><loc>{escape(url['location'])}</loc>"]
    if url["lastmod"]:
        parts.append(f"<lastmod>{lastmod_text(url['lastmod'])}</lastmod>")
    if url["changefreq"]:
        parts.append(f"<changefreq>{url['changefreq']}</changefreq>")
    if url["priority"]:
        parts.append(f"<priority>{url['priority']}</priority>")
    parts.append("</url>")
    return "".join(parts)


@require_safe
def section(request, sitemaps: dict, section: str):
    """/sitemap-<section>.xml?p=N: one page of a section's addresses (two queries).

    Django's sitemap view, less its template: rendering 50,000 addresses through the
    template engine takes tens of seconds, joining strings a fraction of one.
    """
    if section not in sitemaps:
        raise Http404(f"There is no sitemap “{section}”.")
    site = sitemaps[section]
    site = site() if callable(site) else site
    page = request.GET.get("p", 1)
    try:
        urls = site.get_urls(page=page, site=RequestSite(request), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404(f"The {section} sitemap has no page “{page}”.") from None
    body = "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            *(url_element(url) for url in urls),
            "</urlset>\n",
        ]
    )
    response = HttpResponse(body, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    latest = getattr(site, "latest_lastmod", None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response
