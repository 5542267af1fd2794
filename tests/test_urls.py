"""Every named public URL reverses to its address and resolves back to its view."""

import pytest
from django.urls import resolve, reverse

from actors import views as actor_views
from agreements import timeline as timeline_views
from agreements import views as agreement_views
from ijtech import site_search, views
from sectors import views as sector_views
from tests.factories import add_actor, add_agreement, add_milestone, add_sector

PAGES = [
    # (name, args, path, view)
    ("home", [], "/", agreement_views.home),
    ("agreements:list", [], "/agreements/", agreement_views.AgreementListView),
    (
        "agreements:detail",
        ["space-mou"],
        "/agreements/space-mou/",
        agreement_views.AgreementDetailView,
    ),
    ("milestones:list", [], "/milestones/", agreement_views.MilestoneListView),
    ("milestones:timeline", [], "/milestones/timeline/", timeline_views.timeline),
    ("milestones:detail", ["summit"], "/milestones/summit/", agreement_views.MilestoneDetailView),
    ("actors:list", [], "/actors/", actor_views.ActorListView),
    ("actors:detail", ["isro"], "/actors/isro/", actor_views.ActorDetailView),
    ("sectors:list", [], "/sectors/", sector_views.sector_list),
    ("sectors:detail", ["space"], "/sectors/space/", sector_views.sector_detail),
    ("sources:list", [], "/sources/", views.source_list),
    ("sources:detail", ["mofa"], "/sources/mofa/", views.source_detail),
    ("disagreements", [], "/disagreements/", views.disagreements),
    ("pledges", [], "/pledges/", agreement_views.pledges),
    ("search", [], "/search/", site_search.search_page),
]

# Downloads, the feed and the sitemap: named public URLs served by other modules.
OTHER_PUBLIC = [
    ("agreements:cite", ["space-mou", "bib"], "/agreements/space-mou/cite.bib"),
    ("milestones:cite", ["summit", "ris"], "/milestones/summit/cite.ris"),
    ("actors:cite", ["isro", "json"], "/actors/isro/cite.json"),
    ("milestones:feed", [], "/milestones/feed/"),
    ("sitemap", [], "/sitemap.xml"),
    ("agreements:export", ["csv"], "/agreements/export.csv"),
    ("milestones:export", ["json"], "/milestones/export.json"),
    ("actors:export", ["csv"], "/actors/export.csv"),
    ("sectors:export", ["csv"], "/sectors/export.csv"),
    ("sources:export", ["json"], "/sources/export.json"),
    ("search-export", ["csv"], "/search/export.csv"),
    ("api-search", [], "/api/search/"),
]


def view_of(match):
    return getattr(match.func, "view_class", match.func)


@pytest.mark.parametrize(("name", "args", "path", "view"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_reverses_and_resolves(name, args, path, view):
    assert reverse(name, args=args) == path
    match = resolve(path)
    assert view_of(match) is view
    assert f"{match.namespace}:{match.url_name}".lstrip(":") == name
    assert match.args == () and list(match.kwargs.values()) == args


@pytest.mark.parametrize(("name", "args", "path"), OTHER_PUBLIC, ids=[p[0] for p in OTHER_PUBLIC])
def test_downloads_feed_and_sitemap_reverse_and_resolve(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name


@pytest.mark.parametrize(
    ("path", "name"),
    [
        # Fixed words under /milestones/ are not taken for milestone slugs.
        ("/milestones/timeline/", "milestones:timeline"),
        ("/milestones/feed/", "milestones:feed"),
        ("/agreements/export.csv", "agreements:export"),
        # A slug that merely starts like a fixed word is still a record.
        ("/milestones/timeline-2020/", "milestones:detail"),
        ("/agreements/export/", "agreements:detail"),
    ],
)
def test_fixed_words_win_over_slugs(path, name):
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}".lstrip(":") == name


def test_get_absolute_url_matches_the_detail_routes(db):
    from ijtech.models import Source

    records = [
        add_agreement("space-mou"),
        add_milestone("summit"),
        add_actor("isro"),
        add_sector("space"),
        Source.objects.create(slug="mofa", title="M", kind="report"),
    ]
    assert [r.get_absolute_url() for r in records] == [
        "/agreements/space-mou/",
        "/milestones/summit/",
        "/actors/isro/",
        "/sectors/space/",
        "/sources/mofa/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args", "path", "view"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_answers(client, name, args, path, view):
    from ijtech.models import Source

    add_agreement("space-mou")
    add_milestone("summit")
    add_actor("isro")
    add_sector("space")
    Source.objects.create(slug="mofa", title="M", kind="report")
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/agreements/", "/agreements/"),
        ("/milestones/", "/milestones/"),
        ("/milestones/timeline/", "/milestones/timeline/"),
        ("/actors/", "/actors/"),
        ("/sectors/", "/sectors/"),
        ("/pledges/", "/pledges/"),
        ("/disagreements/", "/disagreements/"),
        ("/sources/", "/sources/"),
    ],
)
def test_the_navigation_marks_the_current_section(client, path, current):
    html = client.get(path).content.decode()
    nav = html[html.index('<nav class="wrap site-nav"') : html.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    assert f'<a href="{current}" aria-current="page">' in nav


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/agreements/nothing/",
        "/milestones/nothing/",
        "/actors/nothing/",
        "/sectors/nothing/",
        "/sources/nothing/",
        "/no-such-page/",
    ],
)
def test_unknown_addresses_are_404(client, path):
    assert client.get(path).status_code == 404
