"""The agreements-over-time charts on the agreements list and a sector's page, and their CSV."""

import csv
import io
import re

import pytest

from agreements.models import AgreementKind, AgreementStatus
from ijtech.charts import CHOICE_PALETTE, contrast_ratio
from ijtech.models import EditorialStatus
from tests.factories import add_agreement, add_sector

pytestmark = pytest.mark.django_db

BAR = re.compile(
    r'fill="([^"]+)" stroke="#ffffff" stroke-width="0.75"><title>(\d+): (\d+) ([^<]+)</title>'
)


def bars(html: str, field: str) -> list[tuple[str, str]]:
    """(fill, "year: n label") of each band drawn in the chart by `field`."""
    start = html.index(f'aria-labelledby="over-time-{field}-title')
    svg = html[start : html.index("</svg>", start)]
    return [(fill, f"{year}: {n} {label}") for fill, year, n, label in BAR.findall(svg)]


@pytest.fixture
def world(db):
    space = add_sector("space")
    digital = add_agreement("digital-2018", year=2018, kind="mou", status="in_force")
    add_agreement("digital-2018-b", year=2018, kind="mou", status="concluded")
    add_agreement("space-2018", year=2018, kind="iga", status="in_force", sectors=[space])
    add_agreement("space-1960s", year=1960, kind="iga", date_qualifier="decade", sectors=[space])
    add_agreement("hidden", EditorialStatus.DRAFT, year=2018, kind="mou")
    return digital


def test_it_counts_agreements_per_year_by_kind_and_status(client, world):
    html = client.get("/agreements/").content.decode()
    assert bars(html, "kind") == [
        (
            "url(#over-time-kind-hatch-0)",
            "1960: 1 Inter-governmental agreement, dated approximately",
        ),
        ("#0072b2", "2018: 1 Inter-governmental agreement"),
        ("#d55e00", "2018: 2 Memorandum of understanding"),
    ]
    assert [label for _, label in bars(html, "status")] == [
        "1960: 1 Unknown, dated approximately",
        "2018: 2 In force",
        "2018: 1 Concluded",
    ]


def test_a_decade_is_marked_as_approximate_in_the_table(client, world):
    html = client.get("/agreements/").content.decode()
    table = html[html.index("by kind of instrument: the numbers as a table") :]
    table = table[: table.index("</table>")]
    # Year, IGA, MoU, of which approximate, total.
    assert '<tr><th scope="row">1960</th><td>1</td><td>0</td><td>1</td><td>1</td></tr>' in table
    assert '<tr><th scope="row">2018</th><td>1</td><td>2</td><td>0</td><td>3</td></tr>' in table
    # Empty years between have no row.
    assert '<th scope="row">1961</th>' not in table


def test_the_charts_follow_the_lists_filters_and_keep_each_kinds_colour(client, world):
    html = client.get("/agreements/", {"sector": "space"}).content.decode()
    assert bars(html, "kind") == [
        (
            "url(#over-time-kind-hatch-0)",
            "1960: 1 Inter-governmental agreement, dated approximately",
        ),
        ("#0072b2", "2018: 1 Inter-governmental agreement"),
    ]
    html = client.get("/agreements/", {"kind": "mou"}).content.decode()
    # The MoU band keeps its colour when it is the only one.
    assert bars(html, "kind") == [("#d55e00", "2018: 2 Memorandum of understanding")]
    assert 'href="/agreements/chart.csv?kind=mou"' in html


def test_no_chart_when_nothing_matches(client, world):
    html = client.get("/agreements/", {"year": "1999"}).content.decode()
    assert 'id="over-time-h"' not in html


def test_the_sector_page_charts_its_agreements(client, world):
    html = client.get("/sectors/space/").content.decode()
    assert [label for _, label in bars(html, "kind")] == [
        "1960: 1 Inter-governmental agreement, dated approximately",
        "2018: 1 Inter-governmental agreement",
    ]
    assert 'href="/agreements/chart.csv?sector=space"' in html
    assert 'role="img" aria-labelledby="over-time-status-title over-time-status-desc"' in html


def test_the_csv_has_the_charts_numbers(client, world):
    response = client.get("/agreements/chart.csv", {"sector": "space"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["year"], r["by"], r["value"], r["records"], r["approximate"]) for r in rows] == [
        ("1960", "kind", "iga", "1", "1"),
        ("2018", "kind", "iga", "1", "0"),
        ("2018", "status", "in_force", "1", "0"),
        ("1960", "status", "unknown", "1", "1"),
    ]


def test_the_csv_refuses_bad_filters(client, world):
    response = client.get("/agreements/chart.csv", {"year": "abc"})
    assert response.status_code == 400
    assert "Enter a year" in response.content.decode()


def test_every_kind_and_status_has_a_colour_with_3_to_1_contrast_on_white():
    assert len(CHOICE_PALETTE) >= max(len(AgreementKind.choices), len(AgreementStatus.choices))
    assert len(set(CHOICE_PALETTE)) == len(CHOICE_PALETTE)
    assert [c for c in CHOICE_PALETTE if contrast_ratio(c) < 3] == []
    assert round(contrast_ratio("#767676"), 1) == 4.5
