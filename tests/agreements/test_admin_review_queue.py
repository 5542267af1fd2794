"""The review queue: every record in review and every proposed change, oldest first, with
who sent it, when and what changed; a reviewer publishes or sends back with a comment."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from agreements.models import Milestone
from ijtech import review
from ijtech.models import EditorialStatus, ReviewComment
from tests.factories import (
    DRAFT,
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    change_url,
    cite,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:review_queue")
IN_REVIEW = EditorialStatus.IN_REVIEW


def send_for_review(record, user, when=None):
    record._history_user = user
    record.move_to(IN_REVIEW, user)
    del record._history_user
    if when is not None:
        # Its versions as if made up to `when`, a minute apart.
        rows = list(record.history.order_by("-history_id"))
        for i, row in enumerate(rows):
            type(row).objects.filter(pk=row.pk).update(
                history_date=when - datetime.timedelta(minutes=i)
            )


def item(key, response):
    return next(i for i in response.context["items"] if i.key == key)


def changes(queue_item) -> dict:
    return {c.label: (c.before, c.after) for c in queue_item.changes}


def test_the_admin_index_shows_how_many_await_review(client, editor, reviewer):
    send_for_review(add_milestone("a", editorial=DRAFT), editor)
    send_for_review(add_agreement("b", editorial=DRAFT), editor)
    add_milestone("c", editorial=DRAFT)
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{QUEUE}"' in page
    assert "Awaiting review: <strong>2</strong>" in page


def test_it_lists_records_of_every_kind_oldest_sent_first(client, editor, reviewer):
    now = timezone.now()
    late = add_milestone("late-milestone", editorial=DRAFT)
    early = add_agreement("early-agreement", editorial=DRAFT)
    actor = add_actor("middle-actor", editorial=DRAFT)
    send_for_review(late, editor, now)
    send_for_review(early, editor, now - datetime.timedelta(days=2))
    send_for_review(actor, reviewer, now - datetime.timedelta(days=1))
    add_milestone("a-draft", editorial=DRAFT)
    client.force_login(reviewer)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [i.record.slug for i in response.context["items"]] == [
        "early-agreement",
        "middle-actor",
        "late-milestone",
    ]
    assert [i.sent_by for i in response.context["items"]] == [editor, reviewer, editor]
    sent = item(f"agreements.agreement-{early.pk}", response).sent_at
    assert sent == now - datetime.timedelta(days=2)


def test_a_never_published_record_shows_as_wholly_new(client, editor, reviewer, source):
    sector = add_sector("space")
    milestone = add_milestone("new-one", editorial=DRAFT, sectors=[sector], tags=["satellites"])
    cite(milestone, source, locator="Chapter 2", quote="launched together")
    send_for_review(milestone, editor)
    client.force_login(reviewer)
    response = client.get(QUEUE)
    found = item(f"agreements.milestone-{milestone.pk}", response)
    assert not found.published_before
    diff = changes(found)
    assert diff["title"] == ([], ["New One"])
    assert diff["citations"] == ([], ["A. Author, A Test Report — Chapter 2: “launched together”"])
    assert diff["sectors"] == ([], ["Space"])
    assert diff["tags"] == ([], ["satellites"])
    assert "Never published: the whole record is new." in response.content.decode()


def test_it_shows_what_changed_since_the_published_version(client, editor, reviewer, source):
    jaxa, isro = add_actor("jaxa", name="JAXA"), add_actor("isro", name="ISRO")
    agreement = add_agreement("2018-space-mou", title="Space MoU", parties=[jaxa])
    cite(agreement, source, locator="Chapter 1")
    agreement.save()  # the published version, with its citation and party
    agreement.move_to(DRAFT)
    agreement.title = "Space cooperation MoU"
    agreement.party_links.create(actor=isro, role="signatory")
    agreement.citations.update(locator="Chapter 3")
    agreement.tags.add("space")
    send_for_review(agreement, editor)
    client.force_login(reviewer)
    found = item(f"agreements.agreement-{agreement.pk}", client.get(QUEUE))
    assert found.published_before
    diff = changes(found)
    assert diff["title"] == (["Space MoU"], ["Space cooperation MoU"])
    assert diff["parties"] == (["JAXA (Signatory)"], ["JAXA (Signatory)", "ISRO (Signatory)"])
    source_name = "A. Author, A Test Report"
    assert diff["citations"] == ([f"{source_name} — Chapter 1"], [f"{source_name} — Chapter 3"])
    assert diff["tags"] == ([], ["space"])
    assert "kind" not in diff


def test_a_reviewer_publishes_from_the_queue(client, editor, reviewer, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    send_for_review(milestone, editor)
    client.force_login(reviewer)
    response = client.post(
        QUEUE,
        {
            "item": f"agreements.milestone-{milestone.pk}",
            "version": milestone.version,
            "decision": "publish",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.PUBLISHED
    assert milestone.history.first().history_user == reviewer
    assert client.get(QUEUE).context["items"] == []


def test_publishing_from_the_queue_still_needs_a_citation(client, editor, reviewer):
    milestone = add_milestone(editorial=DRAFT)
    send_for_review(milestone, editor)
    client.force_login(reviewer)
    response = client.post(
        QUEUE,
        {
            "item": f"agreements.milestone-{milestone.pk}",
            "version": milestone.version,
            "decision": "publish",
        },
    )
    assert response.status_code == 400
    assert "at least one citation" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.editorial_status == IN_REVIEW


def test_a_decision_on_a_changed_record_is_refused(client, editor, reviewer, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    send_for_review(milestone, editor)
    opened = milestone.version
    milestone.summary = "Changed meanwhile."
    milestone.save()
    client.force_login(reviewer)
    response = client.post(
        QUEUE,
        {"item": f"agreements.milestone-{milestone.pk}", "version": opened, "decision": "publish"},
    )
    assert response.status_code == 409
    assert "after you opened it" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.editorial_status == IN_REVIEW


def test_sending_back_needs_a_comment_that_the_editor_then_sees(client, editor, reviewer):
    milestone = add_milestone("2025-annual-summit", editorial=DRAFT)
    send_for_review(milestone, editor)
    client.force_login(reviewer)
    key = f"agreements.milestone-{milestone.pk}"
    refused = client.post(
        QUEUE, {"item": key, "version": milestone.version, "decision": "send_back"}
    )
    assert refused.status_code == 400
    assert "Say what the editor should change" in refused.content.decode()
    response = client.post(
        QUEUE,
        {
            "item": key,
            "version": milestone.version,
            "decision": "send_back",
            "comment": "Give the city of the summit.",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.editorial_status == DRAFT
    comment = ReviewComment.objects.get()
    assert (comment.author, comment.text, comment.target) == (
        reviewer,
        "Give the city of the summit.",
        milestone,
    )

    client.force_login(editor)
    form = client.get(change_url(milestone)).content.decode()
    assert "Sent back by rex" in form
    assert "Give the city of the summit." in form
    listing = client.get(reverse("admin:agreements_milestone_changelist"))
    assert "Give the city of the summit." in listing.content.decode()


def test_an_editor_sees_the_queue_but_cannot_decide(client, editor, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    send_for_review(milestone, editor)
    client.force_login(editor)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert 'value="publish"' not in response.content.decode()
    response = client.post(
        QUEUE,
        {
            "item": f"agreements.milestone-{milestone.pk}",
            "version": milestone.version,
            "decision": "publish",
        },
    )
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.editorial_status == IN_REVIEW


@pytest.mark.parametrize(
    "item, status",
    [
        ("agreements.milestone-abc", 400),
        ("auth.user-1", 400),
        ("agreements.milestone-99999", 404),
        ("proposal-99999", 404),
        ("", 400),
    ],
)
def test_a_malformed_decision_is_a_client_error(client, reviewer, item, status):
    client.force_login(reviewer)
    response = client.post(QUEUE, {"item": item, "version": "1", "decision": "publish"})
    assert response.status_code == status


def test_the_queue_needs_a_staff_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.parametrize("n", [2, 6])
def test_the_queue_costs_the_same_queries_for_more_records(
    client, reviewer, editor, source, django_assert_num_queries, n
):
    for i in range(n):
        milestone = add_milestone(f"m-{i}", editorial=DRAFT)
        cite(milestone, source)
        send_for_review(milestone, editor)
    client.force_login(reviewer)
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_model(Milestone)
    # 1 session, 2 user, 3-4 the user's own and group permissions;
    # 5-7 the records in review of each kind (actors, agreements, milestones);
    # 8 the history of the milestones in review; 9 the pending proposals.
    with django_assert_num_queries(9):
        response = client.get(QUEUE)
    assert len(response.context["items"]) == n


def test_the_count_matches_the_queue(editor, source):
    for i in range(3):
        send_for_review(add_milestone(f"m-{i}", editorial=DRAFT), editor)
    assert review.queue_count() == len(review.queue()) == 3
