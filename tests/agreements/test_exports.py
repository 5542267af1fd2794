"""The agreement and milestone exports."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.exports import AGREEMENTS, MILESTONES
from agreements.models import LINEAGE, Agreement
from ijtech.models import EditorialStatus
from tests.factories import DRAFT, add_agreement, body, cite, get_csv, get_json

pytestmark = pytest.mark.django_db


HIDDEN = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW]


@pytest.fixture
def family(source):
    """2018 builds on 2015 and 2012 and is superseded by 2020; drafts link to all of them."""
    made = {
        slug: add_agreement(slug, year=year)
        for slug, year in [("middle", 2018), ("earlier", 2015), ("earliest", 2012), ("later", 2020)]
    }
    made["middle"].builds_on.set([made["earlier"], made["earliest"]])
    made["later"].supersedes.set([made["middle"]])
    for status in HIDDEN:
        hidden = add_agreement(f"hidden-{status}", editorial=status, year=2019)
        cite(hidden, source)
        made["middle"].builds_on.add(hidden)
        made["middle"].supersedes.add(hidden)
        hidden.builds_on.add(made["middle"])
        hidden.supersedes.add(made["middle"])
    for record in made.values():
        cite(record, source)
    return made


def json_rows(client, **params):
    response = client.get(reverse("agreements:export", args=["json"]), params)
    assert response.status_code == 200, response.content
    return {row["slug"]: row for row in json.loads(body(response))["results"]}


def csv_rows(client, **params):
    response = client.get(reverse("agreements:export", args=["csv"]), params)
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(body(response).decode("utf-8")))
    return {row["slug"]: row for row in reader}


def test_the_lineage_columns_follow_the_tags():
    columns = AGREEMENTS.columns
    start = columns.index("tags") + 1
    assert (
        columns[start : start + 4]
        == list(LINEAGE)
        == [
            "builds_on",
            "built_upon_by",
            "supersedes",
            "superseded_by",
        ]
    )


def test_json_lists_the_published_lineage_both_ways_in_date_order(client, family):
    rows = json_rows(client)
    assert set(rows) == {"middle", "earlier", "earliest", "later"}
    assert {name: rows["middle"][name] for name in LINEAGE} == {
        "builds_on": ["earliest", "earlier"],
        "built_upon_by": [],
        "supersedes": [],
        "superseded_by": ["later"],
    }
    assert rows["earlier"]["built_upon_by"] == ["middle"]
    assert rows["earliest"]["built_upon_by"] == ["middle"]
    assert rows["later"]["supersedes"] == ["middle"]
    assert rows["later"]["builds_on"] == rows["later"]["superseded_by"] == []


def test_csv_joins_the_slugs_like_the_other_list_columns(client, family):
    rows = csv_rows(client)
    assert rows["middle"]["builds_on"] == "earliest; earlier"
    assert rows["middle"]["superseded_by"] == "later"
    assert rows["middle"]["supersedes"] == rows["middle"]["built_upon_by"] == ""
    assert rows["later"]["supersedes"] == "middle"


def test_unpublished_agreements_never_appear_in_the_lineage(client, family):
    text = body(client.get(reverse("agreements:export", args=["csv"]))).decode()
    assert "hidden-" not in text
    assert "hidden-" not in body(client.get(reverse("agreements:export", args=["json"]))).decode()


def test_a_filter_keeps_the_lineage_of_the_rows_it_keeps(client, family):
    rows = json_rows(client, year_from=2016)
    assert set(rows) == {"middle", "later"}
    # The lineage names agreements the filter left out: it is the record's, not the result's.
    assert rows["middle"]["builds_on"] == ["earliest", "earlier"]


def test_with_lineage_prefetches_published_agreements_only(family, django_assert_num_queries):
    with django_assert_num_queries(5):
        middle = Agreement.objects.with_lineage().get(slug="middle")
    with django_assert_num_queries(0):
        assert [a.slug for a in middle.builds_on.all()] == ["earliest", "earlier"]
        assert [a.slug for a in middle.supersedes.all()] == []
        assert [a.slug for a in middle.superseded_by.all()] == ["later"]
        assert [a.slug for a in middle.built_upon_by.all()] == []


class TestAgreementExport:
    def test_csv_has_a_header_and_one_row_per_published_agreement(self, client, export_corpus):
        rows = get_csv(client, "agreements:export")
        assert [row["slug"] for row in rows] == ["2020-digital-framework", "2018-space-mou"]
        assert list(rows[0]) == AGREEMENTS.columns
        space = rows[1]
        assert space["title"] == "Space MoU"
        assert space["kind"] == "mou"
        assert space["kind_label"] == "Memorandum of understanding"
        assert space["date"] == "29 October 2018"
        assert (space["year"], space["month"], space["day"]) == ("2018", "10", "29")
        assert space["precision"] == "day"
        # Related records by slug, as in the API; parties with their roles.
        assert space["sectors"] == "space"
        assert space["tags"] == "launch; satellites"
        assert space["parties"] == "isro:signatory"
        assert space["sources"] == "test-source; second"
        assert space["citation_count"] == "2"
        assert space["disputed"] == "true"
        assert space["url"] == f"{settings.SITE_URL}/agreements/2018-space-mou/"
        digital = rows[0]
        assert (digital["month"], digital["day"], digital["precision"]) == ("", "", "circa")
        assert digital["date"] == "about 2020"
        assert digital["disputed"] == "false"

    def test_csv_is_an_attachment(self, client, export_corpus):
        response = client.get(reverse("agreements:export", args=["csv"]))
        assert response["Content-Disposition"] == 'attachment; filename="ijtech-agreements.csv"'

    def test_json_has_a_count_and_the_same_fields_as_lists(self, client, export_corpus):
        data = get_json(client, "agreements:export")
        assert data["count"] == 2
        space = data["results"][1]
        assert list(space) == AGREEMENTS.serializer_fields
        assert space["tags"] == ["launch", "satellites"]
        assert [(p["slug"], p["role"]) for p in space["parties"]] == [("isro", "signatory")]
        assert space["sources"] == ["test-source", "second"]
        assert space["date"]["month"] == 10
        assert space["disputed"] is True
        assert space["citation_count"] == 2

    @pytest.mark.parametrize(
        ("params", "slugs"),
        [
            ({"sector": "space"}, ["2018-space-mou"]),
            ({"kind": "framework"}, ["2020-digital-framework"]),
            ({"year_from": 2019}, ["2020-digital-framework"]),
            ({"year_to": 2019}, ["2018-space-mou"]),
            ({"year": 2018}, ["2018-space-mou"]),
            ({"actor": "isro"}, ["2018-space-mou"]),
            ({"country": "india"}, ["2018-space-mou"]),
            ({"tag": "satellites"}, ["2018-space-mou"]),
            ({"q": "digital"}, ["2020-digital-framework"]),
            ({"sort": "date"}, ["2018-space-mou", "2020-digital-framework"]),
            ({"sort": "-title"}, ["2018-space-mou", "2020-digital-framework"]),
            ({"page": 7}, ["2020-digital-framework", "2018-space-mou"]),
        ],
    )
    def test_the_page_filters_apply(self, client, export_corpus, params, slugs):
        data = get_json(client, "agreements:export", **params)
        assert [row["slug"] for row in data["results"]] == slugs
        assert [row["slug"] for row in get_csv(client, "agreements:export", **params)] == slugs

    def test_drafts_and_records_in_review_never_appear(self, client, export_corpus):
        text = body(client.get(reverse("agreements:export", args=["csv"]), {"sector": "space"}))
        assert b"Hidden" not in text
        assert b"Draft Institute" not in text


class TestOtherExports:
    def test_milestones_with_amounts_agreement_and_published_actors(self, client, export_corpus):
        data = get_json(client, "milestones:export")
        assert [row["slug"] for row in data["results"]] == ["2023-launch", "2022-pledge"]
        launch, pledge = data["results"]
        assert list(launch) == MILESTONES.serializer_fields
        assert launch["agreement"] == "2018-space-mou"
        assert [actor["slug"] for actor in launch["actors"]] == ["isro"]
        assert launch["date"]["precision"] == "month"
        # The amount as the API gives it: the model's fixed decimal places.
        assert (pledge["amount"], pledge["unit"], pledge["deadline_year"]) == (
            "5.000",
            "trillion JPY",
            2027,
        )
        rows = get_csv(client, "milestones:export", kind="pledge")
        assert [row["slug"] for row in rows] == ["2022-pledge"]
        assert rows[0]["amount"] == "5.000"

    def test_a_milestone_of_a_draft_agreement_does_not_name_it(self, client, export_corpus):
        export_corpus["launch"].agreement = add_agreement("secret-parent", editorial=DRAFT)
        export_corpus["launch"].save()
        rows = get_csv(client, "milestones:export")
        assert rows[0]["agreement"] == ""
