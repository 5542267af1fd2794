"""The sector export."""

from sectors.exports import SECTORS
from tests.factories import get_csv, get_json


class TestOtherExports:
    def test_sectors_count_only_published_records(self, client, export_corpus):
        data = get_json(client, "sectors:export")
        by_slug = {row["slug"]: row for row in data["results"]}
        assert list(by_slug["space"]) == SECTORS.columns
        assert by_slug["space"]["agreement_count"] == 1
        assert by_slug["space"]["milestone_count"] == 1
        assert by_slug["digital"]["agreement_count"] == 1
        assert [row["slug"] for row in get_csv(client, "sectors:export", q="digi")] == ["digital"]
