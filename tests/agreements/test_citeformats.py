"""Citations of agreements and milestones in CSL-JSON, BibTeX and RIS."""

import json

import pytest
from django.conf import settings

from agreements.models import AgreementParty
from ijtech.citeformats import formats_for
from tests.factories import (
    ACCESSED,
    DRAFT,
    add_agreement,
    add_milestone,
    parse_bibtex,
    parse_ris,
    publish,
    ris_values,
)


class TestAgreementCitation:
    def test_csl_json_is_a_list_of_one_report_with_institutional_authors(self, treaty):
        items = json.loads(formats_for(treaty, ACCESSED)["csl_json"])
        assert isinstance(items, list) and len(items) == 1
        item = items[0]
        assert item["id"] == "ijtech-agreement-2008-security-declaration"
        assert item["type"] == "report"
        assert item["title"] == "Joint Declaration on Security Cooperation"
        assert item["author"] == [
            {"literal": "Indian Space Research Organisation"},
            {"literal": "Ministry of Foreign Affairs of Japan"},
        ]
        assert item["issued"] == {"date-parts": [[2008, 10, 22]]}
        assert item["genre"] == "Inter-governmental agreement"
        assert item["publisher"] == "ijtech"
        assert item["URL"] == f"{settings.SITE_URL}/agreements/2008-security-declaration/"
        assert item["accessed"] == {"date-parts": [[2025, 3, 4]]}
        assert "A. Author, A Test Report" in item["note"]
        assert item["keyword"] == "security"

    def test_a_programme_is_a_report_not_a_generic_ris_record(self, source):
        programme = publish(add_agreement("prog", kind="programme", editorial=DRAFT), source)
        formats = formats_for(programme, ACCESSED)
        item = json.loads(formats["csl_json"])[0]
        assert item["type"] == "report"
        assert item["genre"] == "Programme or initiative"
        assert parse_ris(formats["ris"])[0] == ("TY", "GOVDOC")

    def test_bibtex_entry_is_well_formed_with_braced_institutions(self, treaty):
        entry_type, key, fields = parse_bibtex(formats_for(treaty, ACCESSED)["bibtex"])
        assert entry_type == "techreport"
        assert key == "ijtech-agreement-2008-security-declaration"
        assert fields["author"] == (
            "{Indian Space Research Organisation} and {Ministry of Foreign Affairs of Japan}"
        )
        assert fields["title"] == "{Joint Declaration on Security Cooperation}"
        assert fields["year"] == "2008"
        assert fields["month"] == "oct"
        assert fields["date"] == "2008-10-22"
        assert fields["type"] == "Inter-governmental agreement"
        assert fields["url"] == f"{settings.SITE_URL}/agreements/2008-security-declaration/"
        assert fields["urldate"] == "2025-03-04"
        assert fields["institution"] == "ijtech"
        assert "A Test Report" in fields["note"]

    def test_ris_starts_with_ty_ends_with_er_and_has_one_au_per_party(self, treaty):
        tags = parse_ris(formats_for(treaty, ACCESSED)["ris"])
        assert tags[0] == ("TY", "GOVDOC")
        assert tags[-1] == ("ER", "")
        assert ris_values(tags, "AU") == [
            "Indian Space Research Organisation",
            "Ministry of Foreign Affairs of Japan",
        ]
        assert ris_values(tags, "TI") == ["Joint Declaration on Security Cooperation"]
        assert ris_values(tags, "PY") == ["2008"]
        assert ris_values(tags, "DA") == ["2008/10/22/"]
        assert ris_values(tags, "M3") == ["Inter-governmental agreement"]
        assert ris_values(tags, "PB") == ["ijtech"]
        assert ris_values(tags, "UR") == [
            f"{settings.SITE_URL}/agreements/2008-security-declaration/"
        ]
        assert ris_values(tags, "Y2") == ["2025/03/04/"]
        assert ris_values(tags, "KW") == ["security"]

    def test_unpublished_parties_are_left_out(self, treaty, source):
        draft = treaty.parties.model.objects.create(
            name="Draft Body", slug="draft-body", country="india", kind="agency"
        )
        AgreementParty.objects.create(agreement=treaty, actor=draft, role="funder")
        formats = formats_for(treaty, ACCESSED)
        assert "Draft Body" not in formats["bibtex"]
        assert "Draft Body" not in formats["ris"]
        assert "Draft Body" not in formats["csl_json"]


class TestDatesAtEachPrecision:
    @pytest.mark.parametrize(
        ("date", "csl", "bib", "ris"),
        [
            (
                {"year": 2020, "month": 10, "day": 8},
                {"date-parts": [[2020, 10, 8]]},
                {"year": "2020", "month": "oct", "date": "2020-10-08"},
                "2020/10/08/",
            ),
            (
                {"year": 2020, "month": 10},
                {"date-parts": [[2020, 10]]},
                {"year": "2020", "month": "oct", "date": "2020-10"},
                "2020/10//",
            ),
            ({"year": 2020}, {"date-parts": [[2020]]}, {"year": "2020", "date": "2020"}, "2020///"),
            (
                {"year": 2020, "date_qualifier": "circa"},
                {"date-parts": [[2020]], "circa": True},
                {"year": "2020", "date": "2020~"},
                "2020///about 2020",
            ),
            (
                {"year": 1980, "date_qualifier": "decade"},
                {"date-parts": [[1980], [1989]]},
                {"year": "1980"},
                "1980///the 1980s",
            ),
        ],
        ids=["day", "month", "year", "circa", "decade"],
    )
    def test_the_date_is_exactly_as_precise_as_known(self, source, date, csl, bib, ris):
        milestone = publish(add_milestone("dated", **date, editorial=DRAFT), source)
        formats = formats_for(milestone, ACCESSED)
        assert json.loads(formats["csl_json"])[0]["issued"] == csl
        _, _, fields = parse_bibtex(formats["bibtex"])
        assert {k: fields[k] for k in ("year", "month", "date") if k in fields} == bib
        assert ris_values(parse_ris(formats["ris"]), "DA") == [ris]

    def test_an_approximate_date_is_noted(self, source):
        milestone = publish(
            add_milestone("circa", year=1990, date_qualifier="circa", editorial=DRAFT), source
        )
        item = json.loads(formats_for(milestone, ACCESSED)["csl_json"])[0]
        assert item["note"].startswith("Date: about 1990.")


class TestMilestoneAndActorCitations:
    def test_a_milestone_is_a_webpage_with_its_institutions_as_authors(self, source, actor):
        agreement = publish(
            add_agreement("parent-deal", title="Parent Deal", editorial=DRAFT), source
        )
        milestone = add_milestone("summit", agreement=agreement, month=8, day=29, editorial=DRAFT)
        milestone.actors.add(actor)
        publish(milestone, source)
        formats = formats_for(milestone, ACCESSED)
        item = json.loads(formats["csl_json"])[0]
        assert item["type"] == "webpage"
        assert item["container-title"] == "ijtech"
        assert item["genre"] == "Summit"
        assert item["author"] == [{"literal": "Indian Space Research Organisation"}]
        assert "Part of: Parent Deal." in item["note"]
        tags = parse_ris(formats["ris"])
        assert tags[0] == ("TY", "ELEC")
        assert ris_values(tags, "M3") == ["Summit"]

    def test_a_milestone_of_a_draft_agreement_does_not_name_it(self, source):
        agreement = add_agreement("secret-deal", title="Secret Deal", editorial=DRAFT)
        milestone = publish(add_milestone("m", agreement=agreement, editorial=DRAFT), source)
        assert "Secret Deal" not in formats_for(milestone, ACCESSED)["csl_json"]
