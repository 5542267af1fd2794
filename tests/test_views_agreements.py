"""The agreement list (filters, facets, sorting, pagination, errors) and the agreement page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement, Source
from tests.conftest import (
    UNPUBLISHED,
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    assert_bad_request,
    base_world,
    cite,
    facet_counts,
    facet_option,
    shown,
    times,
)

pytestmark = pytest.mark.django_db

LIST = "/agreements/"


@pytest.fixture
def world(db):
    """Five published agreements, one draft and one in review, with what they link to."""
    w = base_world()
    w.meti = add_actor("meti", name="Ministry of Economy, Trade and Industry", acronym="METI")
    w.reviewed = add_actor("reviewed-body", "in_review", name="Reviewed Body", country="other")
    w.sixties = add_agreement(
        "sixties-exchange",
        title="Sixties Exchange Programme",
        kind="programme",
        status="unknown",
        year=1960,
        date_qualifier="decade",
    )
    w.st = add_agreement(
        "st-agreement",
        title="Science and Technology Agreement",
        kind="iga",
        status="in_force",
        year=1985,
        sectors=[w.digital],
        parties=[w.isro, w.meti],
        summary="The founding agreement on science cooperation.",
    )
    w.space_mou = add_agreement(
        "space-mou",
        title="Space Cooperation MoU",
        kind="mou",
        status="in_force",
        year=2020,
        month=10,
        sectors=[w.space],
        parties=[w.isro, w.jaxa, (w.jaxa, "implementer"), w.hidden],
        tags=["satellites"],
        builds_on=[w.st],
        summary="Lunar exploration and satellite navigation.",
    )
    w.h2 = add_agreement(
        "hydrogen-framework",
        title="Hydrogen Framework",
        kind="framework",
        status="concluded",
        year=2020,
        month=12,
        day=8,
        sectors=[w.hydrogen],
        parties=[w.meti],
        tags=["startups"],
        summary="Ammonia supply chains.",
    )
    w.clean = add_agreement(
        "clean-energy-partnership",
        title="Clean Energy Partnership",
        kind="framework",
        status="announced",
        year=2022,
        date_qualifier="circa",
        sectors=[w.energy, w.space],
        parties=[w.jaxa, w.reviewed],
        tags=["satellites", "startups"],
        supersedes=[w.h2],
        summary="Hydrogen and batteries, with satellite monitoring.",
    )
    w.draft = add_agreement(
        "draft-deal",
        "draft",
        title="Draft Deal",
        kind="mou",
        status="in_force",
        year=2020,
        sectors=[w.space, w.digital],
        parties=[w.isro],
        tags=["satellites", "secret-tag"],
    )
    w.review = add_agreement(
        "review-deal",
        "in_review",
        title="Review Deal",
        kind="treaty",
        year=2021,
        sectors=[w.space],
        parties=[w.jaxa],
        tags=["satellites"],
    )
    return w


def get(client, **params):
    return client.get(LIST, params)


class TestList:
    def test_it_shows_published_agreements_newest_first(self, client, world):
        response = get(client)
        assert shown(response) == [
            "clean-energy-partnership",
            "hydrogen-framework",
            "space-mou",
            "st-agreement",
            "sixties-exchange",
        ]
        assertContains(response, "5 results")

    def test_it_hides_drafts_and_records_in_review(self, client, world):
        response = get(client)
        assertNotContains(response, "Draft Deal")
        assertNotContains(response, "Review Deal")

    def test_it_lists_only_published_parties(self, client, world):
        html = get(client).content.decode()
        assert "ISRO, JAXA, JAXA" in html or "ISRO, JAXA" in html
        assert "Hidden Body" not in html
        assert "Reviewed Body" not in html

    def test_it_marks_disputed_agreements(self, client, world):
        Disagreement.objects.create(target=world.st, aspect="date", explanation="1985 or 1986")
        response = get(client)
        assert [a.slug for a in response.context["object_list"] if a.is_disputed] == [
            "st-agreement"
        ]
        assertContains(response, "Sources disagree", count=1)

    def test_it_shows_dates_exactly_as_precise_as_known(self, client, world):
        assert times(get(client)) == {
            "the 1960s": "1960",
            "1985": "1985",
            "October 2020": "2020-10",
            "8 December 2020": "2020-12-08",
            "about 2022": "2022",
        }

    def test_an_empty_result_shows_the_empty_state(self, client, world):
        response = get(client, kind="loi")
        assert shown(response) == []
        assertContains(response, "0 results")
        assertContains(response, "Nothing matches these filters.")

    def test_with_nothing_published_it_shows_the_empty_state(self, client, db):
        response = get(client)
        assert shown(response) == []
        assertContains(response, "Nothing matches these filters.")


class TestFilters:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"sector": "space"}, ["clean-energy-partnership", "space-mou"]),
            ({"sector": "hydrogen"}, ["hydrogen-framework"]),
            # A parent sector finds what is filed under its sub-sectors too.
            ({"sector": "energy"}, ["clean-energy-partnership", "hydrogen-framework"]),
            ({"sector": ["space", "energy"]}, ["clean-energy-partnership"]),
            ({"sector": ["space", "digital"]}, []),
            ({"actor": "isro"}, ["space-mou", "st-agreement"]),
            ({"actor": ["jaxa", "isro"]}, ["space-mou"]),
            ({"actor": ["meti", "isro"]}, ["st-agreement"]),
            ({"country": "india"}, ["space-mou", "st-agreement"]),
            (
                {"country": "japan"},
                ["clean-energy-partnership", "hydrogen-framework", "space-mou", "st-agreement"],
            ),
            ({"kind": "framework"}, ["clean-energy-partnership", "hydrogen-framework"]),
            ({"kind": "mou"}, ["space-mou"]),
            ({"status": "in_force"}, ["space-mou", "st-agreement"]),
            ({"status": "announced"}, ["clean-energy-partnership"]),
            ({"tag": "satellites"}, ["clean-energy-partnership", "space-mou"]),
            ({"tag": ["satellites", "startups"]}, ["clean-energy-partnership"]),
            ({"year": "2020"}, ["hydrogen-framework", "space-mou"]),
            ({"year": "1960"}, ["sixties-exchange"]),
            (
                {"year_from": "2020"},
                ["clean-energy-partnership", "hydrogen-framework", "space-mou"],
            ),
            ({"year_to": "1985"}, ["st-agreement", "sixties-exchange"]),
            (
                {"year_from": "1985", "year_to": "2020"},
                ["hydrogen-framework", "space-mou", "st-agreement"],
            ),
            ({"year_from": "2020", "year_to": "2020"}, ["hydrogen-framework", "space-mou"]),
        ],
    )
    def test_each_filter_alone(self, client, world, params, expected):
        assert shown(get(client, **params)) == expected

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"sector": "space", "kind": "mou", "year": "2020"}, ["space-mou"]),
            ({"sector": "space", "kind": "framework"}, ["clean-energy-partnership"]),
            (
                {"country": "japan", "tag": "startups", "sort": "title"},
                ["clean-energy-partnership", "hydrogen-framework"],
            ),
            ({"actor": "meti", "status": "in_force", "year_to": "2000"}, ["st-agreement"]),
            ({"actor": "meti", "year_from": "2000"}, ["hydrogen-framework"]),
            ({"q": "satellite", "kind": "mou"}, ["space-mou"]),
            ({"country": "india", "sector": "digital", "tag": "satellites"}, []),
            (
                {"sector": "space", "year_from": "2021", "year_to": "2023"},
                ["clean-energy-partnership"],
            ),
        ],
    )
    def test_filters_combine(self, client, world, params, expected):
        assert shown(get(client, **params)) == expected

    def test_a_country_filter_ignores_unpublished_parties(self, client, world):
        # The only "other" institutions on a published agreement are a draft and one in
        # review: choosing "other" must not reveal that they are parties.
        assert shown(get(client, country="other")) == []

    def test_a_draft_institution_is_not_a_filter_value(self, client, world):
        assert_bad_request(
            get(client, actor="hidden-body"), "There is no institution “hidden-body”."
        )

    def test_it_hides_drafts_matching_every_filter(self, client, world):
        params = {"sector": "space", "kind": "mou", "year": "2020", "actor": "isro"}
        assert shown(get(client, **params)) == ["space-mou"]


class TestSorting:
    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            (
                "date",
                [
                    "sixties-exchange",
                    "st-agreement",
                    "space-mou",
                    "hydrogen-framework",
                    "clean-energy-partnership",
                ],
            ),
            (
                "-date",
                [
                    "clean-energy-partnership",
                    "hydrogen-framework",
                    "space-mou",
                    "st-agreement",
                    "sixties-exchange",
                ],
            ),
            (
                "title",
                [
                    "clean-energy-partnership",
                    "hydrogen-framework",
                    "st-agreement",
                    "sixties-exchange",
                    "space-mou",
                ],
            ),
            (
                "-title",
                [
                    "space-mou",
                    "sixties-exchange",
                    "st-agreement",
                    "hydrogen-framework",
                    "clean-energy-partnership",
                ],
            ),
        ],
    )
    def test_it_sorts_by_date_and_title_both_ways(self, client, world, sort, expected):
        assert shown(get(client, sort=sort)) == expected

    def test_a_year_only_date_sorts_before_the_months_of_that_year(self, client, world):
        add_agreement("year-only", title="Year Only", year=2020)
        order = shown(get(client, sort="date"))
        assert (
            order.index("year-only") < order.index("space-mou") < order.index("hydrogen-framework")
        )
        order = shown(get(client, sort="-date"))
        assert (
            order.index("hydrogen-framework") < order.index("space-mou") < order.index("year-only")
        )

    def test_the_chosen_sort_is_selected_in_the_form(self, client, world):
        assertContains(get(client, sort="-title"), '<option value="-title" selected>')


class TestSearch:
    def test_it_finds_words_in_titles_and_summaries(self, client, world):
        # Title of one, summary of another; drafts never.
        assert set(shown(get(client, q="hydrogen"))) == {
            "hydrogen-framework",
            "clean-energy-partnership",
        }

    def test_every_word_must_match(self, client, world):
        assert shown(get(client, q="hydrogen ammonia")) == ["hydrogen-framework"]
        assert shown(get(client, q="hydrogen lunar")) == []

    def test_a_title_match_ranks_first(self, client, world):
        assert shown(get(client, q="hydrogen")) == [
            "hydrogen-framework",
            "clean-energy-partnership",
        ]

    def test_a_chosen_sort_overrides_the_ranking(self, client, world):
        assert shown(get(client, q="hydrogen", sort="title")) == [
            "clean-energy-partnership",
            "hydrogen-framework",
        ]

    def test_the_empty_state_offers_to_drop_a_word(self, client, world):
        response = get(client, q="zeppelin")
        assertContains(response, "Nothing matches these filters.")
        assertContains(response, "or a word from the search")


class TestFacets:
    def test_counts_without_filters(self, client, world):
        response = get(client)
        assert facet_counts(response, "kind") == {
            "framework": 2,
            "iga": 1,
            "mou": 1,
            "programme": 1,
        }
        assert facet_counts(response, "status") == {
            "in_force": 2,
            "announced": 1,
            "concluded": 1,
            "unknown": 1,
        }
        assert facet_counts(response, "sector") == {
            "space": 2,
            "digital": 1,
            # The clean-energy partnership, and the hydrogen framework filed under hydrogen.
            "energy": 2,
            "hydrogen": 1,
        }
        assert facet_counts(response, "tag") == {"satellites": 2, "startups": 2}
        assert facet_counts(response, "year") == {"2022": 1, "2020": 2, "1985": 1, "1960": 1}

    def test_institution_facets_leave_out_unpublished_institutions(self, client, world):
        response = get(client)
        assert facet_counts(response, "actor") == {"isro": 2, "jaxa": 2, "meti": 2}
        assert facet_counts(response, "country") == {"japan": 4, "india": 2}
        assertNotContains(response, "Hidden Body")
        assertNotContains(response, "Reviewed Body")

    def test_drafts_do_not_count(self, client, world):
        response = get(client)
        assert "treaty" not in facet_counts(response, "kind")
        assert "secret-tag" not in facet_counts(response, "tag")
        assertNotContains(response, "secret-tag")

    def test_a_single_choice_facet_counts_what_choosing_each_option_gives(self, client, world):
        response = get(client, kind="framework", sector="space")
        # Other kinds count with the sector filter applied but not the kind filter.
        assert facet_counts(response, "kind") == {"framework": 1, "mou": 1}
        for kind, n in facet_counts(response, "kind").items():
            assert len(shown(get(client, kind=kind, sector="space"))) == n
        for status, n in facet_counts(response, "status").items():
            assert len(shown(get(client, kind="framework", sector="space", status=status))) == n
        for year, n in facet_counts(response, "year").items():
            assert len(shown(get(client, kind="framework", sector="space", year=year))) == n

    def test_a_repeatable_facet_counts_within_the_current_results(self, client, world):
        response = get(client, kind="framework")
        # Energy counts the hydrogen framework too, as ?sector=energy would find it.
        assert facet_counts(response, "sector") == {"energy": 2, "hydrogen": 1, "space": 1}
        assert facet_counts(response, "actor") == {"jaxa": 1, "meti": 1}
        assert facet_counts(response, "tag") == {"startups": 2, "satellites": 1}

    def test_a_country_counts_each_agreement_once(self, client, world):
        # space-mou has JAXA twice (two roles) and ISRO: one Japanese agreement, not two.
        response = get(client, sector="space")
        assert facet_counts(response, "country") == {"japan": 2, "india": 1}

    def test_options_link_to_the_filtered_list(self, client, world):
        response = get(client, sector="space", page="1")
        # A repeatable facet adds its value; a single-choice facet replaces; page is dropped.
        assert facet_option(response, "sector", "energy").url == "?sector=space&sector=energy"
        assert facet_option(response, "kind", "mou").url == "?sector=space&kind=mou"
        selected = facet_option(response, "sector", "space")
        assert selected.selected and selected.url == "?"
        response = get(client, kind="mou")
        assert facet_option(response, "kind", "framework").url == "?kind=framework"
        assert facet_option(response, "kind", "mou").url == "?"

    def test_the_selected_option_is_marked(self, client, world):
        assertContains(get(client, kind="mou"), '<a href="?" aria-current="true" class="selected">')

    def test_facet_counts_are_on_the_page(self, client, world):
        assertContains(get(client), '<span class="count" aria-label="2 results">2</span>')

    def test_a_long_facet_shows_the_top_15_and_keeps_the_selected_option(self, client, world):
        actors = [add_actor(f"body-{i:02}", name=f"Body {i:02}") for i in range(20)]
        add_agreement("crowded", title="Crowded", parties=actors)
        options = facet_counts(get(client), "actor")
        assert len(options) == 15
        assert "body-19" not in options
        options = facet_counts(get(client, actor="body-19"), "actor")
        assert len(options) == 16
        assert options["body-19"] == 1


class TestPagination:
    @pytest.fixture
    def many(self, world):
        for i in range(30):
            add_agreement(
                f"extra-{i:02}",
                title=f"Extra {i:02}",
                sectors=[world.digital],
                year=2000,
                kind="mou",
            )

    def test_it_pages_by_25(self, client, many):
        response = get(client, sector="digital")
        assertContains(response, "31 results")
        assert len(shown(response)) == 25
        assertContains(response, "Page 1 of 2")
        assert len(shown(get(client, sector="digital", page="2"))) == 6

    def test_the_next_link_keeps_the_filters(self, client, many):
        response = get(client, sector="digital", kind="mou")
        assertContains(response, 'href="?sector=digital&amp;kind=mou&amp;page=2"')
        back = get(client, sector="digital", kind="mou", page="2")
        assertContains(back, 'rel="prev" href="?sector=digital&amp;kind=mou&amp;page=1"')
        assertNotContains(back, 'rel="next"')

    def test_pages_do_not_overlap(self, client, many):
        first = shown(get(client, sort="title"))
        second = shown(get(client, sort="title", page="2"))
        assert not set(first) & set(second)
        assert len(first) + len(second) == 35

    def test_a_page_past_the_end_is_a_400(self, client, many):
        assert_bad_request(
            get(client, sector="digital", page="3"),
            "Page 3 does not exist; there are 2 pages of results.",
        )

    def test_a_page_past_the_end_of_one_page(self, client, world):
        assert_bad_request(
            get(client, page="2"), "Page 2 does not exist; there is 1 page of results."
        )

    @pytest.mark.parametrize("page", ["abc", "1.5", "-", "0"])
    def test_a_page_that_is_not_a_page_number_is_a_400(self, client, world, page):
        html = assert_bad_request(get(client, page=page))
        assert f"“{page}” is not a page number." in html or f"Page {page} does not" in html

    def test_with_one_page_there_are_no_page_links(self, client, world):
        assertNotContains(get(client), 'class="pagination"')


class TestBadInput:
    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"year_from": "abc"}, "From year: Enter a year as four digits, e.g. 2018."),
            ({"year_to": "20x0"}, "To year: Enter a year as four digits, e.g. 2018."),
            ({"year": "abc"}, "Year: Enter a year as four digits, e.g. 2018."),
            ({"year": "1800"}, "Year: Ensure this value is greater than or equal to 1900."),
            ({"sector": "nowhere"}, "Sector: There is no sector “nowhere”."),
            ({"sector": ["space", "nowhere"]}, "There is no sector “nowhere”."),
            ({"actor": "nobody"}, "Institution: There is no institution “nobody”."),
            ({"tag": "no-such-tag"}, "Tag: There is no tag “no-such-tag”."),
            ({"kind": "nonsense"}, "Kind: Select a valid choice. nonsense is not one"),
            ({"status": "lost"}, "Status: Select a valid choice. lost is not one"),
            ({"country": "mars"}, "Country: Select a valid choice. mars is not one"),
            ({"sort": "popularity"}, "Sort: Select a valid choice. popularity is not one"),
            (
                {"year_from": "2020", "year_to": "2010"},
                "To year: The end year (2010) is before the start year (2020); swap them.",
            ),
        ],
    )
    def test_an_invalid_value_is_a_400_with_a_clear_message(self, client, world, params, message):
        response = get(client, **params)
        assert_bad_request(response, message)
        assertContains(response, "No results shown", status_code=400)
        assertContains(response, 'href="/agreements/">Clear all filters</a>', status_code=400)

    def test_the_bad_field_is_marked_in_the_form(self, client, world):
        response = get(client, year_from="2020", year_to="2010")
        assertContains(
            response, 'aria-invalid="true" aria-describedby="e-year-to"', status_code=400
        )

    def test_the_values_are_escaped(self, client, world):
        response = get(client, sector="<script>x</script>")
        html = assert_bad_request(response)
        assert "<script>x</script>" not in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html


class TestDetail:
    @pytest.fixture
    def sources(self, db):
        return (
            Source.objects.create(
                slug="mofa-2020",
                title="Joint Statement",
                authors="MOFA",
                kind="official",
                year=2020,
                month=10,
            ),
            Source.objects.create(slug="isro-report", title="Annual Report", kind="report"),
        )

    def test_it_shows_the_facts(self, client, world):
        response = client.get(world.space_mou.get_absolute_url())
        assertContains(response, "<h1>Space Cooperation MoU</h1>", html=False)
        assertContains(response, "Memorandum of understanding")
        assertContains(response, "<dt>Status</dt><dd>In force</dd>")
        assertContains(response, "Lunar exploration and satellite navigation.")
        assertContains(response, '<a class="sector" href="/sectors/space/">Space</a>')
        assertContains(response, '<a class="tag" href="/agreements/?tag=satellites">satellites</a>')
        assert times(response)["October 2020"] == "2020-10"

    def test_it_lists_published_parties_with_their_roles(self, client, world):
        html = client.get(world.space_mou.get_absolute_url()).content.decode()
        assert (
            '<a href="/actors/isro/">Indian Space Research Organisation</a> (ISRO) — signatory'
            in html
        )
        assert "Japan Aerospace Exploration Agency</a> (JAXA) — signatory" in html
        assert "Japan Aerospace Exploration Agency</a> (JAXA) — implementing body" in html
        assert "Hidden Body" not in html

    def test_it_lists_the_signatories_before_implementers_and_funders(self, client, world):
        # Alphabetically a funder and an implementer would come before a signatory.
        agreement = add_agreement(
            "ordered",
            parties=[
                (world.meti, "funder"),
                (world.jaxa, "implementer"),
                (world.isro, "signatory"),
            ],
        )
        html = client.get(agreement.get_absolute_url()).content.decode()
        roles = [
            html.index(f"— {role}</li>") for role in ("signatory", "implementing body", "funder")
        ]
        assert roles == sorted(roles)

    def test_it_shows_lineage_both_ways(self, client, world):
        html = client.get(world.space_mou.get_absolute_url()).content.decode()
        assert "<h3>Builds on</h3>" in html
        assert '<a href="/agreements/st-agreement/">Science and Technology Agreement</a>' in html
        html = client.get(world.st.get_absolute_url()).content.decode()
        assert "<h3>Built on by</h3>" in html
        assert '<a href="/agreements/space-mou/">Space Cooperation MoU</a>' in html
        html = client.get(world.clean.get_absolute_url()).content.decode()
        assert "<h3>Supersedes</h3>" in html and "Hydrogen Framework" in html
        html = client.get(world.h2.get_absolute_url()).content.decode()
        assert "<h3>Superseded by</h3>" in html and "Clean Energy Partnership" in html

    @pytest.mark.parametrize("status", UNPUBLISHED)
    def test_it_hides_unpublished_lineage(self, client, world, status):
        hidden = add_agreement(
            "hidden-successor",
            status,
            title="Hidden Successor",
            builds_on=[world.sixties],
            supersedes=[world.sixties],
        )
        world.sixties.builds_on.add(hidden)
        response = client.get(world.sixties.get_absolute_url())
        assertNotContains(response, "Hidden Successor")
        assertNotContains(response, "Lineage")

    def test_it_lists_published_milestones_in_date_order(self, client, world):
        add_milestone(
            "signing", title="The Signing", year=2020, month=10, agreement=world.space_mou
        )
        add_milestone("launch", title="The Launch", year=2023, agreement=world.space_mou)
        add_milestone("secret", "draft", title="Secret Milestone", agreement=world.space_mou)
        add_milestone("pending", "in_review", title="Pending Milestone", agreement=world.space_mou)
        html = client.get(world.space_mou.get_absolute_url()).content.decode()
        assert html.index("The Signing") < html.index("The Launch")
        assert "Secret Milestone" not in html and "Pending Milestone" not in html

    def test_it_shows_every_citation(self, client, world, sources):
        mofa, report = sources
        cite(
            world.space_mou,
            mofa,
            locator="Para 12",
            quote="signed a memorandum",
            supports="date",
            note="The date is from the English text.",
        )
        cite(world.space_mou, report, locator="Chapter 3")
        html = client.get(world.space_mou.get_absolute_url()).content.decode()
        assert '<a href="/sources/mofa-2020/">MOFA, Joint Statement</a> (October 2020)' in html
        assert '<span class="locator">Para 12</span>' in html
        assert "“signed a memorandum”" in html
        assert "Supports: its date." in html
        assert "Note: The date is from the English text." in html
        assert '<a href="/sources/isro-report/">Annual Report</a>, ' in html
        assert '<span class="locator">Chapter 3</span>' in html
        assert "Supports: the whole record." in html
        assert html.index("Para 12") < html.index("Chapter 3")

    def test_a_disputed_agreement_shows_each_version_beside_its_citation(
        self, client, world, sources
    ):
        mofa, report = sources
        disagreement = Disagreement.objects.create(
            target=world.space_mou, aspect="kind", explanation="MoU or an agreement?"
        )
        first = cite(
            world.space_mou,
            mofa,
            locator="Para 1",
            disagreement=disagreement,
            position="a memorandum",
            quote="signed a memorandum",
        )
        second = cite(
            world.space_mou,
            report,
            locator="p. 4",
            disagreement=disagreement,
            position="an agreement",
        )
        response = client.get(world.space_mou.get_absolute_url())
        html = response.content.decode()
        assert "Sources disagree" in html
        assert "<h3>Kind of instrument</h3>" in html
        assert "MoU or an agreement?" in html
        assert (
            '<li><strong>a memorandum</strong> — <a href="/sources/mofa-2020/">MOFA</a>, Para 1: '
            f'<q>signed a memorandum</q> <a href="#citation-{first.pk}" class="small">' in html
        )
        assert (
            '<li><strong>an agreement</strong> — <a href="/sources/isro-report/">Annual Report'
            f'</a>, p. 4 <a href="#citation-{second.pk}" class="small">' in html
        )
        assert f'id="citation-{first.pk}"' in html and f'id="citation-{second.pk}"' in html
        assert "This source says: <strong>an agreement</strong>" in html

    def test_an_undisputed_agreement_has_no_disagreement_section(self, client, world):
        response = client.get(world.st.get_absolute_url())
        assertNotContains(response, "Where the sources disagree")
        assertNotContains(response, "Sources disagree")

    @pytest.mark.parametrize(
        ("slug", "shown_date", "datetime"),
        [
            ("sixties-exchange", "the 1960s", "1960"),
            ("st-agreement", "1985", "1985"),
            ("hydrogen-framework", "8 December 2020", "2020-12-08"),
            ("clean-energy-partnership", "about 2022", "2022"),
        ],
    )
    def test_it_shows_the_date_as_precise_as_known(self, client, world, slug, shown_date, datetime):
        response = client.get(reverse("agreements:detail", args=[slug]))
        assert times(response)[shown_date] == datetime

    def test_it_offers_citation_downloads(self, client, world):
        response = client.get(world.st.get_absolute_url())
        assertContains(response, 'href="/agreements/st-agreement/cite.bib"')
        assertContains(response, 'href="/agreements/st-agreement/cite.ris"')

    @pytest.mark.parametrize("slug", ["draft-deal", "review-deal", "no-such-agreement"])
    def test_unpublished_and_unknown_agreements_are_404(self, client, world, slug):
        assert client.get(reverse("agreements:detail", args=[slug])).status_code == 404


def crowd(n, source):
    """n published agreements, each as linked as a list row can be."""
    space = add_sector(f"space-{n}")
    actors = [add_actor(f"body-{n}-{i}", country="india" if i % 2 else "japan") for i in range(3)]
    for i in range(n):
        agreement = add_agreement(
            f"crowd-{n}-{i:02}",
            year=2000 + i,
            sectors=[space, add_sector(f"s-{n}-{i}")],
            parties=actors,
            tags=["crowd", f"tag-{i}"],
        )
        cite(agreement, source)
        Disagreement.objects.create(target=agreement, aspect="date", explanation="Which year?")
    return space


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_list_runs_a_fixed_number_of_queries(
        self, client, source, warm_content_types, django_assert_num_queries, n
    ):
        crowd(n, source)
        client.get(LIST)  # warm up
        # 1 count, 2 page of rows, 3 sectors prefetch, 4 parties prefetch (with actors),
        # 5-11 one per facet: sector, kind, status, country, institution, tag, year.
        with django_assert_num_queries(11):
            response = client.get(LIST)
        assert len(shown(response)) == n

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_filtered_list_runs_a_fixed_number_of_queries(
        self, client, source, warm_content_types, django_assert_num_queries, n
    ):
        space = crowd(n, source)
        params = {"sector": space.slug, "tag": "crowd", "kind": "framework"}
        client.get(LIST, params)
        # 1 sector and 2 tag: check the slugs exist; 3 count, 4 rows, 5 sectors prefetch,
        # 6 parties prefetch; one query per facet, reusing the checked slugs: 7 sector,
        # 8 kind, 9 status, 10 country, 11 institution, 12 tag, 13 year.
        with django_assert_num_queries(13):
            response = client.get(LIST, params)
        assert len(shown(response)) == n

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_detail_page_runs_a_fixed_number_of_queries(
        self, client, source, warm_content_types, django_assert_num_queries, n
    ):
        crowd(n, source)
        agreement = add_agreement("hub", title="Hub")
        others = list(type(agreement).objects.exclude(pk=agreement.pk))
        agreement.builds_on.set(others)
        agreement.supersedes.set(others)
        agreement.built_upon_by.set(others)
        agreement.superseded_by.set(others)
        agreement.sectors.set(others[0].sectors.all())
        agreement.tags.add(*[f"t{i}" for i in range(n)])
        for actor in others[0].parties.all():
            agreement.party_links.create(actor=actor, role="funder")
        disagreement = Disagreement.objects.create(target=agreement, aspect="date", explanation="x")
        for i in range(n):
            milestone = add_milestone(f"hub-m-{i}", agreement=agreement)
            cite(agreement, source, locator=f"p. {i}", disagreement=disagreement, position=str(i))
            on_milestone = Disagreement.objects.create(
                target=milestone, aspect="date", explanation=f"m{i}"
            )
            cite(milestone, source, disagreement=on_milestone, position=f"m{i}")
        url = agreement.get_absolute_url()
        client.get(url)
        # 1 the agreement (with its disputed flag), 2 parties with their institutions,
        # 3 sectors, 4 tags, 5 builds on, 6 built on by, 7 supersedes, 8 superseded by,
        # 9 milestones, 10 citations with sources and disagreements, 11 disagreements,
        # 12 the disagreements recorded on its milestones, 13 their citations with sources.
        with django_assert_num_queries(13):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="small">(citation)') == 2 * n
