"""The loader's guard against lost edits, and its refusal of malformed fixtures.

The broken-fixture cases run on a small corpus written here, so that each case loads in a
moment; the guard runs on the real corpus, whose round trip it must not disturb.
"""

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, ManagementUtility, call_command
from taggit.models import Tag

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.corpus import FILES, CorpusError, load, render, snapshot
from ijtech.models import Citation, CorpusSync, Source
from sectors.models import Sector
from tests.factories import edit

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.FIXTURES_DIR)

CITE = [{"source": "test-report", "locator": "Chapter 1"}]

SMALL_CORPUS = {
    "sources": [{"slug": "test-report", "kind": "report", "title": "A Test Report", "year": 2024}],
    "sectors": [
        {"slug": "agriculture-food", "name": "Agriculture and food"},
        {"slug": "clean-energy", "name": "Clean energy"},
        {"slug": "hydrogen", "name": "Hydrogen", "parent": "clean-energy"},
        {"slug": "digital-telecom", "name": "Digital"},
        {"slug": "artificial-intelligence", "name": "AI", "parent": "digital-telecom"},
    ],
    "actors": [
        {
            "slug": "ministry-a",
            "name": "Ministry A",
            "country": "india",
            "kind": "ministry",
            "citations": CITE,
        },
        {
            "slug": "agency-b",
            "name": "Agency B",
            "country": "india",
            "kind": "agency",
            "parent": "ministry-a",
            "citations": CITE,
        },
        {
            "slug": "agency-c",
            "name": "Agency C",
            "country": "japan",
            "kind": "agency",
            "citations": CITE,
        },
    ],
    "agreements": [
        {
            "slug": "agreement-one",
            "title": "Agreement One",
            "kind": "mou",
            "year": 2020,
            "parties": [{"actor": "ministry-a"}, {"actor": "agency-c"}],
            "sectors": ["clean-energy", "hydrogen"],
            "tags": ["energy"],
            "summary": "A test agreement.",
            # The corpus rules want a stated year in a quote.
            "citations": [{**CITE[0], "quote": "Agreement One was signed in 2020."}],
        }
    ],
    "milestones": [
        {
            "slug": "milestone-one",
            "title": "Milestone One",
            "kind": "pledge",
            "year": 2021,
            "agreement": "agreement-one",
            "actors": ["agency-b"],
            "tags": ["pledge"],
            "amount": "5",
            "unit": "billion yen",
            "citations": [{**CITE[0], "quote": "In 2021 it pledged 5 billion yen."}],
        }
    ],
}


def write_corpus(directory: Path, corpus=SMALL_CORPUS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for kind, records in corpus.items():
        (directory / FILES[kind]).write_text(json.dumps(records, indent=2), encoding="utf-8")
    return directory


def database_state():
    """What a dump would write, plus what a dump leaves out: tags, history, sync marks."""
    return (
        {kind: render(list(records.values())) for kind, records in snapshot().items()},
        sorted(Tag.objects.values_list("name", flat=True)),
        Agreement.history.count() + Milestone.history.count() + Actor.history.count(),
        Citation.history.count(),
        sorted(CorpusSync.objects.values_list("kind", "slug", "fingerprint")),
    )


@pytest.fixture
def small(tmp_path):
    """The small corpus, loaded; returns a folder holding a copy to break."""
    load(write_corpus(tmp_path / "loaded"))
    return write_corpus(tmp_path / "fixtures")


def refused(directory, *expected) -> str:
    before = database_state()
    with pytest.raises(CommandError) as exc:
        call_command("load_corpus", dir=directory, stdout=io.StringIO())
    message = str(exc.value)
    for fragment in expected:
        assert fragment in message, message
    assert "the database is unchanged" in message
    assert database_state() == before
    return message


def set_parent(kind, slug, parent):
    return kind, slug, lambda r: r.update(parent=parent)


class TestAMalformedFixture:
    """Each broken file is refused with a message naming file, record and field."""

    def test_it_refuses_a_party_named_twice(self, small):
        edit(
            small,
            "agreements",
            "agreement-one",
            lambda r: r["parties"].append({"actor": "ministry-a"}),
        )
        refused(
            small,
            'fixtures/agreements.json: record "agreement-one" field parties[',
            "names ministry-a as signatory twice",
        )

    def test_it_refuses_citations_that_are_not_a_list(self, small):
        edit(small, "agreements", "agreement-one", lambda r: r.update(citations=5))
        refused(
            small,
            'fixtures/agreements.json: record "agreement-one" field citations:',
            "must be a list of objects, not a number",
        )

    def test_it_refuses_a_citation_that_is_not_an_object(self, small):
        edit(small, "actors", "agency-c", lambda r: r.update(citations=["test-report"]))
        refused(small, 'record "agency-c" field citations[0]:', "must be an object")

    def test_it_refuses_a_citation_field_of_the_wrong_type(self, small):
        edit(small, "actors", "agency-c", lambda r: r["citations"][0].update(locator=["p. 3"]))
        refused(small, 'record "agency-c" field citations[0].locator:', "must be text")

    def test_it_refuses_a_list_where_a_slug_is_expected(self, small):
        edit(small, "actors", "agency-c", lambda r: r.update(sectors=[["clean-energy"]]))
        refused(
            small,
            'fixtures/actors.json: record "agency-c" field sectors[0]:',
            "must be a slug (text), not a list",
        )

    def test_it_refuses_a_parent_that_is_not_a_slug(self, small):
        edit(small, "sectors", "hydrogen", lambda r: r.update(parent=5))
        refused(small, 'record "hydrogen" field parent:', "must be a slug (text) or null")

    def test_it_refuses_a_slug_listed_twice(self, small):
        edit(small, "milestones", "milestone-one", lambda r: r["actors"].append("agency-b"))
        refused(small, 'record "milestone-one" field actors:', '"agency-b" appears twice')

    def test_it_refuses_a_year_written_as_text(self, small):
        edit(small, "agreements", "agreement-one", lambda r: r.update(year="2020"))
        refused(
            small,
            'record "agreement-one" field year:',
            "must be a whole number, not text",
        )

    def test_it_refuses_a_month_written_as_true(self, small):
        edit(small, "agreements", "agreement-one", lambda r: r.update(month=True))
        refused(small, 'record "agreement-one" field month:', "not true/false")

    def test_it_refuses_an_order_written_as_text(self, small):
        edit(small, "sectors", "hydrogen", lambda r: r.update(order="1"))
        refused(small, 'record "hydrogen" field order:', "must be a whole number")

    def test_it_refuses_text_given_as_a_number(self, small):
        edit(small, "agreements", "agreement-one", lambda r: r.update(summary=7))
        refused(small, 'record "agreement-one" field summary:', "must be text")

    def test_it_refuses_an_amount_that_is_a_list(self, small):
        edit(small, "milestones", "milestone-one", lambda r: r.update(amount=[5]))
        refused(small, 'record "milestone-one" field amount:', "must be a number")

    def test_it_refuses_a_file_nested_too_deeply_to_read(self, small):
        (small / FILES["milestones"]).write_text("[" * 100_000 + "]" * 100_000)
        refused(small, "fixtures/milestones.json: nests too deeply")

    def test_it_refuses_a_tag_longer_than_100_characters(self, small):
        edit(small, "agreements", "agreement-one", lambda r: r["tags"].append("t" * 101))
        refused(
            small,
            'record "agreement-one" field tags[1]:',
            "at most 100 characters (it has 101)",
        )

    @pytest.mark.parametrize("tag", ["", "   "])
    def test_it_refuses_an_empty_tag(self, small, tag):
        edit(small, "milestones", "milestone-one", lambda r: r["tags"].append(tag))
        refused(small, 'record "milestone-one" field tags[1]:', "is empty")

    def test_it_refuses_a_tag_that_is_not_text(self, small):
        edit(small, "milestones", "milestone-one", lambda r: r["tags"].append(3))
        refused(small, 'record "milestone-one" field tags[1]:', "must be text")

    def test_it_refuses_a_nul_character_in_text(self, small):
        edit(small, "agreements", "agreement-one", lambda r: r.update(title="Agree\x00ment"))
        refused(small, 'record "agreement-one" field title:', "NUL character")

    def test_it_refuses_a_nul_character_in_a_citation(self, small):
        edit(small, "actors", "agency-b", lambda r: r["citations"][0].update(note="a\x00"))
        refused(small, 'record "agency-b" field citations[0].note:', "NUL character")

    def test_the_command_exits_non_zero_with_the_message_and_no_traceback(self, small, monkeypatch):
        edit(small, "agreements", "agreement-one", lambda r: r.update(citations=5))
        # manage.py closes every connection when a command ends; the test's must stay open.
        monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
        stderr = io.StringIO()
        utility = ManagementUtility(["manage.py", "load_corpus", "--dir", str(small)])
        with pytest.raises(SystemExit) as exit_, contextlib.redirect_stderr(stderr):
            utility.execute()
        assert exit_.value.code == 1
        assert "must be a list of objects" in stderr.getvalue()
        assert "Traceback" not in stderr.getvalue()


class TestTheParentGraph:
    def test_it_refuses_a_sector_cycle(self, small):
        edit(small, "sectors", "clean-energy", lambda r: r.update(parent="agriculture-food"))
        edit(small, "sectors", "agriculture-food", lambda r: r.update(parent="clean-energy"))
        refused(
            small,
            'fixtures/sectors.json: record "agriculture-food" field parent:',
            "agriculture-food → clean-energy → agriculture-food",
        )

    def test_it_refuses_three_levels_of_sectors(self, small):
        edit(small, "sectors", "hydrogen", lambda r: r.update(parent="artificial-intelligence"))
        refused(
            small,
            'record "hydrogen" field parent:',
            "Sectors nest one level deep",
        )

    def test_it_refuses_a_sub_sector_placed_under_a_sector_that_moves_down(self, small):
        # clean-energy has a sub-sector in the database and in the file; it cannot move down.
        edit(small, "sectors", "clean-energy", lambda r: r.update(parent="agriculture-food"))
        refused(small, 'record "clean-energy" field parent:', "has sub-sectors of its own")

    def test_it_refuses_an_institution_cycle(self, small):
        edit(small, "actors", "ministry-a", lambda r: r.update(parent="agency-b"))
        refused(
            small,
            'fixtures/actors.json: record "agency-b" field parent:',
            "agency-b → ministry-a → agency-b",
        )

    def test_it_accepts_a_deep_chain_of_institutions(self, small):
        edit(small, "actors", "agency-c", lambda r: r.update(parent="agency-b"))
        call_command("load_corpus", dir=small, stdout=io.StringIO())
        assert Actor.objects.get(slug="agency-c").parent.slug == "agency-b"

    def test_a_cycle_through_a_record_only_in_the_database_is_refused(self, small):
        Actor.objects.create(slug="db-only", name="Database Only", country="japan", kind="agency")
        Actor.objects.filter(slug="db-only").update(parent=Actor.objects.get(slug="agency-c").pk)
        edit(small, "actors", "agency-c", lambda r: r.update(parent="db-only"))
        refused(small, 'record "agency-c" field parent:', "agency-c → db-only → agency-c")


class TestTheModelsRefuseCycles:
    def test_a_sector_cycle_is_refused_by_clean(self):
        top = Sector.objects.create(slug="top", name="Top")
        child = Sector.objects.create(slug="child", name="Child", parent=top)
        top.parent = child
        with pytest.raises(ValidationError, match="would make a cycle"):
            top.full_clean()

    def test_an_institution_cycle_is_refused_by_clean(self):
        a = Actor.objects.create(slug="a", name="A", country="japan", kind="agency")
        b = Actor.objects.create(slug="b", name="B", country="japan", kind="agency", parent=a)
        c = Actor.objects.create(slug="c", name="C", country="japan", kind="agency", parent=b)
        a.parent = c
        with pytest.raises(ValidationError, match="would make a cycle: a → c → b → a"):
            a.full_clean()

    def test_a_chain_without_a_cycle_is_accepted(self):
        a = Actor.objects.create(slug="a", name="A", country="japan", kind="agency")
        b = Actor.objects.create(slug="b", name="B", country="japan", kind="agency", parent=a)
        c = Actor.objects.create(slug="c", name="C", country="japan", kind="agency")
        c.parent = b
        c.full_clean()


# --- The guard against lost edits -----------------------------------------------------------


@pytest.fixture
def corpus_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def reviewer_user(db):
    return User.objects.create_user("rex", password="pw-for-tests-only", is_staff=True)


def edit_in_admin(obj, user, **changes):
    for key, value in changes.items():
        setattr(obj, key, value)
    obj._history_user = user
    obj.save()


class TestTheGuardOnASmallCorpus:
    def test_it_refuses_to_overwrite_an_edit_and_names_who_made_it(self, small, reviewer_user):
        agreement = Agreement.objects.get(slug="agreement-one")
        edit_in_admin(agreement, reviewer_user, summary="Corrected in the admin.")
        message = refused(
            small,
            'fixtures/agreements.json: record "agreement-one": changed in the database by rex',
            "manage.py dump_corpus",
            "--discard-edits",
        )
        assert "1 record" in message
        assert Agreement.objects.get(slug="agreement-one").summary == "Corrected in the admin."

    def test_it_guards_sources_and_sectors_by_their_content(self, small, reviewer_user):
        edit_in_admin(Source.objects.get(slug="test-report"), reviewer_user, title="Fixed")
        edit_in_admin(Sector.objects.get(slug="hydrogen"), reviewer_user, description="New")
        refused(
            small,
            'fixtures/sources.json: record "test-report": changed in the database by rex',
            'fixtures/sectors.json: record "hydrogen": changed in the database by rex',
        )

    def test_it_guards_an_edit_to_a_citation_alone(self, small):
        citation = Actor.objects.get(slug="agency-c").citations.get()
        citation.locator = "Chapter 2"
        citation.save()
        refused(small, 'fixtures/actors.json: record "agency-c": changed in the database')

    def test_it_guards_a_record_deleted_since_the_last_load(self, small):
        Milestone.objects.get(slug="milestone-one").delete()
        refused(small, 'record "milestone-one": deleted from the database')

    def test_it_guards_a_record_created_outside_the_corpus_with_a_corpus_slug(self, tmp_path):
        Source.objects.create(slug="test-report", kind="report", title="Made in the admin")
        corpus = write_corpus(tmp_path / "fixtures")
        refused(
            corpus, 'record "test-report": differs from the file and was never marked as in step'
        )

    def test_it_refuses_the_whole_load(self, small, reviewer_user):
        edit_in_admin(Sector.objects.get(slug="hydrogen"), reviewer_user, description="New")
        edit(small, "agreements", "agreement-one", lambda r: r.update(title="A file change"))
        refused(small, 'record "hydrogen"')
        assert Agreement.objects.get(slug="agreement-one").title == "Agreement One"

    def test_a_change_to_the_files_alone_still_loads(self, small):
        edit(small, "agreements", "agreement-one", lambda r: r.update(title="A file change"))
        call_command("load_corpus", dir=small, stdout=io.StringIO())
        assert Agreement.objects.get(slug="agreement-one").title == "A file change"

    def test_an_edit_the_files_already_hold_is_not_a_conflict(self, small, reviewer_user):
        edit_in_admin(Agreement.objects.get(slug="agreement-one"), reviewer_user, title="Same")
        edit(small, "agreements", "agreement-one", lambda r: r.update(title="Same"))
        out = io.StringIO()
        call_command("load_corpus", dir=small, stdout=out)
        assert "already matched" in out.getvalue()

    def test_the_discard_flag_loads_over_the_edit(self, small, reviewer_user):
        edit_in_admin(Agreement.objects.get(slug="agreement-one"), reviewer_user, summary="X")
        out = io.StringIO()
        call_command("load_corpus", dir=small, discard_edits=True, stdout=out)
        assert Agreement.objects.get(slug="agreement-one").summary == "A test agreement."
        assert "agreements: 0 created, 1 updated" in out.getvalue()
        # Once loaded, the files and the database are in step again.
        call_command("load_corpus", dir=small, stdout=out)

    def test_the_discard_flag_does_not_skip_validation(self, small, reviewer_user):
        edit_in_admin(Agreement.objects.get(slug="agreement-one"), reviewer_user, summary="X")
        edit(small, "agreements", "agreement-one", lambda r: r.update(year="2020"))
        with pytest.raises(CommandError, match="must be a whole number"):
            call_command("load_corpus", dir=small, discard_edits=True, stdout=io.StringIO())

    def test_dumping_first_keeps_the_edit_and_the_next_load_proceeds(self, small, reviewer_user):
        edit_in_admin(Agreement.objects.get(slug="agreement-one"), reviewer_user, summary="Kept")
        call_command("dump_corpus", dir=small, stdout=io.StringIO())
        out = io.StringIO()
        call_command("load_corpus", dir=small, stdout=out)
        assert "already matched" in out.getvalue()
        assert Agreement.objects.get(slug="agreement-one").summary == "Kept"

    def test_the_python_api_raises_a_corpus_error(self, small, reviewer_user):
        edit_in_admin(Agreement.objects.get(slug="agreement-one"), reviewer_user, summary="X")
        with pytest.raises(CorpusError, match="changed in the database by rex"):
            load(small)


class TestTheGuardOnTheRealCorpus:
    def test_an_admin_edit_is_refused_then_kept_by_a_dump(self, corpus_copy, reviewer_user):
        load(FIXTURES)
        agreement = Agreement.objects.get(slug="2018-digital-partnership")
        edit_in_admin(agreement, reviewer_user, summary="A reviewer's correction.")
        refused(
            FIXTURES,
            'fixtures/agreements.json: record "2018-digital-partnership": changed in the '
            "database by rex",
        )
        call_command("dump_corpus", dir=corpus_copy, stdout=io.StringIO())
        out = io.StringIO()
        call_command("load_corpus", dir=corpus_copy, stdout=out)
        assert "already matched" in out.getvalue()
        call_command("load_corpus", dir=FIXTURES, discard_edits=True, stdout=out)
        assert Agreement.objects.get(slug="2018-digital-partnership").summary != (
            "A reviewer's correction."
        )
        # Back in step with the files: a dump reproduces them byte for byte.
        call_command("dump_corpus", dir=corpus_copy, stdout=io.StringIO())
        for name in FILES.values():
            assert (corpus_copy / name).read_bytes() == (FIXTURES / name).read_bytes(), name
