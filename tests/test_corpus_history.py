"""The corpus load leaves history of everything it writes, attributed to the load: the
records with their citations, parties, sectors and tags, and the citation and party rows."""

import copy

import pytest
from django.contrib.contenttypes.models import ContentType

from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.corpus import load
from ijtech.models import Citation
from ijtech.review import CORPUS_LOAD
from tests.test_corpus_loader import SMALL_CORPUS, write_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path):
    load(write_corpus(tmp_path / "first"))
    return tmp_path


def test_every_citation_and_party_row_has_a_history_row_of_the_load(loaded):
    assert Citation.objects.count() == 5
    assert AgreementParty.objects.count() == 2
    for model in (Citation, AgreementParty):
        rows = model.history.all()
        assert rows.count() == model.objects.count()
        assert {(r.history_type, r.history_change_reason, r.history_user) for r in rows} == {
            ("+", CORPUS_LOAD, None)
        }


def test_each_records_version_carries_its_relations(loaded):
    agreement = Agreement.objects.get(slug="agreement-one")
    latest = agreement.history.first()
    assert latest.history_change_reason == CORPUS_LOAD
    assert latest.history_user is None
    assert [c["locator"] for c in latest.relations["citations"]] == ["Chapter 1"]
    assert sorted(p["label"] for p in latest.relations["parties"]) == [
        "Agency C (Signatory)",
        "Ministry A (Signatory)",
    ]
    assert [label for _, label in latest.relations["sectors"]] == ["Clean energy", "Hydrogen"]
    assert latest.relations["tags"] == ["energy"]
    milestone = Milestone.objects.get(slug="milestone-one").history.first()
    assert [label for _, label in milestone.relations["actors"]] == ["Agency B"]


def test_a_reload_that_changes_a_citation_records_the_old_and_new_rows(loaded):
    corpus = copy.deepcopy(SMALL_CORPUS)
    corpus["agreements"][0]["citations"][0]["locator"] = "Chapter 2"
    load(write_corpus(loaded / "second", corpus), discard_edits=True)
    agreement = Agreement.objects.get(slug="agreement-one")
    rows = Citation.history.filter(
        content_type=ContentType.objects.get_for_model(Agreement), object_id=agreement.pk
    ).order_by("history_id")
    assert [(r.history_type, r.locator) for r in rows] == [
        ("+", "Chapter 1"),
        ("-", "Chapter 1"),
        ("+", "Chapter 2"),
    ]
    # Every version of the record carries its citations; the first load's (its save and
    # its sector links) the old locator, the second load's the new one.
    versions = list(agreement.history.order_by("history_id"))
    locators = [v.relations["citations"][0]["locator"] for v in versions]
    assert locators[0] == "Chapter 1"
    assert locators[-1] == "Chapter 2"
    assert versions[-1].history_change_reason == CORPUS_LOAD
