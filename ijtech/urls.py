from django.contrib import admin
from django.urls import include, path

from agreements import views as agreement_views
from ijtech import health, views

handler500 = "ijtech.middleware.server_error"

urlpatterns = [
    path("", agreement_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Exports, citations, the feed and the sitemap come first: "milestones/feed/" must not
    # be taken for a milestone called "feed".
    path("", include("ijtech.export_urls")),
    path("agreements/", include("agreements.urls")),
    path("milestones/", include("agreements.milestone_urls")),
    path("actors/", include("actors.urls")),
    path("sectors/", include("sectors.urls")),
    path("sources/", include("ijtech.source_urls")),
    path("disagreements/", views.disagreements, name="disagreements"),
    path("pledges/", agreement_views.pledges, name="pledges"),
    path("search/", views.search, name="search"),
    path("api/", include("ijtech.api_urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ a missing address answers JSON, like every other API error.
handler404 = "ijtech.api.page_not_found"
