"""The revert form, the changelist actions and odd admin URLs follow the same editorial rules
as the change form: who may move a record between states, and what publishing needs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.models import NO_CITATION_MESSAGE, EditorialStatus
from tests.factories import (
    DRAFT,
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    admin_url,
    cite,
    milestone_form,
)

pytestmark = pytest.mark.django_db


CHANGELIST = reverse("admin:agreements_milestone_changelist")


def revert_url(record, history):
    name = f"admin:{record._meta.app_label}_{record._meta.model_name}_simple_history"
    return reverse(name, args=[record.pk, history.history_id])


def published_milestone(source, **kwargs):
    milestone = add_milestone(**kwargs, editorial=DRAFT)
    cite(milestone, source)
    milestone.publish()
    return milestone


def test_it_refuses_an_editor_who_reverts_a_published_record(client, editor, source):
    milestone = add_milestone(title="Draft title", editorial=DRAFT)
    cite(milestone, source)
    draft_version = milestone.history.latest("history_date")
    milestone.publish()
    client.force_login(editor)
    response = client.post(
        revert_url(milestone, draft_version),
        milestone_form("draft", version=milestone.version, title="Changed by an editor"),
    )
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.PUBLISHED
    assert milestone.title == "Draft title"


def test_an_editor_sees_the_history_of_a_published_record_read_only(client, editor, source):
    milestone = published_milestone(source)
    client.force_login(editor)
    response = client.get(revert_url(milestone, milestone.history.earliest("history_date")))
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True


def test_it_refuses_a_reviewer_who_publishes_an_uncited_record_by_reverting(client, reviewer):
    milestone = add_milestone(title="No citations yet", editorial=DRAFT)
    client.force_login(reviewer)
    response = client.post(
        revert_url(milestone, milestone.history.get()),
        milestone_form("published", version=milestone.version, title="No citations yet"),
    )
    assert response.status_code == 200
    assert NO_CITATION_MESSAGE in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.DRAFT


def test_a_reviewer_publishes_a_cited_record_by_reverting(client, reviewer, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    # A new version, which carries the citation.
    milestone.save()
    client.force_login(reviewer)
    response = client.post(
        revert_url(milestone, milestone.history.latest("history_date")),
        milestone_form("published", version=milestone.version),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.PUBLISHED


def test_an_editor_reverts_a_draft(client, editor):
    milestone = add_milestone(title="First", editorial=DRAFT)
    first = milestone.history.get()
    milestone.title = "Second"
    milestone.save()
    client.force_login(editor)
    response = client.post(
        revert_url(milestone, first), milestone_form("draft", version=milestone.version)
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "15th Annual Summit"


def test_a_stale_revert_is_refused_with_the_conflict_message(client, editor):
    milestone = add_milestone(editorial=DRAFT)
    opened = milestone.version
    milestone.summary = "Someone else's summary."
    milestone.save()
    client.force_login(editor)
    response = client.post(
        revert_url(milestone, milestone.history.earliest("history_date")),
        milestone_form("draft", version=opened),
    )
    assert response.status_code == 200
    assert "Your changes have not been saved" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.summary == "Someone else's summary."


@pytest.mark.parametrize(
    "path",
    [
        "/admin/agreements/agreement/{pk}/history/abc/",
        "/admin/agreements/agreement/abc/history/1/",
        "/admin/agreements/agreement/{pk}/history/99999/",
    ],
)
def test_a_malformed_history_url_is_not_found(client, reviewer, path):
    agreement = add_agreement(editorial=DRAFT)
    client.force_login(reviewer)
    assert client.get(path.format(pk=agreement.pk)).status_code == 404


# --- The model applies the same rules ------------------------------------------------------


def test_the_model_refuses_an_editor_who_publishes(editor, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    with pytest.raises(PermissionDenied):
        milestone.move_to(EditorialStatus.PUBLISHED, editor)
    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.DRAFT


def test_the_model_refuses_an_editor_who_unpublishes(editor, source):
    milestone = published_milestone(source)
    with pytest.raises(PermissionDenied):
        milestone.move_to(EditorialStatus.DRAFT, editor)


def test_the_model_refuses_to_publish_without_a_citation(reviewer):
    milestone = add_milestone(editorial=DRAFT)
    with pytest.raises(ValidationError, match="at least one citation"):
        milestone.move_to(EditorialStatus.PUBLISHED, reviewer)
    with pytest.raises(ValidationError, match="at least one citation"):
        milestone.publish()


# --- Changelist actions that race a form save ----------------------------------------------


def someone_saves_meanwhile(monkeypatch, milestone):
    """Let another save land after the action loaded the records and before it writes."""
    from ijtech import workflow

    original = workflow.check_transition

    def check_then_lose_the_race(user, record, target):
        original(user, record, target)
        if record.pk == milestone.pk:
            Milestone.objects.filter(pk=milestone.pk).update(version=record.version + 1)

    monkeypatch.setattr(workflow, "check_transition", check_then_lose_the_race)


@pytest.mark.parametrize(
    "action, status, user",
    [
        ("publish", EditorialStatus.IN_REVIEW, "reviewer"),
        ("unpublish", EditorialStatus.PUBLISHED, "reviewer"),
        ("send_for_review", EditorialStatus.DRAFT, "editor"),
    ],
)
def test_an_action_racing_an_edit_reports_it_and_moves_the_others(
    client, request, source, monkeypatch, action, status, user
):
    raced = add_milestone("raced", editorial=status)
    cite(raced, source)
    other = add_milestone("other", editorial=status)
    cite(other, source)
    someone_saves_meanwhile(monkeypatch, raced)
    client.force_login(request.getfixturevalue(user))
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [raced.pk, other.pk]}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("Raced" in m and "changed by someone else" in m for m in messages), messages
    raced.refresh_from_db()
    other.refresh_from_db()
    assert raced.editorial_status == status
    assert other.editorial_status != status


# --- Odd admin URLs answer with a client error, never a server error -----------------------


@pytest.mark.parametrize("param", ["year", "decade"])
def test_a_non_ascii_digit_in_the_drill_down_is_not_a_server_error(client, editor, param):
    add_agreement(year=2018, editorial=DRAFT)
    client.force_login(editor)
    response = client.get(reverse("admin:agreements_agreement_changelist"), {param: "²"})
    assert response.status_code == 302
    assert "e=1" in response.url


@pytest.mark.parametrize(
    "param", ["kind__exact", "editorial_status__exact", "parties__country__exact", "q"]
)
def test_a_nul_in_a_list_filter_is_a_bad_request(client, editor, param):
    add_agreement(editorial=DRAFT)
    client.force_login(editor)
    response = client.get(reverse("admin:agreements_agreement_changelist"), {param: "\x00"})
    assert response.status_code == 400


def test_a_nul_in_an_autocomplete_search_is_a_bad_request(client, editor):
    add_agreement(editorial=DRAFT)
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "\x00",
            "app_label": "agreements",
            "model_name": "agreement",
            "field_name": "builds_on",
        },
    )
    assert response.status_code == 400


# --- A revert restores citations, parties, sectors and tags too ---------------------------


def agreement_form(agreement, status, version, **fields):
    """The fields of the agreement revert form, as the browser sends them."""
    return {
        "title": agreement.title,
        "slug": agreement.slug,
        "kind": agreement.kind,
        "status": agreement.status,
        "year": str(agreement.year),
        "month": "",
        "day": "",
        "date_qualifier": "exact",
        "summary": agreement.summary,
        "editorial_status": status,
        "version": str(version),
        **fields,
    }


def test_a_revert_restores_citations_parties_sectors_and_tags(client, reviewer, source):
    jaxa, isro = add_actor("jaxa", name="JAXA"), add_actor("isro", name="ISRO")
    space = add_sector("space")
    agreement = add_agreement("2018-space-mou", parties=[jaxa], sectors=[space], tags=["orbit"])
    cite(agreement, source, locator="Chapter 1", quote="space cooperation")
    agreement.save()
    good = agreement.history.latest("history_date")
    assert good.relations["citations"][0]["locator"] == "Chapter 1"

    # Someone edits the citation, the parties, the sectors and the tags.
    agreement.citations.update(locator="Chapter 9", quote="")
    AgreementParty.objects.filter(agreement=agreement).update(actor=isro, role="funder")
    agreement.sectors.clear()
    agreement.tags.set(["wrong"])
    agreement.save()

    client.force_login(reviewer)
    response = client.post(
        revert_url(agreement, good),
        agreement_form(agreement, "published", agreement.version, sectors=[str(space.pk)]),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert [(c.locator, c.quote) for c in agreement.citations.all()] == [
        ("Chapter 1", "space cooperation")
    ]
    assert [(p.actor, p.role) for p in agreement.party_links.all()] == [(jaxa, "signatory")]
    assert list(agreement.sectors.all()) == [space]
    assert list(agreement.tags.names()) == ["orbit"]
    latest = agreement.history.first()
    assert latest.history_user == reviewer
    assert latest.history_change_reason.startswith("Reverted to the version of")
    assert latest.relations == good.relations


def test_a_revert_is_itself_a_version_that_can_be_reverted(client, editor, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source, locator="Old locator")
    milestone.save()
    old = milestone.history.latest("history_date")
    milestone.citations.update(locator="New locator")
    milestone.save()
    new = milestone.history.latest("history_date")
    client.force_login(editor)

    client.post(revert_url(milestone, old), milestone_form("draft", version=milestone.version))
    milestone.refresh_from_db()
    assert [c.locator for c in milestone.citations.all()] == ["Old locator"]

    response = client.post(
        revert_url(milestone, new), milestone_form("draft", version=milestone.version)
    )
    assert response.status_code == 302
    assert [c.locator for c in milestone.citations.all()] == ["New locator"]


def test_the_history_page_shows_each_versions_citations_and_tags(client, editor, source):
    milestone = add_milestone(editorial=DRAFT, tags=["chips"])
    cite(milestone, source, locator="Chapter 5")
    milestone.save()
    client.force_login(editor)
    response = client.get(admin_url(milestone, "history"))
    page = response.content.decode()
    assert "<strong>citations</strong>: A. Author, A Test Report — Chapter 5" in page
    assert "<strong>tags</strong>: chips" in page


def test_a_revert_that_would_leave_a_published_record_uncited_is_refused(client, reviewer, source):
    milestone = add_milestone(editorial=DRAFT)
    uncited = milestone.history.get()
    cite(milestone, source)
    milestone.publish()
    client.force_login(reviewer)
    response = client.post(
        revert_url(milestone, uncited),
        milestone_form("published", version=milestone.version),
        follow=True,
    )
    assert "that version has no citation" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.citations.count() == 1
    assert milestone.editorial_status == EditorialStatus.PUBLISHED
