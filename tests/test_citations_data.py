"""The citations CSVs as data: described, in the data package as served, keyed to their records."""

import json
import re
import zipfile
from io import BytesIO

import pytest
from django.test import Client

from actors.exports import ACTORS
from agreements.exports import AGREEMENTS, MILESTONES
from ijtech.datapackage import tables
from ijtech.exports import CitationsExport
from tests.factories import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_corpus", "fresh_cache")]

CITED = [AGREEMENTS, MILESTONES, ACTORS]


@pytest.fixture(scope="module")
def archive(loaded_corpus, django_db_blocker):
    """The corpus's data package, downloaded once for the tests that only read it."""
    with django_db_blocker.unblock():
        client = Client()
        response = client.get(client.get("/data/ijtech-data-latest.zip")["Location"])
        about = client.get("/about/").content.decode()
    return zipfile.ZipFile(BytesIO(response.content)), about


def test_the_package_has_a_citations_file_for_each_cited_export():
    names = [table.name for table in tables() if isinstance(table, CitationsExport)]
    assert names == [f"{spec.name}-citations" for spec in CITED]


@pytest.mark.parametrize("spec", CITED, ids=lambda spec: spec.name)
def test_a_citations_file_is_the_bytes_its_download_serves(client, archive, spec):
    package, _ = archive
    served = client.get(f"/{spec.name}/citations.csv")
    assert served.status_code == 200
    assert 'rel="license"' in served["Link"]
    packed = package.read(f"data/{spec.name}-citations.csv")
    assert packed == body(served)
    assert packed.count(b"\n") > 10, "the corpus's citations are there"


@pytest.mark.parametrize("spec", CITED, ids=lambda spec: spec.name)
def test_every_citations_column_is_described_and_shown(client, archive, spec):
    _, about = archive
    table = CitationsExport(spec)
    header = body(client.get(f"/{spec.name}/citations.csv")).decode().splitlines()[0]
    assert header.split(",") == table.columns
    for column in table.columns:
        assert table.fields[column].description, f"{table.name}.{column} has no description"
        assert f'id="col-{table.name}-{column}"' in about, f"{table.name}.{column} not shown"


def test_a_citation_is_keyed_to_its_record_and_its_source(archive):
    package, _ = archive
    descriptor = json.loads(package.read("datapackage.json"))
    schema = next(
        r["schema"] for r in descriptor["resources"] if r["name"] == "agreements-citations"
    )
    assert "primaryKey" not in schema
    assert {
        "fields": ["record_slug"],
        "reference": {"resource": "agreements", "fields": ["slug"]},
    } in schema["foreignKeys"]
    assert {
        "fields": ["source"],
        "reference": {"resource": "sources", "fields": ["slug"]},
    } in schema["foreignKeys"]
    record_type = next(f for f in schema["fields"] if f["name"] == "record_type")
    assert record_type["constraints"]["enum"] == ["agreement"]


def test_the_parties_column_is_checked_as_slug_role_pairs(archive):
    package, _ = archive
    descriptor = json.loads(package.read("datapackage.json"))
    schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == "agreements")
    parties = next(f for f in schema["fields"] if f["name"] == "parties")
    assert parties["type"] == "string"
    pattern = parties["constraints"]["pattern"]
    assert re.fullmatch(pattern, "isro:signatory|jaxa:implementer")
    assert not re.fullmatch(pattern, "isro (Signatory)")
    assert not re.fullmatch(pattern, "isro:chair")
