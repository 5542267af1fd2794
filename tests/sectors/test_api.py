"""The sectors API."""

import pytest

from ijtech.models import EditorialStatus
from sectors.models import Sector
from tests.factories import add_agreement, add_more_api_records, api_get, api_slugs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]


def test_a_sector_counts_only_published_records(client, api_corpus):
    add_agreement("draft-in-space", editorial=EditorialStatus.DRAFT).sectors.add(
        Sector.objects.get(slug="space")
    )
    Sector.objects.create(name="Lunar", slug="lunar", parent=Sector.objects.get(slug="space"))

    space = api_get(client, "/api/sectors/space/").json()
    lunar = api_get(client, "/api/sectors/lunar/").json()

    assert space["url"] == "http://testserver/sectors/space/"
    assert space["agreement_count"] == 1
    assert space["milestone_count"] == 1
    assert space["parent"] is None
    assert lunar["parent"] == "space"
    assert lunar["agreement_count"] == 0


def test_sectors_filter_by_name(client, api_corpus):
    Sector.objects.create(name="Lunar exploration", slug="lunar", parent=api_corpus["digital"])

    assert api_slugs(api_get(client, "/api/sectors/")) == ["digital", "lunar", "space"]
    assert api_slugs(api_get(client, "/api/sectors/", q="lunar")) == ["lunar"]


def test_sectors_filter_by_parent(client, api_corpus):
    Sector.objects.create(name="Lunar exploration", slug="lunar", parent=api_corpus["digital"])

    assert api_slugs(api_get(client, "/api/sectors/", parent="digital")) == ["lunar"]


def test_the_sector_list_runs_four_queries_however_long(
    client, api_corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of sectors with their parents, 3 agreements and 4 milestones per
    # sector, each one grouped query over the links to the sectors.
    with django_assert_num_queries(4):
        assert len(api_get(client, "/api/sectors/").json()["results"]) == 2
    add_more_api_records(source, other_source, sector)
    with django_assert_num_queries(4):
        assert len(api_get(client, "/api/sectors/").json()["results"]) == 6


def test_the_sector_list_reads_its_counts_once_per_public_change(
    client, api_corpus, django_assert_num_queries
):
    first = api_get(client, "/api/sectors/").json()
    # 1 the page of sectors: the number of sectors and their record counts are kept until
    # the next public change.
    with django_assert_num_queries(1):
        assert api_get(client, "/api/sectors/").json() == first
