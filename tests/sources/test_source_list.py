"""The bibliography."""

import json

import pytest
from pytest_django.asserts import assertContains

from ijtech.models import Source
from tests.factories import body, chips

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(db):
    Source.objects.create(slug="mofa", title="Joint Statement", authors="MOFA", kind="official")
    Source.objects.create(slug="isro", title="Annual Report", authors="ISRO", kind="report")
    Source.objects.create(slug="niti", title="Hydrogen Report", publisher="NITI", kind="report")


def page_slugs(response) -> list[str]:
    return [s.slug for s in response.context["sources"]]


def api_slugs(response) -> list[str]:
    return [s["slug"] for s in json.loads(body(response))["results"]]


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
        assert "Joint Statement" not in body(response).decode()

    def test_an_unknown_kind_is_refused_as_by_the_api(self, client, sources):
        response = client.get("/sources/", {"kind": "rumour"})
        api = client.get("/api/sources/", {"kind": "rumour"})
        assert response.status_code == api.status_code
        assert response.status_code == 400
        assertContains(response, "Kind: Select a valid choice.", status_code=400)

    def test_the_downloads_carry_the_filter(self, client, sources):
        response = client.get("/sources/", {"kind": "report"})
        assertContains(response, 'href="/sources/export.csv?kind=report"')
        assertContains(response, 'href="/sources/export.json?kind=report"')

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


class TestList:
    def test_it_lists_every_source(self, client, world):
        response = client.get("/sources/")
        assert [s.slug for s in response.context["sources"]] == ["anon", "report", "mofa"]
        html = body(response).decode()
        assert '<span class="authors">MOFA</span> (8 October 2020)' in html
        assert '<span class="authors">ISRO</span> (March 2019)' in html
        assert '<span class="authors">Anonymous</span>. <a href="/sources/anon/">' in html
        assert "The Japanese text is dated a day later." in html

    def test_citation_counts_leave_out_unpublished_records(self, client, world):
        counts = {s.slug: s.citation_count for s in client.get("/sources/").context["sources"]}
        assert counts == {"mofa": 4, "report": 0, "anon": 0}

    def test_a_fixed_number_of_queries(
        self, client, world, warm_content_types, django_assert_num_queries
    ):
        for i in range(10):
            Source.objects.create(slug=f"s-{i}", title=f"S {i}", kind="report")
        client.get("/sources/")
        # 1 the sources with their counts of citations of published records.
        with django_assert_num_queries(1):
            client.get("/sources/")

    def test_each_chip_removes_its_own_filter(self, client, sources):
        response = client.get("/sources/", {"q": "report", "kind": "report"})
        assert chips(response) == {
            "Remove filter: Search report": "?kind=report",
            "Remove filter: Kind Report": "?q=report",
        }
