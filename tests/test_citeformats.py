import datetime
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.models import AgreementParty
from ijtech.citeformats import bibtex_escape, formats_for
from ijtech.models import EditorialStatus
from tests.conftest import cite, make_agreement, make_milestone, publish

ACCESSED = datetime.date(2025, 3, 4)


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A strict reader for one entry: braces must balance and every field must close."""
    match = re.match(r"\s*@(\w+)\{([^,\s{}]+),\n", text)
    assert match, f"not a BibTeX entry head: {text[:60]!r}"
    entry_type, key = match.groups()
    fields: dict[str, str] = {}
    pos = match.end()
    while True:
        end = re.match(r"\}\s*$", text[pos:])
        if end:
            return entry_type, key, fields
        field = re.match(r"  (\w+) = ", text[pos:])
        assert field, f"bad field at {text[pos : pos + 40]!r}"
        name = field.group(1)
        pos += field.end()
        if text[pos] == "{":
            depth, start = 0, pos
            while True:
                char = text[pos]
                if char == "\\":
                    pos += 2
                    continue
                if char == "{":
                    depth += 1
                elif char == "}":
                    depth -= 1
                    if depth == 0:
                        break
                pos += 1
            fields[name] = text[start + 1 : pos]
            pos += 1
        else:
            bare = re.match(r"\w+", text[pos:])
            fields[name] = bare.group()
            pos += bare.end()
        assert text[pos : pos + 2] == ",\n", f"field {name} not closed"
        pos += 2


def parse_ris(text: str) -> list[tuple[str, str]]:
    lines = text.split("\r\n")
    assert lines[-1] == ""
    tags = []
    for line in lines[:-1]:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"bad RIS line {line!r}"
        tags.append(match.groups())
    return tags


def ris_values(tags, tag):
    return [value for t, value in tags if t == tag]


@pytest.fixture
def treaty(db, source, actor):
    agreement = make_agreement(
        "2008-security-declaration",
        title="Joint Declaration on Security Cooperation",
        kind="iga",
        year=2008,
        month=10,
        day=22,
        summary="A declaration on security.",
    )
    agreement.tags.add("security")
    japan = actor.__class__.objects.create(
        name="Ministry of Foreign Affairs of Japan",
        acronym="MOFA",
        slug="mofa",
        country="japan",
        kind="ministry",
    )
    publish(japan, source)
    AgreementParty.objects.create(agreement=agreement, actor=actor)
    AgreementParty.objects.create(agreement=agreement, actor=japan)
    return publish(agreement, source)


class TestAgreementCitation:
    def test_csl_json_is_a_list_of_one_treaty_with_institutional_authors(self, treaty):
        items = json.loads(formats_for(treaty, ACCESSED)["csl_json"])
        assert isinstance(items, list) and len(items) == 1
        item = items[0]
        assert item["id"] == "ijtech-agreement-2008-security-declaration"
        assert item["type"] == "treaty"
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

    def test_an_mou_is_a_document_not_a_treaty(self, source):
        mou = publish(make_agreement("mou", kind="mou"), source)
        item = json.loads(formats_for(mou, ACCESSED)["csl_json"])[0]
        assert item["type"] == "document"
        assert item["genre"] == "Memorandum of understanding"

    def test_bibtex_entry_is_well_formed_with_braced_institutions(self, treaty):
        entry_type, key, fields = parse_bibtex(formats_for(treaty, ACCESSED)["bibtex"])
        assert entry_type == "misc"
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
        assert fields["publisher"] == "ijtech"
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
                {"year": "1980s", "date": "198X"},
                "1980///the 1980s",
            ),
        ],
        ids=["day", "month", "year", "circa", "decade"],
    )
    def test_the_date_is_exactly_as_precise_as_known(self, source, date, csl, bib, ris):
        milestone = publish(make_milestone("dated", **date), source)
        formats = formats_for(milestone, ACCESSED)
        assert json.loads(formats["csl_json"])[0]["issued"] == csl
        _, _, fields = parse_bibtex(formats["bibtex"])
        assert {k: fields[k] for k in ("year", "month", "date") if k in fields} == bib
        assert ris_values(parse_ris(formats["ris"]), "DA") == [ris]

    def test_an_approximate_date_is_noted(self, source):
        milestone = publish(make_milestone("circa", year=1990, date_qualifier="circa"), source)
        item = json.loads(formats_for(milestone, ACCESSED)["csl_json"])[0]
        assert item["note"].startswith("Date: about 1990.")


class TestBibtexEscaping:
    def test_special_characters_are_escaped(self):
        assert bibtex_escape("R&D 50% #1 a_b $5 {x} ~ ^ \\") == (
            r"R\&D 50\% \#1 a\_b \$5 \{x\} \textasciitilde{} \textasciicircum{} "
            r"\textbackslash{}"
        )

    def test_a_title_with_special_characters_still_parses(self, source):
        milestone = publish(make_milestone("r-and-d", title="R&D {Fund} 100% for $ & #5_b"), source)
        _, key, fields = parse_bibtex(formats_for(milestone, ACCESSED)["bibtex"])
        assert key == "ijtech-milestone-r-and-d"
        assert fields["title"] == r"{R\&D \{Fund\} 100\% for \$ \& \#5\_b}"

    def test_line_breaks_in_text_do_not_break_ris_lines(self, source):
        milestone = publish(make_milestone("lines", summary="One.\nTwo.\r\nThree."), source)
        tags = parse_ris(formats_for(milestone, ACCESSED)["ris"])
        assert ris_values(tags, "AB") == ["One. Two. Three."]


class TestMilestoneAndActorCitations:
    def test_a_milestone_is_an_event_with_its_institutions_as_authors(self, source, actor):
        agreement = publish(make_agreement("parent-deal", title="Parent Deal"), source)
        milestone = make_milestone("summit", agreement=agreement, month=8, day=29)
        milestone.actors.add(actor)
        publish(milestone, source)
        formats = formats_for(milestone, ACCESSED)
        item = json.loads(formats["csl_json"])[0]
        assert item["type"] == "event"
        assert item["genre"] == "Summit"
        assert item["author"] == [{"literal": "Indian Space Research Organisation"}]
        assert "Part of: Parent Deal." in item["note"]
        tags = parse_ris(formats["ris"])
        assert tags[0] == ("TY", "GEN")
        assert ris_values(tags, "M3") == ["Summit"]

    def test_a_milestone_of_a_draft_agreement_does_not_name_it(self, source):
        agreement = make_agreement("secret-deal", title="Secret Deal")
        milestone = publish(make_milestone("m", agreement=agreement), source)
        assert "Secret Deal" not in formats_for(milestone, ACCESSED)["csl_json"]

    def test_an_actor_is_an_entry_of_ijtech(self, actor):
        formats = formats_for(actor, ACCESSED)
        item = json.loads(formats["csl_json"])[0]
        assert item["type"] == "entry"
        assert item["title"] == "Indian Space Research Organisation (ISRO)"
        assert item["container-title"] == "ijtech"
        assert item["genre"] == "Government agency"
        assert "author" not in item
        assert item["URL"] == f"{settings.SITE_URL}/actors/isro/"
        entry_type, key, fields = parse_bibtex(formats["bibtex"])
        assert (entry_type, key) == ("misc", "ijtech-actor-isro")
        assert "author" not in fields
        tags = parse_ris(formats["ris"])
        assert tags[0] == ("TY", "ENCYC")
        assert ris_values(tags, "T2") == ["ijtech"]

    def test_sources_are_listed_once_each(self, source, actor):
        cite(actor, source, locator="Chapter 2")
        assert formats_for(actor, ACCESSED)["bibtex"].count("A Test Report") == 1


class TestCiteViews:
    @pytest.mark.parametrize(
        ("fmt", "content_type"),
        [
            ("bib", "application/x-bibtex"),
            ("ris", "application/x-research-info-systems"),
            ("json", "application/vnd.citationstyles.csl+json"),
        ],
    )
    def test_each_format_downloads_as_an_attachment(self, client, treaty, fmt, content_type):
        response = client.get(reverse("agreements:cite", args=[treaty.slug, fmt]))
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="ijtech-agreement-{treaty.slug}.{fmt}"'
        )
        assert "Joint Declaration on Security Cooperation" in response.content.decode()

    def test_milestone_and_actor_citations_are_served(self, client, source, actor):
        milestone = publish(make_milestone("served"), source)
        response = client.get(reverse("milestones:cite", args=[milestone.slug, "json"]))
        assert json.loads(response.content)[0]["id"] == "ijtech-milestone-served"
        response = client.get(reverse("actors:cite", args=[actor.slug, "ris"]))
        assert response.content.decode().startswith("TY  - ENCYC\r\n")

    def test_an_unknown_format_is_not_found(self, client, treaty):
        response = client.get(reverse("agreements:cite", args=[treaty.slug, "docx"]))
        assert response.status_code == 404

    def test_an_unknown_record_is_not_found(self, client, db):
        response = client.get(reverse("agreements:cite", args=["no-such-thing", "bib"]))
        assert response.status_code == 404

    @pytest.mark.parametrize("status", [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW])
    def test_unpublished_records_cannot_be_cited(self, client, source, status):
        agreement = make_agreement("hidden-agreement", status=status)
        milestone = make_milestone("hidden-milestone", status=status)
        actor = agreement.parties.model.objects.create(
            name="Hidden", slug="hidden", country="india", kind="agency", editorial_status=status
        )
        for name, record in [
            ("agreements:cite", agreement),
            ("milestones:cite", milestone),
            ("actors:cite", actor),
        ]:
            cite(record, source)
            response = client.get(reverse(name, args=[record.slug, "bib"]))
            assert response.status_code == 404, name

    def test_citing_costs_a_fixed_number_of_queries(
        self, client, treaty, django_assert_num_queries
    ):
        # 1 the agreement, 2 its sectors, 3 parties, 4 tags, 5 citations with their sources,
        # 6 disagreements: the public queryset that the page, API and exports share
        with django_assert_num_queries(6):
            client.get(reverse("agreements:cite", args=[treaty.slug, "json"]))
