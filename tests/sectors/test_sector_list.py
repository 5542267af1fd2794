"""The sector list."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from sectors.models import Sector
from tests.factories import UNPUBLISHED, add_agreement, add_milestone, add_sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def sectors(db):
    energy = Sector.objects.create(slug="energy", name="Clean energy", order=1)
    Sector.objects.create(slug="hydrogen", name="Hydrogen", parent=energy)
    Sector.objects.create(slug="solar", name="Solar power", parent=energy)
    space = Sector.objects.create(slug="space", name="Space", order=2)
    Sector.objects.create(slug="satellites", name="Satellites", parent=space)


def api_slugs(response) -> list[str]:
    return [s["slug"] for s in response.json()["results"]]


def sector_slugs(response) -> list[str]:
    """The sectors the page shows, sub-sectors included, in page order."""
    shown = []
    for sector in response.context["sectors"]:
        shown += [sector.slug, *(child.slug for child in sector.children.all())]
    return shown


class TestSectors:
    @pytest.mark.parametrize(
        "query",
        [{"parent": "energy"}, {"parent": "space"}, {"q": "space"}, {"q": "energy"}, {}],
        ids=["parent-energy", "parent-space", "q-space", "q-energy", "none"],
    )
    def test_the_page_filters_like_the_api(self, client, sectors, query):
        page = client.get("/sectors/", query)
        api = client.get("/api/sectors/", query)
        assert page.status_code == api.status_code == 200
        assert sorted(sector_slugs(page)) == sorted(api_slugs(api))

    def test_sub_sectors_stay_under_their_parent(self, client, sectors):
        # Space matches, and Satellites by its parent's name: it is listed under Space.
        response = client.get("/sectors/", {"q": "space"})
        assert [s.slug for s in response.context["sectors"]] == ["space"]
        space = response.context["sectors"][0]
        assert [c.slug for c in space.children.all()] == ["satellites"]

    def test_a_matching_sub_sector_is_listed_without_its_parent(self, client, sectors):
        response = client.get("/sectors/", {"q": "power"})
        assert [s.slug for s in response.context["sectors"]] == ["solar"]

    def test_parent_energy_lists_its_sub_sectors(self, client, sectors):
        response = client.get("/sectors/", {"parent": "energy"})
        assert sector_slugs(response) == ["hydrogen", "solar"]
        assert "Satellites" not in response.content.decode()

    def test_an_unknown_parent_is_refused_as_by_the_api(self, client, sectors):
        response = client.get("/sectors/", {"parent": "atlantis"})
        api = client.get("/api/sectors/", {"parent": "atlantis"})
        assert response.status_code == api.status_code
        assert response.status_code == 400
        assertContains(response, "Parent sector: Select a valid choice.", status_code=400)

    def test_the_downloads_carry_the_filter(self, client, sectors):
        response = client.get("/sectors/", {"q": "energy"})
        assertContains(response, 'href="/sectors/export.csv?q=energy"')
        assertContains(response, 'href="/sectors/export.json?q=energy"')

    def test_the_page_has_a_search_form_that_keeps_the_parent(self, client, sectors):
        html = client.get("/sectors/", {"parent": "space", "q": "sat"}).content.decode()
        assert '<form method="get" class="filter-form inline-form"' in html
        assert 'name="q" value="sat"' in html
        assert '<input type="hidden" name="parent" value="space">' in html

    @pytest.mark.parametrize(("query", "n"), [({"q": "power"}, 3), ({"parent": "space"}, 3)])
    def test_a_fixed_number_of_queries(self, client, sectors, django_assert_num_queries, query, n):
        client.get("/sectors/", query)
        # (1 the chosen parent, by its slug, or whether the search vocabulary holds the
        # word), then the matching sectors with their counts, then their matching
        # sub-sectors with theirs.
        with django_assert_num_queries(n):
            client.get("/sectors/", query)


class TestList:
    def test_it_lists_top_level_sectors_with_published_counts(self, client, world):
        response = client.get("/sectors/")
        assert [s.slug for s in response.context["sectors"]] == ["energy", "space"]
        html = response.content.decode()
        # Clean energy and its hydrogen sub-sector: the combined deal and the hydrogen deal
        # (not the draft), and three milestones, each counted once.
        assert "2 agreements · 3 milestones" in html
        assert "1 agreement · 0 milestones" in html  # space
        # Hydrogen: two agreements, two milestones.
        assert '<a href="/sectors/hydrogen/">Hydrogen</a> <span class="meta">(2 / 2)</span>' in html
        assert "Low carbon." in html

    def test_query_count_does_not_grow(self, client, world, django_assert_num_queries):
        for i in range(10):
            add_sector(f"extra-{i}", parent=world.space if i % 2 else None)
        # 1 top-level sectors, 2 sub-sectors, 3 agreements and 4 milestones per sector (one
        # grouped query each, for every sector).
        with django_assert_num_queries(4):
            client.get("/sectors/")
        # The counts are kept until the next public change.
        with django_assert_num_queries(2):
            client.get("/sectors/")


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_records_do_not_count(client, world, status):
    add_agreement("ghost", status, title="Ghost Deal", sectors=[world.space])
    add_milestone("ghost-m", status, title="Ghost Milestone", sectors=[world.space])
    response = client.get("/sectors/")
    assertContains(response, "1 agreement · 0 milestones")
    response = client.get(world.space.get_absolute_url())
    assertNotContains(response, "Ghost")
    assert client.get("/").context["sectors"].get(slug="space").agreement_count == 1
