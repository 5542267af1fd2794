"""Partial dates: sources say "1985", "October 2020", "8 December 2020" or "the 1960s"."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ijtech.validation import run_checks


class DateQualifier(models.TextChoices):
    EXACT = "exact", "As stated"
    CIRCA = "circa", "About (circa)"
    DECADE = "decade", "Decade"


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    CIRCA = "circa", "About a year"
    DECADE = "decade", "Decade"


MIN_YEAR = 1900
MAX_YEAR = 2100


def date_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The named CheckConstraints every model with a partial date carries."""
    return [
        models.CheckConstraint(
            condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
            name=f"{prefix}_year_in_range",
            violation_error_message=f"The year must be between {MIN_YEAR} and {MAX_YEAR}.",
        ),
        models.CheckConstraint(
            condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
            name=f"{prefix}_month_in_range",
            violation_error_message="The month must be between 1 and 12.",
        ),
        models.CheckConstraint(
            condition=Q(day__isnull=True) | Q(month__isnull=False, day__gte=1, day__lte=31),
            name=f"{prefix}_day_needs_month",
            violation_error_message="A day can only be given together with a month.",
        ),
        models.CheckConstraint(
            condition=Q(date_qualifier=DateQualifier.EXACT) | Q(month__isnull=True),
            name=f"{prefix}_qualified_date_is_year_only",
            violation_error_message="An approximate date or a decade cannot have a month or day.",
        ),
    ]


CHRONOLOGICAL = [F("year").asc(), F("month").asc(nulls_first=True), F("day").asc(nulls_first=True)]
REVERSE_CHRONOLOGICAL = [
    F("year").desc(),
    F("month").desc(nulls_last=True),
    F("day").desc(nulls_last=True),
]


class PartialDate(models.Model):
    """The year is always known; month and day only when the sources give them."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    date_qualifier = models.CharField(
        "date is",
        max_length=8,
        choices=DateQualifier,
        default=DateQualifier.EXACT,
        help_text="'About' for a source that says 'about 2020'; 'Decade' for 'the 1960s' "
        "(enter the decade's first year).",
    )

    class Meta:
        abstract = True

    def clean(self):
        run_checks(super().clean, self.clean_date)

    def clean_date(self) -> None:
        errors = {}
        if self.year is None:
            return
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError({"year": f"The year must be between {MIN_YEAR} and {MAX_YEAR}."})
        if self.day is not None and self.month is None:
            errors["day"] = "A day can only be given together with a month."
        elif self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = "The month must be between 1 and 12."
        elif self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                errors["day"] = (
                    f"{calendar.month_name[self.month]} {self.year} has no day {self.day}."
                )
        if self.date_qualifier != DateQualifier.EXACT and (self.month or self.day):
            errors["date_qualifier"] = "An approximate date or a decade cannot have a month or day."
        if self.date_qualifier == DateQualifier.DECADE and self.year % 10:
            errors["year"] = (
                f"A decade starts on a year ending in 0, such as {self.year // 10 * 10}."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def precision(self) -> str:
        if self.date_qualifier == DateQualifier.DECADE:
            return Precision.DECADE
        if self.date_qualifier == DateQualifier.CIRCA:
            return Precision.CIRCA
        if self.day:
            return Precision.DAY
        if self.month:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def date_display(self) -> str:
        return format_partial_date(self.year, self.month, self.day, self.date_qualifier)

    @property
    def date_iso(self) -> str:
        """ISO 8601 reduced precision, with the EDTF marks for 'about' (~) and decades (X)."""
        if self.date_qualifier == DateQualifier.DECADE:
            return f"{self.year // 10:03d}X"
        if self.date_qualifier == DateQualifier.CIRCA:
            return f"{self.year:04d}~"
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def date_parts(self) -> list[int]:
        return [part for part in (self.year, self.month, self.day) if part]

    @property
    def sort_date(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)


def format_partial_date(year, month=None, day=None, qualifier=DateQualifier.EXACT) -> str:
    if year is None:
        return "undated"
    if qualifier == DateQualifier.DECADE:
        return f"the {year}s"
    if qualifier == DateQualifier.CIRCA:
        return f"about {year}"
    if month and day:
        return f"{day} {calendar.month_name[month]} {year}"
    if month:
        return f"{calendar.month_name[month]} {year}"
    return str(year)
