"""The search engine itself (ijtech/search.py): parsing, matching, ranking, the index."""

import pytest
from django.core.management import call_command

from ijtech import search
from ijtech.models import SearchEntry, SearchWord
from tests.factories import DRAFT, add_actor, add_agreement, add_sector

pytestmark = pytest.mark.django_db


def found(query, **kwargs):
    return [entry.title for entry in search.search_records(query, **kwargs).entries]


class TestParse:
    def test_it_splits_on_punctuation_and_lowers_case(self):
        assert [t.text for t in search.parse("Space, (ISRO)! JAXA?")] == ["space", "isro", "jaxa"]

    def test_it_keeps_hyphenated_words_together_as_a_compound(self):
        (term,) = search.parse("Cyber-Security")
        assert term.parts == ("cyber", "security")
        assert term.joined == "cybersecurity"

    def test_it_keeps_decimal_numbers_whole(self):
        assert [t.text for t in search.parse("Digital Partnership 2.0")] == [
            "digital",
            "partnership",
            "2.0",
        ]

    def test_it_drops_stop_words_and_fts_operators_are_plain_words(self):
        assert [t.text for t in search.parse("space AND the NEAR japan*")] == [
            "space",
            "near",
            "japan",
        ]

    def test_it_drops_repeated_words(self):
        assert [t.text for t in search.parse("space Space SPACE")] == ["space"]

    @pytest.mark.parametrize(
        "query, message",
        [
            ('"*^', search.NO_WORD_MESSAGE),
            ("the of", "“the”, “of” are too common to search for; add a more specific word."),
            ("space\x00", search.NUL_MESSAGE),
            ("x" * 201, "The search is too long (201 characters); use at most 200."),
        ],
        ids=["punctuation", "stop words", "nul", "too long"],
    )
    def test_it_refuses_what_cannot_be_searched(self, query, message):
        with pytest.raises(search.SearchError) as refused:
            search.parse(query)
        assert refused.value.messages == [message]


class TestMatching:
    def test_short_words_match_whole_words_only(self):
        add_agreement("ai", title="AI initiative")
        add_agreement("chain", title="Supply chain aid")
        assert found("AI") == ["AI initiative"]

    def test_longer_words_also_match_as_prefixes(self):
        add_agreement("semi", title="Semiconductor partnership")
        assert found("semicon") == ["Semiconductor partnership"]

    def test_word_forms_match_by_stem(self):
        add_agreement("mou", title="Agreements on satellites")
        assert found("agreement satellite") == ["Agreements on satellites"]

    def test_a_hyphenated_query_finds_the_words_apart_or_joined(self):
        add_agreement("apart", title="Cyber security pact")
        add_agreement("joined", title="Cybersecurity dialogue")
        assert sorted(found("cyber-security")) == ["Cyber security pact", "Cybersecurity dialogue"]

    def test_every_word_must_match(self):
        add_agreement("h2", title="Hydrogen and ammonia")
        assert found("hydrogen ammonia") == ["Hydrogen and ammonia"]
        assert found("hydrogen navigation") == []

    def test_operators_in_the_query_are_searched_as_words(self):
        add_agreement("near", title="Near-space research")
        assert found("NEAR* ^space") == ["Near-space research"]


class TestRanking:
    def test_an_exact_name_comes_first(self):
        add_actor("isro", name="Indian Space Research Organisation", acronym="ISRO")
        add_agreement("isro-mou", title="ISRO and JAXA MoU on ISRO launches")
        assert found("isro")[0] == "Indian Space Research Organisation"

    def test_a_title_match_beats_a_summary_match(self):
        add_agreement("a", title="Maritime note", summary="On hydrogen", year=2024)
        add_agreement("b", title="Hydrogen framework", year=2001)
        assert found("hydrogen") == ["Hydrogen framework", "Maritime note"]

    def test_equal_ranks_list_the_newest_first(self):
        add_agreement("old", title="Space pact", year=2001)
        add_agreement("new", title="Space accord", year=2020)
        assert found("space") == ["Space accord", "Space pact"]


class TestTypoTolerance:
    def test_a_misspelt_long_word_is_corrected_to_the_nearest_word(self):
        add_agreement("h2", title="Hydrogen framework")
        results = search.search_records("hydrogn framework")
        assert results.plan.corrected
        assert results.plan.searched_for == "hydrogen framework"
        assert [e.title for e in results.entries] == ["Hydrogen framework"]

    def test_short_words_are_never_corrected(self):
        add_agreement("jaxa", title="JAXA accord")
        results = search.search_records("JAXO")
        assert not results.plan.corrected
        assert results.count == 0

    def test_a_word_the_index_holds_is_not_corrected(self):
        add_agreement("ports", title="Ports accord")
        add_agreement("sports", title="Sports accord")
        assert not search.plan("ports").corrected

    def test_it_can_search_the_words_as_typed(self):
        add_agreement("h2", title="Hydrogen framework")
        assert search.search_records("hydrogn", correct=False).count == 0


class TestSnippets:
    def test_it_marks_the_matches_and_escapes_the_text(self):
        add_agreement("x", title="Pact", summary="<b>Hydrogen</b> & ammonia for ports")
        results = search.search_records("hydrogen")
        (hit,) = results.hits(results.entries)
        assert hit.snippet == "&lt;b&gt;<mark>Hydrogen</mark>&lt;/b&gt; &amp; ammonia for ports"


class TestTheIndex:
    def test_it_holds_only_public_records(self):
        add_agreement("shown", title="Shown accord")
        add_agreement("hidden", title="Hidden accord", editorial=DRAFT)
        assert found("accord") == ["Shown accord"]

    def test_a_rebuild_gives_the_same_index(self):
        add_agreement("a", title="Space accord")
        add_sector("space", name="Space")
        before = sorted(SearchEntry.objects.values_list("kind", "title", "keys"))
        SearchEntry.objects.all().delete()
        assert search.rebuild() == len(before)
        assert sorted(SearchEntry.objects.values_list("kind", "title", "keys")) == before

    def test_the_command_rebuilds_it(self, capsys):
        add_agreement("a", title="Space accord")
        SearchEntry.objects.all().delete()
        call_command("rebuild_search_index")
        assert "Indexed" in capsys.readouterr().out
        assert found("space") == ["Space accord"]

    def test_it_is_built_after_migrate_when_records_predate_it(self):
        add_agreement("a", title="Space accord")
        SearchEntry.objects.all().delete()
        search.build_if_empty(sender=None)
        assert found("space") == ["Space accord"]

    def test_paused_writes_leave_the_index_alone(self):
        with search.paused():
            add_agreement("a", title="Space accord")
        assert found("space") == []

    def test_the_vocabulary_holds_the_words_of_public_records(self):
        add_agreement("a", title="Shinkansen accord")
        assert SearchWord.objects.filter(word="shinkansen").exists()
