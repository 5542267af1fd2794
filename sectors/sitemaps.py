from ijtech.sitemaps import SiteURLSitemap
from sectors.models import Sector


class SectorSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Sector.objects.order_by("slug")
