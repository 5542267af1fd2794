"""A milestone's page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from ijtech.models import Disagreement, Source
from tests.factories import UNPUBLISHED, add_agreement, add_milestone, cite, times

pytestmark = pytest.mark.django_db


class TestDetail:
    def test_it_shows_the_facts(self, client, milestone_world):
        response = client.get(milestone_world.signing.get_absolute_url())
        html = response.content.decode()
        assert "<h1>Space MoU Signing</h1>" in html
        assert '<a href="/milestones/?kind=signing">Signing</a>' in html
        assert "The two agencies signed in Tokyo." in html
        assert '<dt>Part of</dt><dd><a href="/agreements/space-mou/">' in html
        assert '<a href="/actors/isro/">Indian Space Research Organisation (ISRO)</a>' in html
        assert '<a class="sector" href="/sectors/space/">Space</a>' in html
        assert '<a class="tag" href="/milestones/?tag=satellites">satellites</a>' in html
        assert '<a href="/milestones/timeline/?year=2020">other milestones of 2020</a>' in html
        assert times(response)["October 2020"] == "2020-10"
        assert "<dt>Delivery</dt>" not in html

    def test_a_pledge_shows_amount_deadline_and_delivery(self, client, milestone_world):
        html = client.get(milestone_world.pledge.get_absolute_url()).content.decode()
        assert "<dt>Amount</dt><dd>5 trillion JPY</dd>" in html
        assert "<dt>Deadline</dt><dd>2027</dd>" in html
        assert "<dt>Delivery</dt><dd>Half delivered by 2024.</dd>" in html

    def test_a_summit_and_its_pledges_link_to_each_other(self, client, milestone_world):
        pledge = add_milestone(
            "summit-pledge", kind="pledge", occasion=milestone_world.summit, year=2021
        )
        add_milestone(
            "draft-pledge", UNPUBLISHED[0], kind="pledge", occasion=milestone_world.summit
        )
        html = client.get(pledge.get_absolute_url()).content.decode()
        assert "<dt>Announced at</dt>" in html
        assert f'<a href="{milestone_world.summit.get_absolute_url()}">' in html
        html = client.get(milestone_world.summit.get_absolute_url()).content.decode()
        assert '<h2 id="outcomes-h">Announced here</h2>' in html
        assert '<a href="/milestones/summit-pledge/">' in html
        assert "draft-pledge" not in html

    def test_a_pledge_without_delivery_news_says_so(self, client, milestone_world):
        add_milestone("bare-pledge", kind="pledge", year=2023)
        response = client.get(reverse("milestones:detail", args=["bare-pledge"]))
        assertContains(response, "No delivery reported in the sources.")

    def test_it_hides_unpublished_agreement_and_institutions(self, client, milestone_world):
        html = client.get(milestone_world.pledge.get_absolute_url()).content.decode()
        assert "Secret Deal" not in html and "Part of" not in html
        html = client.get(milestone_world.summit.get_absolute_url()).content.decode()
        assert "Hidden Body" not in html
        assert "Japan Aerospace Exploration Agency (JAXA)" in html

    def test_it_shows_citations_and_disagreements(self, client, milestone_world):
        one = Source.objects.create(
            slug="mea",
            title="Press release",
            authors="MEA",
            kind="official",
            year=2018,
            month=10,
            day=29,
        )
        two = Source.objects.create(slug="nikkei", title="Summit report", kind="web_article")
        disagreement = Disagreement.objects.create(
            target=milestone_world.summit, aspect="date", explanation="28 or 29 October?"
        )
        a = cite(
            milestone_world.summit,
            one,
            locator="Para 2",
            quote="on 29 October",
            disagreement=disagreement,
            position="29 October",
            supports="date",
        )
        b = cite(
            milestone_world.summit,
            two,
            locator="Section 1",
            disagreement=disagreement,
            position="28 October",
        )
        html = client.get(milestone_world.summit.get_absolute_url()).content.decode()
        assert "Sources disagree" in html and "<h3>Date</h3>" in html
        assert "28 or 29 October?" in html
        assert (
            f'<strong>29 October</strong> — <a href="/sources/mea/">MEA</a>, Para 2: '
            f'<q>on 29 October</q> <a href="#citation-{a.pk}"'
        ) in html
        assert (
            f'<strong>28 October</strong> — <a href="/sources/nikkei/">Summit report</a>, '
            f'Section 1 <a href="#citation-{b.pk}"'
        ) in html
        assert '<a href="/sources/mea/">MEA, Press release</a> (29 October 2018)' in html
        assert "Supports: its date." in html

    @pytest.mark.parametrize(
        ("slug", "shown_date", "datetime"),
        [
            ("sixties-context", "the 1960s", "1960"),
            ("tokyo-summit", "2018", "2018"),
            ("digital-launch", "8 December 2020", "2020-12-08"),
            ("hydrogen-pledge", "about 2022", "2022"),
        ],
    )
    def test_dates(self, client, milestone_world, slug, shown_date, datetime):
        assert times(client.get(reverse("milestones:detail", args=[slug])))[shown_date] == datetime

    @pytest.mark.parametrize("slug", ["secret-summit", "review-pledge", "nothing-here"])
    def test_unpublished_and_unknown_are_404(self, client, milestone_world, slug):
        assert client.get(reverse("milestones:detail", args=[slug])).status_code == 404


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_detail_page(
        self, client, milestone_crowd, source, warm_content_types, django_assert_num_queries, n
    ):
        milestone_crowd(n)
        summit = add_milestone("hub-summit", kind="summit")
        milestone = add_milestone(
            "hub", kind="pledge", agreement=add_agreement("hub-deal"), amount=Decimal(1), unit="USD"
        )
        milestone.occasion = summit
        milestone.save()
        on_agreement = Disagreement.objects.create(
            target=milestone.agreement, aspect="kind", explanation="y"
        )
        for i in range(n):
            cite(milestone.agreement, source, disagreement=on_agreement, position=f"a{i}")
        for i in range(n):
            add_milestone(f"hub-outcome-{i}", kind="pledge", occasion=milestone)
        from actors.models import Actor
        from sectors.models import Sector

        milestone.actors.set(Actor.objects.all())
        milestone.sectors.set(Sector.objects.all())
        milestone.tags.add(*[f"h{i}" for i in range(n)])
        disagreement = Disagreement.objects.create(target=milestone, aspect="date", explanation="x")
        for i in range(n):
            cite(milestone, source, locator=f"p. {i}", disagreement=disagreement, position=str(i))
        url = milestone.get_absolute_url()
        client.get(url)
        # 1 the milestone with its agreement and occasion, 2 institutions, 3 sectors, 4 tags,
        # 5 what was announced at it, 6 citations with their sources and disagreements,
        # 7 disagreements, 8 the disagreements recorded on its agreement, 9 their citations
        # with sources.
        with django_assert_num_queries(9):
            response = client.get(url)
        assert response.content.decode().count('class="small">(citation)') == 2 * n
