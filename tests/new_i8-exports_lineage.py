"""Agreement exports carry the lineage the pages show: published agreements only, both ways."""

import csv
import io

import pytest
from django.urls import reverse

from agreements.exports import AGREEMENTS
from agreements.models import LINEAGE, Agreement
from ijtech.models import EditorialStatus
from tests.conftest import add_agreement, cite

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
    return {row["slug"]: row for row in response.json()["results"]}


def csv_rows(client, **params):
    response = client.get(reverse("agreements:export", args=["csv"]), params)
    assert response.status_code == 200, response.content
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
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
    body = client.get(reverse("agreements:export", args=["csv"])).content.decode()
    assert "hidden-" not in body
    assert "hidden-" not in client.get(reverse("agreements:export", args=["json"])).content.decode()


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
