import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.corpus import FILES, CorpusError, load
from ijtech.management.commands.verify_quotes import match_texts
from ijtech.models import MAX_QUOTE_WORDS, Citation, Disagreement, Source, SourceText
from sectors.models import Sector
from tests.factories import FIXTURES, edit

pytestmark = pytest.mark.django_db


# The source texts live beside the project, never inside it.
SOURCE_TEXTS = settings.BASE_DIR.parent / "shared" / "sources"
SOURCE_FILES = {
    "sane-2025-bridging-innovation": "000_",
    "patel-ijcrt-techplomacy": "001_",
    "punnen-india-japan-technology-ties": "002_",
    "ananta-2025-resilience-axis": "003_",
    "gupta-india-japan-relations": "004_",
}


def without_artefacts(text):
    """The extraction's markdown escapes and footnote marks are not the author's words."""
    text = text.replace("\\$", "$")
    text = re.sub(r"<sup>\d+</sup>|[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]", "", text)
    return re.sub(r"\s+", " ", text)


def read(name):
    return json.loads((FIXTURES / FILES[name]).read_text(encoding="utf-8"))


def all_records():
    for kind in ("actors", "agreements", "milestones"):
        for record in read(kind):
            yield kind, record


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Source, Sector, Actor, Agreement, Milestone, Citation, Disagreement)
    }


class TestTheCorpus:
    def test_it_loads_and_every_published_record_has_a_citation(self):
        report = load(FIXTURES)
        assert report.created["agreements"] == len(read("agreements"))
        assert report.created["milestones"] == len(read("milestones"))
        assert Agreement.objects.count() + Milestone.objects.count() > 100
        for model in (Agreement, Milestone, Actor):
            uncited = model.objects.published().filter(citations__isnull=True)
            assert not uncited.exists(), list(uncited)
        uncited_sources = Source.objects.filter(citations__isnull=True)
        assert not uncited_sources.exists(), list(uncited_sources)
        assert Disagreement.objects.exists()
        # Every disagreement is backed by at least one citation for a version.
        assert not Disagreement.objects.filter(citations__isnull=True).exists()

    def test_loading_twice_changes_nothing(self):
        load(FIXTURES)
        before = counts(), Agreement.history.count(), Citation.objects.order_by("pk").last().pk
        report = load(FIXTURES)
        assert report.changed == 0
        after = counts(), Agreement.history.count(), Citation.objects.order_by("pk").last().pk
        assert after == before

    def test_load_then_dump_reproduces_the_files_byte_for_byte(self, tmp_path):
        load(FIXTURES)
        call_command("dump_corpus", dir=tmp_path, stdout=io.StringIO())
        for name in FILES.values():
            assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name

    def test_the_dump_lists_signatories_first(self, tmp_path):
        load(FIXTURES)
        agreement = Agreement.objects.get(slug="2018-digital-partnership")
        isro = Actor.objects.create(slug="a-funder", name="A", country="india", kind="agency")
        agreement.party_links.create(actor=isro, role="funder")
        call_command("dump_corpus", dir=tmp_path, stdout=io.StringIO())
        dumped = json.loads((tmp_path / FILES["agreements"]).read_text(encoding="utf-8"))
        record = next(r for r in dumped if r["slug"] == "2018-digital-partnership")
        roles = [p["role"] for p in record["parties"]]
        assert roles[0] == "signatory" and roles[-1] == "funder", roles

    def test_the_2025_pledges_hang_from_their_summit(self):
        load(FIXTURES)
        summit = Milestone.objects.get(slug="2025-annual-summit")
        assert set(summit.outcomes.values_list("slug", flat=True)) >= {
            "2025-japan-investment-pledge",
            "2025-human-resource-exchange-pledge",
        }

    def test_an_edit_made_in_the_database_appears_in_the_dump(self, tmp_path):
        load(FIXTURES)
        agreement = Agreement.objects.get(slug="2018-digital-partnership")
        agreement.summary = "Corrected summary."
        agreement.save()
        call_command("dump_corpus", dir=tmp_path, stdout=io.StringIO())
        dumped = json.loads((tmp_path / FILES["agreements"]).read_text(encoding="utf-8"))
        record = next(r for r in dumped if r["slug"] == "2018-digital-partnership")
        assert record["summary"] == "Corrected summary."


class TestTheFixtureFiles:
    def test_every_quote_is_at_most_25_words(self):
        for kind, record in all_records():
            for citation in record["citations"]:
                assert len(citation["quote"].split()) <= MAX_QUOTE_WORDS, (kind, record["slug"])

    def test_slugs_are_unique(self):
        for kind in FILES:
            slugs = [r["slug"] for r in read(kind)]
            assert len(slugs) == len(set(slugs)), kind

    def test_every_record_is_published_and_cited(self):
        for kind, record in all_records():
            assert record["editorial_status"] == "published", record["slug"]
            assert record["citations"], (kind, record["slug"])

    def test_every_disputed_record_cites_each_version(self):
        for kind, record in all_records():
            for disagreement in record["disagreements"]:
                versions = [
                    c for c in record["citations"] if c["disputes"] == disagreement["aspect"]
                ]
                assert versions, (kind, record["slug"], disagreement["aspect"])
                assert all(c["position"] for c in versions)

    @pytest.mark.skipif(
        not SOURCE_TEXTS.is_dir(), reason="the source texts are not beside the project"
    )
    def test_every_quote_stands_verbatim_in_its_source(self):
        texts = {}
        for slug, prefix in SOURCE_FILES.items():
            path = next(SOURCE_TEXTS.glob(f"{prefix}*.txt"))
            texts[slug] = without_artefacts(path.read_text(encoding="utf-8"))
        missing = []
        for kind, record in all_records():
            for citation in record["citations"]:
                quote = without_artefacts(citation["quote"].strip())
                if quote and quote not in texts[citation["source"]]:
                    missing.append((kind, record["slug"], quote))
        assert not missing

    @pytest.mark.skipif(
        not SOURCE_TEXTS.is_dir(), reason="the source texts are not beside the project"
    )
    def test_verify_quotes_finds_every_loaded_quote_in_the_texts_beside_the_project(self):
        load(FIXTURES)
        matched = match_texts(SOURCE_TEXTS, Source.objects.all())
        assert {
            Source.objects.get(pk=pk).slug: path.name[:4] for pk, path in matched.items()
        } == SOURCE_FILES
        out = io.StringIO()
        call_command("verify_quotes", texts=SOURCE_TEXTS, stdout=out)
        quoted = Citation.objects.exclude(quote="").count()
        assert f"Quotes: {quoted} ok, 0 not found, 0 without a source text" in out.getvalue()
        assert not SourceText.objects.exists()


class TestABrokenCorpus:
    """Each kind of error stops the load with a message naming file, record and field."""

    def refused(self, directory, *expected):
        before = counts()
        with pytest.raises(CorpusError) as exc:
            load(directory)
        message = str(exc.value)
        for fragment in expected:
            assert fragment in message
        assert "the database is unchanged" in message
        assert counts() == before
        return message

    def test_a_missing_reference_is_refused(self, corpus_copy):
        edit(
            corpus_copy,
            "agreements",
            "2018-digital-partnership",
            lambda r: r["parties"].append({"actor": "no-such-body", "role": "signatory"}),
        )
        self.refused(
            corpus_copy,
            'fixtures/agreements.json: record "2018-digital-partnership" field parties[',
            'unknown actor "no-such-body"',
        )

    def test_an_unknown_occasion_is_refused(self, corpus_copy):
        edit(
            corpus_copy,
            "milestones",
            "2025-japan-investment-pledge",
            lambda r: r.update(occasion="2099-no-such-summit"),
        )
        self.refused(
            corpus_copy,
            'record "2025-japan-investment-pledge" field occasion:',
            'unknown milestone "2099-no-such-summit"',
        )

    def test_a_quote_over_25_words_is_refused(self, corpus_copy):
        edit(
            corpus_copy,
            "milestones",
            "2025-annual-summit",
            lambda r: r["citations"][0].update(quote="word " * 26),
        )
        self.refused(
            corpus_copy,
            'fixtures/milestones.json: record "2025-annual-summit" field citations[0].quote',
            "at most 25 words",
        )

    def test_an_invalid_date_is_refused(self, corpus_copy):
        edit(
            corpus_copy,
            "agreements",
            "2018-digital-partnership",
            lambda r: r.update(month=2, day=30),
        )
        self.refused(
            corpus_copy,
            'record "2018-digital-partnership" field day:',
            "has no day 30",
        )

    def test_a_published_record_without_a_citation_is_refused(self, corpus_copy):
        edit(corpus_copy, "actors", "isro", lambda r: r.update(citations=[], disagreements=[]))
        self.refused(
            corpus_copy,
            'fixtures/actors.json: record "isro" field citations:',
            "at least one citation",
        )

    def test_an_unknown_field_is_refused(self, corpus_copy):
        edit(corpus_copy, "sectors", "space", lambda r: r.update(colour="blue"))
        self.refused(corpus_copy, 'fixtures/sectors.json: record "space" field colour:')

    def test_a_file_that_is_not_json_is_refused(self, corpus_copy):
        (corpus_copy / FILES["sources"]).write_text("[{", encoding="utf-8")
        self.refused(corpus_copy, "fixtures/sources.json: is not valid JSON")

    def test_a_broken_file_leaves_an_already_loaded_database_as_it_was(self, corpus_copy):
        load(FIXTURES)
        edit(
            corpus_copy,
            "agreements",
            "2018-digital-partnership",
            lambda r: r.update(summary="A valid change that must not be written."),
        )
        edit(corpus_copy, "milestones", "2025-annual-summit", lambda r: r.update(year=1800))
        self.refused(corpus_copy, 'record "2025-annual-summit" field year')
        summary = Agreement.objects.get(slug="2018-digital-partnership").summary
        assert summary != "A valid change that must not be written."

    def test_the_command_reports_the_problems(self, corpus_copy):
        edit(
            corpus_copy,
            "agreements",
            "2018-digital-partnership",
            lambda r: r.update(kind="handshake"),
        )
        with pytest.raises(CommandError, match="field kind: Value 'handshake' is not a valid"):
            call_command("load_corpus", dir=corpus_copy)
