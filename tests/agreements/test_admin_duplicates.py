"""The duplicate warning: adding or renaming a record lists similar ones; saving needs a tick."""

import pytest

from actors.models import Actor
from agreements.models import Milestone
from ijtech import duplicates
from tests.factories import (
    ADD,
    add_actor,
    add_milestone,
    change_url,
    citation_row,
    milestone_form,
)

pytestmark = pytest.mark.django_db

TITLE = "Third India–Japan Space Dialogue (April 2025)"


@pytest.fixture
def dialogue():
    return add_milestone(
        "2025-third-india-japan-space-dialogue",
        title="Third India-Japan Space Dialogue",
        kind="dialogue",
        year=2025,
    )


def add(client, user, source, **fields):
    client.force_login(user)
    fields.setdefault("slug", "2025-space-dialogue-april")
    return client.post(ADD, milestone_form("draft", [citation_row(source)], **fields))


def test_it_warns_of_a_similar_record_and_links_to_it(client, editor, source, dialogue):
    response = add(client, editor, source, title=TITLE)
    assert response.status_code == 200
    assert Milestone.objects.count() == 1
    form = response.context["adminform"].form
    assert "not a duplicate" in form.errors["not_a_duplicate"][0]
    page = response.content.decode()
    assert f'href="{change_url(dialogue)}"' in page
    assert 'name="not_a_duplicate"' in page
    # The refusal is in the summary at the top, linked to the checkbox.
    assert 'href="#id_not_a_duplicate"' in page


def test_a_confirmed_record_is_saved(client, editor, source, dialogue):
    response = add(client, editor, source, title=TITLE, not_a_duplicate="on")
    assert response.status_code == 302
    assert Milestone.objects.filter(title=TITLE).exists()


def test_without_candidates_there_is_no_checkbox(client, editor, source, dialogue):
    client.force_login(editor)
    assert 'name="not_a_duplicate"' not in client.get(ADD).content.decode()
    response = add(client, editor, source, title="Quantum Computing Roadmap")
    assert response.status_code == 302


def test_a_record_more_than_a_year_apart_is_not_a_candidate(client, editor, source, dialogue):
    response = add(client, editor, source, title=TITLE, year="2022")
    assert response.status_code == 302


def test_a_record_with_the_same_slug_stem_is_a_candidate(client, editor, source, dialogue):
    response = add(
        client, editor, source, title="Space talks", slug="2024-third-india-japan-space-dialogue"
    )
    assert response.status_code == 200
    assert "same slug stem" in response.content.decode()


def test_editing_without_renaming_does_not_warn(client, editor, source, dialogue):
    twin = add_milestone("2025-twin", "draft", title="Third India-Japan Space Dialogue")
    client.force_login(editor)
    response = client.post(
        change_url(twin),
        milestone_form(
            "draft",
            [citation_row(source)],
            version=twin.version,
            title=twin.title,
            slug=twin.slug,
            summary="Edited.",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    twin.refresh_from_db()
    assert twin.summary == "Edited."


def test_renaming_warns(client, editor, source, dialogue):
    other = add_milestone("2025-robotics-forum", "draft", title="Robotics Forum")
    client.force_login(editor)
    response = client.post(
        change_url(other),
        milestone_form(
            "draft", [citation_row(source)], version=other.version, title=TITLE, slug=other.slug
        ),
    )
    assert response.status_code == 200
    assert "not_a_duplicate" in response.context["adminform"].form.errors


def test_an_institution_is_matched_by_its_acronym(client, editor):
    add_actor("jaxa", name="Japan Aerospace Exploration Agency", acronym="JAXA")
    client.force_login(editor)
    response = client.post(
        "/admin/actors/actor/add/",
        {
            "name": "JAXA",
            "acronym": "",
            "slug": "jaxa-2",
            "country": "japan",
            "kind": "agency",
            "description": "",
            "website": "",
            "editorial_status": "draft",
            "ijtech-citation-content_type-object_id-TOTAL_FORMS": "0",
            "ijtech-citation-content_type-object_id-INITIAL_FORMS": "0",
            "ijtech-disagreement-content_type-object_id-TOTAL_FORMS": "0",
            "ijtech-disagreement-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200, response
    assert "not_a_duplicate" in response.context["adminform"].form.errors
    assert Actor.objects.count() == 1


@pytest.mark.parametrize("others", [3, 30])
def test_the_lookup_costs_two_queries_however_many_records(
    others, django_assert_num_queries, dialogue
):
    for i in range(others):
        add_milestone(f"2025-other-{i}", title=f"Other meeting {i}", year=2024 + i % 3)
    with django_assert_num_queries(2):
        # 1. the records of the three years, or of the same slug stem
        # 2. the names their sources dispute
        found = duplicates.candidates(Milestone, [TITLE], "2025-x", year=2025)
    assert [c.record.pk for c in found] == [dialogue.pk]
