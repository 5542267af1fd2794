"""The source export."""

from django.conf import settings

from ijtech.source_exports import SOURCES
from tests.factories import get_json


class TestOtherExports:
    def test_sources_count_only_citations_from_published_records(self, client, export_corpus):
        data = get_json(client, "sources:export")
        by_slug = {row["slug"]: row for row in data["results"]}
        assert list(by_slug["second"]) == SOURCES.serializer_fields
        # space, digital framework, launch, pledge and the actor: the two drafts don't count
        assert by_slug["test-source"]["citation_count"] == 5
        assert by_slug["second"]["citation_count"] == 1
        # "url" is the document's own address, "page_url" the ijtech page, as in the API.
        assert by_slug["test-source"]["page_url"] == f"{settings.SITE_URL}/sources/test-source/"
        assert get_json(client, "sources:export", kind="official")["count"] == 1
