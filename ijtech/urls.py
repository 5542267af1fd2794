from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from actors.sitemaps import ActorSitemap
from agreements import views as agreement_views
from agreements.sitemaps import AgreementSitemap, MilestoneSitemap
from ijtech import health, views
from ijtech.sitemaps import SourceSitemap, StaticSitemap
from sectors.sitemaps import SectorSitemap

handler500 = "ijtech.middleware.server_error"

sitemaps = {
    "pages": StaticSitemap(
        [
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
    ),
    "agreements": AgreementSitemap,
    "milestones": MilestoneSitemap,
    "actors": ActorSitemap,
    "sectors": SectorSitemap,
    "sources": SourceSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("agreements/", include("agreements.urls")),
    path("milestones/", include("agreements.milestone_urls")),
    path("actors/", include("actors.urls")),
    path("sectors/", include("sectors.urls")),
    path("sources/", include("ijtech.source_urls")),
    path("disagreements/", views.disagreements, name="disagreements"),
    path("pledges/", agreement_views.pledges, name="pledges"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("api/", include("ijtech.api_urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ a missing address answers JSON, like every other API error.
handler404 = "ijtech.api.page_not_found"
