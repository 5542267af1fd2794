"""The institution export."""

from django.conf import settings

from actors.exports import ACTORS
from tests.factories import get_csv, get_json


class TestOtherExports:
    def test_actors_published_only_with_filters(self, client, export_corpus, sector):
        rows = get_csv(client, "actors:export")
        assert [row["slug"] for row in rows] == ["isro"]
        assert list(rows[0]) == ACTORS.columns
        assert rows[0]["sources"] == "test-source"
        assert rows[0]["url"] == f"{settings.SITE_URL}/actors/isro/"
        assert get_json(client, "actors:export", country="japan")["count"] == 0
