"""The review workflow walked in a browser: the queue, a send-back with a comment, a
proposed change to a published agreement, and a revert of a citation edit."""

import re

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, Milestone
from ijtech.models import Citation, EditorialStatus, Source
from ijtech.roles import EDITORS, REVIEWERS
from tests.browser.test_admin_review import (
    choose_autocomplete,
    log_in,
    log_out,
    make_staff,
    server_errors,  # noqa: F401 (a fixture)
)
from tests.factories import add_milestone as add_published_milestone
from tests.factories import cite

pytestmark = pytest.mark.browser

CITATIONS = "ijtech-citation-content_type-object_id"
EDITOR = ("edith", "edith-Secret-42")
REVIEWER = ("ravi", "ravi-Secret-42")
TITLE = "India–Japan Semiconductor Policy Dialogue"
SLUG = "2025-semiconductor-dialogue"
AGREEMENT = "2018-digital-partnership"


@pytest.fixture
def people(db):
    make_staff(*EDITOR, EDITORS)
    make_staff(*REVIEWER, REVIEWERS)


@pytest.fixture
def source(db):
    return Source.objects.create(
        slug="chips-report",
        title="Semiconductor Cooperation Report",
        authors="Ministry of Electronics",
        kind="report",
        year=2025,
    )


def as_user(page, user):
    page.goto("/admin/")
    if page.locator("#user-tools").count():
        log_out(page)
    log_in(page, *user)


def add_milestone(page, source, duplicate_of=None):
    """The editor fills in the add form, with one citation, and saves a draft.

    With `duplicate_of`, the first save is held back with a warning naming that record,
    and the editor confirms that the new one is not a duplicate.
    """
    page.goto("/admin/agreements/milestone/add/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Title").press("Tab")
    page.get_by_label("Slug").fill(SLUG)
    page.get_by_label("Kind").select_option(label="Dialogue meeting")
    page.get_by_label("Year:", exact=True).fill("2025")
    choose_autocomplete(page, f"id_{CITATIONS}-0-source", source.title)
    page.locator(f"#id_{CITATIONS}-0-locator").fill("p. 3")
    page.locator("input[name=_save]").first.click()
    if duplicate_of is not None:
        warning = page.locator("#duplicates")
        expect(warning).to_contain_text("Possible duplicates")
        expect(warning.get_by_role("link", name=duplicate_of.title)).to_have_attribute(
            "href", f"/admin/agreements/milestone/{duplicate_of.pk}/change/"
        )
        page.get_by_label("This is not a duplicate").check()
        page.locator("input[name=_save]").first.click()
    page.wait_for_url("**/admin/agreements/milestone/")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def send_for_review_from_form(page, title):
    page.goto("/admin/agreements/milestone/")
    page.get_by_role("link", name=title).click()
    page.get_by_label("Editorial status").select_option(label="In review")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def queue_item(page, title):
    return page.locator(".queue-item").filter(has=page.get_by_role("link", name=title))


def test_a_milestone_is_sent_back_fixed_and_published(
    new_context,
    people,
    source,
    server_errors,  # noqa: F811
):
    page = new_context().new_page()
    earlier = add_published_milestone(
        "2024-semiconductor-policy-dialogue",
        title="India-Japan Semiconductor Policy Dialogue",
        kind="dialogue",
        year=2024,
    )
    cite(earlier, source)

    # The editor adds a milestone, is warned of a duplicate, confirms, and sends it for review.
    as_user(page, EDITOR)
    add_milestone(page, source, duplicate_of=earlier)
    send_for_review_from_form(page, TITLE)
    assert page.goto(f"/milestones/{SLUG}/").status == 404

    # The reviewer finds it from the admin index, sees the diff, and sends it back.
    as_user(page, REVIEWER)
    expect(page.locator("#review-queue")).to_contain_text("Awaiting review: 1")
    page.locator("#review-queue a").click()
    page.wait_for_url("**/admin/review/")
    item = queue_item(page, TITLE)
    expect(item).to_contain_text("Sent by edith")
    expect(item).to_contain_text("Never published: the whole record is new.")
    expect(item.locator(".queue-diff")).to_contain_text(TITLE)
    expect(item.locator(".queue-diff")).to_contain_text("Semiconductor Cooperation Report — p. 3")
    item.get_by_label("Comment for the editor").fill("Say where the dialogue met.")
    item.get_by_role("button", name="Send back").click()
    expect(page.locator(".messagelist")).to_contain_text("was sent back to its editor")
    expect(queue_item(page, TITLE)).to_have_count(0)

    # The editor sees the comment in the list and on the form, fixes and resends.
    as_user(page, EDITOR)
    page.goto("/admin/agreements/milestone/")
    expect(page.locator("#result_list")).to_contain_text("Say where the dialogue met.")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#review-comment")).to_contain_text("Sent back by ravi")
    expect(page.locator("#review-comment")).to_contain_text("Say where the dialogue met.")
    page.get_by_label("Summary").fill("The dialogue met in New Delhi.")
    page.get_by_label("Editorial status").select_option(label="In review")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The reviewer sees the fix in the queue and publishes.
    as_user(page, REVIEWER)
    page.goto("/admin/review/")
    item = queue_item(page, TITLE)
    expect(item.locator(".queue-diff")).to_contain_text("The dialogue met in New Delhi.")
    item.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("is published")
    assert Milestone.objects.get(slug=SLUG).editorial_status == EditorialStatus.PUBLISHED
    assert page.goto(f"/milestones/{SLUG}/").status == 200
    expect(page.locator("main")).to_contain_text("The dialogue met in New Delhi.")
    assert server_errors == []


def test_a_proposed_change_goes_live_once_accepted_and_a_citation_edit_is_reverted(
    new_context,
    people,
    source,
    server_errors,  # noqa: F811
):
    agreement = Agreement.objects.create(
        slug=AGREEMENT,
        title="Digital Partnership",
        kind="framework",
        year=2018,
        summary="The two governments agreed to cooperate on digital technology.",
    )
    Citation.objects.create(target=agreement, source=source, locator="Chapter 1")
    agreement.publish()
    page = new_context().new_page()
    change = f"/admin/agreements/agreement/{agreement.pk}/change/"

    # The editor proposes a change to the published agreement.
    as_user(page, EDITOR)
    page.goto(change)
    expect(page.locator("#proposing")).to_contain_text("kept as a proposal")
    page.get_by_label("Summary").fill("The partnership covers semiconductors and 5G.")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("awaits review")
    expect(page.locator("#pending-proposal")).to_contain_text("proposed by edith")

    # The public page is unchanged.
    page.goto(f"/agreements/{AGREEMENT}/")
    expect(page.locator("main")).to_contain_text("cooperate on digital technology")
    expect(page.locator("main")).not_to_contain_text("semiconductors and 5G")

    # The reviewer accepts it in the queue; the page changes.
    as_user(page, REVIEWER)
    page.goto("/admin/review/")
    item = queue_item(page, "Digital Partnership")
    expect(item).to_contain_text("proposed change")
    expect(item.locator("del")).to_contain_text("cooperate on digital technology")
    expect(item.locator("ins")).to_contain_text("semiconductors and 5G")
    item.get_by_role("button", name="Accept change").click()
    expect(page.locator(".messagelist")).to_contain_text("is published")
    page.goto(f"/agreements/{AGREEMENT}/")
    expect(page.locator("main")).to_contain_text("semiconductors and 5G")

    # The reviewer edits the citation, then reverts the edit from the history.
    page.goto(change)
    page.locator(f"#id_{CITATIONS}-0-locator").fill("Chapter 9")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert agreement.citations.get().locator == "Chapter 9"
    page.goto(f"/admin/agreements/agreement/{agreement.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Chapter 9")
    # Newest first: the version before the edit is the second row.
    page.locator("#change-history tbody tr").nth(1).get_by_role("link", name="Digital").click()
    page.wait_for_url(re.compile(r"/history/\d+/$"))
    page.get_by_role("button", name="Revert").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert agreement.citations.get().locator == "Chapter 1"
    page.goto(f"/agreements/{AGREEMENT}/")
    expect(page.locator("main")).to_contain_text("semiconductors and 5G")
    assert server_errors == []
