"""Partial dates: sources say "1985", "October 2020", "8 December 2020" or "the 1960s"."""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ijtech.validation import run_checks


class DateQualifier(models.TextChoices):
    EXACT = "exact", "As stated"
    CIRCA = "circa", "About (circa)"
    DECADE = "decade", "Decade"
    SPAN = "span", "Span of years"


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    CIRCA = "circa", "About a year"
    DECADE = "decade", "Decade"
    SPAN = "span", "Span of years"


MIN_YEAR = 1900
MAX_YEAR = 2100
# "1990-91", "FY 2023-24", "2021-2025 plan": a source's span is short; a longer one is a typo.
MAX_SPAN_YEARS = 20

SPAN_NEEDS_END_MESSAGE = (
    f"A span of years needs an end year after the start year, at most {MAX_SPAN_YEARS} years later."
)
END_ONLY_FOR_SPAN_MESSAGE = (
    "An end year is only for a span of years; choose 'Span of years' or leave it empty."
)


QUALIFIED_YEAR_ONLY_MESSAGE = (
    "An approximate date, a decade or a span of years cannot have a month or day."
)
YEAR_IN_RANGE_MESSAGE = f"The year must be between {MIN_YEAR} and {MAX_YEAR}."
MONTH_IN_RANGE_MESSAGE = "The month must be between 1 and 12."
MONTH_NEEDS_YEAR_MESSAGE = "A month needs a year and must be between 1 and 12."
DAY_NEEDS_MONTH_MESSAGE = "A day can only be given together with a month."


def month_day_constraints(prefix: str, year_optional=False) -> list[models.BaseConstraint]:
    """The month and day checks of a year, month and day; `year_optional` for an undated row."""
    if year_optional:
        month = models.CheckConstraint(
            condition=Q(month__isnull=True) | Q(year__isnull=False, month__gte=1, month__lte=12),
            name=f"{prefix}_month_needs_year",
            violation_error_message=MONTH_NEEDS_YEAR_MESSAGE,
        )
    else:
        month = models.CheckConstraint(
            condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
            name=f"{prefix}_month_in_range",
            violation_error_message=MONTH_IN_RANGE_MESSAGE,
        )
    day = models.CheckConstraint(
        condition=Q(day__isnull=True) | Q(month__isnull=False, day__gte=1, day__lte=31),
        name=f"{prefix}_day_needs_month",
        violation_error_message=DAY_NEEDS_MONTH_MESSAGE,
    )
    return [month, day]


def date_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The named CheckConstraints every model with a partial date carries."""
    return [
        models.CheckConstraint(
            condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
            name=f"{prefix}_year_in_range",
            violation_error_message=YEAR_IN_RANGE_MESSAGE,
        ),
        *month_day_constraints(prefix),
        models.CheckConstraint(
            condition=Q(date_qualifier=DateQualifier.EXACT) | Q(month__isnull=True),
            name=f"{prefix}_qualified_date_is_year_only",
            violation_error_message=QUALIFIED_YEAR_ONLY_MESSAGE,
        ),
        models.CheckConstraint(
            condition=~Q(date_qualifier=DateQualifier.SPAN)
            # isnull: a comparison with NULL is unknown, which a CHECK lets through.
            | Q(
                year_end__isnull=False,
                year_end__gt=F("year"),
                year_end__lte=F("year") + MAX_SPAN_YEARS,
            ),
            name=f"{prefix}_span_has_end_year",
            violation_error_message=SPAN_NEEDS_END_MESSAGE,
        ),
        models.CheckConstraint(
            condition=Q(date_qualifier=DateQualifier.SPAN) | Q(year_end__isnull=True),
            name=f"{prefix}_end_year_only_for_span",
            violation_error_message=END_ONLY_FOR_SPAN_MESSAGE,
        ),
    ]


CHRONOLOGICAL = [F("year").asc(), F("month").asc(nulls_first=True), F("day").asc(nulls_first=True)]
REVERSE_CHRONOLOGICAL = [
    F("year").desc(),
    F("month").desc(nulls_last=True),
    F("day").desc(nulls_last=True),
]


class PartialDateMixin:
    """A partial date as text, ISO/EDTF and CSL date-parts, from its year, month, day,
    date_qualifier and year_end: the model fields below, or a CalendarDate."""

    @property
    def precision(self) -> str:
        if self.date_qualifier == DateQualifier.SPAN:
            return Precision.SPAN
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
        return format_partial_date(
            self.year, self.month, self.day, self.date_qualifier, self.year_end
        )

    @property
    def date_iso(self) -> str:
        """ISO 8601 reduced precision, with the EDTF marks for 'about' (~) and decades (X),
        and the EDTF interval (1990/1991) for a span."""
        if self.date_qualifier == DateQualifier.SPAN:
            return f"{self.year:04d}/{self.year_end:04d}"
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


class PartialDate(PartialDateMixin, models.Model):
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
        "(enter the decade's first year); 'Span of years' for '1990-91' or 'FY 2023-24' "
        "(enter the first year here and the last in 'to year').",
    )
    year_end = models.PositiveSmallIntegerField(
        "to year",
        null=True,
        blank=True,
        help_text="Only for a span of years: its last year (1991 for '1990-91').",
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
            raise ValidationError({"year": YEAR_IN_RANGE_MESSAGE})
        if self.day is not None and self.month is None:
            errors["day"] = DAY_NEEDS_MONTH_MESSAGE
        elif self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = MONTH_IN_RANGE_MESSAGE
        elif self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                errors["day"] = (
                    f"{calendar.month_name[self.month]} {self.year} has no day {self.day}."
                )
        if self.date_qualifier != DateQualifier.EXACT and (self.month or self.day):
            errors["date_qualifier"] = QUALIFIED_YEAR_ONLY_MESSAGE
        if self.date_qualifier == DateQualifier.DECADE and self.year % 10:
            errors["year"] = (
                f"A decade starts on a year ending in 0, such as {self.year // 10 * 10}."
            )
        if self.date_qualifier == DateQualifier.SPAN:
            if self.year_end is None or not (
                self.year < self.year_end <= self.year + MAX_SPAN_YEARS
            ):
                errors["year_end"] = SPAN_NEEDS_END_MESSAGE
        elif self.year_end is not None:
            errors["year_end"] = END_ONLY_FOR_SPAN_MESSAGE
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class CalendarDate(PartialDateMixin):
    """A full calendar date in the shape of a partial date, e.g. a record's last change."""

    year: int
    month: int
    day: int
    date_qualifier = DateQualifier.EXACT
    year_end = None

    @classmethod
    def of(cls, date: datetime.date) -> "CalendarDate":
        return cls(date.year, date.month, date.day)


@dataclass(frozen=True)
class StatedDate(PartialDateMixin):
    """A date as precise as stated, without qualifiers: a source's publication date."""

    year: int
    month: int | None = None
    day: int | None = None
    date_qualifier = DateQualifier.EXACT
    year_end = None


def format_span(year: int, year_end: int) -> str:
    """'1990–91' within a century, '1999–2001' across one: the end's century is never guessed."""
    if year // 100 == year_end // 100:
        return f"{year}–{year_end % 100:02d}"
    return f"{year}–{year_end}"


def format_partial_date(
    year, month=None, day=None, qualifier=DateQualifier.EXACT, year_end=None
) -> str:
    if year is None:
        return "undated"
    if qualifier == DateQualifier.SPAN and year_end:
        return format_span(year, year_end)
    if qualifier == DateQualifier.DECADE:
        return f"the {year}s"
    if qualifier == DateQualifier.CIRCA:
        return f"about {year}"
    if month and day:
        return f"{day} {calendar.month_name[month]} {year}"
    if month:
        return f"{calendar.month_name[month]} {year}"
    return str(year)
