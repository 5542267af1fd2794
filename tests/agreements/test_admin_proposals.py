"""An editor's change to a published record is a proposal: kept apart, invisible to the
public, until a reviewer accepts it, which writes all of it over the record at once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agreements.models import Agreement, AgreementParty, Milestone
from ijtech import review
from ijtech.models import ChangeProposal, Citation, ProposalStatus, SearchEntry
from tests.factories import (
    CONFLICT,
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    change_url,
    citation_row,
    cite,
    formset,
    milestone_form,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:review_queue")
SLUG = "2025-annual-summit"


@pytest.fixture
def published(source):
    milestone = add_milestone(SLUG, title="15th Annual Summit", summary="The leaders met.")
    cite(milestone, source, locator="Key Takeaways")
    return milestone


def propose(client, milestone, source, **fields):
    """Post the editor's change form: a new summary, tag and citation locator."""
    citation = milestone.citations.get()
    row = citation_row(source, id=str(citation.pk), locator="Chapter 4: Tokyo")
    data = milestone_form(
        "published",
        [row],
        version=milestone.version,
        initial_citations=1,
        summary="The leaders met in Tokyo and agreed on chips.",
        tags="semiconductors",
        **fields,
    )
    return client.post(change_url(milestone), data)


def test_an_editor_proposes_a_change_that_the_public_does_not_see(
    client, editor, source, published
):
    client.force_login(editor)
    response = propose(client, published, source)
    assert response.status_code == 302
    proposal = ChangeProposal.objects.get()
    assert proposal.author == editor
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.base_version == published.version
    assert proposal.data["fields"]["summary"] == "The leaders met in Tokyo and agreed on chips."
    assert proposal.data["relations"]["tags"] == ["semiconductors"]
    assert [c["locator"] for c in proposal.data["relations"]["citations"]] == ["Chapter 4: Tokyo"]

    # Nothing of it was written: not the record, its citations, its tags, nor its history.
    before = published.version
    published.refresh_from_db()
    assert published.summary == "The leaders met."
    assert published.version == before
    assert list(published.tags.names()) == []
    assert published.citations.get().locator == "Key Takeaways"
    assert published.history.count() == 1

    # The public page, the API and the search index show the published version.
    client.logout()
    page = client.get(f"/milestones/{SLUG}/").content.decode()
    assert "The leaders met." in page and "chips" not in page
    api = client.get(f"/api/milestones/{SLUG}/").json()
    assert api["summary"] == "The leaders met."
    assert not SearchEntry.objects.filter(body__contains="chips").exists()
    assert client.get("/api/search/", {"q": "chips"}).json()["results"] == []


def test_the_editor_is_told_a_change_is_kept_as_a_proposal(client, editor, published):
    client.force_login(editor)
    response = client.get(change_url(published))
    assert response.status_code == 200
    assert "Your changes are kept as a proposal" in response.content.decode()
    status = response.context["adminform"].form.fields["editorial_status"]
    assert [value for value, _ in status.choices] == ["published"]


def test_a_second_pending_proposal_is_refused_as_a_conflict(
    client, editor, reviewer, source, published
):
    client.force_login(editor)
    assert propose(client, published, source).status_code == 302
    response = propose(client, published, source, title="Another title")
    assert response.status_code == 200
    page = response.content.decode()
    assert "is already awaiting review" in page
    assert "by eda" in page
    assert ChangeProposal.objects.count() == 1
    # The database refuses one too, whatever path it comes by.
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeProposal.objects.create(target=published, base_version=1, data={}, author=editor)


def test_a_reviewer_accepts_and_the_whole_change_goes_live(
    client, editor, reviewer, source, published
):
    client.force_login(editor)
    propose(client, published, source)
    proposal = ChangeProposal.objects.get()
    client.force_login(reviewer)
    response = client.post(
        QUEUE, {"item": f"proposal-{proposal.pk}", "decision": "accept"}, follow=True
    )
    assert response.status_code == 200
    assert "is published" in response.content.decode()
    published.refresh_from_db()
    assert published.summary == "The leaders met in Tokyo and agreed on chips."
    assert list(published.tags.names()) == ["semiconductors"]
    assert [c.locator for c in published.citations.all()] == ["Chapter 4: Tokyo"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.reviewer == reviewer
    latest = published.history.first()
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "Accepted change proposed by eda"
    assert latest.relations["tags"] == ["semiconductors"]
    client.logout()
    assert "agreed on chips" in client.get(f"/milestones/{SLUG}/").content.decode()
    assert SLUG in [r["slug"] for r in client.get("/api/search/", {"q": "chips"}).json()["results"]]


def test_accepting_a_proposal_made_to_an_older_version_is_refused(
    client, editor, reviewer, source, published
):
    client.force_login(editor)
    propose(client, published, source)
    proposal = ChangeProposal.objects.get()
    # A reviewer changes the record directly in the meantime.
    published.title = "Corrected by a reviewer"
    published.save()
    client.force_login(reviewer)
    response = client.post(QUEUE, {"item": f"proposal-{proposal.pk}", "decision": "accept"})
    assert response.status_code == 409
    assert "has been changed since" in response.content.decode()
    published.refresh_from_db()
    assert published.title == "Corrected by a reviewer"
    assert published.summary == "The leaders met."
    assert ChangeProposal.objects.get().status == ProposalStatus.PENDING


def test_a_proposal_sent_back_shows_its_comment_to_its_author(
    client, editor, reviewer, source, published
):
    client.force_login(editor)
    propose(client, published, source)
    proposal = ChangeProposal.objects.get()
    client.force_login(reviewer)
    client.post(
        QUEUE,
        {"item": f"proposal-{proposal.pk}", "decision": "send_back", "comment": "Cite p. 4."},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT_BACK
    assert proposal.reviewer_comment == "Cite p. 4."
    client.force_login(editor)
    assert "Cite p. 4." in client.get(change_url(published)).content.decode()
    # The record is free for a new proposal; once made, the old comment is gone.
    assert propose(client, published, source).status_code == 302
    assert "Cite p. 4." not in client.get(change_url(published)).content.decode()


def test_an_editor_cannot_accept_a_proposal(client, editor, source, published):
    client.force_login(editor)
    propose(client, published, source)
    proposal = ChangeProposal.objects.get()
    response = client.post(QUEUE, {"item": f"proposal-{proposal.pk}", "decision": "accept"})
    assert response.status_code == 403
    assert ChangeProposal.objects.get().status == ProposalStatus.PENDING


def test_accepting_replaces_an_agreements_parties_and_sectors(editor, reviewer, source):
    jaxa, isro = add_actor("jaxa"), add_actor("isro", country="india")
    space = add_sector("space")
    agreement = add_agreement("2018-space-mou", parties=[jaxa], sectors=[space])
    cite(agreement, source)
    base = review.state_of(agreement)
    data = {
        "fields": {**base["fields"], "title": "Space MoU"},
        "relations": {
            **base["relations"],
            "parties": [{"actor_id": isro.pk, "role": "implementer", "label": "ISRO"}],
            "sectors": [],
        },
    }
    proposal = ChangeProposal.objects.create(
        target=agreement, base_version=agreement.version, data=data, author=editor
    )
    review.accept(proposal, reviewer)
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.title == "Space MoU"
    assert [(p.actor, p.role) for p in AgreementParty.objects.filter(agreement=agreement)] == [
        (isro, "implementer")
    ]
    assert list(agreement.sectors.all()) == []
    assert agreement.citations.count() == 1


def test_accepting_is_all_or_nothing(editor, reviewer, source, published):
    """A change that would leave a published record uncited is refused whole."""
    base = review.state_of(published)
    data = {"fields": {**base["fields"], "title": "Uncited"}, "relations": {"citations": []}}
    proposal = ChangeProposal.objects.create(
        target=published, base_version=published.version, data=data, author=editor
    )
    with pytest.raises(ValidationError, match="without a citation"):
        review.accept(proposal, reviewer)
    published = Milestone.objects.get(pk=published.pk)
    assert published.title == "15th Annual Summit"
    assert Citation.objects.filter(object_id=published.pk).count() == 1


def test_a_proposal_saved_with_errors_is_not_kept(client, editor, source, published):
    client.force_login(editor)
    data = milestone_form("published", version=published.version, title="")
    data |= formset("ijtech-citation-content_type-object_id")
    response = client.post(change_url(published), data)
    assert response.status_code == 200
    assert not ChangeProposal.objects.exists()
    assert CONFLICT not in response.content.decode()
