"""
Reading the site in a browser: filtering, the timeline, search and copying a citation.

Filtering and the timeline run on the real corpus; search and citing on focused records,
so that the expected ranking and text are known exactly (and the corpus loads less often).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Q
from playwright.sync_api import expect

from agreements.models import Agreement, Milestone
from ijtech.citeformats import bibtex_key
from ijtech.search import search_records
from tests.factories import DRAFT, add_agreement, add_milestone, publish

pytestmark = pytest.mark.browser


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def listed_slugs(page, selector: str) -> list[str]:
    """Slugs of the records linked from every page of results, following "Next"."""
    slugs = []
    while True:
        for href in page.locator(selector).evaluate_all("links => links.map(a => a.pathname)"):
            slugs.append(href.rstrip("/").rsplit("/", 1)[-1])
        next_link = page.locator("nav.pagination a[rel=next]")
        if not next_link.count():
            return slugs
        next_link.click()
        page.wait_for_load_state()


def test_filter_agreements_by_sector_and_year(page, corpus):
    page.goto("/agreements/")
    count = page.locator(".results-count")
    published = Agreement.objects.published()
    expect(count).to_have_text(f"{published.count()} results")

    # The first option of the Sector facet: the sector with the most agreements.
    page.get_by_role("region", name="Sector", exact=True).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"[?&]sector="))
    (sector,) = query_of(page.url)["sector"]
    in_sector = published.filter(sectors__slug=sector).distinct()
    assert 1 < in_sector.count() < published.count()
    expect(count).to_have_text(f"{in_sector.count()} result{'s' * (in_sector.count() != 1)}")

    # A range that leaves out the sector's earliest agreement.
    years = sorted(in_sector.values_list("year", flat=True))
    assert years[0] < years[-1], "the test needs a sector whose agreements span several years"
    year_from, year_to = years[0] + 1, years[-1]
    filters = page.get_by_role("form", name="Filter results")
    filters.get_by_label("From", exact=True).fill(str(year_from))
    filters.get_by_label("to", exact=True).fill(str(year_to))
    filters.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"[?&]year_from="))

    query = query_of(page.url)
    assert query["sector"] == [sector]
    assert query["year_from"] == [str(year_from)]
    assert query["year_to"] == [str(year_to)]
    expected = in_sector.filter(year__gte=year_from, year__lte=year_to)
    n = expected.count()
    assert 0 < n < in_sector.count()
    expect(count).to_have_text(f"{n} result{'s' * (n != 1)}")

    listed = listed_slugs(page, "ol.records h3 a")
    assert sorted(listed) == sorted(expected.values_list("slug", flat=True))
    for agreement in Agreement.objects.filter(slug__in=listed).prefetch_related("sectors"):
        assert sector in {s.slug for s in agreement.sectors.all()}, agreement.slug
        assert year_from <= agreement.year <= year_to, agreement.slug


def test_timeline_year_and_milestone(page, corpus):
    page.goto("/milestones/timeline/")
    expect(page.locator("figure.chart-figure > svg")).to_be_visible()

    # The chart's numbers, one row per year of the latest decade, behind a disclosure.
    table = page.locator("details.chart-table table").first
    expect(table).to_have_count(1)
    page.get_by_text("The chart's numbers as a table").click()
    expect(table).to_be_visible()
    published = Milestone.objects.published()
    last = max(published.values_list("year", flat=True))
    decade = last // 10 * 10
    expect(table.locator("tbody tr")).to_have_count(last - decade + 1)

    # The decade's busiest year; its row counts its milestones of cooperation dated to
    # it (exactly or "about"), without context events, decades and spans.
    cooperation = published.exclude(kind="context").filter(date_qualifier__in=["exact", "circa"])
    year = max(range(decade, last + 1), key=lambda y: (cooperation.filter(year=y).count(), y))
    row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=str(year)))
    # The columns end with: milestones, context events, agreements.
    expect(row.locator("td").nth(-3)).to_have_text(str(cooperation.filter(year=year).count()))
    page.locator("li.year > h2").get_by_role("link", name=str(year), exact=True).click()
    page.wait_for_url(re.compile(rf"\?year={year}$"))
    expect(page.locator("li.year")).to_have_count(1)
    expect(page.locator("li.year > h2 a")).to_have_text(str(year))
    events = page.locator("li.event:not(.agreement) > a")
    # The year's page lists its milestones and the spans that cover it ("2024–25" in 2025).
    shown = published.filter(Q(year=year) | Q(year__lt=year, year_end__gte=year))
    expect(events).to_have_count(shown.count())
    titles = events.all_inner_texts()
    assert sorted(titles) == sorted(shown.values_list("title", flat=True))
    # The agreements of the year are listed too, marked as such.
    agreements = Agreement.objects.published().filter(
        Q(year=year) | Q(year__lt=year, year_end__gte=year)
    )
    expect(page.locator("li.event.agreement")).to_have_count(agreements.count())

    first = events.first
    title, href = first.inner_text(), first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**{href}")
    milestone = Milestone.objects.get(slug=href.strip("/").rsplit("/", 1)[-1])
    assert shown.filter(pk=milestone.pk).exists()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_search_from_the_header(page, actor, source):
    # Focused data, so the order of the results is known: "space" in the title and the
    # summary, then in the name only (the ISRO fixture), then in the summary only.
    both = publish(
        add_agreement(
            "2008-space-cooperation",
            title="Space Cooperation Agreement",
            summary="Cooperation on space science and satellites.",
            editorial=DRAFT,
        ),
        source,
    )
    summary_only = publish(
        add_milestone(
            "2025-annual-summit", summary="The leaders discussed space.", editorial=DRAFT
        ),
        source,
    )
    publish(add_agreement("2018-digital-partnership", editorial=DRAFT), source)
    add_agreement(
        "2019-space-draft", title="A Space Draft", editorial=DRAFT
    )  # not published: never found
    expected = [both.get_absolute_url(), actor.get_absolute_url(), summary_only.get_absolute_url()]

    page.goto("/")
    header_search = page.get_by_role("search").filter(has=page.locator("#site-q"))
    header_search.get_by_label(
        "Search agreements, milestones, institutions, sectors and sources"
    ).fill("space")
    header_search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?q=space$"))

    # What the engine finds, in its order, is what the page lists (its sectors and sources
    # too, if the fixtures give any that match).
    found = search_records("space")
    hits = found.hits(found.entries)
    expect(page.locator(".results-count")).to_have_text(
        f"{found.count} results for “space”, best matches first"
    )
    results = page.locator("ol.search-results > li")
    expect(results.locator(".badge")).to_have_text([hit.kind.capitalize() for hit in hits])
    listed = results.locator("h3 a").evaluate_all("links => links.map(a => a.pathname)")
    assert listed == [hit.record.get_absolute_url() for hit in hits]
    assert [url for url in listed if url in expected] == expected
    assert [hit.rank for hit in hits] == sorted((hit.rank for hit in hits), reverse=True)

    results.first.get_by_role("link").click()
    page.wait_for_url(f"**{expected[0]}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Space Cooperation Agreement")


def test_copy_bibtex_from_a_detail_page(new_context, source):
    agreement = publish(
        add_agreement(
            "2014-special-strategic",
            title="Special Strategic & Global Partnership",
            editorial=DRAFT,
        ),
        source,
    )
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    response = page.goto(agreement.get_absolute_url())
    assert response.status == 200

    bibtex = page.locator("#cite-bibtex")
    expect(bibtex).to_be_hidden()
    page.get_by_text("Show BibTeX", exact=True).click()
    expect(bibtex).to_be_visible()
    shown = bibtex.text_content()
    # An agreement is a report to Zotero (ijtech/citeformats.py).
    assert shown.startswith(f"@techreport{{{bibtex_key(agreement)},")
    assert r"Special Strategic \& Global Partnership" in shown

    button = page.get_by_role("button", name="Copy BibTeX")
    expect(button).to_be_visible()  # shown by site.js where the Clipboard API exists
    button.click()
    # The label says "Copied" for two seconds, so find the button by what it copies.
    expect(page.locator("button[data-copy=cite-bibtex]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == shown

    download = page.get_by_role("link", name="BibTeX", exact=True)
    body = page.request.get(download.get_attribute("href"))
    assert body.ok
    assert body.text() == shown
