"""The versioned bulk download at /data/: a Frictionless data package of the published corpus."""

import csv
import io
import json
import zipfile

import pytest
from django.test import Client
from frictionless import validate

from ijtech.datapackage import data_version, exports, tables
from ijtech.exports import PART_SEPARATOR
from ijtech.models import EditorialStatus
from tests.factories import add_agreement, body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_corpus", "fresh_cache")]


def download(client):
    latest = client.get("/data/ijtech-data-latest.zip")
    assert latest.status_code == 302
    response = client.get(latest["Location"])
    assert response.status_code == 200
    return response


def unpack(response, directory):
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(directory)
        return sorted(archive.namelist())


def rows(directory, name):
    with open(directory / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def package(loaded_corpus, django_db_blocker, tmp_path_factory):
    """The corpus's zip, downloaded and unpacked once for the tests that only read it."""
    directory = tmp_path_factory.mktemp("package")
    with django_db_blocker.unblock():
        response = download(Client())
        names = unpack(response, directory)
    return response, names, directory


def test_the_zip_holds_the_package_the_csvs_and_the_corpus_files(client, package):
    response, names, tmp_path = package
    version = data_version()
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ijtech-data-{version.label}.zip"'
    )
    assert response["ETag"] == f'"{version.label}"'
    assert 'rel="license"' in response["Link"]
    csvs = {f"data/{spec.name}.csv" for spec in exports()}
    assert csvs == {"data/agreements.csv", "data/milestones.csv", "data/actors.csv"} | {
        "data/sectors.csv",
        "data/sources.csv",
    }
    fixtures = {f"corpus/{kind}.json" for kind in ("sources", "sectors", "actors")} | {
        "corpus/agreements.json",
        "corpus/milestones.json",
    }
    citations = {f"data/{name}-citations.csv" for name in ("agreements", "milestones", "actors")}
    assert set(names) == csvs | citations | fixtures | {"datapackage.json", "LICENSE-DATA.txt"}
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["version"] == version.label
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    # The same rows as the list exports, by the same row builders.
    export = body(client.get("/agreements/export.csv")).decode()
    assert (tmp_path / "data" / "agreements.csv").read_bytes().decode() == export


def test_the_package_validates_with_frictionless(package):
    _, _, tmp_path = package
    report = validate(str(tmp_path / "datapackage.json"))
    errors = [(task.name, [e.message for e in task.errors][:3]) for task in report.tasks]
    assert report.valid, errors


def test_the_schema_declares_types_enums_lists_dates_and_keys(package):
    _, _, tmp_path = package
    package = json.loads((tmp_path / "datapackage.json").read_text())
    tables = {r["name"]: r["schema"] for r in package["resources"] if "schema" in r}
    agreements = {f["name"]: f for f in tables["agreements"]["fields"]}
    assert "treaty" in agreements["kind"]["constraints"]["enum"]
    assert agreements["sectors"] == agreements["sectors"] | {"type": "list", "delimiter": "; "}
    assert agreements["year"]["type"] == "integer"
    assert agreements["disputed"]["type"] == "boolean"
    assert "pattern" in agreements["date_iso"]["constraints"]
    records = {spec.name for spec in exports()}
    assert all(tables[name]["primaryKey"] == ["slug"] for name in records)
    milestone_keys = tables["milestones"]["foreignKeys"]
    assert {
        "fields": ["agreement"],
        "reference": {"resource": "agreements", "fields": ["slug"]},
    } in (milestone_keys)


def test_every_reference_between_the_files_resolves(package):
    _, _, tmp_path = package
    by_name = {spec.name: spec for spec in tables()}
    data = {name: rows(tmp_path, name) for name in by_name}
    checked = 0
    for name, spec in by_name.items():
        for column_name, column in spec.fields.items():
            target = column.references or column.names
            if not target:
                continue
            resource, key = target.split(".")
            known = {row[key] for row in data[resource]}
            for number, row in enumerate(data[name], 2):
                cell = row[column_name]
                values = cell.split(column.delimiter) if column.many else [cell]
                # A party is "slug:role": the slug is the part that names a record.
                values = [v.split(PART_SEPARATOR)[0] for v in values]
                missing = [v for v in values if v and v not in known]
                assert not missing, f"{name}.{column_name}, line {number}: {missing}"
                checked += len([v for v in values if v])
    assert checked > 500


def test_the_version_changes_when_a_record_changes():
    before = data_version()
    record = add_agreement("a-new-agreement")
    after_adding = data_version()
    assert after_adding.label != before.label
    record.summary = "A changed summary."
    record.save()
    assert data_version().digest != after_adding.digest


def test_the_version_is_stable_while_nothing_changes():
    assert data_version() == data_version()


@pytest.mark.parametrize("status", [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW])
def test_drafts_are_not_in_the_package(client, tmp_path, status):
    before = data_version()
    add_agreement("an-unpublished-agreement", status)
    assert data_version().digest == before.digest
    unpack(download(client), tmp_path)
    assert "an-unpublished-agreement" not in {r["slug"] for r in rows(tmp_path, "agreements")}
    dumped = json.loads((tmp_path / "corpus" / "agreements.json").read_text())
    assert "an-unpublished-agreement" not in {r["slug"] for r in dumped}
    assert dumped, "the published agreements are there"


def test_an_old_version_is_not_found_and_a_current_etag_is_not_modified(client):
    assert client.get("/data/ijtech-data-2000-01-01-deadbeef.zip").status_code == 404
    label = data_version().label
    response = client.get(f"/data/ijtech-data-{label}.zip", HTTP_IF_NONE_MATCH=f'"{label}"')
    assert response.status_code == 304


def test_the_exports_name_the_licence(client):
    csv_response = client.get("/sectors/export.csv")
    assert csv_response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert body(csv_response).decode().startswith("slug,")
    data = json.loads(body(client.get("/sectors/export.json")))
    assert data["license"]["name"] == "CC-BY-4.0"
    citations = client.get("/agreements/citations.csv")
    assert citations["Link"] == csv_response["Link"]
    assert data["count"] == len(data["results"])
