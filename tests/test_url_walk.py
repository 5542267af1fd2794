"""Every named URL pattern, walked against the corpus, answers the status it always has.

The table below was recorded before the apps took over their exports, citation downloads,
feed, sitemap and API; a pattern added without a line here fails the walk, so a new route
is walked too. Paths, not names, are compared: a renamed or namespaced route must still
answer at the same address.
"""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from ijtech.models import Editorial

# What a route's placeholders are filled with: "published" is the first published record
# of the resource its path starts with (by slug), "missing" a slug nothing has.
FILL = {
    "fmt": ("bib", "ris", "json", "csv", "nope"),
    "format": ("json", "api", "nope"),
    "version": ("2000-01-01-00000000",),
    "section": ("milestones", "nope"),
}

STATUSES = {
    "": 200,
    "about/": 200,
    "actors/": 200,
    "actors/<slug:slug>/ published": 200,
    "actors/<slug:slug>/ missing": 404,
    "actors/<slug:slug>/network.csv published": 200,
    "actors/<slug:slug>/network.csv missing": 404,
    "actors/network.csv": 200,
    "actors/<slug:slug>/cite.<str:fmt> published bib": 200,
    "actors/<slug:slug>/cite.<str:fmt> published ris": 200,
    "actors/<slug:slug>/cite.<str:fmt> published json": 200,
    "actors/<slug:slug>/cite.<str:fmt> published csv": 404,
    "actors/<slug:slug>/cite.<str:fmt> published nope": 404,
    "actors/<slug:slug>/cite.<str:fmt> missing bib": 404,
    "actors/<slug:slug>/cite.<str:fmt> missing ris": 404,
    "actors/<slug:slug>/cite.<str:fmt> missing json": 404,
    "actors/<slug:slug>/cite.<str:fmt> missing csv": 404,
    "actors/<slug:slug>/cite.<str:fmt> missing nope": 404,
    "actors/export.<str:fmt> bib": 404,
    "actors/export.<str:fmt> ris": 404,
    "actors/export.<str:fmt> json": 200,
    "actors/export.<str:fmt> csv": 200,
    "actors/export.<str:fmt> nope": 404,
    "agreements/": 200,
    "agreements/<slug:slug>/ published": 200,
    "agreements/<slug:slug>/ missing": 404,
    "agreements/<slug:slug>/lineage.csv published": 200,
    "agreements/<slug:slug>/lineage.csv missing": 404,
    "agreements/chart.csv": 200,
    "agreements/<slug:slug>/cite.<str:fmt> published bib": 200,
    "agreements/<slug:slug>/cite.<str:fmt> published ris": 200,
    "agreements/<slug:slug>/cite.<str:fmt> published json": 200,
    "agreements/<slug:slug>/cite.<str:fmt> published csv": 404,
    "agreements/<slug:slug>/cite.<str:fmt> published nope": 404,
    "agreements/<slug:slug>/cite.<str:fmt> missing bib": 404,
    "agreements/<slug:slug>/cite.<str:fmt> missing ris": 404,
    "agreements/<slug:slug>/cite.<str:fmt> missing json": 404,
    "agreements/<slug:slug>/cite.<str:fmt> missing csv": 404,
    "agreements/<slug:slug>/cite.<str:fmt> missing nope": 404,
    "agreements/export.<str:fmt> bib": 404,
    "agreements/export.<str:fmt> ris": 404,
    "agreements/export.<str:fmt> json": 200,
    "agreements/export.<str:fmt> csv": 200,
    "agreements/export.<str:fmt> nope": 404,
    "api/": 200,
    "api/<drf_format_suffix:format> json": 404,
    "api/<drf_format_suffix:format> api": 404,
    "api/<drf_format_suffix:format> nope": 404,
    "api/^actors/$": 200,
    "api/^actors/(?P<slug>[^/.]+)/$ published": 200,
    "api/^actors/(?P<slug>[^/.]+)/$ missing": 404,
    "api/^actors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published json": 200,
    "api/^actors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published api": 200,
    "api/^actors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published nope": 404,
    "api/^actors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing json": 404,
    "api/^actors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing api": 404,
    "api/^actors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing nope": 404,
    "api/^actors\\.(?P<format>[a-z0-9]+)/?$ json": 200,
    "api/^actors\\.(?P<format>[a-z0-9]+)/?$ api": 200,
    "api/^actors\\.(?P<format>[a-z0-9]+)/?$ nope": 404,
    "api/^agreements/$": 200,
    "api/^agreements/(?P<slug>[^/.]+)/$ published": 200,
    "api/^agreements/(?P<slug>[^/.]+)/$ missing": 404,
    "api/^agreements/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published json": 200,
    "api/^agreements/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published api": 200,
    "api/^agreements/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published nope": 404,
    "api/^agreements/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing json": 404,
    "api/^agreements/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing api": 404,
    "api/^agreements/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing nope": 404,
    "api/^agreements\\.(?P<format>[a-z0-9]+)/?$ json": 200,
    "api/^agreements\\.(?P<format>[a-z0-9]+)/?$ api": 200,
    "api/^agreements\\.(?P<format>[a-z0-9]+)/?$ nope": 404,
    "api/^milestones/$": 200,
    "api/^milestones/(?P<slug>[^/.]+)/$ published": 200,
    "api/^milestones/(?P<slug>[^/.]+)/$ missing": 404,
    "api/^milestones/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published json": 200,
    "api/^milestones/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published api": 200,
    "api/^milestones/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published nope": 404,
    "api/^milestones/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing json": 404,
    "api/^milestones/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing api": 404,
    "api/^milestones/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing nope": 404,
    "api/^milestones\\.(?P<format>[a-z0-9]+)/?$ json": 200,
    "api/^milestones\\.(?P<format>[a-z0-9]+)/?$ api": 200,
    "api/^milestones\\.(?P<format>[a-z0-9]+)/?$ nope": 404,
    "api/^sectors/$": 200,
    "api/^sectors/(?P<slug>[^/.]+)/$ published": 200,
    "api/^sectors/(?P<slug>[^/.]+)/$ missing": 404,
    "api/^sectors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published json": 200,
    "api/^sectors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published api": 200,
    "api/^sectors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published nope": 404,
    "api/^sectors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing json": 404,
    "api/^sectors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing api": 404,
    "api/^sectors/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing nope": 404,
    "api/^sectors\\.(?P<format>[a-z0-9]+)/?$ json": 200,
    "api/^sectors\\.(?P<format>[a-z0-9]+)/?$ api": 200,
    "api/^sectors\\.(?P<format>[a-z0-9]+)/?$ nope": 404,
    "api/^sources/$": 200,
    "api/^sources/(?P<slug>[^/.]+)/$ published": 200,
    "api/^sources/(?P<slug>[^/.]+)/$ missing": 404,
    "api/^sources/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published json": 200,
    "api/^sources/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published api": 200,
    "api/^sources/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ published nope": 404,
    "api/^sources/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing json": 404,
    "api/^sources/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing api": 404,
    "api/^sources/(?P<slug>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$ missing nope": 404,
    "api/^sources\\.(?P<format>[a-z0-9]+)/?$ json": 200,
    "api/^sources\\.(?P<format>[a-z0-9]+)/?$ api": 200,
    "api/^sources\\.(?P<format>[a-z0-9]+)/?$ nope": 404,
    "api/docs/": 200,
    "api/schema/": 200,
    # The search wants a `q`: without one it says so.
    "api/search/": 400,
    "data/": 200,
    "data/ijtech-data-<str:version>.zip 2000-01-01-00000000": 404,
    "data/ijtech-data-latest.zip": 302,
    "disagreements/": 200,
    "healthz": 200,
    "milestones/": 200,
    "milestones/<slug:slug>/ published": 200,
    "milestones/<slug:slug>/ missing": 404,
    "milestones/<slug:slug>/cite.<str:fmt> published bib": 200,
    "milestones/<slug:slug>/cite.<str:fmt> published ris": 200,
    "milestones/<slug:slug>/cite.<str:fmt> published json": 200,
    "milestones/<slug:slug>/cite.<str:fmt> published csv": 404,
    "milestones/<slug:slug>/cite.<str:fmt> published nope": 404,
    "milestones/<slug:slug>/cite.<str:fmt> missing bib": 404,
    "milestones/<slug:slug>/cite.<str:fmt> missing ris": 404,
    "milestones/<slug:slug>/cite.<str:fmt> missing json": 404,
    "milestones/<slug:slug>/cite.<str:fmt> missing csv": 404,
    "milestones/<slug:slug>/cite.<str:fmt> missing nope": 404,
    "milestones/export.<str:fmt> bib": 404,
    "milestones/export.<str:fmt> ris": 404,
    "milestones/export.<str:fmt> json": 200,
    "milestones/export.<str:fmt> csv": 200,
    "milestones/export.<str:fmt> nope": 404,
    "milestones/feed/": 200,
    "milestones/citations.csv": 200,
    "agreements/citations.csv": 200,
    "actors/citations.csv": 200,
    "feeds/changes/": 200,
    "sectors/<slug:slug>/feed/ published": 200,
    "sectors/<slug:slug>/feed/ missing": 404,
    "milestones/timeline/": 200,
    "milestones/timeline/chart.csv": 200,
    "pledges/": 200,
    "readyz": 200,
    "search/": 200,
    "search/export.<str:fmt> bib": 404,
    "search/export.<str:fmt> ris": 404,
    "search/export.<str:fmt> json": 400,
    "search/export.<str:fmt> csv": 400,
    "search/export.<str:fmt> nope": 404,
    "sectors/": 200,
    "sectors/<slug:slug>/ published": 200,
    "sectors/<slug:slug>/ missing": 404,
    "sectors/export.<str:fmt> bib": 404,
    "sectors/export.<str:fmt> ris": 404,
    "sectors/export.<str:fmt> json": 200,
    "sectors/export.<str:fmt> csv": 200,
    "sectors/export.<str:fmt> nope": 404,
    "sitemap.xml": 200,
    "sitemap-<slug:section>.xml milestones": 200,
    "sitemap-<slug:section>.xml nope": 404,
    "sources/": 200,
    "sources/<slug:slug>/ published": 200,
    "sources/<slug:slug>/ missing": 404,
    "sources/<slug:slug>/cite.<str:fmt> published bib": 200,
    "sources/<slug:slug>/cite.<str:fmt> published ris": 200,
    "sources/<slug:slug>/cite.<str:fmt> published json": 200,
    "sources/<slug:slug>/cite.<str:fmt> published csv": 404,
    "sources/<slug:slug>/cite.<str:fmt> published nope": 404,
    "sources/<slug:slug>/cite.<str:fmt> missing bib": 404,
    "sources/<slug:slug>/cite.<str:fmt> missing ris": 404,
    "sources/<slug:slug>/cite.<str:fmt> missing json": 404,
    "sources/<slug:slug>/cite.<str:fmt> missing csv": 404,
    "sources/<slug:slug>/cite.<str:fmt> missing nope": 404,
    "sources/export.<str:fmt> bib": 404,
    "sources/export.<str:fmt> ris": 404,
    "sources/export.<str:fmt> json": 200,
    "sources/export.<str:fmt> csv": 200,
    "sources/export.<str:fmt> nope": 404,
}


def route_templates():
    """(template, name) for every named route outside the admin."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns, "")))


PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def addresses(template, slugs):
    """The concrete addresses a template is walked at."""
    resource = template.removeprefix("api/").lstrip("^").split("/")[0].split(".")[0]
    names = [a or b for a, b in PLACEHOLDER.findall(template)]
    choices = [[]]
    for name in names:
        if name == "slug":
            values = [("published", slugs[resource]), ("missing", "no-such-record")]
        else:
            values = [(v, v) for v in FILL[name]]
        choices = [c + [(name, v)] for c in choices for v in values]
    for choice in choices:
        path = template
        label = []
        for _name, (shown, value) in choice:
            path = PLACEHOLDER.sub(lambda m, value=value: value, path, count=1)
            label.append(shown)
        path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "")
        yield "/" + path, f"{template} {' '.join(label)}".strip()


def first_slugs():
    """The first public record (by slug) of each kind, keyed by its address's first part."""
    slugs = {}
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url") or not hasattr(model, "slug"):
            continue
        queryset = model._default_manager.order_by("slug")
        if issubclass(model, Editorial):
            queryset = queryset.published()
        record = queryset.first()
        slugs[record.get_absolute_url().split("/")[1]] = record.slug
    return slugs


@pytest.mark.django_db
def test_every_named_url_answers_as_it_always_has(client):
    call_command("load_corpus", verbosity=0)
    slugs = first_slugs()
    seen, wrong, unlisted = set(), [], []
    for template in route_templates():
        for path, label in addresses(template, slugs):
            seen.add(label)
            status = client.get(path).status_code
            if label not in STATUSES:
                unlisted.append(f"{label!r}: {status},")
            elif STATUSES[label] != status:
                wrong.append(f"{path} ({label}): {status}, was {STATUSES[label]}")
    gone = sorted(set(STATUSES) - seen)
    assert not unlisted, "Routes with no recorded status:\n" + "\n".join(unlisted)
    assert not wrong, "\n".join(wrong)
    assert not gone, f"Routes that no longer exist: {gone}"
