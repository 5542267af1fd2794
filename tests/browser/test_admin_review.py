"""An editor adds a cited milestone in the admin; it goes live only once a reviewer publishes."""

import re
import sys

import pytest
from django.contrib.auth.models import Group, User
from django.core.signals import got_request_exception
from playwright.sync_api import expect

from agreements.models import Milestone
from ijtech.models import EditorialStatus, Source
from ijtech.roles import EDITORS, REVIEWERS

pytestmark = pytest.mark.browser

CITATIONS = "ijtech-citation-content_type-object_id"
SLUG = "2026-quantum-dialogue"
TITLE = "First India–Japan Quantum Technology Dialogue"


@pytest.fixture
def server_errors():
    """Exceptions raised by views in the live server (it runs in this process)."""
    errors = []

    def record(sender, request=None, **kwargs):
        errors.append(sys.exc_info()[1])

    got_request_exception.connect(record, weak=False)
    yield errors
    got_request_exception.disconnect(record)


def make_staff(username: str, password: str, group: str) -> User:
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, username: str, password: str):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    expect(page.locator("#user-tools")).to_contain_text(username)


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Logged out")).to_be_visible()


def choose_autocomplete(page, select_id: str, text: str):
    """Pick an option in one of the admin's select2 autocomplete boxes."""
    page.locator(f"#{select_id} + .select2").click()
    # Opening the box loads the first page of choices; let it finish before typing.
    results = page.locator(".select2-container--open .select2-results__option")
    expect(results.first).not_to_have_class(re.compile("loading-results"))
    page.locator(".select2-container--open .select2-search__field").fill(text)
    results.filter(has_text=text).click()
    expect(page.locator(f"#{select_id} + .select2")).to_contain_text(text)


def test_editor_adds_reviewer_publishes(live_server, new_context, server_errors):
    source = Source.objects.create(
        slug="quantum-report",
        title="Quantum Cooperation Report",
        authors="Ministry of External Affairs",
        kind="report",
        year=2026,
    )
    make_staff("edith", "edith-Secret-42", EDITORS)
    make_staff("ravi", "ravi-Secret-42", REVIEWERS)
    page = new_context().new_page()

    # The editor adds the milestone, with its citation, and sends it for review.
    log_in(page, "edith", "edith-Secret-42")
    page.goto("/admin/agreements/milestone/add/")
    page.get_by_label("Title").fill(TITLE)
    # Leaving the title fills in the slug from it; the editor then shortens the slug.
    page.get_by_label("Title").press("Tab")
    slug = page.get_by_label("Slug")
    expect(slug).to_have_value("first-indiajapan-quantum-technology-dialogue")
    slug.fill(SLUG)
    page.get_by_label("Kind").select_option(label="Dialogue meeting")
    page.get_by_label("Year:", exact=True).fill("2026")
    status = page.get_by_label("Editorial status")
    expect(status.locator("option")).to_have_text(["Draft", "In review"])
    choose_autocomplete(page, f"id_{CITATIONS}-0-source", source.title)
    page.locator(f"#id_{CITATIONS}-0-locator").fill("p. 12")
    status.select_option(label="In review")
    page.locator("input[name=_save]").first.click()
    assert not server_errors
    page.wait_for_url("**/admin/agreements/milestone/")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    milestone = Milestone.objects.get(slug=SLUG)
    assert milestone.editorial_status == EditorialStatus.IN_REVIEW
    assert [(c.source, c.locator) for c in milestone.citations.all()] == [(source, "p. 12")]
    assert page.goto(f"/milestones/{SLUG}/").status == 404
    page.goto("/milestones/")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    page.goto("/admin/")
    log_out(page)

    # The reviewer opens it from the list and publishes it.
    log_in(page, "ravi", "ravi-Secret-42")
    page.goto("/admin/agreements/milestone/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(rf"/admin/agreements/milestone/{milestone.pk}/change/"))
    expect(page.locator(f"#id_{CITATIONS}-0-locator")).to_have_value("p. 12")
    page.get_by_label("Editorial status").select_option(label="Published")
    page.locator("input[name=_save]").first.click()
    page.wait_for_url("**/admin/agreements/milestone/")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.PUBLISHED

    # Live on the site, with its source.
    response = page.goto(f"/milestones/{SLUG}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text(source.title)
    page.goto("/milestones/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/milestones/{SLUG}/")
    assert server_errors == []
