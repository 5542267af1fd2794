"""Partial dates: as precise as known, and no more."""

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, Milestone
from ijtech.dates import Precision
from tests.factories import DRAFT, add_agreement, violates

pytestmark = pytest.mark.django_db


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
        add_agreement("b", year=2020, month=10, editorial=DRAFT)
        add_agreement("a", year=2020, editorial=DRAFT)
        add_agreement("c", year=2020, month=10, day=8, editorial=DRAFT)
        add_agreement("d", year=1985, editorial=DRAFT)
        assert list(Agreement.objects.values_list("slug", flat=True)) == ["d", "a", "b", "c"]
