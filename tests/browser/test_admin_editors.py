"""The editors' workbench in a browser: the duplicate warning, quotes checked, the form's width."""

import pytest
from playwright.sync_api import expect

from agreements.models import Milestone
from ijtech.models import Citation, Source
from ijtech.roles import EDITORS
from tests.browser.test_admin_review import choose_autocomplete, log_in, make_staff
from tests.factories import add_milestone, cite

pytestmark = pytest.mark.browser

CITATIONS = "ijtech-citation-content_type-object_id"
TITLE = "Third India–Japan Space Dialogue (April 2025)"
# The tests' own short text, never a real source document.
TEXT = """Space Notes

## Lunar work

ISRO and JAXA agreed to study the lunar poles together, a first for both agencies.
"""


@pytest.fixture
def source(transactional_db):
    return Source.objects.create(
        slug="space-notes", title="Space Notes", authors="A. Writer", kind="report", year=2025
    )


def fill_milestone(page, title, source):
    page.goto("/admin/agreements/milestone/add/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Slug").fill("2025-space-dialogue-april")
    page.get_by_label("Kind").select_option(label="Dialogue meeting")
    page.get_by_label("Year:", exact=True).fill("2025")
    choose_autocomplete(page, f"id_{CITATIONS}-0-source", source.title)


def test_an_editor_is_warned_of_a_duplicate_confirms_and_saves(new_context, source):
    existing = add_milestone(
        "2025-third-india-japan-space-dialogue",
        title="Third India-Japan Space Dialogue",
        kind="dialogue",
        year=2025,
    )
    cite(existing, source)
    make_staff("edith", "edith-Secret-42", EDITORS)
    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, "edith", "edith-Secret-42")

    fill_milestone(page, TITLE, source)
    page.locator(f"#id_{CITATIONS}-0-locator").fill("Lunar work")
    # The whole form, citation included, fits the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.locator("input[name=_save]").first.click()

    warning = page.locator("#duplicates")
    expect(warning).to_contain_text("Possible duplicates")
    link = warning.get_by_role("link", name="Third India-Japan Space Dialogue")
    expect(link).to_have_attribute("href", f"/admin/agreements/milestone/{existing.pk}/change/")
    expect(page.locator("#error-summary")).to_contain_text("This is not a duplicate")
    assert Milestone.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page.get_by_label("This is not a duplicate").check()
    page.locator("input[name=_save]").first.click()
    page.wait_for_url("**/admin/agreements/milestone/")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Milestone.objects.filter(title=TITLE).exists()


def test_a_quote_not_in_the_source_text_is_refused_with_the_nearest_passage(new_context, source):
    make_staff("edith", "edith-Secret-42", EDITORS)
    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, "edith", "edith-Secret-42")

    # The editor uploads the source's text in the source's admin.
    page.goto(f"/admin/ijtech/source/{source.pk}/change/")
    page.get_by_label("Full text").set_input_files(
        {"name": "space-notes.txt", "mimeType": "text/plain", "buffer": TEXT.encode()}
    )
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    fill_milestone(page, "Lunar Polar Study", source)
    page.locator(f"#id_{CITATIONS}-0-quote").fill("ISRO and JAXA agreed to explore the lunar poles")
    page.locator("input[name=_save]").first.click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("does not stand verbatim")
    expect(summary).to_contain_text("ISRO and JAXA agreed to study the lunar poles")
    # The summary's link leads to the quote box, far below.
    summary.get_by_role("link", name="Citation 1, quote").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#id_{CITATIONS}-0-quote")
    expect(page.locator(f"#id_{CITATIONS}-0-quote")).to_be_in_viewport()
    assert not Milestone.objects.exists()

    # Quoted as the text has it, the locator left blank: saved, under the quote's heading.
    page.locator(f"#id_{CITATIONS}-0-quote").fill("ISRO and JAXA agreed to study the lunar poles")
    page.locator(f"#id_{CITATIONS}-0-locator").fill("")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Citation.objects.get().locator == "Lunar work"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_change_form_fits_the_screen(new_context, source, width):
    record = add_milestone("2025-summit", "draft", title="Summit")
    cite(record, source, note="https://example.org/" + "a-very-long-path-segment" * 8)
    make_staff("edith", "edith-Secret-42", EDITORS)
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, "edith", "edith-Secret-42")
    page.goto(f"/admin/agreements/milestone/{record.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
