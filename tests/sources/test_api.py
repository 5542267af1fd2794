"""The sources API."""

import pytest

from ijtech.models import EditorialStatus
from tests.factories import add_agreement, add_more_api_records, api_get, api_slugs, cite

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]


def test_a_source_counts_only_citations_of_published_records(client, api_corpus, source):
    draft = add_agreement("draft-citing", editorial=EditorialStatus.DRAFT)
    cite(draft, source)

    record = api_get(client, "/api/sources/test-source/").json()

    # isro, meti, two agreements (one with a dispute version), two milestones.
    assert record["citation_count"] == 7
    assert record["title"] == "A Test Report"
    assert record["authors"] == "A. Author"
    assert record["kind"] == "report"
    assert record["page_url"] == "http://testserver/sources/test-source/"
    assert record["api_url"] == "http://testserver/api/sources/test-source/"


def test_sources_filter_by_text_and_kind(client, api_corpus):
    assert api_slugs(api_get(client, "/api/sources/")) == ["other-source", "test-source"]
    assert api_slugs(api_get(client, "/api/sources/", q="author")) == ["test-source"]
    assert api_slugs(api_get(client, "/api/sources/", kind="official")) == ["other-source"]
    assert api_slugs(api_get(client, "/api/sources/", q="report", kind="report")) == ["test-source"]


def test_the_source_list_runs_five_queries_however_long(
    client, api_corpus, source, other_source, sector, django_assert_num_queries
):
    # 1 count, 2 page of sources, 3-5 citations per source from published agreements,
    # milestones and institutions, one grouped query each.
    with django_assert_num_queries(5):
        assert len(api_get(client, "/api/sources/").json()["results"]) == 2
    add_more_api_records(source, other_source, sector)
    with django_assert_num_queries(5):
        assert len(api_get(client, "/api/sources/").json()["results"]) == 6


def test_the_source_list_reads_its_counts_once_per_public_change(
    client, api_corpus, django_assert_num_queries
):
    first = api_get(client, "/api/sources/").json()
    # 1 the page of sources: their number and their citation counts are kept until the
    # next public change.
    with django_assert_num_queries(1):
        assert api_get(client, "/api/sources/").json() == first
