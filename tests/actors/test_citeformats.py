"""Citations of institutions."""

import json

from django.conf import settings

from ijtech.citeformats import formats_for
from tests.factories import ACCESSED, parse_bibtex, parse_ris, ris_values


class TestMilestoneAndActorCitations:
    def test_an_actor_is_an_entry_of_ijtech(self, actor):
        formats = formats_for(actor, ACCESSED)
        item = json.loads(formats["csl_json"])[0]
        assert item["type"] == "entry-encyclopedia"
        assert item["title"] == "Indian Space Research Organisation (ISRO)"
        assert item["container-title"] == "ijtech"
        assert item["genre"] == "Government agency"
        assert "author" not in item
        assert item["URL"] == f"{settings.SITE_URL}/actors/isro/"
        entry_type, key, fields = parse_bibtex(formats["bibtex"])
        assert (entry_type, key) == ("inreference", "ijtech-actor-isro")
        assert fields["booktitle"] == "ijtech"
        assert "author" not in fields
        tags = parse_ris(formats["ris"])
        assert tags[0] == ("TY", "ENCYC")
        assert ris_values(tags, "T2") == ["ijtech"]
