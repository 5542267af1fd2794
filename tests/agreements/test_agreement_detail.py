"""An agreement's page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement, Source
from tests.factories import (
    UNPUBLISHED,
    add_agreement,
    add_agreement_crowd,
    add_milestone,
    cite,
    times,
)

pytestmark = pytest.mark.django_db


class TestDetail:
    @pytest.fixture
    def sources(self, db):
        return (
            Source.objects.create(
                slug="mofa-2020",
                title="Joint Statement",
                authors="MOFA",
                kind="official",
                year=2020,
                month=10,
            ),
            Source.objects.create(slug="isro-report", title="Annual Report", kind="report"),
        )

    def test_it_shows_the_facts(self, client, agreement_world):
        response = client.get(agreement_world.space_mou.get_absolute_url())
        assertContains(response, "<h1>Space Cooperation MoU</h1>", html=False)
        assertContains(response, "Memorandum of understanding")
        assertContains(response, "<dt>Status</dt><dd>In force</dd>")
        assertContains(response, "Lunar exploration and satellite navigation.")
        assertContains(response, '<a class="sector" href="/sectors/space/">Space</a>')
        assertContains(response, '<a class="tag" href="/agreements/?tag=satellites">satellites</a>')
        assert times(response)["October 2020"] == "2020-10"

    def test_it_lists_published_parties_with_their_roles(self, client, agreement_world):
        html = client.get(agreement_world.space_mou.get_absolute_url()).content.decode()
        assert (
            '<a href="/actors/isro/">Indian Space Research Organisation</a> (ISRO) — signatory'
            in html
        )
        assert "Japan Aerospace Exploration Agency</a> (JAXA) — signatory" in html
        assert "Japan Aerospace Exploration Agency</a> (JAXA) — implementing body" in html
        assert "Hidden Body" not in html

    def test_it_lists_the_signatories_before_implementers_and_funders(
        self, client, agreement_world
    ):
        # Alphabetically a funder and an implementer would come before a signatory.
        agreement = add_agreement(
            "ordered",
            parties=[
                (agreement_world.meti, "funder"),
                (agreement_world.jaxa, "implementer"),
                (agreement_world.isro, "signatory"),
            ],
        )
        html = client.get(agreement.get_absolute_url()).content.decode()
        roles = [
            html.index(f"— {role}</li>") for role in ("signatory", "implementing body", "funder")
        ]
        assert roles == sorted(roles)

    def test_it_shows_lineage_both_ways(self, client, agreement_world):
        html = client.get(agreement_world.space_mou.get_absolute_url()).content.decode()
        assert "<h3>Builds on</h3>" in html
        assert '<a href="/agreements/st-agreement/">Science and Technology Agreement</a>' in html
        html = client.get(agreement_world.st.get_absolute_url()).content.decode()
        assert "<h3>Built on by</h3>" in html
        assert '<a href="/agreements/space-mou/">Space Cooperation MoU</a>' in html
        html = client.get(agreement_world.clean.get_absolute_url()).content.decode()
        assert "<h3>Supersedes</h3>" in html and "Hydrogen Framework" in html
        html = client.get(agreement_world.h2.get_absolute_url()).content.decode()
        assert "<h3>Superseded by</h3>" in html and "Clean Energy Partnership" in html

    def test_a_lineage_date_sits_tight_in_its_brackets(self, client, agreement_world):
        html = client.get(agreement_world.space_mou.get_absolute_url()).content.decode()
        link = '<a href="/agreements/st-agreement/">Science and Technology Agreement</a> ('
        entry = html[html.index(link) :].split("</li>", 1)[0]
        assert entry.endswith("</time>)"), entry

    @pytest.mark.parametrize("status", UNPUBLISHED)
    def test_it_hides_unpublished_lineage(self, client, agreement_world, status):
        hidden = add_agreement(
            "hidden-successor",
            status,
            title="Hidden Successor",
            builds_on=[agreement_world.sixties],
            supersedes=[agreement_world.sixties],
        )
        agreement_world.sixties.builds_on.add(hidden)
        response = client.get(agreement_world.sixties.get_absolute_url())
        assertNotContains(response, "Hidden Successor")
        assertNotContains(response, "Lineage")

    def test_it_lists_published_milestones_in_date_order(self, client, agreement_world):
        add_milestone(
            "signing", title="The Signing", year=2020, month=10, agreement=agreement_world.space_mou
        )
        add_milestone("launch", title="The Launch", year=2023, agreement=agreement_world.space_mou)
        add_milestone(
            "secret", "draft", title="Secret Milestone", agreement=agreement_world.space_mou
        )
        add_milestone(
            "pending", "in_review", title="Pending Milestone", agreement=agreement_world.space_mou
        )
        html = client.get(agreement_world.space_mou.get_absolute_url()).content.decode()
        assert html.index("The Signing") < html.index("The Launch")
        assert "Secret Milestone" not in html and "Pending Milestone" not in html

    def test_it_shows_every_citation(self, client, agreement_world, sources):
        mofa, report = sources
        cite(
            agreement_world.space_mou,
            mofa,
            locator="Para 12",
            quote="signed a memorandum",
            supports="date",
            note="The date is from the English text.",
        )
        cite(agreement_world.space_mou, report, locator="Chapter 3")
        html = client.get(agreement_world.space_mou.get_absolute_url()).content.decode()
        assert '<a href="/sources/mofa-2020/">MOFA, Joint Statement</a> (October 2020)' in html
        assert '<span class="locator">Para 12</span>' in html
        assert "“signed a memorandum”" in html
        assert "Supports: its date." in html
        assert "Note: The date is from the English text." in html
        assert '<a href="/sources/isro-report/">Annual Report</a>, ' in html
        assert '<span class="locator">Chapter 3</span>' in html
        assert "Supports: the whole record." in html
        assert html.index("Para 12") < html.index("Chapter 3")

    def test_a_disputed_agreement_shows_each_version_beside_its_citation(
        self, client, agreement_world, sources
    ):
        mofa, report = sources
        disagreement = Disagreement.objects.create(
            target=agreement_world.space_mou, aspect="kind", explanation="MoU or an agreement?"
        )
        first = cite(
            agreement_world.space_mou,
            mofa,
            locator="Para 1",
            disagreement=disagreement,
            position="a memorandum",
            quote="signed a memorandum",
        )
        second = cite(
            agreement_world.space_mou,
            report,
            locator="p. 4",
            disagreement=disagreement,
            position="an agreement",
        )
        response = client.get(agreement_world.space_mou.get_absolute_url())
        html = response.content.decode()
        assert "Sources disagree" in html
        assert "<h3>Kind of instrument</h3>" in html
        assert "MoU or an agreement?" in html
        assert (
            '<li><strong>a memorandum</strong> — <a href="/sources/mofa-2020/">MOFA</a>, Para 1: '
            f'<q>signed a memorandum</q> <a href="#citation-{first.pk}" class="small">' in html
        )
        assert (
            '<li><strong>an agreement</strong> — <a href="/sources/isro-report/">Annual Report'
            f'</a>, p. 4 <a href="#citation-{second.pk}" class="small">' in html
        )
        assert f'id="citation-{first.pk}"' in html and f'id="citation-{second.pk}"' in html
        assert "This source says: <strong>an agreement</strong>" in html

    def test_an_undisputed_agreement_has_no_disagreement_section(self, client, agreement_world):
        response = client.get(agreement_world.st.get_absolute_url())
        assertNotContains(response, "Where the sources disagree")
        assertNotContains(response, "Sources disagree")

    @pytest.mark.parametrize(
        ("slug", "shown_date", "datetime"),
        [
            ("sixties-exchange", "the 1960s", "1960"),
            ("st-agreement", "1985", "1985"),
            ("hydrogen-framework", "8 December 2020", "2020-12-08"),
            ("clean-energy-partnership", "about 2022", "2022"),
        ],
    )
    def test_it_shows_the_date_as_precise_as_known(
        self, client, agreement_world, slug, shown_date, datetime
    ):
        response = client.get(reverse("agreements:detail", args=[slug]))
        assert times(response)[shown_date] == datetime

    def test_it_offers_citation_downloads(self, client, agreement_world):
        response = client.get(agreement_world.st.get_absolute_url())
        assertContains(response, 'href="/agreements/st-agreement/cite.bib"')
        assertContains(response, 'href="/agreements/st-agreement/cite.ris"')

    @pytest.mark.parametrize("slug", ["draft-deal", "review-deal", "no-such-agreement"])
    def test_unpublished_and_unknown_agreements_are_404(self, client, agreement_world, slug):
        assert client.get(reverse("agreements:detail", args=[slug])).status_code == 404


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_detail_page_runs_a_fixed_number_of_queries(
        self, client, source, warm_content_types, django_assert_num_queries, n
    ):
        add_agreement_crowd(n, source)
        agreement = add_agreement("hub", title="Hub")
        others = list(type(agreement).objects.exclude(pk=agreement.pk))
        agreement.builds_on.set(others)
        agreement.supersedes.set(others)
        agreement.built_upon_by.set(others)
        agreement.superseded_by.set(others)
        agreement.sectors.set(others[0].sectors.all())
        agreement.tags.add(*[f"t{i}" for i in range(n)])
        for actor in others[0].parties.all():
            agreement.party_links.create(actor=actor, role="funder")
        disagreement = Disagreement.objects.create(target=agreement, aspect="date", explanation="x")
        for i in range(n):
            milestone = add_milestone(f"hub-m-{i}", agreement=agreement)
            cite(agreement, source, locator=f"p. {i}", disagreement=disagreement, position=str(i))
            on_milestone = Disagreement.objects.create(
                target=milestone, aspect="date", explanation=f"m{i}"
            )
            cite(milestone, source, disagreement=on_milestone, position=f"m{i}")
        url = agreement.get_absolute_url()
        client.get(url)
        # 1 the agreement (with its disputed flag), 2 parties with their institutions,
        # 3 sectors, 4 tags, 5 builds on, 6 built on by, 7 supersedes, 8 superseded by,
        # 9 milestones, 10 citations with sources and disagreements, 11 disagreements,
        # 12 the disagreements recorded on its milestones, 13 their citations with sources,
        # 14 the links of its lineage chain (one recursive query), 15 the chain's agreements.
        with django_assert_num_queries(15):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="small">(citation)') == 2 * n
