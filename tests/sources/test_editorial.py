"""The editorial workflow: publishing needs a citation; no stale save."""

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement
from ijtech.models import ConcurrentEditError, EditorialStatus
from tests.factories import DRAFT, add_agreement, cite

pytestmark = pytest.mark.django_db


class TestPublishing:
    def test_publishing_without_a_citation_is_refused(self):
        agreement = add_agreement(editorial=DRAFT)
        with pytest.raises(ValidationError, match="at least one citation"):
            agreement.publish()
        agreement.refresh_from_db()
        assert agreement.editorial_status == EditorialStatus.DRAFT

    def test_clean_refuses_a_published_record_without_a_citation(self):
        agreement = add_agreement(editorial=DRAFT)
        agreement.editorial_status = EditorialStatus.PUBLISHED
        with pytest.raises(ValidationError) as exc:
            agreement.full_clean()
        assert "editorial_status" in exc.value.message_dict

    def test_clean_reports_date_and_citation_problems_together(self):
        agreement = add_agreement(editorial=DRAFT)
        agreement.editorial_status = EditorialStatus.PUBLISHED
        agreement.month, agreement.day = 2, 30
        with pytest.raises(ValidationError) as exc:
            agreement.full_clean()
        assert {"day", "editorial_status"} <= set(exc.value.message_dict)

    def test_a_cited_record_can_be_published(self, source):
        agreement = add_agreement(editorial=DRAFT)
        cite(agreement, source)
        agreement.publish()
        assert Agreement.objects.published().get() == agreement

    def test_published_hides_drafts_and_records_in_review(self, source):
        add_agreement("draft", editorial=DRAFT)
        add_agreement("review", editorial=EditorialStatus.IN_REVIEW)
        live = add_agreement("live", editorial=DRAFT)
        cite(live, source)
        live.publish()
        assert list(Agreement.objects.published()) == [live]


class TestVersions:
    def test_a_stale_copy_cannot_overwrite_a_newer_save(self):
        agreement = add_agreement(summary="first", editorial=DRAFT)
        stale = Agreement.objects.get(pk=agreement.pk)
        agreement.summary = "second"
        agreement.save()
        stale.summary = "stale"
        with pytest.raises(ConcurrentEditError):
            stale.save()
        agreement.refresh_from_db()
        assert agreement.summary == "second"
        assert agreement.version == 2
