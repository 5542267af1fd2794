"""A sector's page (which takes in its sub-sectors)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from agreements.models import Agreement, Milestone
from tests.factories import add_actor, add_agreement, add_milestone, add_sector, times

pytestmark = pytest.mark.django_db


class TestDetail:
    def test_it_takes_in_sub_sectors(self, client, world):
        response = client.get(world.energy.get_absolute_url())
        assert [a.slug for a in response.context["agreements"]] == ["both-deal", "h2-deal"]
        assert response.context["milestone_count"] == 3
        html = response.content.decode()
        assert '<h2 id="agreements-h">Agreements (2)</h2>' in html
        assert "Timeline (3 milestones)" in html
        assert 'Sub-sectors: <a class="sector" href="/sectors/hydrogen/">Hydrogen</a>' in html

    def test_it_groups_milestones_by_year(self, client, world):
        response = client.get(world.energy.get_absolute_url())
        assert [(y, [m.slug for m in ms]) for y, ms in response.context["years"]] == [
            (1960, ["energy-context"]),
            (2021, ["energy-summit", "h2-launch"]),
        ]

    def test_it_hides_unpublished_records(self, client, world):
        html = client.get(world.energy.get_absolute_url()).content.decode()
        assert "Draft Deal" not in html
        assert "Review Milestone" not in html
        assert "Hidden Body" not in html

    def test_it_lists_published_institutions_of_the_sector_and_its_records(self, client, world):
        response = client.get(world.energy.get_absolute_url())
        # NEDO by its sub-sector, METI as a party to the hydrogen deal.
        assert [a.slug for a in response.context["actors"]] == ["meti", "nedo"]
        assertContains(response, '<h2 id="actors-h">Institutions (2)</h2>')

    def test_a_sub_sector_page(self, client, world):
        response = client.get(world.hydrogen.get_absolute_url())
        assertContains(response, '› <a href="/sectors/energy/">Clean energy</a>')
        assert [a.slug for a in response.context["agreements"]] == ["both-deal", "h2-deal"]
        assert response.context["milestone_count"] == 2

    def test_dates_as_precise_as_known(self, client, world):
        assert times(client.get(world.energy.get_absolute_url())) == {
            "1985": "1985",
            "8 December 2020": "2020-12-08",
            "the 1960s": "1960",
            "2021": "2021",
            "March 2021": "2021-03",
        }

    def test_links_to_the_filtered_list_and_timeline(self, client, world):
        response = client.get(world.space.get_absolute_url())
        assertContains(response, 'href="/agreements/?sector=space"')
        assertContains(response, 'href="/milestones/timeline/?sector=space"')

    def test_an_empty_sector(self, client, world):
        response = client.get(add_sector("empty").get_absolute_url())
        assertContains(response, "No agreements recorded in this sector.")
        assertContains(response, "No milestones recorded in this sector.")
        assertContains(response, "No institutions recorded in this sector.")

    def test_an_unknown_sector_is_404(self, client, world):
        assert client.get(reverse("sectors:detail", args=["atlantis"])).status_code == 404

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_fixed_number_of_queries(self, client, world, django_assert_num_queries, n):
        sub = add_sector("c-sub", parent=world.space)
        for i in range(n):
            actor = add_actor(f"c-body-{i}", sectors=[sub])
            add_agreement(f"c-a-{i}", year=2000 + i, sectors=[sub, world.space], parties=[actor])
            add_milestone(f"c-m-{i}", year=2000 + i, sectors=[sub], actors=[actor])
            add_sector(f"c-sub-{i}", parent=world.space)
        # 1 the sector and its parent, 2 its sub-sectors, 3 agreements and 4 milestones per
        # sector (the sub-sectors' counts), 5 agreements per year by kind, 6 by status (the
        # charts), 7 the latest milestones, 8 the latest agreements, 9 their sectors, 10 the
        # agreements' count, 11 the milestones' count, 12 the first institutions, 13 their
        # count.
        with django_assert_num_queries(13):
            response = client.get(world.space.get_absolute_url())
        assert len(response.context["agreements"]) == n + 1
        # The counts, the charts and the latest records are kept until the next public
        # change: 1 the sector, 2 its sub-sectors.
        with django_assert_num_queries(2):
            client.get(world.space.get_absolute_url())

    def test_it_shows_the_latest_records_and_links_to_the_rest(self, client, world, monkeypatch):
        monkeypatch.setattr("sectors.views.SHOWN", 2)
        for i in range(3):
            actor = add_actor(f"b-body-{i}", sectors=[world.space])
            add_agreement(f"b-a-{i}", year=2010 + i, sectors=[world.space], parties=[actor])
            add_milestone(f"b-m-{i}", year=2010 + i, sectors=[world.space], actors=[actor])
        response = client.get(world.space.get_absolute_url())
        context = response.context
        agreements = Agreement.objects.published().filter(sectors=world.space).chronological()
        milestones = Milestone.objects.published().filter(sectors=world.space).chronological()
        # The latest two, oldest first as the page lists them.
        assert [a.slug for a in context["agreements"]] == [a.slug for a in agreements][-2:]
        assert [m.slug for _, ms in context["years"] for m in ms] == [m.slug for m in milestones][
            -2:
        ]
        assert len(context["actors"]) == 2
        assert context["agreement_count"] == agreements.count() > 2
        assert context["milestone_count"] == milestones.count() > 2
        assert context["actor_count"] > 2
        assertContains(response, 'href="/milestones/?sector=space">all ')
        assertContains(response, 'href="/agreements/?sector=space">all ')
