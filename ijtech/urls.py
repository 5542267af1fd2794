from csp.decorators import csp_exempt
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from actors.api import ActorViewSet
from actors.sitemaps import ActorSitemap
from agreements import views as agreement_views
from agreements.api import AgreementViewSet, MilestoneViewSet
from agreements.feeds import ChangesFeed, SectorChangesFeed
from agreements.sitemaps import AgreementSitemap, MilestoneSitemap
from ijtech import data_views, health, site_search, views
from ijtech.api import SchemaView, SourceViewSet
from ijtech.search_api import SearchView
from ijtech.sitemaps import SourceSitemap, StaticSitemap
from ijtech.sitemaps import index as sitemap_index
from ijtech.sitemaps import section as sitemap_section
from sectors.api import SectorViewSet
from sectors.sitemaps import SectorSitemap

handler500 = "ijtech.middleware.server_error"

# The read-only JSON API under /api/, its OpenAPI schema and the Swagger UI.
router = DefaultRouter()
router.root_view_name = "api-root"
router.register("agreements", AgreementViewSet, basename="api-agreement")
router.register("milestones", MilestoneViewSet, basename="api-milestone")
router.register("actors", ActorViewSet, basename="api-actor")
router.register("sectors", SectorViewSet, basename="api-sector")
router.register("sources", SourceViewSet, basename="api-source")

api_urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    # Every kind of record at once, ranked; not a resource of the router.
    path("search/", SearchView.as_view(), name="api-search"),
    # Swagger UI runs inline script and style, which the site-wide CSP forbids; the page
    # shows only the public schema, so only this view goes without the policy.
    path(
        "docs/",
        csp_exempt()(SpectacularSwaggerView.as_view(url_name="schema")),
        name="docs",
    ),
    *router.urls,
]

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
            "about",
            "data",
        ]
    ),
    "agreements": AgreementSitemap,
    "milestones": MilestoneSitemap,
    "actors": ActorSitemap,
    "sectors": SectorSitemap,
    "sources": SourceSitemap,
}

urlpatterns = [
    path("", agreement_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("agreements/", include("agreements.urls")),
    path("milestones/", include("agreements.milestone_urls")),
    path("actors/", include("actors.urls")),
    path("feeds/changes/", ChangesFeed(), name="changes-feed"),
    # Here rather than in sectors/urls.py: the feed reads agreements and milestones, which
    # the sectors app cannot see.
    path("sectors/<slug:slug>/feed/", SectorChangesFeed(), name="sector-feed"),
    path("sectors/", include("sectors.urls")),
    path("sources/", include("ijtech.source_urls")),
    path("disagreements/", views.disagreements, name="disagreements"),
    path("pledges/", agreement_views.pledges, name="pledges"),
    path("search/", site_search.search_page, name="search"),
    path("search/export.<str:fmt>", site_search.search_export, name="search-export"),
    path("about/", data_views.about, name="about"),
    path("data/", data_views.data_page, name="data"),
    # Before the versioned name, which "latest" would match too.
    path("data/ijtech-data-latest.zip", data_views.latest, name="data-latest"),
    path("data/ijtech-data-<str:version>.zip", data_views.download, name="data-download"),
    # An index of one sitemap per section, each in pages of at most 50,000 addresses.
    path("sitemap.xml", sitemap_index, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_section,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path("api/", include(api_urlpatterns)),
    path("admin/", admin.site.urls),
]

# Under /api/ a missing address answers JSON, like every other API error.
handler404 = "ijtech.api.page_not_found"
