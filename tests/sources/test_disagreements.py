"""The disagreements page."""

import pytest
from pytest_django.asserts import assertContains

from ijtech.models import Disagreement, Source
from tests.factories import add_actor, add_agreement, add_milestone, cite

pytestmark = pytest.mark.django_db


class TestDisagreements:
    @pytest.fixture
    def disputed(self, site_world):
        other = Source.objects.create(
            slug="other", title="Other Report", authors="B. Writer", kind="report"
        )
        for record, aspect in (
            (site_world.sat, "date"),
            (site_world.m1, "parties"),
            (site_world.isro, "name"),
        ):
            d = Disagreement.objects.create(
                target=record, aspect=aspect, explanation=f"Dispute over {record}."
            )
            cite(
                record,
                site_world.source,
                disagreement=d,
                position="first version",
                locator="p. 1",
                quote="said so",
            )
            cite(record, other, disagreement=d, position="second version", locator="p. 2")
        d = Disagreement.objects.create(
            target=site_world.draft, aspect="date", explanation="A hidden dispute."
        )
        cite(site_world.draft, other, disagreement=d, position="hidden version")
        return other

    def test_it_lists_each_disputed_published_record_with_each_version(
        self, client, site_world, disputed
    ):
        response = client.get("/disagreements/")
        html = response.content.decode()
        assert "3 records are disputed." in html
        assert [
            (label, [r.slug for r, _ in items], count)
            for label, items, count in response.context["groups"]
        ] == [
            ("Agreements", ["satellite-mou"], 1),
            ("Milestones", ["summit-2020"], 1),
            ("Institutions", ["isro"], 1),
        ]
        assert '<h2 id="g-1">Agreements (1)</h2>' in html
        assert "<strong>Date:</strong> Dispute over Satellite MoU." in html
        assert (
            '<li><strong>first version</strong> — <a href="/sources/s/">S</a>, p. 1: '
            "<q>said so</q></li>"
        ) in html
        assert (
            '<li><strong>second version</strong> — <a href="/sources/other/">B. Writer</a>'
            ", p. 2</li>"
        ) in html

    def test_it_hides_unpublished_records(self, client, site_world, disputed):
        html = client.get("/disagreements/").content.decode()
        assert "A hidden dispute." not in html and "hidden version" not in html

    def test_with_no_disagreements(self, client, site_world):
        assertContains(client.get("/disagreements/"), "0 records are disputed.")

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_fixed_number_of_queries(
        self, client, site_world, warm_content_types, django_assert_num_queries, n
    ):
        for i in range(n):
            for record in (add_agreement(f"a-{i}"), add_milestone(f"m-{i}"), add_actor(f"b-{i}")):
                d = Disagreement.objects.create(target=record, aspect="date", explanation="x")
                cite(record, site_world.source, disagreement=d, position="one")
                cite(record, site_world.source, disagreement=d, position="two")
        # For agreements, milestones and institutions each: the first disputed records (1,
        # 5, 9), their citations with sources (2, 6, 10), their disagreements (3, 7, 11) and
        # how many are disputed (4, 8, 12).
        with django_assert_num_queries(12):
            response = client.get("/disagreements/")
        assert response.context["total"] == 3 * n
        # Kept until the next public change (ijtech/fragments.py).
        with django_assert_num_queries(0):
            assert client.get("/disagreements/").context["total"] == 3 * n

    def test_it_lists_the_first_by_name_and_counts_them_all(self, client, site_world, monkeypatch):
        monkeypatch.setattr("ijtech.views.SHOWN", 2)
        for title in ("Charlie", "alpha", "Bravo"):
            record = add_milestone(f"m-{title.lower()}", title=title)
            d = Disagreement.objects.create(target=record, aspect="date", explanation="x")
            cite(record, site_world.source, disagreement=d, position="one")
        response = client.get("/disagreements/")
        [(_, items, count)] = [g for g in response.context["groups"] if g[0] == "Milestones"]
        assert [record.title for record, _ in items] == ["alpha", "Bravo"]
        assert count == 3
        assertContains(response, "The first 2 by name; the downloads above hold all 3.")
        assertContains(response, "3 records are disputed.")
