"""A disagreement recorded on one record shows on every record it concerns.

An agreement's page shows those recorded on its milestones, a milestone's page those on its
agreement, and an institution's page those on the agreements and milestones it takes part in;
each is labelled with, and links to, the record it is recorded on. Drafts never leak.
"""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement
from tests.factories import UNPUBLISHED, add_actor, add_agreement, add_milestone, cite

pytestmark = pytest.mark.django_db


def dispute(record, source, aspect, explanation, *positions):
    disagreement = Disagreement.objects.create(
        target=record, aspect=aspect, explanation=explanation
    )
    for i, position in enumerate(positions):
        cite(
            record,
            source,
            locator=f"Chapter {i + 1}",
            quote=f"quote for {position}",
            disagreement=disagreement,
            position=position,
        )
    return disagreement


@pytest.fixture
def world(source):
    jaxa = add_actor("jaxa", name="Japan Aerospace Exploration Agency", acronym="JAXA")
    deal = add_agreement("lunar-deal", title="Lunar Deal", parties=[jaxa], kind="mou")
    launch = add_milestone(
        "lunar-launch", title="Lunar Launch", kind="launch", agreement=deal, actors=[jaxa]
    )
    dispute(deal, source, "kind", "An MoU or an arrangement?", "an MoU", "an arrangement")
    dispute(launch, source, "date", "Launched in 2024 or 2025?", "in 2024", "in 2025")
    return {"jaxa": jaxa, "deal": deal, "launch": launch}


def section(response) -> str:
    html = response.content.decode()
    start = html.index('id="related-disputed-h"')
    return html[start : html.index("</section>", start)]


class TestAgreementPage:
    def test_it_shows_the_disagreements_recorded_on_its_milestones(self, client, world):
        response = client.get(world["deal"].get_absolute_url())
        related = section(response)
        assert "Launched in 2024 or 2025?" in related
        assert "in 2025" in related and "quote for in 2024" in related
        assert f'href="{world["launch"].get_absolute_url()}"' in related
        assert "Lunar Launch" in related
        # Its own disagreement stays in its own section, not among the related ones.
        assert "An MoU or an arrangement?" not in related
        assertContains(response, "An MoU or an arrangement?")

    def test_a_version_links_to_the_citation_on_the_record_it_is_recorded_on(self, client, world):
        citation = world["launch"].citations.first()
        response = client.get(world["deal"].get_absolute_url())
        url = f"{world['launch'].get_absolute_url()}#citation-{citation.pk}"
        assert f'href="{url}"' in section(response)

    @pytest.mark.parametrize("status", UNPUBLISHED)
    def test_it_leaves_out_milestones_that_are_not_published(self, client, world, status):
        world["launch"].editorial_status = status
        world["launch"].save()
        response = client.get(world["deal"].get_absolute_url())
        assertNotContains(response, "Launched in 2024 or 2025?")
        assertNotContains(response, 'id="related-disputed-h"')


class TestMilestonePage:
    def test_it_shows_the_disagreements_recorded_on_its_agreement(self, client, world):
        response = client.get(world["launch"].get_absolute_url())
        related = section(response)
        assert "An MoU or an arrangement?" in related
        assert "an arrangement" in related
        assert f'href="{world["deal"].get_absolute_url()}"' in related
        assert "Launched in 2024 or 2025?" not in related

    @pytest.mark.parametrize("status", UNPUBLISHED)
    def test_it_leaves_out_an_agreement_that_is_not_published(self, client, world, status):
        world["deal"].editorial_status = status
        world["deal"].save()
        response = client.get(world["launch"].get_absolute_url())
        assertNotContains(response, "An MoU or an arrangement?")

    def test_a_milestone_without_an_agreement_has_no_related_section(self, client, source):
        alone = add_milestone("alone", title="Alone")
        dispute(alone, source, "date", "Which year?", "2019", "2020")
        response = client.get(alone.get_absolute_url())
        assertContains(response, "Which year?")
        assertNotContains(response, 'id="related-disputed-h"')


class TestInstitutionPage:
    def test_it_shows_the_disagreements_on_its_agreements_and_milestones(self, client, world):
        response = client.get(world["jaxa"].get_absolute_url())
        related = section(response)
        assert "An MoU or an arrangement?" in related
        assert "Launched in 2024 or 2025?" in related
        assert f'href="{world["deal"].get_absolute_url()}"' in related
        assert f'href="{world["launch"].get_absolute_url()}"' in related

    def test_it_leaves_out_records_it_takes_no_part_in(self, client, world, source):
        other = add_agreement("other-deal", title="Other Deal")
        dispute(other, source, "parties", "Who signed?", "A", "B")
        response = client.get(world["jaxa"].get_absolute_url())
        assertNotContains(response, "Who signed?")

    @pytest.mark.parametrize("status", UNPUBLISHED)
    def test_it_leaves_out_unpublished_records(self, client, world, status):
        for record in (world["deal"], world["launch"]):
            record.editorial_status = status
            record.save()
        response = client.get(world["jaxa"].get_absolute_url())
        assertNotContains(response, "An MoU or an arrangement?")
        assertNotContains(response, "Launched in 2024 or 2025?")
