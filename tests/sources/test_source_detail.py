"""A source's page: what cites it, published records only."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import UNPUBLISHED, add_actor, add_agreement, add_milestone, cite

pytestmark = pytest.mark.django_db


class TestDetail:
    def test_it_shows_the_facts(self, client, world):
        html = client.get(world.mofa.get_absolute_url()).content.decode()
        assert "<h1><cite>Joint Statement</cite></h1>" in html
        assert "<dt>Date</dt><dd>8 October 2020</dd>" in html
        assert "<dt>Publisher</dt><dd>Government of Japan</dd>" in html
        assert '<a href="https://www.mofa.go.jp/">' in html
        assert "Official document" in html

    def test_it_lists_published_records_that_cite_it_with_locators(self, client, world):
        response = client.get(world.mofa.get_absolute_url())
        html = response.content.decode()
        assert "What cites it (3 records)" in html
        assert (
            '<a href="/agreements/space-deal/">Space Deal</a><span class="locator"> — Para 3'
            '</span><span class="locator"> — Para 7</span>'
        ) in html
        assert (
            '<a href="/milestones/summit/">The Summit</a><span class="locator"> — Section 2' in html
        )
        assert '<a href="/actors/jaxa/">JAXA</a><span class="locator"> — Annex' in html

    def test_it_hides_unpublished_records(self, client, world):
        response = client.get(world.mofa.get_absolute_url())
        for hidden in ("Draft Deal", "Secret para", "Pending Body", "Pending para"):
            assertNotContains(response, hidden)
        response = client.get(world.report.get_absolute_url())
        assertContains(response, "What cites it (0 records)")
        assertNotContains(response, "p. 9")

    def test_an_undated_source(self, client, world):
        assertContains(client.get(world.anon.get_absolute_url()), "<dd>undated</dd>")

    def test_an_unknown_source_is_404(self, client, world):
        assert client.get(reverse("sources:detail", args=["nothing"])).status_code == 404

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_fixed_number_of_queries(
        self, client, world, warm_content_types, django_assert_num_queries, n
    ):
        for i in range(n):
            cite(add_agreement(f"c-a-{i}"), world.report, locator=f"a{i}")
            cite(add_milestone(f"c-m-{i}"), world.report, locator=f"m{i}")
            cite(add_actor(f"c-b-{i}"), world.report, locator=f"b{i}")
        # 1 the source; then for agreements, milestones and institutions each: the first
        # records (2, 5, 8), their citations of this source (3, 6, 9) and how many cite it
        # (4, 7, 10).
        with django_assert_num_queries(10):
            response = client.get(world.report.get_absolute_url())
        assert response.context["total"] == 3 * n
        # The records and counts are kept until the next public change: 1 the source.
        with django_assert_num_queries(1):
            response = client.get(world.report.get_absolute_url())
        assert response.context["total"] == 3 * n

    def test_it_lists_the_first_records_by_name_and_counts_them_all(
        self, client, world, monkeypatch
    ):
        monkeypatch.setattr("ijtech.views.SHOWN", 2)
        for title in ("Charlie", "alpha", "Bravo"):
            cite(add_milestone(f"m-{title.lower()}", title=title), world.report, locator="p")
        response = client.get(world.report.get_absolute_url())
        [(label, shown, count)] = [c for c in response.context["cited"] if c[0] == "Milestones"]
        assert [m.title for m in shown] == ["alpha", "Bravo"]
        assert count == 3
        assertContains(response, "<h3>Milestones (3)</h3>")
        assertContains(response, "The first 2 by name.")
        assertContains(response, "What cites it (3 records)")


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_a_record_leaving_publication_leaves_the_source_page(client, world, status):
    world.deal.editorial_status = status
    world.deal.save()
    response = client.get(world.mofa.get_absolute_url())
    assertNotContains(response, "Space Deal")
    assertContains(response, "What cites it (2 records)")
    counts = {s.slug: s.citation_count for s in client.get("/sources/").context["sources"]}
    assert counts["mofa"] == 2
