from agreements.models import Agreement, Milestone
from ijtech.sitemaps import EditorialSitemap


class AgreementSitemap(EditorialSitemap):
    model = Agreement
    priority = 0.8


class MilestoneSitemap(EditorialSitemap):
    model = Milestone
    priority = 0.6
