"""The search's exports, /search/export.csv and .json: every result, ranked, as plain text."""

import csv
import io
import json

import pytest
from django.conf import settings

from ijtech.models import Source
from tests.factories import add_agreement, body

pytestmark = pytest.mark.django_db

COLUMNS = ["rank", "type", "slug", "title", "date", "url", "snippet"]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, body(response).decode()[:500]
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def json_body(response) -> dict:
    assert response.status_code == 200, body(response).decode()[:500]
    return json.loads(response.content)


def test_the_csv_has_every_result_in_rank_order(client, site_world):
    response = client.get("/search/export.csv", {"q": "hydrogen"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ijtech-search.csv"'
    assert body(response).decode().splitlines()[0] == ",".join(COLUMNS)
    rows = csv_rows(response)
    assert [(r["type"], r["slug"]) for r in rows][:3] == [
        (hit.kind, hit.record.slug)
        for hit in [i.hit for i in client.get("/search/", {"q": "hydrogen"}).context["items"]]
    ][:3]
    assert len(rows) == 5
    ranks = [int(r["rank"]) for r in rows]
    assert ranks == sorted(ranks, reverse=True)


def test_a_row_has_the_title_date_absolute_url_and_a_plain_snippet(client, site_world):
    rows = {r["slug"]: r for r in csv_rows(client.get("/search/export.csv", {"q": "ammonia"}))}
    row = rows["hydrogen-framework"]
    assert row["type"] == "agreement"
    assert row["title"] == "Hydrogen Framework"
    assert row["date"] == "2020"
    assert row["url"] == settings.SITE_URL + "/agreements/hydrogen-framework/"
    assert "Ammonia supply chains." in row["snippet"]
    assert "<mark>" not in row["snippet"]


def test_a_snippet_is_unescaped_text(client, db):
    add_agreement("tags", title="Turbines", summary="R&D on <wind> turbines")
    row = csv_rows(client.get("/search/export.csv", {"q": "turbines"}))[0]
    assert "R&D on <wind> turbines" in row["snippet"]


def test_it_holds_every_result_not_one_page(client, db):
    for i in range(23):
        add_agreement(f"turbine-{i:02}", title=f"Turbine agreement {i}")
    assert len(csv_rows(client.get("/search/export.csv", {"q": "turbine"}))) == 23
    assert json_body(client.get("/search/export.json", {"q": "turbine"}))["count"] == 23


def test_the_json_says_what_was_searched_and_narrows_by_type(client, site_world):
    response = client.get("/search/export.json", {"q": "hydrogen", "type": "agreement"})
    assert response["Content-Disposition"] == 'attachment; filename="ijtech-search.json"'
    body = json_body(response)
    assert {key: body[key] for key in ("query", "searched_for", "corrected", "count")} == {
        "query": "hydrogen",
        "searched_for": "hydrogen",
        "corrected": False,
        "count": 2,
    }
    assert {r["slug"] for r in body["results"]} == {"hydrogen-framework", "battery-deal"}
    assert list(body["results"][0]) == COLUMNS


def test_a_sector_has_a_null_date_and_a_source_its_own(client, site_world):
    Source.objects.create(slug="h2", title="Hydrogen Roadmap", kind="report", year=2019, month=3)
    results = json_body(client.get("/search/export.json", {"q": "hydrogen"}))["results"]
    dates = {r["type"]: r["date"] for r in results}
    assert dates["sector"] is None
    assert dates["source"] == "March 2019"


def test_a_corrected_search_is_said_so_and_literal_turns_it_off(client, site_world):
    body = json_body(client.get("/search/export.json", {"q": "satelite"}))
    assert body["corrected"] is True
    assert body["searched_for"] == "satellite"
    literal = json_body(client.get("/search/export.json", {"q": "satelite", "literal": "1"}))
    assert (literal["corrected"], literal["count"]) == (False, 0)


def test_a_cell_that_looks_like_a_formula_is_defused(client, db):
    add_agreement("formula", title="=HYPERLINK turbine", summary="turbine")
    assert csv_rows(client.get("/search/export.csv", {"q": "turbine"}))[0]["title"] == (
        "'=HYPERLINK turbine"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "q: Type at least one word or number to search for."),
        ({"q": "!!!"}, "q: Type at least one word or number to search for."),
        ({"q": "the"}, "q: “the” is too common to search for; add a more specific word."),
        ({"q": "a\x00b"}, "q: A search cannot contain a NUL character."),
        ({"q": "x" * 201}, "q: The search is too long (201 characters); use at most 200."),
        ({"q": "hydrogen", "type": "treaty"}, "type: “treaty” is not a type of record"),
    ],
)
def test_bad_input_is_a_plain_text_400(client, site_world, params, message):
    response = client.get("/search/export.csv", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = body(response).decode()
    assert text.startswith("The search is not valid:\n")
    assert message in text


def test_bad_input_is_a_json_400_keyed_by_parameter(client, site_world):
    response = client.get("/search/export.json", {"q": "??", "type": "treaty"})
    assert response.status_code == 400
    errors = json.loads(body(response))["errors"]
    assert errors["q"] == ["Type at least one word or number to search for."]
    assert errors["type"][0].startswith("“treaty” is not a type of record")


def test_an_unknown_format_is_not_found(client, site_world):
    assert client.get("/search/export.xml", {"q": "hydrogen"}).status_code == 404


@pytest.mark.parametrize("n", [2, 25])
def test_it_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, n):
    for i in range(n):
        add_agreement(f"a-{i}", title=f"Turbine agreement {i}")
    # 1 is "turbine" a known word; 2 the counts by kind; 3 every ranked entry;
    # 4 the agreements behind them, each by its own row alone.
    with django_assert_num_queries(4):
        response = client.get("/search/export.json", {"q": "turbine"})
    assert json_body(response)["count"] == n
