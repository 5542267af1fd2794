"""Spans of years ("1990-91", "FY 2023-24") and deadlines the sources give only in words."""

import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.corpus import CorpusError, load
from ijtech.dates import Precision
from tests.factories import add_milestone, body, cite, edit, shown, times

pytestmark = pytest.mark.django_db

LIST = "/milestones/"
TIMELINE = "/milestones/timeline/"


def violates(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def errors_of(record) -> dict:
    with pytest.raises(ValidationError) as exc:
        record.full_clean()
    return exc.value.message_dict


def span(**kw):
    kw.setdefault("title", "x")
    kw.setdefault("slug", "x")
    kw.setdefault("kind", "mou")
    kw.setdefault("year", 1990)
    kw.setdefault("date_qualifier", "span")
    return Agreement(**kw)


class TestSpanOfYears:
    @pytest.mark.parametrize(
        ("year", "year_end", "display", "iso"),
        [
            (1990, 1991, "1990–91", "1990/1991"),
            (2023, 2024, "2023–24", "2023/2024"),
            (1999, 2001, "1999–2001", "1999/2001"),
        ],
    )
    def test_it_shows_the_span_as_the_source_gives_it(self, year, year_end, display, iso):
        record = span(year=year, year_end=year_end)
        record.clean_date()
        assert record.date_display == display
        assert record.date_iso == iso
        assert record.precision == Precision.SPAN

    def test_it_refuses_a_span_without_an_end_year(self):
        assert "year_end" in errors_of(span(year_end=None))
        violates(Agreement, title="x", slug="x", kind="mou", year=1990, date_qualifier="span")

    def test_it_refuses_an_end_year_without_a_span(self):
        record = span(date_qualifier="exact", year_end=1991)
        assert errors_of(record)["year_end"] == [
            "An end year is only for a span of years; choose 'Span of years' or leave it empty."
        ]
        violates(Agreement, title="x", slug="x", kind="mou", year=1990, year_end=1991)

    @pytest.mark.parametrize("year_end", [1990, 1989, 2011])
    def test_it_refuses_an_end_year_not_after_the_start_or_too_far(self, year_end):
        assert "year_end" in errors_of(span(year_end=year_end))
        violates(
            Agreement,
            title="x",
            slug="x",
            kind="mou",
            year=1990,
            year_end=year_end,
            date_qualifier="span",
        )

    def test_it_refuses_a_span_with_a_month(self):
        assert "date_qualifier" in errors_of(span(year_end=1991, month=4))
        violates(
            Milestone,
            title="x",
            slug="x",
            kind="other",
            year=1990,
            month=4,
            year_end=1991,
            date_qualifier="span",
        )

    def test_a_span_sorts_by_its_start_year(self):
        for slug, parts in [
            ("b", {"year": 1991}),
            ("a", {"year": 1990, "year_end": 1992, "date_qualifier": "span"}),
            ("c", {"year": 1989}),
        ]:
            Agreement.objects.create(title=slug, slug=slug, kind="mou", **parts)
        assert list(Agreement.objects.values_list("slug", flat=True)) == ["c", "a", "b"]


@pytest.fixture
def spans(db):
    add_milestone("1990-91-exchange", year=1990, year_end=1991, date_qualifier="span")
    add_milestone("1989-visit", year=1989)
    add_milestone("1991-visit", year=1991)
    add_milestone("1992-visit", year=1992)


class TestSpansInYearFilters:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"year": "1991"}, ["1991-visit", "1990-91-exchange"]),
            ({"year": "1990"}, ["1990-91-exchange"]),
            ({"year_from": "1991"}, ["1992-visit", "1991-visit", "1990-91-exchange"]),
            ({"year_to": "1990"}, ["1990-91-exchange", "1989-visit"]),
            ({"year_from": "1992"}, ["1992-visit"]),
            ({"year_to": "1989"}, ["1989-visit"]),
        ],
    )
    def test_a_span_matches_every_year_it_covers(self, client, spans, params, expected):
        assert shown(client.get(LIST, params)) == expected

    def test_the_timeline_lists_a_span_under_the_chosen_year(self, client, spans):
        response = client.get(TIMELINE, {"year": "1991"})
        years = {y: [m.slug for m in s["records"]] for y, s in response.context["years"]}
        assert years == {1991: ["1990-91-exchange", "1991-visit"]}

    def test_the_whole_timeline_lists_a_span_under_its_start_year(self, client, spans):
        response = client.get(TIMELINE)
        years = {y: [m.slug for m in s["records"]] for y, s in response.context["years"]}
        assert years[1990] == ["1990-91-exchange"]
        # The page's <time> carries the start year: "1990/1991" is not an HTML date.
        assert times(response)["1990–91"] == "1990"

    def test_the_api_filters_and_shows_spans_alike(self, client, spans):
        response = client.get("/api/milestones/", {"year": "1991"})
        records = {r["slug"]: r for r in response.json()["results"]}
        assert set(records) == {"1991-visit", "1990-91-exchange"}
        date = records["1990-91-exchange"]["date"]
        assert (date["year"], date["year_end"], date["qualifier"]) == (1990, 1991, "span")
        assert (date["display"], date["iso"], date["precision"]) == ("1990–91", "1990/1991", "span")


def pledge(**kw):
    kw.setdefault("title", "x")
    kw.setdefault("slug", "x")
    kw.setdefault("kind", "pledge")
    kw.setdefault("year", 2025)
    return Milestone(**kw)


class TestDeadlinesInWords:
    def test_a_derived_deadline_says_where_it_came_from(self):
        record = pledge(
            deadline_year=2035, deadline_text="over the next decade", deadline_derived=True
        )
        record.full_clean()
        assert record.deadline_display == (
            "by about 2035, derived from “over the next decade” counted from 2025"
        )

    @pytest.mark.parametrize(
        ("fields", "display"),
        [
            ({"deadline_text": "over the next decade"}, "“over the next decade”"),
            ({"deadline_year": 2030}, "2030"),
            ({"deadline_year": 2030, "deadline_text": "by 2030"}, "2030 (“by 2030”)"),
            ({}, ""),
        ],
    )
    def test_a_stated_deadline_is_shown_as_stated(self, fields, display):
        record = pledge(**fields)
        record.full_clean()
        assert record.deadline_display == display

    def test_it_refuses_a_derived_deadline_without_the_sources_words(self):
        assert errors_of(pledge(deadline_year=2035, deadline_derived=True))["deadline_text"] == [
            "Give the source's words for a derived deadline, e.g. 'over the next decade'."
        ]
        violates(Milestone, title="x", slug="x", kind="pledge", year=2025, deadline_year=2035,
                 deadline_derived=True)  # fmt: skip

    def test_it_refuses_a_derived_deadline_without_a_year(self):
        record = pledge(deadline_text="over five years", deadline_derived=True)
        assert errors_of(record)["deadline_year"] == [
            "A derived deadline needs the year it was derived as; otherwise untick 'derived'."
        ]
        violates(Milestone, title="x", slug="x", kind="pledge", year=2025,
                 deadline_text="over five years", deadline_derived=True)  # fmt: skip


@pytest.fixture
def derived(db, source):
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(Agreement, Milestone, Actor)
    record = add_milestone(
        "2025-investment-pledge",
        "draft",
        kind="pledge",
        amount=Decimal("10"),
        unit="trillion JPY",
        deadline_year=2035,
        deadline_text="over the next decade",
        deadline_derived=True,
    )
    cite(record, source)
    record.publish()
    return record


class TestDeadlinesOnPages:
    DISPLAY = "by about 2035, derived from “over the next decade” counted from 2025"

    def test_the_milestone_page_shows_the_derived_deadline(self, client, derived):
        html = client.get(reverse("milestones:detail", args=[derived.slug])).content.decode()
        assert f"<dt>Deadline</dt><dd>{self.DISPLAY}</dd>" in html

    def test_the_pledges_page_shows_the_derived_deadline(self, client, derived):
        html = client.get(reverse("pledges")).content.decode()
        assert f"<td>{self.DISPLAY}</td>" in html

    def test_the_api_and_exports_carry_the_deadline_words(self, client, derived):
        record = client.get(f"/api/milestones/{derived.slug}/").json()
        assert (record["deadline_year"], record["deadline_text"], record["deadline_derived"]) == (
            2035,
            "over the next decade",
            True,
        )
        rows = json.loads(body(client.get(reverse("milestones:export", args=["json"]))))["results"]
        keys = list(rows[0])
        assert keys[keys.index("deadline_year") :][:3] == [
            "deadline_year",
            "deadline_text",
            "deadline_derived",
        ]
        assert (rows[0]["deadline_text"], rows[0]["deadline_derived"]) == (
            "over the next decade",
            True,
        )


class TestTheCorpusCodec:
    def test_it_refuses_an_end_year_without_a_span(self, corpus_copy):
        edit(
            corpus_copy, "agreements", "2018-digital-partnership", lambda r: r.update(year_end=2019)
        )
        with pytest.raises(CorpusError) as exc:
            load(corpus_copy)
        assert (
            'record "2018-digital-partnership" field year_end: An end year is only for a span'
            in str(exc.value)
        )

    def test_it_refuses_a_derived_deadline_without_words(self, corpus_copy):
        def derive(record):
            record.update(deadline_year=2035, deadline_text="", deadline_derived=True)

        edit(corpus_copy, "milestones", "2025-annual-summit", derive)
        with pytest.raises(CorpusError) as exc:
            load(corpus_copy)
        assert 'record "2025-annual-summit" field deadline_text: Give the source\'s words' in str(
            exc.value
        )

    def test_it_loads_and_dumps_a_span_and_a_derived_deadline(self, corpus_copy, tmp_path):
        from ijtech.corpus import dump

        edit(corpus_copy, "agreements", "2018-digital-partnership",
             lambda r: r.update(year=2018, year_end=2019, date_qualifier="span", month=None,
                                day=None))  # fmt: skip
        load(corpus_copy)
        agreement = Agreement.objects.get(slug="2018-digital-partnership")
        assert (agreement.year, agreement.year_end, agreement.date_display) == (
            2018,
            2019,
            "2018–19",
        )
        dump(tmp_path / "out")
        text = (tmp_path / "out" / "agreements.json").read_text(encoding="utf-8")
        assert '"date_qualifier": "span",\n    "year_end": 2019,\n    "parties"' in text
        milestones = (tmp_path / "out" / "milestones.json").read_text(encoding="utf-8")
        assert '"deadline_text": "",\n    "deadline_derived": false,\n    "delivery_note"' in (
            milestones
        )
