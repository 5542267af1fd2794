import csv
import io
import json

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actors.exports import ACTORS
from actors.models import Actor
from agreements.exports import AGREEMENTS, MILESTONES
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.models import Disagreement, EditorialStatus, Source
from ijtech.source_exports import SOURCES
from sectors.exports import SECTORS
from sectors.models import Sector
from tests.conftest import cite, make_agreement, make_milestone, publish

HIDDEN = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW]


def get_csv(client, name, **params):
    response = client.get(reverse(name, args=["csv"]), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def get_json(client, name, **params):
    response = client.get(reverse(name, args=["json"]), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def corpus(db, source, sector, actor):
    """Two published agreements, one draft, one in review; milestones likewise."""
    digital = Sector.objects.create(name="Digital & Telecom", slug="digital")
    space = make_agreement(
        "2018-space-mou",
        title="Space MoU",
        kind="mou",
        year=2018,
        month=10,
        day=29,
        summary="On space.",
    )
    space.sectors.add(sector)
    space.tags.add("satellites", "launch")
    AgreementParty.objects.create(agreement=space, actor=actor, role="signatory")
    hidden_actor = Actor.objects.create(
        name="Draft Institute", slug="draft-institute", country="japan", kind="research"
    )
    AgreementParty.objects.create(agreement=space, actor=hidden_actor, role="implementer")
    publish(space, source)
    second = Source.objects.create(slug="second", title="Second Source", kind="official")
    cite(space, second)
    Disagreement.objects.create(target=space, aspect="date", explanation="Two dates.")

    digital_deal = make_agreement(
        "2020-digital-framework",
        title="Digital Framework",
        kind="framework",
        year=2020,
        date_qualifier="circa",
    )
    digital_deal.sectors.add(digital)
    publish(digital_deal, source)

    for status in HIDDEN:
        draft = make_agreement(f"hidden-{status}", title=f"Hidden {status}", status=status)
        draft.sectors.add(sector)
        cite(draft, source)
        make_milestone(f"hidden-ms-{status}", status=status).sectors.add(sector)

    launch = make_milestone(
        "2023-launch", title="Launch", kind="launch", year=2023, month=1, agreement=space
    )
    launch.actors.add(actor, hidden_actor)
    launch.sectors.add(sector)
    publish(launch, source)
    pledge = make_milestone(
        "2022-pledge",
        title="Five Trillion Yen",
        kind="pledge",
        year=2022,
        amount="5.000",
        unit="trillion JPY",
        deadline_year=2027,
    )
    publish(pledge, source)
    return {"space": space, "digital": digital_deal, "launch": launch, "pledge": pledge}


class TestAgreementExport:
    def test_csv_has_a_header_and_one_row_per_published_agreement(self, client, corpus):
        rows = get_csv(client, "agreements:export")
        assert [row["slug"] for row in rows] == ["2020-digital-framework", "2018-space-mou"]
        assert list(rows[0]) == AGREEMENTS.columns
        space = rows[1]
        assert space["title"] == "Space MoU"
        assert space["kind"] == "mou"
        assert space["kind_label"] == "Memorandum of understanding"
        assert space["date"] == "29 October 2018"
        assert (space["year"], space["month"], space["day"]) == ("2018", "10", "29")
        assert space["precision"] == "day"
        assert space["sectors"] == "Space"
        assert space["tags"] == "launch; satellites"
        assert space["parties"] == "Indian Space Research Organisation (Signatory)"
        assert space["sources"] == "test-source; second"
        assert space["citation_count"] == "2"
        assert space["disputed"] == "true"
        assert space["url"] == f"{settings.SITE_URL}/agreements/2018-space-mou/"
        digital = rows[0]
        assert (digital["month"], digital["day"], digital["precision"]) == ("", "", "circa")
        assert digital["date"] == "about 2020"
        assert digital["disputed"] == "false"

    def test_csv_is_an_attachment(self, client, corpus):
        response = client.get(reverse("agreements:export", args=["csv"]))
        assert response["Content-Disposition"] == 'attachment; filename="ijtech-agreements.csv"'

    def test_json_has_a_count_and_the_same_fields_as_lists(self, client, corpus):
        data = get_json(client, "agreements:export")
        assert data["count"] == 2
        space = data["results"][1]
        assert list(space) == AGREEMENTS.columns
        assert space["tags"] == ["launch", "satellites"]
        assert space["parties"] == ["Indian Space Research Organisation (Signatory)"]
        assert space["sources"] == ["test-source", "second"]
        assert space["month"] == 10
        assert space["disputed"] is True
        assert space["citation_count"] == 2

    @pytest.mark.parametrize(
        ("params", "slugs"),
        [
            ({"sector": "space"}, ["2018-space-mou"]),
            ({"kind": "framework"}, ["2020-digital-framework"]),
            ({"year_from": 2019}, ["2020-digital-framework"]),
            ({"year_to": 2019}, ["2018-space-mou"]),
            ({"year": 2018}, ["2018-space-mou"]),
            ({"actor": "isro"}, ["2018-space-mou"]),
            ({"country": "india"}, ["2018-space-mou"]),
            ({"tag": "satellites"}, ["2018-space-mou"]),
            ({"q": "digital"}, ["2020-digital-framework"]),
            ({"sort": "date"}, ["2018-space-mou", "2020-digital-framework"]),
            ({"sort": "-title"}, ["2018-space-mou", "2020-digital-framework"]),
            ({"page": 7}, ["2020-digital-framework", "2018-space-mou"]),
        ],
    )
    def test_the_page_filters_apply(self, client, corpus, params, slugs):
        data = get_json(client, "agreements:export", **params)
        assert [row["slug"] for row in data["results"]] == slugs
        assert [row["slug"] for row in get_csv(client, "agreements:export", **params)] == slugs

    def test_drafts_and_records_in_review_never_appear(self, client, corpus):
        body = client.get(reverse("agreements:export", args=["csv"]), {"sector": "space"})
        assert b"Hidden" not in body.content
        assert b"Draft Institute" not in body.content


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
    def test_invalid_filters_give_400_as_json(self, client, corpus, params, field):
        response = client.get(reverse("agreements:export", args=["json"]), params)
        assert response.status_code == 400
        errors = json.loads(response.content)["errors"]
        assert list(errors) == [field]
        assert all(isinstance(message, str) and message for message in errors[field])

    def test_invalid_filters_give_400_as_plain_text_for_csv(self, client, corpus):
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


class TestOtherExports:
    def test_milestones_with_amounts_agreement_and_published_actors(self, client, corpus):
        data = get_json(client, "milestones:export")
        assert [row["slug"] for row in data["results"]] == ["2023-launch", "2022-pledge"]
        launch, pledge = data["results"]
        assert list(launch) == MILESTONES.columns
        assert launch["agreement"] == "2018-space-mou"
        assert launch["actors"] == ["Indian Space Research Organisation"]
        assert launch["precision"] == "month"
        assert (pledge["amount"], pledge["unit"], pledge["deadline_year"]) == (
            "5",
            "trillion JPY",
            2027,
        )
        rows = get_csv(client, "milestones:export", kind="pledge")
        assert [row["slug"] for row in rows] == ["2022-pledge"]
        assert rows[0]["amount"] == "5"

    def test_a_milestone_of_a_draft_agreement_does_not_name_it(self, client, corpus):
        corpus["launch"].agreement = make_agreement("secret-parent")
        corpus["launch"].save()
        rows = get_csv(client, "milestones:export")
        assert rows[0]["agreement"] == ""

    def test_actors_published_only_with_filters(self, client, corpus, sector):
        rows = get_csv(client, "actors:export")
        assert [row["slug"] for row in rows] == ["isro"]
        assert list(rows[0]) == ACTORS.columns
        assert rows[0]["sources"] == "test-source"
        assert rows[0]["url"] == f"{settings.SITE_URL}/actors/isro/"
        assert get_json(client, "actors:export", country="japan")["count"] == 0

    def test_sectors_count_only_published_records(self, client, corpus):
        data = get_json(client, "sectors:export")
        by_slug = {row["slug"]: row for row in data["results"]}
        assert list(by_slug["space"]) == SECTORS.columns
        assert by_slug["space"]["agreement_count"] == 1
        assert by_slug["space"]["milestone_count"] == 1
        assert by_slug["digital"]["agreement_count"] == 1
        assert [row["slug"] for row in get_csv(client, "sectors:export", q="digi")] == ["digital"]

    def test_sources_count_only_citations_from_published_records(self, client, corpus):
        data = get_json(client, "sources:export")
        by_slug = {row["slug"]: row for row in data["results"]}
        assert list(by_slug["second"]) == SOURCES.columns
        # space, digital framework, launch, pledge and the actor: the two drafts don't count
        assert by_slug["test-source"]["citation_count"] == 5
        assert by_slug["second"]["citation_count"] == 1
        assert by_slug["test-source"]["url"] == f"{settings.SITE_URL}/sources/test-source/"
        assert get_json(client, "sources:export", kind="official")["count"] == 1


def add_agreements(source, sector, actor, start, n):
    for i in range(start, start + n):
        agreement = make_agreement(f"extra-{i}", year=2000 + i)
        agreement.sectors.add(sector)
        agreement.tags.add(f"tag-{i}")
        AgreementParty.objects.create(agreement=agreement, actor=actor)
        publish(agreement, source)


def add_milestones(source, sector, actor, start, n):
    parent = Agreement.objects.filter(slug="parent").first() or publish(
        make_agreement("parent"), source
    )
    for i in range(start, start + n):
        milestone = make_milestone(f"extra-{i}", year=2000 + i, agreement=parent)
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
            # 5 citations with sources, 6 disagreements
            ("milestones:export", add_milestones, 6),
            # 1 rows with parents, 2 sectors, 3 citations with sources, 4 disagreements
            ("actors:export", add_actors, 4),
            ("sectors:export", add_sectors, 1),
            ("sources:export", add_sources, 1),
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
        add(source, sector, actor, 0, 1)
        with django_assert_num_queries(queries):
            few = client.get(url)
        add(source, sector, actor, 1, 6)
        with django_assert_num_queries(queries):
            many = client.get(url)
        assert few.status_code == many.status_code == 200
        assert len(many.content) > len(few.content)

    def test_a_filter_by_slug_adds_only_its_lookup(
        self, client, source, sector, actor, django_assert_num_queries
    ):
        add_agreements(source, sector, actor, 0, 3)
        ContentType.objects.get_for_model(Agreement)
        # the sector's slug, then the ten queries of the export
        with django_assert_num_queries(11):
            data = get_json(client, "agreements:export", sector="space")
        assert data["count"] == 3


def test_a_cell_that_looks_like_a_formula_is_defused():
    from ijtech.exports import csv_value

    assert csv_value('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_value(["@cmd", "ok"]) == "'@cmd; ok"
    assert csv_value("Digital Partnership") == "Digital Partnership"
    assert csv_value(2018) == "2018"
