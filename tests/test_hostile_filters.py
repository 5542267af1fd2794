"""Repeatable slug filters (sector, actor, tag): their cost does not grow with the number of
values, repeated values count once, and more than MAX_FILTER_VALUES are refused with a 400."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.models import Agreement
from ijtech.filters import MAX_FILTER_VALUES
from tests.factories import add_actor, add_agreement, add_milestone, add_sector, body, cite

pytestmark = pytest.mark.django_db

TAGS = [f"tag-{i:02d}" for i in range(12)]
ACTORS = [f"body-{i:02d}" for i in range(12)]


@pytest.fixture
def world(source):
    ContentType.objects.clear_cache()
    actors = [add_actor(slug) for slug in ACTORS]
    for actor in actors:
        cite(actor, source)
    sectors = [add_sector(f"sector-{i:02d}") for i in range(12)]
    everything = add_agreement(
        "2020-everything", tags=TAGS, parties=actors, sectors=sectors, year=2020
    )
    few = add_agreement("2019-few", tags=TAGS[:3], parties=actors[:3], year=2019)
    milestone = add_milestone("2021-launch", kind="launch", tags=TAGS, actors=actors, year=2021)
    for record in (everything, few, milestone):
        cite(record, source)
    return everything, few


def query(param, values):
    return "&".join(f"{param}={value}" for value in values)


@pytest.mark.parametrize("param, values", [("tag", TAGS), ("actor", ACTORS)])
def test_it_finds_the_records_having_every_chosen_value(client, world, param, values):
    response = client.get(f"/api/agreements/?{query(param, values[:MAX_FILTER_VALUES])}")
    assert [r["slug"] for r in json.loads(body(response))["results"]] == ["2020-everything"]
    response = client.get(f"/api/agreements/?{query(param, values[:2])}")
    assert [r["slug"] for r in json.loads(body(response))["results"]] == [
        "2020-everything",
        "2019-few",
    ]


@pytest.mark.parametrize("param, values", [("tag", TAGS), ("actor", ACTORS)])
def test_a_value_given_many_times_counts_once(client, world, param, values):
    url = f"/api/agreements/?{query(param, values[:2] * 100)}"
    assert [r["slug"] for r in json.loads(body(client.get(url)))["results"]] == [
        "2020-everything",
        "2019-few",
    ]


def joins(filterset_class, model, params):
    filterset = filterset_class(params, queryset=model.objects.published())
    assert filterset.is_valid(), filterset.errors
    with CaptureQueriesContext(connection) as captured:
        list(filterset.qs)
    return captured.captured_queries[-1]["sql"].upper().count("JOIN")


@pytest.mark.parametrize("param, values", [("tag", TAGS), ("actor", ACTORS)])
@pytest.mark.parametrize("filterset_class", [AgreementFilter, MilestoneFilter])
def test_more_values_add_no_joins(world, param, values, filterset_class):
    from django.http import QueryDict

    model = filterset_class._meta.model
    two = joins(filterset_class, model, QueryDict(query(param, values[:2])))
    ten = joins(filterset_class, model, QueryDict(query(param, values[:MAX_FILTER_VALUES])))
    assert ten == two


TOO_MANY_SURFACES = [
    "/agreements/",
    "/milestones/",
    "/milestones/timeline/",
    "/agreements/export.csv",
    "/milestones/export.json",
    "/actors/",
    "/actors/export.csv",
]

TOO_MANY = {
    "tag": TAGS[: MAX_FILTER_VALUES + 1],
    "actor": ACTORS,
    "sector": [f"sector-{i:02d}" for i in range(12)],
}


def surfaces(urls):
    """(url, param) pairs; institutions filter by sector only."""
    return [
        (url, param)
        for url in urls
        for param in ("tag", "actor", "sector")
        if param == "sector" or "actors/" not in url
    ]


@pytest.mark.parametrize("url, param", surfaces(TOO_MANY_SURFACES))
def test_it_refuses_more_values_than_the_limit_on_pages_and_exports(client, world, url, param):
    response = client.get(f"{url}?{query(param, TOO_MANY[param])}")
    assert response.status_code == 400
    text = str(json.loads(body(response))) if url.endswith(".json") else body(response).decode()
    assert f"at most {MAX_FILTER_VALUES}" in text
    assert f"“{param}”" in text


@pytest.mark.parametrize(
    "url, param", surfaces(["/api/agreements/", "/api/milestones/", "/api/actors/"])
)
def test_the_api_refuses_more_values_than_the_limit_in_json(client, world, url, param):
    response = client.get(f"{url}?{query(param, TOO_MANY[param])}")
    assert response.status_code == 400
    (message,) = json.loads(body(response))["errors"][param]
    assert f"at most {MAX_FILTER_VALUES}" in message
    assert f"“{param}”" in message


def test_32_distinct_tags_no_longer_break_sqlite(client, world):
    # Once a 500 on SQLite ("at most 64 tables in a join"); now a plain refusal.
    response = client.get("/agreements/?" + query("tag", [f"t{i}" for i in range(32)]))
    assert response.status_code == 400


def test_the_limit_counts_distinct_values(client, world):
    values = TAGS[:MAX_FILTER_VALUES] * 5
    assert client.get(f"/agreements/?{query('tag', values)}").status_code == 200
    assert Agreement.objects.count() == 2
