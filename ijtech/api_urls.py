"""The read-only JSON API under /api/, its OpenAPI schema and the Swagger UI."""

from csp.decorators import csp_exempt
from django.urls import path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from ijtech import api

router = DefaultRouter()
router.root_view_name = "api-root"
router.register("agreements", api.AgreementViewSet, basename="api-agreement")
router.register("milestones", api.MilestoneViewSet, basename="api-milestone")
router.register("actors", api.ActorViewSet, basename="api-actor")
router.register("sectors", api.SectorViewSet, basename="api-sector")
router.register("sources", api.SourceViewSet, basename="api-source")

urlpatterns = [
    path("schema/", api.SchemaView.as_view(), name="schema"),
    # Swagger UI runs inline script and style, which the site-wide CSP forbids; the page
    # shows only the public schema, so only this view goes without the policy.
    path(
        "docs/",
        csp_exempt()(SpectacularSwaggerView.as_view(url_name="schema")),
        name="docs",
    ),
    *router.urls,
]
