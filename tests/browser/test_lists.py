"""
The list pages on a phone and with a keyboard, and a record's page on paper.

One test per behaviour, each over every list page, so that the corpus is loaded once per
behaviour rather than once per page.
"""

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("corpus")]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}

# Each list page and the selector of its results.
LISTS = {
    "/agreements/": "ol.records > li",
    "/milestones/": "ol.records > li",
    "/actors/": "ol.records > li",
    "/sectors/": ".sector-grid > li",
    "/sources/": ".bibliography > li",
    "/search/?q=space": "ol.records > li",
}


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE).new_page()


def test_on_a_phone_the_first_result_is_on_the_first_screen(phone):
    for url, results in LISTS.items():
        phone.goto(url)
        box = phone.locator(results).first.bounding_box()
        assert box is not None, url
        assert box["y"] + 40 < PHONE["height"], f"{url}: the first result starts at {box['y']}px"


def test_on_a_phone_the_filters_are_folded_and_unfold_in_place(phone):
    phone.goto("/agreements/?sector=space")
    filters = phone.locator("details.filters")
    expect(filters.locator("summary")).to_have_text("Filters (1 active)")
    facet = phone.get_by_role("region", name="Sector", exact=True)
    expect(facet).to_be_hidden()
    filters.locator("summary").click()
    expect(facet).to_be_visible()


def test_on_a_wide_screen_the_filters_are_an_unfolded_sidebar(new_context):
    page = new_context(viewport=WIDE).new_page()
    page.goto("/agreements/")
    expect(page.locator("details.filters")).to_have_attribute("open", "")
    sector = page.get_by_role("region", name="Sector", exact=True)
    expect(sector).to_be_visible()
    assert sector.bounding_box()["x"] < page.locator("#results-h").bounding_box()["x"]


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_results(phone):
    for url in LISTS:
        phone.goto(url)
        phone.keyboard.press("Tab")
        skip = phone.locator(":focus")
        expect(skip).to_have_text("Skip to results")
        assert skip.is_visible(), f"{url}: the focused skip link is not shown"
        phone.keyboard.press("Enter")
        expect(phone.locator(":focus")).to_have_id("results-h")
        # The next tab stop is in the results, not back in the menu or the filters.
        phone.keyboard.press("Tab")
        in_results = phone.evaluate("document.activeElement.closest('.results') !== null")
        assert in_results, f"{url}: the tab after the results heading leaves the results"


def test_show_all_lists_every_option_of_the_facet(phone):
    phone.goto("/agreements/?kind=mou")
    phone.locator("details.filters summary").click()
    institutions = phone.get_by_role("region", name="Institution", exact=True)
    expect(institutions.locator(".options a")).to_have_count(8)
    show_all = institutions.get_by_role("link", name="Show all")
    total = int(show_all.inner_text().split()[2])
    assert total > 8
    show_all.click()
    # The facet stays unfolded after the reload, and the other filter is kept.
    institutions = phone.get_by_role("region", name="Institution", exact=True)
    expect(institutions.get_by_role("link", name="Show fewer")).to_be_visible()
    assert "kind=mou" in phone.url and "show=actor" in phone.url
    expect(institutions.locator(".options a")).to_have_count(total)


def test_a_chip_removes_its_filter(phone):
    phone.goto("/agreements/?kind=mou&sector=space")
    chips = phone.get_by_role("list", name="Active filters")
    chips.get_by_role("link", name="Remove filter: Kind of instrument Memorandum").click()
    phone.wait_for_url("**/agreements/?sector=space")
    expect(phone.locator(".chip")).to_have_count(1)


def test_a_printed_record_has_no_navigation_but_its_permalink_and_reference(new_context):
    page = new_context(viewport=WIDE).new_page()
    agreement = Agreement.objects.published().order_by("-year", "slug").first()
    page.goto(agreement.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in [".site-header", ".site-footer", ".cite-downloads", ".cite details"]:
        display = page.eval_on_selector(hidden, "e => getComputedStyle(e).display")
        assert display == "none", hidden
    permalink = page.locator(".permalink")
    expect(permalink).to_be_visible()
    expect(permalink).to_contain_text("http://")
    expect(permalink).to_contain_text(agreement.get_absolute_url())
    expect(page.locator(".cite .reference-text").first).to_be_visible()
    assert page.pdf()[:4] == b"%PDF"
