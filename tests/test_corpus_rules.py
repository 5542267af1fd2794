import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from ijtech.corpus import FILES, CorpusError, Validator
from ijtech.corpus_rules import spans

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.FIXTURES_DIR)


@pytest.fixture
def corpus(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


def edit(directory, kind, slug, change):
    path = directory / FILES[kind]
    records = json.loads(path.read_text(encoding="utf-8"))
    (record,) = [r for r in records if r["slug"] == slug]
    change(record)
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")


def problems(directory) -> list[str]:
    try:
        Validator(directory).validate()
    except CorpusError as exc:
        return exc.errors
    return []


def test_the_real_corpus_keeps_every_rule():
    assert problems(FIXTURES) == []


class TestSeeNote:
    def test_it_refuses_an_other_citation_without_its_note(self, corpus):
        edit(
            corpus,
            "milestones",
            "2021-dae-meti-civil-nuclear-meeting",
            lambda r: r["citations"][1].update(note=""),
        )
        assert problems(corpus) == [
            'fixtures/milestones.json: record "2021-dae-meti-civil-nuclear-meeting" field '
            "citations[1].note: a citation that supports 'something else (see note)' must say "
            "in its note what it supports"
        ]

    def test_a_citation_backing_a_disputed_version_needs_no_note(self, corpus):
        # Its position already says what it supports.
        edit(
            corpus,
            "milestones",
            "2000-japan-fdi-rising",
            lambda r: r["citations"][1].update(note=""),
        )
        assert problems(corpus) == []

    def test_it_refuses_a_position_that_points_to_an_empty_note(self, corpus):
        def change(record):
            record["citations"][0].update(position="2 December (see note)", note="")

        edit(corpus, "milestones", "2023-jbic-manufacturers-survey", change)
        assert any(
            'record "2023-jbic-manufacturers-survey" field citations[0].note: the position '
            "says 'see note', but the note is empty" in p
            for p in problems(corpus)
        )

    def test_it_refuses_a_summary_that_points_to_a_missing_disagreement(self, corpus):
        edit(
            corpus,
            "milestones",
            "1994-india-national-telecommunications-policy",
            lambda r: r.update(summary=r["summary"] + " They differ (see the disagreement)."),
        )
        assert problems(corpus) == [
            'fixtures/milestones.json: record "1994-india-national-telecommunications-policy" '
            "field summary: sends the reader to a disagreement it lacks"
        ]


class TestExactDate:
    def test_it_refuses_an_exact_year_that_no_quote_gives(self, corpus):
        edit(
            corpus,
            "milestones",
            "1994-india-national-telecommunications-policy",
            lambda r: r.update(year=1993),
        )
        assert problems(corpus) == [
            'fixtures/milestones.json: record "1994-india-national-telecommunications-policy" '
            "field date_qualifier: the date is given as stated, but no quote contains the year "
            "1993: quote the words that give it, or make the date approximate and say in a note "
            "where it comes from"
        ]

    def test_an_approximate_date_may_rest_on_a_note(self, corpus):
        edit(
            corpus,
            "milestones",
            "1994-india-national-telecommunications-policy",
            lambda r: r.update(year=1993, date_qualifier="circa"),
        )
        assert problems(corpus) == []

    def test_a_year_carried_by_another_citation_is_enough(self, corpus):
        # The date citation of the Fund record holds no year once cut; its amount quote does.
        def change(record):
            record["citations"][0]["supports"] = "amount"

        edit(corpus, "milestones", "2023-india-japan-fund-launch", change)
        assert problems(corpus) == []

    def test_a_forum_recommendation_takes_its_year_from_the_forum(self, corpus):
        edit(
            corpus,
            "milestones",
            "2025-proposed-japan-desk",
            lambda r: r.update(occasion=None),
        )
        assert problems(corpus) == [
            'fixtures/milestones.json: record "2025-proposed-japan-desk" field date_qualifier: '
            "the date is given as stated, but no quote contains the year 2025: quote the words "
            "that give it, or make the date approximate and say in a note where it comes from"
        ]


class TestSpans:
    @pytest.mark.parametrize(
        "text, found",
        [
            ("in the 1990-91", [(1990, 1991)]),
            ("2023–24 celebrated as Year of Tourism Exchange", [(2023, 2024)]),
            ("around seven per cent to the GDP in FY2023-2024", [(2023, 2024)]),
            ("as we commemorate 40 years of this agreement, 2025- 26 has been", [(2025, 2026)]),
            ("between 1999-00", [(1999, 2000)]),
            ("in 2014, the year 2020", []),
            ("+91-2024-5678", []),
        ],
    )
    def test_it_reads_the_spans_a_quote_gives(self, text, found):
        assert [(first, last) for first, last, _ in spans(text)] == found


class TestDeadlines:
    def test_it_refuses_a_deadline_year_no_quote_gives(self, corpus):
        edit(
            corpus,
            "milestones",
            "2025-japan-investment-pledge",
            lambda r: r.update(deadline_year=2035),
        )
        assert problems(corpus) == [
            'fixtures/milestones.json: record "2025-japan-investment-pledge" field '
            "deadline_year: no quote gives the year 2035: mark the deadline as derived "
            "(deadline_derived) and give the source's words for it in deadline_text"
        ]

    def test_a_derived_deadline_with_the_sources_words_is_accepted(self, corpus):
        edit(
            corpus,
            "milestones",
            "2025-japan-investment-pledge",
            lambda r: r.update(deadline_year=2035, deadline_derived=True),
        )
        assert problems(corpus) == []


class TestSpanStoredAsExact:
    def test_it_refuses_a_span_stored_as_an_exact_year(self, corpus):
        edit(
            corpus,
            "milestones",
            "1990-india-globalization-policy",
            lambda r: r.update(date_qualifier="exact", year_end=None),
        )
        assert problems(corpus) == [
            'fixtures/milestones.json: record "1990-india-globalization-policy" field '
            "citations[0].quote: gives the span 1990-1991, but the record's date is stored as "
            "an exact 1990: store it as a span"
        ]

    def test_a_span_beside_the_records_year_is_not_its_span(self, corpus):
        # "In the year 2022, it followed an upward movement ... as estimated for 2023-2024."
        def change(record):
            record.update(date_qualifier="exact", year=2022, year_end=None)
            record["citations"][0]["supports"] = "date"

        edit(corpus, "milestones", "2023-japan-fdi-estimate", change)
        assert problems(corpus) == []
