"""The API answers JSON for everything under /api/, and its schema says what it does."""

import pytest
import yaml
from django.core.exceptions import ValidationError

from actors.models import Actor
from ijtech.models import Source
from sectors.models import Sector

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/api/agreements/.exe/", "/api/nothing/", "/api/agreements/x/y/", "/api/sectors/a.b/"]
)
def test_an_unknown_api_url_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"]["detail"]


def test_an_unknown_page_outside_the_api_is_still_the_html_404(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "version", ["\r\nSet-Cookie: x=1", "\x01", '"; filename=evil.html', "1.0.0"]
)
def test_the_schema_ignores_a_version_parameter(client, version):
    response = client.get("/api/schema/", {"version": version})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="ijtech API.yaml"'
    assert "Set-Cookie" not in response


@pytest.fixture
def schema(client):
    return yaml.safe_load(client.get("/api/schema/").content)


def parameters(schema, path):
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"].get("parameters", [])}


def test_a_top_level_sector_has_a_null_parent_and_the_schema_says_so(client, schema):
    Sector.objects.create(slug="space", name="Space")
    assert client.get("/api/sectors/space/").json()["parent"] is None
    assert schema["components"]["schemas"]["Sector"]["properties"]["parent"]["nullable"] is True


@pytest.mark.parametrize("path", ["/api/agreements/", "/api/sectors/", "/api/sources/"])
def test_the_schema_documents_the_limits_of_page_and_page_size(schema, path):
    params = parameters(schema, path)
    assert params["page"] == {"type": "integer", "minimum": 1}
    assert params["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}


@pytest.mark.parametrize("path", ["/api/agreements/", "/api/milestones/"])
def test_the_schema_documents_the_year_range(schema, path):
    params = parameters(schema, path)
    for name in ("year", "year_from", "year_to"):
        assert params[name] == {"type": "integer", "minimum": 1900, "maximum": 2100}


def test_the_schema_documents_slugs_as_non_empty_and_at_most_ten(schema):
    params = parameters(schema, "/api/agreements/")
    for name in ("sector", "actor", "tag"):
        assert params[name]["items"]["minLength"] == 1
        assert params[name]["maxItems"] == 10


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/agreements/", "disputed"),
        ("/api/milestones/", "sort"),
        ("/api/sources/", "kind"),
        ("/api/agreements/", "kind"),
        ("/api/actors/", "country"),
    ],
)
def test_an_empty_choice_is_documented_as_any(client, schema, path, name):
    assert "" in parameters(schema, path)[name]["enum"]
    assert client.get(path, {name: ""}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        'https://evil.example/"onmouseover="alert(9)',
        "https://evil.example/<script>",
        "https://evil.example/>",
        "https://evil.example/a b",
        "https://evil.example/a`b",
    ],
)
def test_a_url_that_would_break_out_of_an_attribute_is_refused(url):
    source = Source(slug="s", title="T", kind="report", url=url)
    actor = Actor(slug="a", name="A", country="japan", kind="agency", website=url)
    for record, field in ((source, "url"), (actor, "website")):
        with pytest.raises(ValidationError) as exc:
            record.full_clean()
        assert field in exc.value.message_dict


def test_an_ordinary_url_is_accepted():
    url = "https://www.mea.gov.in/bilateral-documents.htm?dtl/32079/India_Japan_Summit?x=1&y=%20#p2"
    Source(slug="s", title="T", kind="report", url=url).full_clean()
