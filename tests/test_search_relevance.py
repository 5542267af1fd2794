"""What a researcher expects /api/search/ to find in the real corpus, and where.

Each case is (query, kind, slug, within): the record must be first (within=1) or in the top
three (within=3). Every expectation was checked against fixtures/*.json: the words are
where the comments say, and a misspelling is one edit from the only close spelling the
corpus holds and is no prefix of any word in it.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.models import Source
from sectors.models import Sector
from tests.factories import add_agreement, cite

KINDS = ("agreement", "milestone", "institution", "sector", "source")


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The real corpus, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_corpus", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def api(corpus, db, client):
    def get(query, **params):
        response = client.get("/api/search/", {"q": query, **params})
        assert response.status_code == 200, response.content[:1000]
        assert response["Content-Type"].startswith("application/json")
        return response.json()

    return get


def hits(body):
    return [(result["type"], result["slug"]) for result in body["results"]]


# (query, kind, slug, within)
EXACT = [
    # Acronyms: the institution that bears it comes first, before the records naming it.
    ("JAXA", "institution", "jaxa", 1),
    ("ISRO", "institution", "isro", 1),
    ("DST", "institution", "dst", 1),
    ("JICA", "institution", "jica", 1),
    ("METI", "institution", "meti", 1),
    ("JETRO", "institution", "jetro", 1),
    ("MeitY", "institution", "meity", 1),
    # Three letters: whole word only, and still the institution first.
    ("NEC", "institution", "nec", 1),
    # Full names.
    ("Indian Space Research Organisation", "institution", "isro", 1),
    ("Japan Bank for International Cooperation", "institution", "jbic", 1),
    ("Department of Science and Technology", "institution", "dst", 1),
    ("Mitsubishi Heavy Industries", "institution", "mhi", 1),
    ("Japan External Trade Organization", "institution", "jetro", 1),
    # Alternative names: the versions of a disputed name the citations give.
    ("Japan Space Exploration Agency", "institution", "jaxa", 1),
    ("Nippon Electric Company", "institution", "nec", 1),
    ("Ministry of Internal Affairs & Telecommunications", "institution", "mic-japan", 1),
    ("Indo-Japan Science Collaboration", "institution", "ijsc", 3),
    ("Reciprocal Supplies & Services Agreement", "agreement", "2020-acsa", 1),
    # The signing milestone has these words in its title, so it may come first.
    (
        "Information Protection Agreement",
        "agreement",
        "2015-classified-military-information-agreement",
        3,
    ),
    ("Management Development Institute", "milestone", "2022-jica-jharkhand-micro-irrigation", 1),
    # Plurals and other word forms: the records say "semiconductor", "fellowship",
    # "Program", "agreement".
    ("semiconductors", "sector", "semiconductors", 1),
    ("fellowships", "agreement", "2017-dst-jsps-fellowship-loi", 3),
    (
        "Strategic International Cooperative Programs",
        "agreement",
        "2015-dst-jst-strategic-international-cooperative-program",
        3,
    ),
    ("Chandrayaan-5 agreements", "agreement", "2025-isro-jaxa-chandrayaan-5-agreement", 3),
    # Hyphens and other punctuation separate words.
    ("cyber-security", "sector", "cyber-security", 3),
    ("cyber-security", "agreement", "2020-cyber-security-pact", 3),
    ("Digital-Partnership", "agreement", "2025-digital-partnership-2-0", 3),
    ("high-speed rail", "sector", "high-speed-rail", 3),
    # Words found only in a citation's quote.
    ("overruns", "milestone", "2022-jica-mahsr-station-area-cooperation", 1),
    ("paradigm", "agreement", "1985-science-and-technology-agreement", 1),
    ("Ramchand", "institution", "dot", 1),
    ("Chanakyapuri", "institution", "ananta-centre", 1),
    # A sector by its name.
    ("quantum", "sector", "quantum", 3),
    # Sources by author and by title.
    ("Sakshi Gupta", "source", "gupta-india-japan-relations", 1),
    ("Maithili Sane", "source", "sane-2025-bridging-innovation", 3),
    ("Techplomacy", "source", "patel-ijcrt-techplomacy", 1),
    ("Resilience Axis", "source", "ananta-2025-resilience-axis", 3),
    # Several words, each found in a different field.
    ("Modi Ishiba", "milestone", "2025-annual-summit", 1),
    ("ISRO JAXA moon", "milestone", "2020-isro-jaxa-moon-mission-study-group", 1),
    # "AI" is a word, not the inside of "chain" or "aid".
    ("AI", "agreement", "2025-india-japan-ai-initiative", 3),
]

# (query, kind, slug, within, the spelling searched for instead)
MISSPELT = [
    ("semiconducter", "sector", "semiconductors", 3, "semiconductor"),
    ("Chandrayan", "agreement", "2025-isro-jaxa-chandrayaan-5-agreement", 3, "chandrayaan"),
    ("hydrogn", "agreement", "2025-clean-hydrogen-ammonia-partnership", 3, "hydrogen"),
    ("Mitsubshi", "institution", "mitsubishi", 3, "mitsubishi"),
    ("Shinkansan", "milestone", "1964-tokaido-shinkansen", 1, "shinkansen"),
]


def case_id(case):
    query, kind, slug, within = case[:4]
    return f"{query} -> {kind} {slug} in top {within}"


@pytest.mark.parametrize(("query", "kind", "slug", "within"), EXACT, ids=map(case_id, EXACT))
def test_it_ranks_the_record_a_researcher_expects(api, query, kind, slug, within):
    body = api(query)
    assert (kind, slug) in hits(body)[:within], hits(body)[:10]
    assert body["query"] == query
    assert body["corrected"] is False
    assert body["searched_for"] == query


@pytest.mark.parametrize(
    ("query", "kind", "slug", "within", "spelling"), MISSPELT, ids=map(case_id, MISSPELT)
)
def test_it_corrects_a_misspelt_word_and_says_so(api, query, kind, slug, within, spelling):
    body = api(query)
    assert body["query"] == query
    assert body["corrected"] is True
    assert body["searched_for"].casefold() == spelling
    assert (kind, slug) in hits(body)[:within], hits(body)[:10]


def test_it_does_not_correct_a_word_of_four_letters(api):
    # "JAXO" is one edit from "JAXA", but words under five letters are taken as typed.
    body = api("JAXO")
    assert body["corrected"] is False
    assert body["searched_for"] == "JAXO"
    assert body["count"] == 0
    assert body["results"] == []


def test_it_answers_in_the_agreed_shape(api):
    body = api("JAXA")
    assert set(body) >= {"query", "searched_for", "corrected", "count", "counts", "next"}
    assert set(body) >= {"previous", "results"}
    assert set(body["counts"]) == set(KINDS)
    assert body["count"] == sum(body["counts"].values()) == len(body["results"])
    assert body["next"] is None and body["previous"] is None
    first = body["results"][0]
    assert set(first) >= {"type", "slug", "title", "url", "date", "snippet", "rank"}
    assert first["type"] == "institution"
    assert first["slug"] == "jaxa"
    assert first["title"] == "Japan Aerospace Exploration Agency (JAXA)"  # as its page heads it
    assert urlsplit(first["url"]).path == "/actors/jaxa/"
    assert first["date"] is None  # an institution has no date
    # Where the match is shown; an acronym-only match may have no passage to show it in.
    assert any("<mark>" in result["snippet"] for result in body["results"])
    ranks = [result["rank"] for result in body["results"]]
    assert ranks == sorted(ranks, reverse=True)


def test_it_filters_by_kind(api):
    body = api("JAXA", type="agreement")
    assert body["results"]
    assert {result["type"] for result in body["results"]} == {"agreement"}
    assert all(urlsplit(r["url"]).path.startswith("/agreements/") for r in body["results"])


def test_it_pages_twenty_results_at_a_time(api, client):
    # "India" is in well over twenty records.
    body = api("India")
    assert body["count"] > 20
    assert len(body["results"]) == 20
    assert body["previous"] is None and body["next"]
    second = client.get(body["next"]).json()
    assert second["previous"]
    assert second["results"]
    assert not set(hits(second)) & set(hits(body))


# --- "AI" --------------------------------------------------------------------------------


def searchable_text(kind, slug) -> str:
    """Everything the search may match in a record, read through the ORM."""
    if kind == "sector":
        sector = Sector.objects.get(slug=slug)
        return " ".join([sector.name, sector.description])
    if kind == "source":
        source = Source.objects.get(slug=slug)
        return " ".join([source.title, source.authors, source.publisher])
    model = {"agreement": Agreement, "milestone": Milestone, "institution": Actor}[kind]
    record = model.objects.get(slug=slug)
    parts = [*record.alternative_names(), *(c.quote for c in record.citations.all())]
    parts += [sector.name for sector in record.sectors.all()]
    if kind == "institution":
        parts += [record.name, record.acronym, record.description]
    else:
        people = record.parties.all() if kind == "agreement" else record.actors.all()
        parts += [record.title, record.summary, *(tag.name for tag in record.tags.all())]
        parts += [f"{actor.name} {actor.acronym}" for actor in people]
        if kind == "milestone":
            parts.append(record.delivery_note)
    return " ".join(part for part in parts if part)


AI_WORD = re.compile(r"(?<![^\W_])ai(?![^\W_])", re.IGNORECASE)


def test_every_result_for_ai_has_ai_as_a_whole_word(api, client):
    body = api("AI")
    results = body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        results += body["results"]
    assert results
    inside_a_word = [
        (r["type"], r["slug"])
        for r in results
        if not AI_WORD.search(searchable_text(r["type"], r["slug"]))
    ]
    assert not inside_a_word, "matched only inside a word such as 'chain' or 'aid'"


ABOUT_AI = re.compile(r"(?<![^\W_])AI(?![^\W_])|artificial intelligence", re.IGNORECASE)


def test_the_top_results_for_ai_are_about_artificial_intelligence(api):
    # Three records have "AI" in their title (the AI Initiative, its launch, the AI
    # colonoscopy technology transfer) and the sector is "Artificial intelligence": these
    # outrank the summaries that mention AI among other things.
    top = api("AI")["results"][:3]
    assert len(top) == 3
    assert all(ABOUT_AI.search(result["title"]) for result in top), top


def test_ai_does_not_find_a_record_where_it_is_only_inside_words(api):
    # "chain", "aid", "Taiwan" and "Mumbai" hold the letters; none is the word AI.
    found = hits(api("AI"))
    assert ("agreement", "2025-battery-supply-chain-partnership") not in found
    assert ("institution", "supply-chain-resilience-initiative") not in found


def test_a_hyphenated_query_finds_the_joined_spelling(api, source):
    # No corpus record has "cybersecurity" without "cyber security" beside it, so one is made.
    agreement = add_agreement("2030-cybersecurity-note", title="Cybersecurity note", year=2030)
    cite(agreement, source)
    assert ("agreement", "2030-cybersecurity-note") in hits(api("cyber-security"))
