"""An institution's page: agreements, milestones and partners."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement, Source
from tests.factories import cite, times

pytestmark = pytest.mark.django_db


class TestDetail:
    def test_it_shows_the_facts(self, client, world):
        html = client.get(world.isro.get_absolute_url()).content.decode()
        assert "Indian Space Research Organisation <abbr>(ISRO)</abbr></h1>" in html
        assert "Government agency · India" in html
        assert '<dt>Part of</dt><dd><a href="/actors/dos/">Department of Space (DOS)</a>' in html
        assert '<a href="https://www.isro.gov.in/" rel="nofollow">' in html
        assert "India&#x27;s space agency." in html
        assert '<a class="sector" href="/sectors/space/">Space</a>' in html

    def test_it_lists_only_published_children(self, client, world):
        html = client.get(world.dos.get_absolute_url()).content.decode()
        assert "<dt>Includes</dt>" in html and "/actors/isro/" in html
        assert "Hidden Body" not in html

    def test_it_hides_an_unpublished_parent(self, client, world):
        response = client.get(world.orphan.get_absolute_url())
        assertNotContains(response, "Part of")
        assertNotContains(response, "Pending Body")

    def test_it_lists_published_agreements_with_roles(self, client, world):
        response = client.get(world.isro.get_absolute_url())
        html = response.content.decode()
        assert '<h2 id="agreements-h">Agreements (2)</h2>' in html
        assert '<a href="/agreements/energy-deal/">Energy Deal</a>' in html
        assert "implementing body, signatory" in html
        assert html.index("Energy Deal") < html.index("Space MoU")  # oldest first
        assert "Draft Deal" not in html
        assert times(response)["1985"] == "1985"

    def test_it_lists_published_milestones(self, client, world):
        response = client.get(world.isro.get_absolute_url())
        assertContains(response, '<h2 id="milestones-h">Milestones (1)</h2>')
        assertNotContains(response, "Secret Meeting")
        assert times(response)["8 October 2020"] == "2020-10-08"

    def test_partners_count_shared_published_records(self, client, world):
        response = client.get(world.isro.get_absolute_url())
        partners = [(a.slug, n) for a, n in response.context["partners"]]
        # JAXA: the space MoU and the signing; METI: the energy deal (the draft deal and the
        # meeting in review do not count); ISRO's two roles in one deal count once.
        assert partners == [("jaxa", 2), ("meti", 1)]
        assertContains(response, "— 2 shared records")
        assertNotContains(response, "Hidden Body")
        assertNotContains(response, "Pending Body")

    def test_an_institution_without_records(self, client, world):
        response = client.get(world.orphan.get_absolute_url())
        assertContains(response, "No agreements recorded with this institution as a party.")
        assertContains(response, "No milestones recorded for this institution.")
        assertNotContains(response, "Works most with")

    def test_citations_and_disagreements(self, client, world):
        one = Source.objects.create(slug="one", title="One", kind="report")
        two = Source.objects.create(slug="two", title="Two", authors="B. Author", kind="report")
        disagreement = Disagreement.objects.create(
            target=world.jaxa, aspect="name", explanation="Which name?"
        )
        cite(
            world.jaxa,
            one,
            locator="p. 1",
            quote="JAXA",
            disagreement=disagreement,
            position="JAXA",
        )
        cite(world.jaxa, two, locator="p. 2", disagreement=disagreement, position="NASDA")
        html = client.get(world.jaxa.get_absolute_url()).content.decode()
        assert "Sources disagree" in html and "<h3>Name</h3>" in html
        assert '<strong>JAXA</strong> — <a href="/sources/one/">One</a>, p. 1: <q>JAXA</q>' in html
        assert '<strong>NASDA</strong> — <a href="/sources/two/">B. Author</a>, p. 2 ' in html
        assert '<span class="locator">p. 2</span>' in html

    @pytest.mark.parametrize("slug", ["hidden-body", "pending-body", "nobody"])
    def test_unpublished_and_unknown_are_404(self, client, world, slug):
        assert client.get(reverse("actors:detail", args=[slug])).status_code == 404


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_detail_page(
        self, client, actor_crowd, warm_content_types, django_assert_num_queries, n
    ):
        hub = actor_crowd(n)
        url = hub.get_absolute_url()
        client.get(url)
        # 1 the institution with its parent, 2 sectors, 3 children, 4 citations with their
        # sources and disagreements, 5 disagreements, 6 agreements, 7 their sectors,
        # 8 milestones, 9 roles, 10 agreements' count, 11 milestones' count, 12-13 partners
        # in agreements and in milestones, 14 the partners themselves, 15 the disagreements
        # recorded on its agreements and milestones, 16 their citations with sources,
        # 17-19 its network: agreements per institution, pairs of institutions, the
        # institutions.
        with django_assert_num_queries(19):
            response = client.get(url)
        assert len(response.context["agreements"]) == n
        assert response.content.decode().count('class="small">(citation)') == 2 * n
        assert len(response.context["partners"]) == min(n, 8)


class TestLongLists:
    def test_it_shows_the_latest_records_and_links_to_the_rest(
        self, client, actor_crowd, monkeypatch
    ):
        monkeypatch.setattr("actors.views.SHOWN", 2)
        hub = actor_crowd(3)
        response = client.get(hub.get_absolute_url())
        context = response.context
        agreements = hub.agreements.published().distinct().chronological()
        milestones = hub.milestones.published().chronological()
        # The latest two of each, oldest first as the page lists them.
        assert [a.slug for a in context["agreements"]] == [a.slug for a in agreements][-2:]
        assert [m.slug for m in context["milestones"]] == [m.slug for m in milestones][-2:]
        assertContains(response, '<h2 id="milestones-h">Milestones (3)</h2>')
        assertContains(response, '<h2 id="agreements-h">Agreements (3)</h2>')
        assertContains(response, 'href="/milestones/?actor=hub">all 3 milestones</a>')
        assertContains(response, 'href="/agreements/?actor=hub">all 3 agreements</a>')
