"""The About page: method, sources, licence, citation and the data dictionary."""

import re

import pytest
from django.test import Client

from ijtech.datapackage import data_version, exports
from ijtech.models import Source
from tests.factories import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_corpus", "fresh_cache")]


@pytest.fixture(scope="module")
def page(loaded_corpus, django_db_blocker):
    """The About page of the corpus, rendered once for the tests that only read it."""
    with django_db_blocker.unblock():
        response = Client().get("/about/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_describes_every_column_of_every_csv_export(client, page):
    for spec in exports():
        header = body(client.get(f"/{spec.name}/export.csv")).decode().splitlines()[0]
        for column in header.split(","):
            assert column in spec.fields, f"{spec.name}.{column} has no description"
            assert spec.fields[column].description
            assert f'id="col-{spec.name}-{column}"' in page, f"{spec.name}.{column} not shown"


def test_it_lists_the_values_of_enumerated_columns(page):
    for value in ("treaty", "signing", "agency", "journal_article", "decade"):
        assert f"<code>{value}</code>" in page


def test_it_states_the_licence_and_how_to_cite(page):
    assert 'id="licence"' in page
    assert "CC BY 4.0" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "remain their authors" in page
    assert f"Data version {data_version().label}" in page


def test_it_lists_the_sources_with_what_the_records_say_of_them(page):
    sources = Source.objects.all()
    assert len(sources) == 5
    for source in sources:
        assert source.title.replace("'", "&#x27;") in page


def test_every_page_footer_links_the_licence(client):
    for path in ("/", "/agreements/", "/data/"):
        html = client.get(path).content.decode()
        assert re.search(r'href="/about/#licence"', html), path
        assert 'rel="license"' in html, path


def test_the_home_page_shows_the_version_and_how_to_cite(client):
    html = client.get("/").content.decode()
    assert data_version().label in html
    assert 'href="/about/#cite"' in html
