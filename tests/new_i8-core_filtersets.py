"""The sources and sectors pages filter with the same FilterSets, and parameters, as the API."""

import pytest
from pytest_django.asserts import assertContains

from ijtech.models import Source
from sectors.models import Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(db):
    Source.objects.create(slug="mofa", title="Joint Statement", authors="MOFA", kind="official")
    Source.objects.create(slug="isro", title="Annual Report", authors="ISRO", kind="report")
    Source.objects.create(slug="niti", title="Hydrogen Report", publisher="NITI", kind="report")


@pytest.fixture
def sectors(db):
    energy = Sector.objects.create(slug="energy", name="Clean energy", order=1)
    Sector.objects.create(slug="hydrogen", name="Hydrogen", parent=energy)
    Sector.objects.create(slug="solar", name="Solar power", parent=energy)
    space = Sector.objects.create(slug="space", name="Space", order=2)
    Sector.objects.create(slug="satellites", name="Satellites", parent=space)


def page_slugs(response) -> list[str]:
    return [s.slug for s in response.context["sources"]]


def api_slugs(response) -> list[str]:
    return [s["slug"] for s in response.json()["results"]]


def sector_slugs(response) -> list[str]:
    """The sectors the page shows, sub-sectors included, in page order."""
    shown = []
    for sector in response.context["sectors"]:
        shown += [sector.slug, *(child.slug for child in sector.children.all())]
    return shown


class TestSources:
    @pytest.mark.parametrize(
        "query",
        [{"kind": "report"}, {"kind": "official"}, {"q": "report"}, {"q": "niti"}, {}],
        ids=["kind-report", "kind-official", "q-title", "q-publisher", "none"],
    )
    def test_the_page_filters_like_the_api(self, client, sources, query):
        page = client.get("/sources/", query)
        api = client.get("/api/sources/", query)
        assert page.status_code == api.status_code == 200
        assert sorted(page_slugs(page)) == sorted(api_slugs(api))

    def test_kind_report_leaves_out_the_other_kinds(self, client, sources):
        response = client.get("/sources/", {"kind": "report"})
        assert page_slugs(response) == ["niti", "isro"]
        assert "Joint Statement" not in response.content.decode()

    def test_an_unknown_kind_is_refused_as_by_the_api(self, client, sources):
        response = client.get("/sources/", {"kind": "rumour"})
        api = client.get("/api/sources/", {"kind": "rumour"})
        assert response.status_code == api.status_code
        assert response.status_code == 400
        assertContains(response, "Kind: Select a valid choice.", status_code=400)

    def test_the_page_has_a_filter_form(self, client, sources):
        html = client.get("/sources/", {"kind": "report", "q": "annual"}).content.decode()
        assert '<form method="get" class="filter-form inline-form"' in html
        assert '<option value="report" selected>Report</option>' in html
        assert 'name="q" value="annual"' in html

    def test_a_fixed_number_of_queries(self, client, sources, django_assert_num_queries):
        client.get("/sources/", {"kind": "report"})
        # 1 the matching sources with their counts of citations of published records.
        with django_assert_num_queries(1):
            client.get("/sources/", {"kind": "report"})


class TestSectors:
    @pytest.mark.parametrize(
        "query",
        [{"parent": "energy"}, {"parent": "space"}, {"q": "s"}, {"q": "energy"}, {}],
        ids=["parent-energy", "parent-space", "q-s", "q-energy", "none"],
    )
    def test_the_page_filters_like_the_api(self, client, sectors, query):
        page = client.get("/sectors/", query)
        api = client.get("/api/sectors/", query)
        assert page.status_code == api.status_code == 200
        assert sorted(sector_slugs(page)) == sorted(api_slugs(api))

    def test_sub_sectors_stay_under_their_parent(self, client, sectors):
        response = client.get("/sectors/", {"q": "s"})
        # Space and its satellites match; the solar sub-sector matches without its parent.
        assert [s.slug for s in response.context["sectors"]] == ["solar", "space"]
        space = response.context["sectors"][1]
        assert [c.slug for c in space.children.all()] == ["satellites"]

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

    def test_the_page_has_a_search_form_that_keeps_the_parent(self, client, sectors):
        html = client.get("/sectors/", {"parent": "space", "q": "sat"}).content.decode()
        assert '<form method="get" class="filter-form inline-form"' in html
        assert 'name="q" value="sat"' in html
        assert '<input type="hidden" name="parent" value="space">' in html

    @pytest.mark.parametrize(("query", "n"), [({"q": "s"}, 2), ({"parent": "space"}, 3)])
    def test_a_fixed_number_of_queries(self, client, sectors, django_assert_num_queries, query, n):
        client.get("/sectors/", query)
        # (1 the chosen parent, by its slug), then the matching sectors with their counts,
        # then their matching sub-sectors with theirs.
        with django_assert_num_queries(n):
            client.get("/sectors/", query)


@pytest.mark.parametrize("url", ["/agreements/", "/milestones/", "/actors/"])
def test_the_list_forms_keep_the_facets_they_do_not_set(client, db, url):
    html = client.get(url, {"a": "1", "kind": "x", "q": "moon", "page": "2"}).content.decode()
    # A parameter whose name is part of another's ("a" in "year") is kept all the same.
    assert '<input type="hidden" name="a" value="1">' in html
    assert '<input type="hidden" name="kind" value="x">' in html
    assert 'type="hidden" name="q"' not in html
    assert 'type="hidden" name="page"' not in html


def test_the_timeline_form_keeps_what_is_not_a_year(client, db):
    html = client.get("/milestones/timeline/", {"sector": "x", "year": "2020"}).content.decode()
    assert '<input type="hidden" name="sector" value="x">' in html
    assert 'type="hidden" name="year"' not in html
