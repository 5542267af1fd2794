"""Downloads, the milestone feed and the sitemap, included at the root before the apps' URLs.

Plain names (no namespace), e.g. reverse("cite-agreement", args=[slug, "bib"]).
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from agreements.feeds import MilestoneFeed
from ijtech import exports
from ijtech.sitemaps import SITEMAPS

urlpatterns = [
    path("agreements/<slug:slug>/cite.<str:fmt>", exports.cite_agreement, name="cite-agreement"),
    path("milestones/<slug:slug>/cite.<str:fmt>", exports.cite_milestone, name="cite-milestone"),
    path("actors/<slug:slug>/cite.<str:fmt>", exports.cite_actor, name="cite-actor"),
    path("milestones/feed/", MilestoneFeed(), name="milestone-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

for resource in ("agreements", "milestones", "actors", "sectors", "sources"):
    urlpatterns.append(
        path(
            f"{resource}/export.<str:fmt>",
            exports.export,
            {"resource": resource},
            name=f"export-{resource}",
        )
    )
