"""The lineage diagram on an agreement's page, its table and its CSV."""

import csv
import io
import re

import pytest

from agreements.models import Agreement
from ijtech.models import EditorialStatus
from tests.factories import add_agreement, add_milestone

pytestmark = pytest.mark.django_db

NODE = re.compile(
    r'<(?:a href="([^"]+)"|g aria-current="page")><title>[^<]*</title><rect x="(\d+)"'
)


def diagram(html: str) -> str:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg"', html.index('id="lineage-h"'))
    return html[start : html.index("</svg>", start)]


def drawn(html: str) -> list[tuple[str, int]]:
    """The diagram's agreements as (link, x), the page's own agreement as ("here", x)."""
    return [(url or "here", int(x)) for url, x in NODE.findall(diagram(html))]


@pytest.fixture
def family(db):
    """2012 and 2015 agreements that 2018 builds on, 2020 superseding 2018, 2023 building on
    2020, and a draft building on 2018."""
    earliest = add_agreement("earliest", year=2012)
    earlier = add_agreement("earlier", year=2015, date_qualifier="circa")
    middle = add_agreement("middle", year=2018, builds_on=[earliest, earlier])
    later = add_agreement("later", year=2020, supersedes=[middle], builds_on=[middle])
    add_agreement("latest", year=2023, builds_on=[later])
    add_agreement("hidden", EditorialStatus.DRAFT, year=2019, builds_on=[middle])
    return middle


def test_it_draws_the_whole_chain_left_to_right_in_time(client, family):
    html = client.get("/agreements/middle/").content.decode()
    nodes = drawn(html)
    assert [url for url, _ in nodes] == [
        "/agreements/earliest/",
        "/agreements/earlier/",
        "here",
        "/agreements/later/",
        "/agreements/latest/",
    ]
    xs = [x for _, x in nodes]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert "/agreements/hidden/" not in html
    assert 'role="figure" aria-labelledby="lineage-title lineage-desc"' in html


def test_it_marks_an_approximate_date_as_uncertain(client, family):
    svg = diagram(client.get("/agreements/middle/").content.decode())
    earlier = svg[svg.index('<a href="/agreements/earlier/">') :]
    earlier = earlier[: earlier.index("</a>")]
    assert "(uncertain)" in earlier and "stroke-dasharray" in earlier
    earliest = svg[svg.index('<a href="/agreements/earliest/">') :]
    earliest = earliest[: earliest.index("</a>")]
    assert "(uncertain)" not in earliest and "stroke-dasharray" not in earliest


def test_each_link_is_listed_once(client, family):
    # "later" both builds on and supersedes "middle": one link, "supersedes".
    html = client.get("/agreements/middle/").content.decode()
    section = html[
        html.index('id="lineage-h"') : html.index("</section>", html.index('id="lineage-h"'))
    ]
    words = section[: section.index("<figure")]
    assert words.count('href="/agreements/later/"') == 1
    assert "<h3>Superseded by</h3>" in words and "<h3>Built on by</h3>" not in words
    table = section[section.index("<table>") :]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 4
    assert sum('href="/agreements/later/"' in row for row in rows) == 2
    assert [
        "superseded by" in row for row in rows if "/agreements/later/" in row and "Middle" in row
    ] == [True]
    svg = diagram(html)
    assert svg.count("marker-end=") == 4


def test_the_csv_has_one_row_per_link(client, family):
    response = client.get("/agreements/middle/lineage.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted((r["earlier"], r["relation"], r["later"]) for r in rows) == [
        ("Earlier", "builds on", "Middle"),
        ("Earliest", "builds on", "Middle"),
        ("Later", "builds on", "Latest"),
        ("Middle", "supersedes", "Later"),
    ]


def test_the_csv_of_an_unpublished_agreement_is_not_found(client, family):
    assert client.get("/agreements/hidden/lineage.csv").status_code == 404
    assert client.get("/agreements/nothing/lineage.csv").status_code == 404


def test_a_draft_does_not_join_two_chains(client, db):
    left = add_agreement("left", year=2010)
    draft = add_agreement("draft", EditorialStatus.DRAFT, year=2012, builds_on=[left])
    add_agreement("right", year=2014, builds_on=[draft])
    add_agreement("follow", year=2016, builds_on=[left])
    html = client.get("/agreements/left/").content.decode()
    assert [url for url, _ in drawn(html)] == ["here", "/agreements/follow/"]
    assert "/agreements/right/" not in html


def test_it_draws_the_agreements_milestones_as_linked_dots(client, family):
    add_milestone("middle-signing", year=2018, agreement=family, kind="signing")
    add_milestone("middle-review", year=2021, agreement=family, kind="report")
    svg = diagram(client.get("/agreements/middle/").content.decode())
    assert (
        '<a href="/milestones/middle-signing/"><title>Middle Signing (2018)</title><circle' in svg
    )
    assert '<a href="/milestones/middle-review/">' in svg
    assert "Milestones recording this agreement" in svg


def test_an_agreement_without_links_has_no_diagram(client, db):
    add_agreement("alone", year=2010)
    html = client.get("/agreements/alone/").content.decode()
    assert 'id="lineage-h"' not in html and "lineage-title" not in html


def test_a_cycle_in_the_links_ends(client, db):
    a = add_agreement("a", year=2010)
    b = add_agreement("b", year=2012, builds_on=[a])
    a.builds_on.add(b)
    assert [url for url, _ in drawn(client.get("/agreements/a/").content.decode())] == [
        "here",
        "/agreements/b/",
    ]


def test_a_long_chain_is_cut_to_the_nearest_agreements(client, db):
    previous = add_agreement("c-0", year=2000)
    for i in range(1, 30):
        previous = add_agreement(f"c-{i}", year=2000 + i, builds_on=[previous])
    html = client.get("/agreements/c-0/").content.decode()
    nodes = drawn(html)
    # Followed up to 8 links away.
    assert [url for url, _ in nodes] == ["here", *(f"/agreements/c-{i}/" for i in range(1, 9))]
    assert Agreement.objects.count() == 30
