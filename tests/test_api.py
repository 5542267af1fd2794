"""The API as a whole: errors, filters, pages, writing, root, schema and docs."""

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

from tests.factories import UNPUBLISHED, add_cited_agreement, api_get, api_slugs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]


# Drafts and records in review ----------------------------------------------------------


@pytest.mark.parametrize("resource", ["agreements", "milestones", "actors"])
def test_it_hides_drafts_and_records_in_review(client, api_corpus, resource):
    listed = api_slugs(api_get(client, f"/api/{resource}/"))

    assert listed
    assert not [slug for slug in listed if slug.startswith("hidden-")]
    for status in UNPUBLISHED:
        response = api_get(client, f"/api/{resource}/hidden-{resource[:-1]}-{status}/")
        assert response.status_code == 404
        noun = {"agreements": "agreement", "milestones": "milestone", "actors": "institution"}
        message = f"There is no {noun[resource]} “hidden-{resource[:-1]}-{status}”."
        assert response.json() == {"errors": {"detail": [message]}}


def test_an_unknown_slug_is_a_json_404(client, api_corpus):
    for resource in ["agreements", "milestones", "actors", "sectors", "sources"]:
        response = api_get(client, f"/api/{resource}/no-such-thing/")
        assert response.status_code == 404
        assert list(response.json()["errors"]) == ["detail"]


def test_a_slug_that_cannot_exist_is_a_json_404_not_a_database_error(client, api_corpus):
    response = api_get(client, "/api/agreements/bad%00slug/")

    assert response.status_code == 404


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "param", "message"),
    [
        ("/api/agreements/", {"year_from": "abc"}, "year_from", "Enter a year as four digits"),
        ("/api/agreements/", {"year": "1066"}, "year", "greater than or equal to 1900"),
        ("/api/agreements/", {"sector": "atlantis"}, "sector", "There is no sector “atlantis”"),
        ("/api/agreements/", {"actor": "nobody"}, "actor", "There is no institution “nobody”"),
        ("/api/agreements/", {"kind": "pact"}, "kind", "Select a valid choice"),
        ("/api/agreements/", {"sort": "random"}, "sort", "Select a valid choice"),
        ("/api/agreements/", {"year_from": 2020, "year_to": 2010}, "year_to", "swap them"),
        ("/api/milestones/", {"agreement": "nothing"}, "agreement", "Select a valid choice"),
        ("/api/milestones/", {"tag": "unheard-of"}, "tag", "There is no tag “unheard-of”"),
        ("/api/actors/", {"country": "mars"}, "country", "Select a valid choice"),
        ("/api/sectors/", {"parent": "nowhere"}, "parent", "Select a valid choice"),
        ("/api/sources/", {"kind": "rumour"}, "kind", "Select a valid choice"),
        ("/api/sources/", {"q": "nul\x00byte"}, "q", "A search cannot contain a NUL character."),
        # A NUL byte would make PostgreSQL fail the query; the form refuses it first.
        ("/api/agreements/", {"sector": "a\x00b"}, "sector", "Null characters are not allowed"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(
    client, api_corpus, url, params, param, message
):
    response = api_get(client, url, **params)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [param]
    assert message in errors[param][0]


def test_every_bad_parameter_is_reported_at_once(client, api_corpus):
    response = api_get(client, "/api/agreements/", year_from="abc", kind="pact", sector="atlantis")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year_from", "kind", "sector"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "“abc” is not a page number."),
        ({"page": "0"}, "Page 0 does not exist; there is 1 page of results."),
        ({"page": "2"}, "Page 2 does not exist; there is 1 page of results."),
        ({"page": "3", "page_size": "1"}, "Page 3 does not exist; there are 2 pages of results."),
    ],
)
def test_a_page_past_the_end_is_a_400(client, api_corpus, params, message):
    response = api_get(client, "/api/agreements/", **params)

    assert response.status_code == 400
    assert response.json() == {"errors": {"page": [message]}}


def test_the_last_page_is_still_a_page(client, api_corpus):
    response = api_get(client, "/api/agreements/", page=2, page_size=1)

    assert api_slugs(response) == ["2015-high-speed-rail"]


@pytest.mark.parametrize("size", ["0", "-1", "abc", "201"])
def test_a_bad_page_size_is_a_400(client, api_corpus, size):
    response = api_get(client, "/api/agreements/", page_size=size)

    assert response.status_code == 400
    assert "from 1 to 200" in response.json()["errors"]["page_size"][0]


def test_writing_is_refused_as_json(client, api_corpus):
    response = client.post("/api/agreements/", {"title": "x"})

    assert response.status_code == 405
    assert response.json() == {"errors": {"detail": ['Method "POST" not allowed.']}}


# Pagination ----------------------------------------------------------------------------


def test_lists_are_paginated_with_links(client, api_corpus, source):
    for year in range(2000, 2005):
        add_cited_agreement(f"{year}-extra", source, year=year)

    first = api_get(client, "/api/agreements/", page_size=3, kind="framework").json()
    second = api_get(client, "/api/agreements/", page_size=3, kind="framework", page=2).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 5
    assert [r["slug"] for r in first["results"]] == ["2004-extra", "2003-extra", "2002-extra"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/agreements/?")
    assert "page=2" in first["next"] and "kind=framework" in first["next"]
    assert [r["slug"] for r in second["results"]] == ["2001-extra", "2000-extra"]
    assert second["next"] is None
    assert second["previous"] is not None


def test_pages_hold_fifty_records_unless_asked(client, source):
    for n in range(51):
        add_cited_agreement(f"agreement-{n}", source)

    assert len(api_get(client, "/api/agreements/").json()["results"]) == 50
    assert len(api_get(client, "/api/agreements/", page=2).json()["results"]) == 1
    assert len(api_get(client, "/api/agreements/", page_size=200).json()["results"]) == 51


def test_an_empty_list_is_one_empty_page(client, db):
    response = api_get(client, "/api/agreements/")

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


# Root, schema and docs -----------------------------------------------------------------


def test_the_root_lists_the_five_resources(client, db):
    response = api_get(client, "/api/")

    assert response.status_code == 200
    assert response.json() == {
        name: f"http://testserver/api/{name}/"
        for name in ["agreements", "milestones", "actors", "sectors", "sources"]
    }


def test_the_schema_is_valid_openapi_listing_the_five_resources(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for name in ["agreements", "milestones", "actors", "sectors", "sources"]:
        assert f"/api/{name}/" in schema["paths"]
        assert f"/api/{name}/{{slug}}/" in schema["paths"]
        assert set(schema["paths"][f"/api/{name}/"]) == {"get"}
    parameters = {p["name"] for p in schema["paths"]["/api/agreements/"]["get"]["parameters"]}
    assert parameters == {
        "q",
        "sector",
        "actor",
        "country",
        "kind",
        "status",
        "tag",
        "disputed",
        "year",
        "year_from",
        "year_to",
        "sort",
        "page",
        "page_size",
    }


def test_the_docs_page_serves_swagger_from_our_own_static_files(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert "cdn" not in html.lower()
    # Swagger UI needs inline script, so the docs page alone goes without the policy.
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy" in client.get("/api/")


def test_a_model_validation_error_becomes_a_400_naming_the_field(db):
    from django.core.exceptions import ValidationError as DjangoValidationError

    from ijtech.api import exception_handler

    response = exception_handler(DjangoValidationError({"year": ["Too early."]}), {})

    assert response.status_code == 400
    assert response.data == {"errors": {"year": ["Too early."]}}
