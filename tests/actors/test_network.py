"""The network of institutions on the institutions list and an institution's page."""

import csv
import io
import re
from collections import Counter
from itertools import combinations

import pytest

from actors.network import MAX_NODES
from agreements.models import AgreementParty
from ijtech.models import EditorialStatus
from tests.factories import add_actor, add_agreement, add_sector

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT
ROW = re.compile(
    r'<tr><td><a href="/actors/([^/]+)/">[^<]*</a></td><td><a href="/actors/([^/]+)/">'
    r"[^<]*</a></td><td>(\d+)</td></tr>"
)


def table(html: str) -> dict[tuple[str, str], int]:
    section = html[html.index('id="network-h"') :]
    return {tuple(sorted((a, b))): int(n) for a, b, n in ROW.findall(section)}


def shared_from_parties(**agreement_filter) -> dict[tuple[str, str], int]:
    """Shared published agreements per pair of published institutions, from the party rows."""
    parties: dict[int, set[str]] = {}
    for link in AgreementParty.objects.select_related("agreement", "actor"):
        published = EditorialStatus.PUBLISHED
        if link.agreement.editorial_status != published or link.actor.editorial_status != published:
            continue
        if not all(getattr(link.agreement, k) >= v for k, v in agreement_filter.items()):
            continue
        parties.setdefault(link.agreement_id, set()).add(link.actor.slug)
    shared = Counter()
    for slugs in parties.values():
        for pair in combinations(sorted(slugs), 2):
            shared[pair] += 1
    return dict(shared)


@pytest.fixture
def world(db):
    space = add_sector("space")
    isro, jaxa, dst, jst = (add_actor(s) for s in ("isro", "jaxa", "dst", "jst"))
    hidden = add_actor("hidden", DRAFT)
    add_agreement("a1", year=2005, parties=[isro, jaxa, (jaxa, "implementer")], sectors=[space])
    add_agreement("a2", year=2016, parties=[isro, jaxa, dst], sectors=[space])
    add_agreement("a3", year=2006, parties=[dst, jst, hidden])
    add_agreement("a4", year=2015, parties=[dst, jst, isro])
    add_agreement("draft", DRAFT, year=2019, parties=[dst, jst, jaxa])
    return {"isro": isro, "dst": dst}


def test_the_networks_edges_match_the_shared_agreements(client, world):
    expected = shared_from_parties()
    assert expected[("isro", "jaxa")] == 2  # two roles in a1 count once
    assert table(client.get("/actors/").content.decode()) == expected


def test_the_years_narrow_the_network(client, world):
    html = client.get("/actors/", {"network_from": "2010"}).content.decode()
    assert table(html) == shared_from_parties(year=2010)
    assert 'href="/actors/network.csv?network_from=2010"' in html


def test_the_sector_narrows_the_network(client, world):
    html = client.get("/actors/", {"network_sector": "space"}).content.decode()
    assert table(html) == {("isro", "jaxa"): 2, ("dst", "isro"): 1, ("dst", "jaxa"): 1}


def test_an_institutions_network_is_its_partners_in_its_agreements(client, world):
    html = client.get("/actors/jst/").content.decode()
    # JST's agreements are a3 and a4: DST is in both, ISRO in a4; JAXA in none.
    assert table(html) == {("dst", "jst"): 2, ("isro", "jst"): 1, ("dst", "isro"): 1}
    assert 'role="figure" aria-labelledby="network-title network-desc"' in html


def test_nodes_are_sized_by_agreements_and_coloured_by_country(client, world):
    html = client.get("/actors/").content.decode()
    svg = html[html.index('aria-labelledby="network-title') :]
    assert "<title>Isro: 3 agreements</title>" in svg
    assert "<title>Jst: 2 agreements</title>" in svg
    assert 'class="legend"' in html[html.index('id="network-h"') :]


def test_the_csv_lists_each_pair_once(client, world):
    response = client.get("/actors/network.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    pairs = {}
    for r in rows:
        a, b = r["institution_a_url"].split("/")[-2], r["institution_b_url"].split("/")[-2]
        pairs[tuple(sorted((a, b)))] = int(r["shared_agreements"])
    assert len(rows) == len(pairs)
    assert pairs == shared_from_parties()
    assert client.get("/actors/jst/network.csv").status_code == 200
    assert client.get("/actors/hidden/network.csv").status_code == 404


@pytest.mark.parametrize(
    "params", [{"network_from": "19x"}, {"network_to": "3000"}, {"network_sector": "atlantis"}]
)
def test_bad_network_filters_are_refused(client, world, params):
    response = client.get("/actors/", params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.get("/actors/network.csv", params).status_code == 400


def test_the_network_draws_at_most_the_top_institutions(client, db):
    hub = add_actor("hub")
    for i in range(MAX_NODES + 5):
        add_agreement(f"n-{i}", parties=[hub, add_actor(f"n-{i:02}")])
    html = client.get("/actors/").content.decode()
    svg = html[
        html.index('aria-labelledby="network-title') : html.index(
            "</svg>", html.index('aria-labelledby="network-title')
        )
    ]
    assert svg.count("<circle") == MAX_NODES
    assert f"the {MAX_NODES} in the most agreements of {MAX_NODES + 6} are drawn" in html
