"""?disputed=true|false narrows every list, its exports and the API the same way."""

import json

import pytest

from ijtech.models import Disagreement
from tests.factories import DRAFT, add_agreement, add_milestone, body, cite

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(source):
    contested = add_agreement("contested", editorial="published")
    plain = add_agreement("plain", editorial="published")
    hidden = add_agreement("hidden-draft", editorial=DRAFT)
    for record in (contested, plain, hidden):
        cite(record, source)
    for record in (contested, hidden):
        disagreement = Disagreement.objects.create(target=record, aspect="kind", explanation="x")
        cite(record, source, disagreement=disagreement, position="an MoU")
    milestone = add_milestone("contested-summit", editorial="published")
    cite(milestone, source)
    Disagreement.objects.create(target=milestone, aspect="date", explanation="y")
    return contested, plain


@pytest.mark.parametrize(("value", "expected"), [("true", ["contested"]), ("false", ["plain"])])
def test_the_agreement_list_keeps_disputed_or_undisputed_records(client, records, value, expected):
    response = client.get("/agreements/", {"disputed": value})
    assert [a.slug for a in response.context["object_list"]] == expected


def test_the_api_and_the_exports_agree_with_the_page(client, records):
    api = json.loads(body(client.get("/api/agreements/", {"disputed": "true"})))
    assert [r["slug"] for r in api["results"]] == ["contested"]
    export = json.loads(body(client.get("/agreements/export.json", {"disputed": "true"})))
    assert [r["slug"] for r in export["results"]] == ["contested"]
    milestones = json.loads(body(client.get("/api/milestones/", {"disputed": "true"})))
    assert [r["slug"] for r in milestones["results"]] == ["contested-summit"]


def test_a_value_other_than_true_or_false_is_a_400(client, records):
    page = client.get("/agreements/", {"disputed": "maybe"})
    assert page.status_code == 400
    assert "Use disputed=true or disputed=false." in page.content.decode()
    api = client.get("/api/agreements/", {"disputed": "maybe"})
    assert api.status_code == 400
    assert "disputed" in json.loads(body(api))["errors"]


def test_the_disagreements_page_links_to_the_disputed_exports(client, records):
    html = client.get("/disagreements/").content.decode()
    assert 'href="/agreements/export.csv?disputed=true"' in html
