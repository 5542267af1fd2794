"""The exports as a whole: bad filters, query counts, formula cells."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech import datapackage, exports
from ijtech.exports import flat_row, to_csv
from ijtech.models import Source
from sectors.models import Sector
from tests.factories import DRAFT, add_agreement, add_milestone, body, cite, get_json, publish


class TestBadFilters:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"year": "soon"}, "year"),
            ({"year": "1200"}, "year"),
            ({"sector": "no-such-sector"}, "sector"),
            ({"kind": "poem"}, "kind"),
            ({"year_from": 2020, "year_to": 2010}, "year_to"),
            ({"sort": "sideways"}, "sort"),
        ],
    )
    def test_invalid_filters_give_400_as_json(self, client, export_corpus, params, field):
        response = client.get(reverse("agreements:export", args=["json"]), params)
        assert response.status_code == 400
        errors = json.loads(response.content)["errors"]
        assert list(errors) == [field]
        assert all(isinstance(message, str) and message for message in errors[field])

    def test_invalid_filters_give_400_as_plain_text_for_csv(self, client, export_corpus):
        response = client.get(reverse("milestones:export", args=["csv"]), {"year": "soon"})
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "Year (year): Enter a year as four digits, e.g. 2018." in response.content.decode()

    @pytest.mark.parametrize(
        "name",
        [
            "agreements:export",
            "milestones:export",
            "actors:export",
            "sectors:export",
            "sources:export",
        ],
    )
    def test_an_unknown_format_is_not_found(self, client, db, name):
        assert client.get(reverse(name, args=["xlsx"])).status_code == 404


def add_agreements(source, sector, actor, start, n):
    for i in range(start, start + n):
        agreement = add_agreement(f"extra-{i}", year=2000 + i, editorial=DRAFT)
        agreement.sectors.add(sector)
        agreement.tags.add(f"tag-{i}")
        AgreementParty.objects.create(agreement=agreement, actor=actor)
        publish(agreement, source)


def add_milestones(source, sector, actor, start, n):
    parent = Agreement.objects.filter(slug="parent").first() or publish(
        add_agreement("parent", editorial=DRAFT), source
    )
    for i in range(start, start + n):
        milestone = add_milestone(f"extra-{i}", year=2000 + i, agreement=parent, editorial=DRAFT)
        milestone.sectors.add(sector)
        milestone.actors.add(actor)
        milestone.tags.add(f"tag-{i}")
        publish(milestone, source)


def add_actors(source, sector, actor, start, n):
    parent = actor
    for i in range(start, start + n):
        other = Actor.objects.create(
            name=f"Body {i}", slug=f"body-{i}", country="japan", kind="agency", parent=parent
        )
        other.sectors.add(sector)
        publish(other, source)


def add_sectors(source, sector, actor, start, n):
    for i in range(start, start + n):
        Sector.objects.create(name=f"Sector {i}", slug=f"sector-{i}", parent=sector)


def add_sources(source, sector, actor, start, n):
    for i in range(start, start + n):
        cite(actor, Source.objects.create(slug=f"source-{i}", title=f"S{i}", kind="report"))


class TestQueryCounts:
    """Exports cost the same number of queries for one row as for many."""

    @pytest.mark.parametrize(
        ("name", "add", "queries"),
        [
            # 1 rows, 2 sectors, 3 party links with actors, 4 tags, 5 citations with sources,
            # 6 disagreements, 7 builds on, 8 built on by, 9 supersedes, 10 superseded by
            ("agreements:export", add_agreements, 10),
            # 1 rows with agreements and occasions, 2 sectors, 3 actors, 4 tags,
            # 5 citations with sources, 6 disagreements, 7 outcomes (as in the API)
            ("milestones:export", add_milestones, 7),
            # 1 rows with parents, 2 sectors, 3 citations with sources, 4 disagreements
            ("actors:export", add_actors, 4),
            # 1 rows; 2 agreements and 3 milestones per sector, one grouped query each
            ("sectors:export", add_sectors, 3),
            # 1 rows; 2-4 citations per source from published agreements, milestones and
            # institutions, one grouped query each
            ("sources:export", add_sources, 4),
        ],
    )
    @pytest.mark.parametrize("fmt", ["csv", "json"])
    def test_queries_do_not_grow_with_rows(
        self, client, source, sector, actor, django_assert_num_queries, name, add, queries, fmt
    ):
        # Content types are cached for the process; load them before counting.
        for model in (Agreement, Milestone, Actor):
            ContentType.objects.get_for_model(model)
        url = reverse(name, args=[fmt])
        # The JSON export counts its rows first, for its "count".
        queries += fmt == "json"
        add(source, sector, actor, 0, 1)
        # The queries run as the streamed body is read.
        with django_assert_num_queries(queries):
            few = body(client.get(url))
        add(source, sector, actor, 1, 6)
        with django_assert_num_queries(queries):
            many = body(client.get(url))
        assert len(many) > len(few)

    def test_a_filter_by_slug_adds_only_its_lookup(
        self, client, source, sector, actor, django_assert_num_queries
    ):
        add_agreements(source, sector, actor, 0, 3)
        ContentType.objects.get_for_model(Agreement)
        # the sector's slug, the count of rows, then the ten queries of the export
        with django_assert_num_queries(12):
            data = get_json(client, "agreements:export", sector="space")
        assert data["count"] == 3


def test_a_cell_that_looks_like_a_formula_is_defused():
    from ijtech.exports import csv_value

    assert csv_value('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_value(["@cmd", "ok"]) == "'@cmd; ok"
    assert csv_value("Digital Partnership") == "Digital Partnership"
    assert csv_value(2018) == "2018"


class TestStreaming:
    """Exports are written a chunk of records at a time, the same bytes as all at once."""

    @pytest.mark.parametrize(
        ("name", "add"),
        [
            ("agreements:export", add_agreements),
            ("milestones:export", add_milestones),
            ("actors:export", add_actors),
        ],
    )
    @pytest.mark.parametrize("fmt", ["csv", "json"])
    def test_the_streamed_export_is_the_whole_export(
        self, client, source, sector, actor, monkeypatch, name, add, fmt
    ):
        add(source, sector, actor, 0, 5)
        whole = body(client.get(reverse(name, args=[fmt])))
        # Chunks of two records: three chunks, the last one short.
        monkeypatch.setattr(exports, "CHUNK", 2)
        response = client.get(reverse(name, args=[fmt]))
        assert response.streaming
        assert response["Content-Disposition"].startswith("attachment;")
        chunks = list(response.streaming_content)
        assert len(chunks) >= 3
        assert b"".join(chunks) == whole
        spec = next(s for s in datapackage.exports() if name.startswith(s.name))
        records = spec.filterset_class({}, queryset=spec.queryset()).qs
        if fmt == "csv":
            assert whole.decode() == to_csv(
                [flat_row(r) for r in spec.serialize(records)], spec.columns
            )
        else:
            rows = spec.serialize(records)
            expected = {"license": exports.DATA_LICENSE, "count": len(rows), "results": rows}
            assert whole.decode() == exports.dumps(expected)

    def test_an_empty_export_is_still_a_document(self, client, db):
        data = json.loads(body(client.get(reverse("milestones:export", args=["json"]))))
        assert data["count"] == 0
        assert data["results"] == []
        text = body(client.get(reverse("milestones:export", args=["csv"]))).decode()
        assert text.startswith("slug,") and text.count("\n") == 1
