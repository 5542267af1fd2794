from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Agreement, Milestone
from ijtech.dates import Precision
from ijtech.models import Citation, ConcurrentEditError, EditorialStatus
from sectors.models import Sector
from tests.conftest import cite, make_agreement, make_milestone

pytestmark = pytest.mark.django_db


def violates(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


class TestPartialDates:
    @pytest.mark.parametrize(
        ("parts", "display", "precision", "iso"),
        [
            ({"year": 1985}, "1985", Precision.YEAR, "1985"),
            ({"year": 2020, "month": 10}, "October 2020", Precision.MONTH, "2020-10"),
            ({"year": 2020, "month": 12, "day": 8}, "8 December 2020", Precision.DAY, "2020-12-08"),
            ({"year": 2020, "date_qualifier": "circa"}, "about 2020", Precision.CIRCA, "2020~"),
            ({"year": 1960, "date_qualifier": "decade"}, "the 1960s", Precision.DECADE, "196X"),
        ],
    )
    def test_it_shows_exactly_what_is_known(self, parts, display, precision, iso):
        agreement = Agreement(title="x", slug="x", kind="mou", **parts)
        agreement.clean_date()
        assert agreement.date_display == display
        assert agreement.precision == precision
        assert agreement.date_iso == iso

    def test_it_refuses_a_day_without_a_month(self):
        with pytest.raises(ValidationError) as exc:
            Agreement(title="x", slug="x", kind="mou", year=2020, day=8).clean_date()
        assert "day" in exc.value.message_dict

    def test_it_refuses_a_day_the_month_does_not_have(self):
        with pytest.raises(ValidationError, match="February 2021 has no day 29"):
            Agreement(title="x", slug="x", kind="mou", year=2021, month=2, day=29).clean_date()

    def test_it_refuses_a_decade_that_does_not_start_a_decade(self):
        with pytest.raises(ValidationError, match="1960"):
            Agreement(
                title="x", slug="x", kind="mou", year=1965, date_qualifier="decade"
            ).clean_date()

    def test_the_database_refuses_a_day_without_a_month(self):
        violates(Agreement, title="x", slug="x", kind="mou", year=2020, day=8)

    def test_the_database_refuses_a_month_out_of_range(self):
        violates(Agreement, title="x", slug="x", kind="mou", year=2020, month=13)

    def test_the_database_refuses_an_approximate_date_with_a_month(self):
        violates(
            Milestone,
            title="x",
            slug="x",
            kind="other",
            year=2020,
            month=3,
            date_qualifier="circa",
        )

    def test_it_sorts_by_year_then_known_month_and_day(self):
        make_agreement("b", year=2020, month=10)
        make_agreement("a", year=2020)
        make_agreement("c", year=2020, month=10, day=8)
        make_agreement("d", year=1985)
        assert list(Agreement.objects.values_list("slug", flat=True)) == ["d", "a", "b", "c"]


class TestConstraints:
    def test_slugs_are_unique(self):
        make_agreement("2018-digital-partnership")
        violates(Agreement, title="Other", slug="2018-digital-partnership", kind="mou", year=2019)

    def test_clean_reports_a_duplicate_slug_in_words(self):
        make_agreement("2018-digital-partnership")
        duplicate = Agreement(title="Other", slug="2018-digital-partnership", kind="mou", year=2019)
        with pytest.raises(ValidationError, match="Another agreement already uses this slug"):
            duplicate.full_clean()

    def test_a_deadline_cannot_come_before_the_date(self):
        violates(
            Milestone,
            title="x",
            slug="x",
            kind="pledge",
            year=2025,
            deadline_year=2020,
            amount=Decimal("1"),
            unit="trillion JPY",
        )
        milestone = Milestone(title="x", slug="x", kind="pledge", year=2025, deadline_year=2020)
        with pytest.raises(ValidationError) as exc:
            milestone.full_clean()
        assert "deadline_year" in exc.value.message_dict

    def test_an_amount_needs_a_unit(self):
        violates(Milestone, title="x", slug="x", kind="pledge", year=2025, amount=Decimal("10"))

    def test_a_pledge_keeps_amount_unit_and_deadline(self):
        pledge = make_milestone(
            "2025-investment-pledge",
            kind="pledge",
            amount=Decimal("10"),
            unit="trillion JPY",
            deadline_year=2035,
        )
        pledge.full_clean()
        pledge.refresh_from_db()
        assert (pledge.amount, pledge.unit, pledge.deadline_year) == (10, "trillion JPY", 2035)

    def test_sectors_nest_only_one_level(self):
        top = Sector.objects.create(name="Energy", slug="energy")
        child = Sector.objects.create(name="Hydrogen", slug="hydrogen", parent=top)
        grandchild = Sector(name="Green", slug="green", parent=child)
        with pytest.raises(ValidationError, match="one level deep"):
            grandchild.full_clean()

    def test_a_quote_is_at_most_25_words(self, source):
        agreement = make_agreement()
        citation = Citation(target=agreement, source=source, locator="Ch. 1", quote="word " * 26)
        with pytest.raises(ValidationError, match="at most 25 words; this one has 26"):
            citation.full_clean()
        citation.quote = "word " * 25
        citation.full_clean()

    def test_a_position_needs_a_disagreement(self, source):
        agreement = make_agreement()
        with pytest.raises(IntegrityError), transaction.atomic():
            cite(agreement, source, position="an MoU")


class TestPublishing:
    def test_publishing_without_a_citation_is_refused(self):
        agreement = make_agreement()
        with pytest.raises(ValidationError, match="at least one citation"):
            agreement.publish()
        agreement.refresh_from_db()
        assert agreement.editorial_status == EditorialStatus.DRAFT

    def test_clean_refuses_a_published_record_without_a_citation(self):
        agreement = make_agreement()
        agreement.editorial_status = EditorialStatus.PUBLISHED
        with pytest.raises(ValidationError) as exc:
            agreement.full_clean()
        assert "editorial_status" in exc.value.message_dict

    def test_clean_reports_date_and_citation_problems_together(self):
        agreement = make_agreement()
        agreement.editorial_status = EditorialStatus.PUBLISHED
        agreement.month, agreement.day = 2, 30
        with pytest.raises(ValidationError) as exc:
            agreement.full_clean()
        assert {"day", "editorial_status"} <= set(exc.value.message_dict)

    def test_a_cited_record_can_be_published(self, source):
        agreement = make_agreement()
        cite(agreement, source)
        agreement.publish()
        assert Agreement.objects.published().get() == agreement

    def test_published_hides_drafts_and_records_in_review(self, source):
        make_agreement("draft")
        make_agreement("review", status=EditorialStatus.IN_REVIEW)
        live = make_agreement("live")
        cite(live, source)
        live.publish()
        assert list(Agreement.objects.published()) == [live]


class TestVersions:
    def test_a_stale_copy_cannot_overwrite_a_newer_save(self):
        agreement = make_agreement(summary="first")
        stale = Agreement.objects.get(pk=agreement.pk)
        agreement.summary = "second"
        agreement.save()
        stale.summary = "stale"
        with pytest.raises(ConcurrentEditError):
            stale.save()
        agreement.refresh_from_db()
        assert agreement.summary == "second"
        assert agreement.version == 2
