"""Browser clients on other origins may read the public data; public data goes compressed."""

import gzip

import pytest
from django.urls import reverse

from tests.factories import add_cited_agreement, body

pytestmark = pytest.mark.django_db

ORIGIN = "https://notebook.example.org"

PUBLIC = [
    "/api/agreements/",
    "/api/schema/?format=json",
    "/agreements/export.json",
    "/agreements/export.csv",
    "/milestones/citations.csv",
    "/feeds/changes/",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_data_allows_any_origin(client, path):
    response = client.get(path, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_allows_only_reading(client):
    response = client.options(
        "/api/agreements/", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("path", ["/", "/agreements/", "/admin/login/"])
def test_pages_and_the_admin_send_no_cors_headers(client, path):
    response = client.get(path, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def bodies(client, path):
    plain = client.get(path)
    packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    return plain, packed


@pytest.mark.parametrize(
    "path", ["/api/agreements/", "/agreements/export.json", "/agreements/export.csv"]
)
def test_json_and_csv_are_compressed_to_the_same_body(client, source, sector, path):
    add_cited_agreement("2018-space-mou", source, sectors=[sector])
    plain, packed = bodies(client, path)
    assert packed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(body(packed)) == body(plain)


def test_html_pages_with_csrf_tokens_are_never_compressed(client):
    # BREACH: a compressed page that reflects input next to a token leaks the token.
    response = client.get(reverse("search"), {"q": "space"}, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert len(response.content) > 200  # long enough that GZipMiddleware would compress it
    assert "Content-Encoding" not in response
