"""The agreement list: filters, facets, sorting, search, pagination, errors."""

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement
from tests.factories import (
    add_actor,
    add_agreement,
    add_agreement_crowd,
    assert_bad_request,
    chips,
    facet_counts,
    facet_option,
    shown,
    times,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/agreements/", "/milestones/", "/actors/"])
def test_the_list_forms_keep_the_facets_they_do_not_set(client, db, url):
    html = client.get(url, {"a": "1", "kind": "x", "q": "moon", "page": "2"}).content.decode()
    # A parameter whose name is part of another's ("a" in "year") is kept all the same.
    assert '<input type="hidden" name="a" value="1">' in html
    assert '<input type="hidden" name="kind" value="x">' in html
    assert 'type="hidden" name="q"' not in html
    assert 'type="hidden" name="page"' not in html


LIST = "/agreements/"


def get(client, **params):
    return client.get(LIST, params)


class TestList:
    def test_it_shows_published_agreements_newest_first(self, client, agreement_world):
        response = get(client)
        assert shown(response) == [
            "clean-energy-partnership",
            "hydrogen-framework",
            "space-mou",
            "st-agreement",
            "sixties-exchange",
        ]
        assertContains(response, "5 results")

    def test_it_hides_drafts_and_records_in_review(self, client, agreement_world):
        response = get(client)
        assertNotContains(response, "Draft Deal")
        assertNotContains(response, "Review Deal")

    def test_it_lists_only_published_parties(self, client, agreement_world):
        html = get(client).content.decode()
        assert "ISRO, JAXA, JAXA" in html or "ISRO, JAXA" in html
        assert "Hidden Body" not in html
        assert "Reviewed Body" not in html

    def test_it_marks_disputed_agreements(self, client, agreement_world):
        Disagreement.objects.create(
            target=agreement_world.st, aspect="date", explanation="1985 or 1986"
        )
        response = get(client)
        assert [a.slug for a in response.context["object_list"] if a.is_disputed] == [
            "st-agreement"
        ]
        assertContains(response, "Sources disagree", count=1)

    def test_it_shows_dates_exactly_as_precise_as_known(self, client, agreement_world):
        assert times(get(client)) == {
            "the 1960s": "1960",
            "1985": "1985",
            "October 2020": "2020-10",
            "8 December 2020": "2020-12-08",
            "about 2022": "2022",
        }

    def test_an_empty_result_shows_the_empty_state(self, client, agreement_world):
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
    def test_each_filter_alone(self, client, agreement_world, params, expected):
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
    def test_filters_combine(self, client, agreement_world, params, expected):
        assert shown(get(client, **params)) == expected

    def test_a_country_filter_ignores_unpublished_parties(self, client, agreement_world):
        # The only "other" institutions on a published agreement are a draft and one in
        # review: choosing "other" must not reveal that they are parties.
        assert shown(get(client, country="other")) == []

    def test_a_draft_institution_is_not_a_filter_value(self, client, agreement_world):
        assert_bad_request(
            get(client, actor="hidden-body"), "There is no institution “hidden-body”."
        )

    def test_it_hides_drafts_matching_every_filter(self, client, agreement_world):
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
    def test_it_sorts_by_date_and_title_both_ways(self, client, agreement_world, sort, expected):
        assert shown(get(client, sort=sort)) == expected

    def test_a_year_only_date_sorts_before_the_months_of_that_year(self, client, agreement_world):
        add_agreement("year-only", title="Year Only", year=2020)
        order = shown(get(client, sort="date"))
        assert (
            order.index("year-only") < order.index("space-mou") < order.index("hydrogen-framework")
        )
        order = shown(get(client, sort="-date"))
        assert (
            order.index("hydrogen-framework") < order.index("space-mou") < order.index("year-only")
        )

    def test_the_chosen_sort_is_selected_in_the_form(self, client, agreement_world):
        assertContains(get(client, sort="-title"), '<option value="-title" selected>')


class TestSearch:
    def test_it_finds_words_in_titles_and_summaries(self, client, agreement_world):
        # Title of one, summary of another; drafts never.
        assert set(shown(get(client, q="hydrogen"))) == {
            "hydrogen-framework",
            "clean-energy-partnership",
        }

    def test_every_word_must_match(self, client, agreement_world):
        assert shown(get(client, q="hydrogen ammonia")) == ["hydrogen-framework"]
        assert shown(get(client, q="hydrogen lunar")) == []

    def test_a_title_match_ranks_first(self, client, agreement_world):
        assert shown(get(client, q="hydrogen")) == [
            "hydrogen-framework",
            "clean-energy-partnership",
        ]

    def test_a_chosen_sort_overrides_the_ranking(self, client, agreement_world):
        assert shown(get(client, q="hydrogen", sort="title")) == [
            "clean-energy-partnership",
            "hydrogen-framework",
        ]

    def test_the_empty_state_offers_to_drop_a_word(self, client, agreement_world):
        response = get(client, q="zeppelin")
        assertContains(response, "Nothing matches these filters.")
        assertContains(response, "or a word from the search")


class TestFacets:
    def test_counts_without_filters(self, client, agreement_world):
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

    def test_institution_facets_leave_out_unpublished_institutions(self, client, agreement_world):
        response = get(client)
        assert facet_counts(response, "actor") == {"isro": 2, "jaxa": 2, "meti": 2}
        assert facet_counts(response, "country") == {"japan": 4, "india": 2}
        assertNotContains(response, "Hidden Body")
        assertNotContains(response, "Reviewed Body")

    def test_drafts_do_not_count(self, client, agreement_world):
        response = get(client)
        assert "treaty" not in facet_counts(response, "kind")
        assert "secret-tag" not in facet_counts(response, "tag")
        assertNotContains(response, "secret-tag")

    def test_a_single_choice_facet_counts_what_choosing_each_option_gives(
        self, client, agreement_world
    ):
        response = get(client, kind="framework", sector="space")
        # Other kinds count with the sector filter applied but not the kind filter.
        assert facet_counts(response, "kind") == {"framework": 1, "mou": 1}
        for kind, n in facet_counts(response, "kind").items():
            assert len(shown(get(client, kind=kind, sector="space"))) == n
        for status, n in facet_counts(response, "status").items():
            assert len(shown(get(client, kind="framework", sector="space", status=status))) == n
        for year, n in facet_counts(response, "year").items():
            assert len(shown(get(client, kind="framework", sector="space", year=year))) == n

    def test_a_repeatable_facet_counts_within_the_current_results(self, client, agreement_world):
        response = get(client, kind="framework")
        # Energy counts the hydrogen framework too, as ?sector=energy would find it.
        assert facet_counts(response, "sector") == {"energy": 2, "hydrogen": 1, "space": 1}
        assert facet_counts(response, "actor") == {"jaxa": 1, "meti": 1}
        assert facet_counts(response, "tag") == {"startups": 2, "satellites": 1}

    def test_a_country_counts_each_agreement_once(self, client, agreement_world):
        # space-mou has JAXA twice (two roles) and ISRO: one Japanese agreement, not two.
        response = get(client, sector="space")
        assert facet_counts(response, "country") == {"japan": 2, "india": 1}

    def test_options_link_to_the_filtered_list(self, client, agreement_world):
        response = get(client, sector="space", page="1")
        # A repeatable facet adds its value; a single-choice facet replaces; page is dropped.
        assert facet_option(response, "sector", "energy").url == "?sector=space&sector=energy"
        assert facet_option(response, "kind", "mou").url == "?sector=space&kind=mou"
        selected = facet_option(response, "sector", "space")
        assert selected.selected and selected.url == "?"
        response = get(client, kind="mou")
        assert facet_option(response, "kind", "framework").url == "?kind=framework"
        assert facet_option(response, "kind", "mou").url == "?"

    def test_the_selected_option_is_marked(self, client, agreement_world):
        assertContains(get(client, kind="mou"), '<a href="?" aria-current="true" class="selected">')

    def test_facet_counts_are_on_the_page(self, client, agreement_world):
        assertContains(get(client), '<span class="count" aria-label="2 results">2</span>')

    @pytest.fixture
    def crowded(self, agreement_world):
        actors = [add_actor(f"body-{i:02}", name=f"Body {i:02}") for i in range(20)]
        return add_agreement(
            "crowded", title="Crowded", parties=actors, kind="mou", sectors=[agreement_world.space]
        )

    def test_a_long_facet_shows_its_top_8_and_says_how_many_there_are(self, client, crowded):
        response = get(client, kind="mou")
        options = facet_counts(response, "actor")
        assert len(options) == 8
        assert "body-19" not in options
        (facet,) = [f for f in response.context["facets"] if f["param"] == "actor"]
        # The 20 bodies of the crowded agreement and the space MoU's isro and jaxa.
        assert facet["total"] == 22
        assert facet["show_all_url"] == "?kind=mou&show=actor"
        assertContains(
            response,
            '<a href="?kind=mou&amp;show=actor#facet-actor">Show all 22'
            '<span class="visually-hidden"> Institution options</span></a>',
        )

    def test_a_short_facet_has_no_show_all_link(self, client, crowded):
        (facet,) = [f for f in get(client).context["facets"] if f["param"] == "status"]
        assert len(facet["options"]) == facet["total"]
        assert facet["show_all_url"] == ""

    def test_the_selected_option_is_kept_past_the_top_8(self, client, crowded):
        options = facet_counts(get(client, actor="body-19"), "actor")
        assert len(options) == 9
        assert options["body-19"] == 1

    def test_show_all_lists_every_option_of_that_facet_and_keeps_the_other_filters(
        self, client, crowded
    ):
        response = get(client, sector="space", actor="body-03", show="actor")
        options = facet_counts(response, "actor")
        assert len(options) == 20  # counted within the results: the crowded agreement
        assert shown(response) == ["crowded"]
        (facet,) = [f for f in response.context["facets"] if f["param"] == "actor"]
        assert facet["expanded"] and facet["show_all_url"] == ""
        assert facet["show_fewer_url"] == "?sector=space&actor=body-03"
        # Choosing an option keeps the facet unfolded.
        assert facet_option(response, "actor", "body-04").url == (
            "?sector=space&actor=body-03&actor=body-04&show=actor"
        )

    def test_show_all_stops_at_its_maximum_with_a_note(self, client, crowded, monkeypatch):
        monkeypatch.setattr("ijtech.browse.SHOW_ALL_MAX", 10)
        response = get(client, show="actor")
        assert len(facet_counts(response, "actor")) == 10
        assertContains(response, "The 10 with the most results of 23;")

    def test_showing_a_facet_that_does_not_exist_is_a_400(self, client, agreement_world):
        assert_bad_request(get(client, show="colour"), "show: &#x27;colour&#x27; is not a filter")


class TestActiveFilters:
    def test_each_chip_removes_exactly_its_own_filter(self, client, agreement_world):
        response = get(
            client, sector=["space", "energy"], kind="mou", q="space", year_from="2000", page="1"
        )
        assert chips(response) == {
            "Remove filter: Sector Space": "?sector=energy&kind=mou&q=space&year_from=2000",
            "Remove filter: Sector Clean energy": "?sector=space&kind=mou&q=space&year_from=2000",
            "Remove filter: Kind of instrument Memorandum of understanding": (
                "?sector=space&sector=energy&q=space&year_from=2000"
            ),
            "Remove filter: Search space": "?sector=space&sector=energy&kind=mou&year_from=2000",
            "Remove filter: From year 2000": "?sector=space&sector=energy&kind=mou&q=space",
        }
        assertContains(response, '<a class="chip-clear" href="/agreements/">Clear all</a>')

    def test_sort_page_and_show_are_not_filters(self, client, agreement_world):
        response = get(client, sort="title", show="tag", page="1")
        assert chips(response) == {}
        assertNotContains(response, "Clear all</a></li>")

    def test_removing_the_search_forgets_how_it_was_read(self, client, agreement_world):
        response = get(client, q="space", literal="1", kind="mou")
        assert chips(response)["Remove filter: Search space"] == "?kind=mou"

    def test_a_filter_that_matches_nothing_keeps_its_label(self, client, agreement_world):
        response = get(client, sector="hydrogen", kind="framework", status="announced")
        assert shown(response) == []
        assert set(chips(response)) == {
            "Remove filter: Sector Hydrogen",
            "Remove filter: Kind of instrument Partnership framework",
            "Remove filter: Status Announced",
        }

    def test_the_filters_summary_counts_the_active_filters(self, client, agreement_world):
        assertContains(
            get(client, sector="space", kind="mou"),
            '<span class="filters-active">(2 active)</span>',
        )
        assertNotContains(get(client), "filters-active")


class TestPagination:
    @pytest.fixture
    def many(self, agreement_world):
        for i in range(30):
            add_agreement(
                f"extra-{i:02}",
                title=f"Extra {i:02}",
                sectors=[agreement_world.digital],
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

    def test_a_page_past_the_end_of_one_page(self, client, agreement_world):
        assert_bad_request(
            get(client, page="2"), "Page 2 does not exist; there is 1 page of results."
        )

    @pytest.mark.parametrize("page", ["abc", "1.5", "-", "0"])
    def test_a_page_that_is_not_a_page_number_is_a_400(self, client, agreement_world, page):
        html = assert_bad_request(get(client, page=page))
        assert f"“{page}” is not a page number." in html or f"Page {page} does not" in html

    def test_with_one_page_there_are_no_page_links(self, client, agreement_world):
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
    def test_an_invalid_value_is_a_400_with_a_clear_message(
        self, client, agreement_world, params, message
    ):
        response = get(client, **params)
        assert_bad_request(response, message)
        assertContains(response, "No results shown", status_code=400)
        assertContains(response, 'href="/agreements/">Clear all filters</a>', status_code=400)

    def test_the_bad_field_is_marked_in_the_form(self, client, agreement_world):
        response = get(client, year_from="2020", year_to="2010")
        assertContains(
            response, 'aria-invalid="true" aria-describedby="e-year-to"', status_code=400
        )

    def test_the_values_are_escaped(self, client, agreement_world):
        response = get(client, sector="<script>x</script>")
        html = assert_bad_request(response)
        assert "<script>x</script>" not in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    def test_the_list_runs_a_fixed_number_of_queries(
        self, client, source, warm_content_types, django_assert_num_queries, n
    ):
        add_agreement_crowd(n, source)
        client.get(LIST)  # warm up
        # 1 count, 2 page of rows, 3 sectors prefetch, 4 parties prefetch (with actors),
        # 5-11 one per facet: sector, kind, status, country, institution, tag, year;
        # 12 agreements per year by kind, 13 by status (the charts).
        # The facets counted afresh, not read from the fragment cache the warm-up
        # filled (tests/test_http_caching.py counts that).
        cache.clear()
        with django_assert_num_queries(13):
            response = client.get(LIST)
        assert len(shown(response)) == n

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_filtered_list_runs_a_fixed_number_of_queries(
        self, client, source, warm_content_types, django_assert_num_queries, n
    ):
        space = add_agreement_crowd(n, source)
        params = {"sector": space.slug, "tag": "crowd", "kind": "framework"}
        client.get(LIST, params)
        # 1 sector and 2 tag: check the slugs exist; 3 count, 4 rows, 5 sectors prefetch,
        # 6 parties prefetch; one query per facet, reusing the checked slugs: 7 sector,
        # 8 kind, 9 status, 10 country, 11 institution, 12 tag, 13 year; the charts of the
        # filtered agreements: 14 per year by kind, 15 by status.
        # The facets counted afresh, not read from the fragment cache the warm-up
        # filled (tests/test_http_caching.py counts that).
        cache.clear()
        with django_assert_num_queries(15):
            response = client.get(LIST, params)
        assert len(shown(response)) == n
