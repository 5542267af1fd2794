"""The content version: bumped by every change the public can see, and by nothing else."""

import pytest
from django.core.management import call_command
from django.db import transaction

from agreements.models import AgreementParty
from ijtech import content_version
from ijtech.models import ContentVersion, Disagreement, EditorialStatus, Source
from tests.factories import DRAFT, add_actor, add_agreement, add_milestone, add_sector, cite

pytestmark = pytest.mark.django_db


def n() -> int:
    return ContentVersion.objects.get(pk=1).n


@pytest.fixture
def record(source):
    agreement = add_agreement("deal", sectors=[])
    cite(agreement, source)
    return agreement


@pytest.fixture
def draft(source):
    agreement = add_agreement("draft-deal", DRAFT)
    cite(agreement, source)
    return agreement


def bumps(change) -> int:
    before = n()
    change()
    return n() - before


class TestRecords:
    def test_saving_a_published_record_bumps(self, record):
        record.title = "Renamed"
        assert bumps(record.save) == 1

    def test_saving_a_draft_does_not(self, draft):
        draft.title = "Renamed"
        assert bumps(draft.save) == 0
        assert bumps(lambda: add_milestone("new-draft", DRAFT)) == 0

    def test_publishing_and_unpublishing_bump(self, draft):
        assert bumps(draft.publish) == 1
        assert bumps(lambda: draft.move_to(EditorialStatus.DRAFT)) == 1
        # Now a draft again: its edits are private.
        assert bumps(draft.save) == 0

    def test_unpublishing_a_record_read_from_the_database_bumps(self, record):
        fresh = type(record).objects.get(pk=record.pk)
        assert bumps(lambda: fresh.move_to(EditorialStatus.IN_REVIEW)) == 1

    def test_deleting_a_published_record_bumps_and_a_draft_does_not(self, record, draft):
        assert bumps(lambda: type(draft).objects.get(pk=draft.pk).delete()) == 0
        assert bumps(lambda: type(record).objects.get(pk=record.pk).delete()) >= 1


class TestWhatRecordsShow:
    def test_citations_and_disagreements_of_public_records_bump(self, record, draft, source):
        assert bumps(lambda: cite(record, source, locator="Chapter 2")) == 1
        assert bumps(lambda: cite(draft, source, locator="Chapter 2")) == 0
        assert bumps(lambda: record.citations.last().delete()) == 1
        dispute = lambda target: Disagreement.objects.create(  # noqa: E731
            target=target, aspect="date", explanation="The sources differ."
        )
        assert bumps(lambda: dispute(record)) == 1
        assert bumps(lambda: dispute(draft)) == 0

    def test_sectors_tags_and_party_links_of_public_records_bump(self, record, draft):
        space = add_sector("space")
        isro = add_actor("isro")
        assert bumps(lambda: record.sectors.add(space)) == 1
        assert bumps(lambda: draft.sectors.add(space)) == 0
        # From the other side of the relation, too.
        assert bumps(lambda: space.agreements.remove(record)) == 1
        assert bumps(lambda: record.tags.add("5g")) >= 1
        assert bumps(lambda: draft.tags.add("5g")) == 0
        link = lambda target: AgreementParty.objects.create(  # noqa: E731
            agreement=target, actor=isro, role="signatory"
        )
        assert bumps(lambda: link(record)) == 1
        assert bumps(lambda: link(draft)) == 0

    def test_sources_sectors_and_tags_themselves_bump(self, source):
        assert bumps(lambda: add_sector("digital")) == 1
        source.title = "A Renamed Report"
        assert bumps(source.save) == 1
        assert bumps(lambda: Source.objects.get(pk=source.pk).delete()) == 1

    def test_the_watched_models_are_found_from_the_records_relations(self):
        models, through_tables = content_version.watched()
        labels = {m._meta.label for m in models}
        assert {
            "agreements.AgreementParty",
            "ijtech.Citation",
            "ijtech.Disagreement",
            "ijtech.Source",
            "sectors.Sector",
            "taggit.Tag",
            "taggit.TaggedItem",
        } <= labels
        # Bookkeeping is not content.
        assert not labels & {"ijtech.SearchEntry", "ijtech.CorpusSync", "auth.User"}
        assert "agreements.Agreement_sectors" in {t._meta.label for t in through_tables}


class TestTransactions:
    def test_a_rolled_back_change_bumps_nothing(self, record):
        before = n()
        with pytest.raises(RuntimeError), transaction.atomic():
            record.title = "Never saved"
            record.save()
            assert n() == before + 1
            raise RuntimeError
        assert n() == before

    def test_the_bump_is_read_back_within_the_transaction(self, record):
        version = content_version.bump()
        assert content_version.current() == version
        assert (version.n, version.changed_at) == (n(), ContentVersion.objects.get().changed_at)

    def test_a_bump_recreates_a_missing_row(self):
        ContentVersion.objects.all().delete()
        assert content_version.bump().n == 1
        assert n() == 1


class TestBulkPaths:
    def test_a_corpus_load_bumps_once(self, db):
        before = n()
        call_command("load_corpus", verbosity=0)
        assert n() == before + 1
        # Loading the same files again changes nothing.
        call_command("load_corpus", verbosity=0)
        assert n() == before + 1

    def test_generate_corpus_bumps(self, db):
        before = n()
        call_command("generate_corpus", milestones=5, verbosity=0)
        assert n() > before
