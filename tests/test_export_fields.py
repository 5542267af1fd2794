"""One vocabulary: the API, the JSON export and the CSV header name the same fields."""

import csv
import io
import json

import pytest
from django.urls import reverse

from actors.api import ACTOR_FIELDS
from agreements.api import AGREEMENT_FIELDS, MILESTONE_FIELDS
from ijtech.api import SOURCE_FIELDS
from ijtech.exports import CITATION_COLUMNS, csv_columns
from sectors.api import SECTOR_FIELDS
from tests.factories import (
    add_actor,
    add_cited_agreement,
    add_cited_milestone,
    body,
    dispute_the_year,
)

pytestmark = pytest.mark.django_db

RESOURCES = [
    ("agreements", "api-agreement-list", AGREEMENT_FIELDS),
    ("milestones", "api-milestone-list", MILESTONE_FIELDS),
    ("actors", "api-actor-list", ACTOR_FIELDS),
    ("sectors", "api-sector-list", SECTOR_FIELDS),
    ("sources", "api-source-list", SOURCE_FIELDS),
]


@pytest.fixture
def world(source, other_source, sector, actor):
    isro = actor
    jaxa = add_actor("jaxa", name="Japan Aerospace Exploration Agency", sectors=[sector])
    agreement = add_cited_agreement("2018-space-mou", source, sectors=[sector])
    agreement.party_links.create(actor=isro, role="signatory")
    agreement.party_links.create(actor=jaxa, role="implementer")
    dispute_the_year(agreement, source, other_source)
    add_cited_milestone("2023-launch", source, sectors=[sector], actors=[isro])
    return agreement


def csv_rows(client, path, **params):
    return list(csv.DictReader(io.StringIO(body(client.get(path, params)).decode())))


@pytest.mark.parametrize(("name", "api", "fields"), RESOURCES)
def test_the_api_the_json_export_and_the_csv_header_follow_one_field_list(
    client, world, name, api, fields
):
    api_record = json.loads(body(client.get(reverse(api))))["results"][0]
    json_record = json.loads(body(client.get(reverse(f"{name}:export", args=["json"]))))["results"][
        0
    ]
    header = next(csv.reader(io.StringIO(body(client.get(f"/{name}/export.csv")).decode())))
    assert list(api_record) == fields
    assert list(json_record) == fields
    assert header == csv_columns(fields)


def test_the_json_export_carries_what_the_api_does_but_on_the_canonical_site(
    client, world, settings
):
    api_record = json.loads(body(client.get(reverse("api-agreement-detail", args=[world.slug]))))
    json_record = json.loads(body(client.get("/agreements/export.json")))["results"][0]
    for key in ("url", "api_url"):
        assert json_record.pop(key).startswith(settings.SITE_URL)
        api_record.pop(key)
    assert json_record == api_record


def test_disagreements_carry_each_version_with_its_citation(client, world):
    record = json.loads(body(client.get("/agreements/export.json")))["results"][0]
    (disagreement,) = record["disagreements"]
    assert disagreement["aspect"] == "date"
    assert disagreement["explanation"] == "The sources give different years."
    assert [(v["source"], v["locator"], v["position"]) for v in disagreement["versions"]] == [
        ("test-source", "Chapter 1", "2018"),
        ("other-source", "Chapter 1", "2019"),
    ]
    (row,) = csv_rows(client, "/agreements/export.csv")
    assert row["disagreements"] == "date"


def test_parties_carry_their_slugs_and_roles(client, world):
    record = json.loads(body(client.get("/agreements/export.json")))["results"][0]
    assert {(p["slug"], p["role"]) for p in record["parties"]} == {
        ("isro", "signatory"),
        ("jaxa", "implementer"),
    }
    (row,) = csv_rows(client, "/agreements/export.csv")
    assert set(row["parties"].split("|")) == {"isro:signatory", "jaxa:implementer"}
    assert row["sectors"] == "space"


def test_the_citations_csv_has_one_row_per_citation_keyed_by_record(client, world):
    rows = csv_rows(client, reverse("agreements:citations"))
    assert list(rows[0]) == CITATION_COLUMNS
    assert [(r["record_type"], r["record_slug"], r["source"]) for r in rows] == [
        ("agreement", "2018-space-mou", "test-source"),
        ("agreement", "2018-space-mou", "test-source"),
        ("agreement", "2018-space-mou", "other-source"),
    ]
    versions = [r for r in rows if r["disagreement"]]
    assert [(r["disagreement"], r["position"], r["quote"]) for r in versions] == [
        ("date", "2018", "signed in 2018"),
        ("date", "2019", "in 2019"),
    ]


def test_the_citations_csv_follows_the_list_filters(client, world):
    assert csv_rows(client, reverse("agreements:citations"), kind="treaty") == []


def test_the_citations_csv_costs_a_fixed_number_of_queries(
    client, world, source, sector, django_assert_num_queries
):
    url = reverse("milestones:citations")
    client.get(url)  # content types are cached for the process
    # 1 rows with agreements and occasions, 2 sectors, 3 actors, 4 tags,
    # 5 citations with sources and disagreements, 6 disagreements, 7 outcomes
    with django_assert_num_queries(7):
        few = csv_rows(client, url)
    for i in range(5):
        add_cited_milestone(f"2024-event-{i}", source, sectors=[sector])
    with django_assert_num_queries(7):
        many = csv_rows(client, url)
    assert len(many) == len(few) + 5


def test_the_schema_says_a_top_level_sector_has_no_parent(client):
    schema = json.loads(body(client.get("/api/schema/?format=json")))
    assert schema["components"]["schemas"]["Sector"]["properties"]["parent"]["nullable"] is True
