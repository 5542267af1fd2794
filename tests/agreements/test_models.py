"""What the agreement and milestone models refuse and keep."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, Milestone
from tests.factories import DRAFT, add_agreement, add_milestone, violates

pytestmark = pytest.mark.django_db


class TestConstraints:
    def test_slugs_are_unique(self):
        add_agreement("2018-digital-partnership", editorial=DRAFT)
        violates(Agreement, title="Other", slug="2018-digital-partnership", kind="mou", year=2019)

    def test_clean_reports_a_duplicate_slug_in_words(self):
        add_agreement("2018-digital-partnership", editorial=DRAFT)
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
        pledge = add_milestone(
            "2025-investment-pledge",
            kind="pledge",
            amount=Decimal("10"),
            unit="trillion JPY",
            deadline_year=2035,
            editorial=DRAFT,
        )
        pledge.full_clean()
        pledge.refresh_from_db()
        assert (pledge.amount, pledge.unit, pledge.deadline_year) == (10, "trillion JPY", 2035)
