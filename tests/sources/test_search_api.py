"""The API's search, /api/search/: every kind of record, ranked, 20 a page."""

import pytest

from ijtech.models import Source
from tests.factories import add_agreement

pytestmark = pytest.mark.django_db


def body(response) -> dict:
    assert response.status_code == 200, response.content.decode()[:500]
    return response.json()


def test_it_answers_what_was_searched_the_counts_and_the_hits(client, site_world):
    data = body(client.get("/api/search/", {"q": "hydrogen"}))
    assert list(data) == [
        "query",
        "searched_for",
        "corrected",
        "count",
        "counts",
        "next",
        "previous",
        "results",
    ]
    assert (data["query"], data["searched_for"], data["corrected"]) == (
        "hydrogen",
        "hydrogen",
        False,
    )
    assert data["count"] == 5
    assert data["counts"] == {
        "agreement": 2,
        "milestone": 1,
        "institution": 1,
        "sector": 1,
        "source": 0,
    }
    assert (data["next"], data["previous"]) == (None, None)
    assert {(r["type"], r["slug"]) for r in data["results"]} == {
        ("agreement", "hydrogen-framework"),
        ("agreement", "battery-deal"),
        ("milestone", "summit-2020"),
        ("institution", "h2-association"),
        ("sector", "hydrogen"),
    }


def test_a_hit_has_an_absolute_url_its_date_and_a_marked_snippet(client, site_world):
    results = body(client.get("/api/search/", {"q": "ammonia"}))["results"]
    assert results == [
        {
            "type": "agreement",
            "slug": "hydrogen-framework",
            "title": "Hydrogen Framework",
            "url": "http://testserver/agreements/hydrogen-framework/",
            "date": "2020",
            "snippet": results[0]["snippet"],
            "rank": results[0]["rank"],
        }
    ]
    assert "<mark>Ammonia</mark> supply chains." in results[0]["snippet"]
    assert results[0]["rank"] > 0


def test_a_sector_has_a_null_date_and_a_source_its_own(client, site_world):
    Source.objects.create(slug="h2", title="Hydrogen Roadmap", kind="report", year=2019, month=3)
    results = body(client.get("/api/search/", {"q": "hydrogen"}))["results"]
    dates = {r["type"]: r["date"] for r in results}
    assert (dates["sector"], dates["source"]) == (None, "March 2019")


def test_a_type_narrows_the_results_and_the_count_but_not_the_counts(client, site_world):
    data = body(client.get("/api/search/", {"q": "hydrogen", "type": "milestone"}))
    assert [r["slug"] for r in data["results"]] == ["summit-2020"]
    assert data["count"] == 1
    assert data["counts"]["agreement"] == 2


def test_it_pages_twenty_at_a_time(client, db):
    for i in range(23):
        add_agreement(f"turbine-{i:02}", title=f"Turbine agreement {i}")
    first = body(client.get("/api/search/", {"q": "turbine"}))
    assert (first["count"], len(first["results"])) == (23, 20)
    assert first["next"] == "http://testserver/api/search/?page=2&q=turbine"
    second = body(client.get("/api/search/", {"q": "turbine", "page": 2}))
    assert len(second["results"]) == 3
    assert second["previous"] == "http://testserver/api/search/?q=turbine"


def test_a_corrected_search_is_said_so_and_literal_turns_it_off(client, site_world):
    data = body(client.get("/api/search/", {"q": "satelite"}))
    assert (data["corrected"], data["searched_for"]) == (True, "satellite")
    literal = body(client.get("/api/search/", {"q": "satelite", "literal": "1"}))
    assert (literal["corrected"], literal["count"]) == (False, 0)


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({}, {"q": ["Type at least one word or number to search for."]}),
        ({"q": "?!"}, {"q": ["Type at least one word or number to search for."]}),
        (
            {"q": "the of"},
            {"q": ["“the”, “of” are too common to search for; add a more specific word."]},
        ),
        ({"q": "a\x00b"}, {"q": ["A search cannot contain a NUL character."]}),
        (
            {"q": "hydrogen", "type": "treaty"},
            {
                "type": [
                    "“treaty” is not a type of record; use one of agreement, milestone, "
                    "institution, sector, source, or none for all."
                ]
            },
        ),
        (
            {"q": "hydrogen", "page": "9"},
            {"page": ["Page 9 does not exist; there is 1 page of results."]},
        ),
    ],
)
def test_bad_input_is_a_400_in_the_apis_error_shape(client, site_world, params, errors):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert response.json() == {"errors": errors}


def test_it_is_in_the_schema_with_its_parameters(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/search/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"q", "type", "literal", "page"}
    assert parameters["q"]["required"] is True
    assert set(parameters["type"]["schema"]["enum"]) == {
        "agreement",
        "milestone",
        "institution",
        "sector",
        "source",
        "",  # all types
    }
    assert client.get("/api/search/", {"q": "hydrogen", "type": ""}).status_code == 200
    assert set(operation["responses"]) == {"200", "400"}


@pytest.mark.parametrize("n", [2, 25])
def test_it_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, n):
    for i in range(n):
        add_agreement(f"a-{i}", title=f"Turbine agreement {i}")
    # 1 is "turbine" a known word; 2 the counts by kind; 3 the paginator's count;
    # 4 the page of ranked entries;
    # 5 the agreements behind them, each by its own row alone.
    with django_assert_num_queries(5):
        response = client.get("/api/search/", {"q": "turbine"})
    assert len(body(response)["results"]) == min(n, 20)
