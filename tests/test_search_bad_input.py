"""Every surface that takes `q` answers a bad search with a 400 that says what is wrong, and
a search with query-language operators in it as plain words: never a 500, never the
database's own error.

/pledges/ takes no `q` (its view reads only `page`), so it is not among the surfaces.
"""

import json

import pytest

from tests.factories import add_milestone, cite
from tests.factories import body as read

pytestmark = pytest.mark.django_db

# (path, what it answers in)
SURFACES = [
    ("/search/", "html"),
    ("/search/export.csv", "csv"),
    ("/search/export.json", "json"),
    ("/api/search/", "json"),
    ("/agreements/", "html"),
    ("/milestones/", "html"),
    ("/milestones/timeline/", "html"),
    ("/actors/", "html"),
    ("/sectors/", "html"),
    ("/sources/", "html"),
    ("/agreements/export.csv", "csv"),
    ("/agreements/export.json", "json"),
    ("/milestones/export.csv", "csv"),
    ("/milestones/export.json", "json"),
    ("/actors/export.csv", "csv"),
    ("/actors/export.json", "json"),
    ("/sectors/export.csv", "csv"),
    ("/sectors/export.json", "json"),
    ("/sources/export.csv", "csv"),
    ("/sources/export.json", "json"),
    ("/api/agreements/", "json"),
    ("/api/milestones/", "json"),
    ("/api/actors/", "json"),
    ("/api/sectors/", "json"),
    ("/api/sources/", "json"),
]

NO_WORD = "Type at least one word or number to search for."

# The surfaces that exist only to search; the search page shows its form when empty.
SEARCH_ONLY = {"/search/export.csv", "/search/export.json", "/api/search/"}

# (id, q, status, what the answer must say)
INPUTS = [
    ("empty", "", 200, None),
    ("double-quote", '"', 400, NO_WORD),
    ("hyphen", "-", 400, NO_WORD),
    ("asterisk-caret", "*^", 400, NO_WORD),
    ("stop-word", "the", 400, "too common"),
    ("stop-words", "of the and", 400, "too common"),
    ("1000-characters", ("japan " * 200)[:1000], 400, "too long"),
    ("nul-byte", "space\x00", 400, None),
    ("AND", "space AND japan", 200, None),
    ("NEAR", "space NEAR japan", 200, None),
    ("trailing-star", "space*", 200, None),
    ("open-quote", '"space', 200, None),
    ("leading-caret", "^space", 200, None),
    ("column-filter", "title:space", 200, None),
    ("open-parenthesis", "(space", 200, None),
]

# What SQLite FTS5 and PostgreSQL say when a query reaches them unparsed.
LEAKS = [
    "fts5",
    "syntax error",
    "malformed match",
    "no such column",
    "unterminated string",
    "tsquery",
    "OperationalError",
    "ProgrammingError",
    "DatabaseError",
    "Traceback",
]


@pytest.fixture
def records(published_agreement, actor, source):
    """Something for each search to find: an agreement on space, ISRO, a milestone."""
    milestone = add_milestone("2023-space-launch", title="Space launch with Japan", year=2023)
    cite(milestone, source)
    return published_agreement, actor, milestone


@pytest.mark.parametrize(("url", "answers"), SURFACES, ids=[url for url, _ in SURFACES])
@pytest.mark.parametrize(
    ("q", "status", "message"),
    [case[1:] for case in INPUTS],
    ids=[case[0] for case in INPUTS],
)
def test_it_answers_a_bad_search_with_what_is_wrong(
    client, records, url, answers, q, status, message
):
    if not q and url in SEARCH_ONLY:
        # A list without a search is the whole list; a search without words is no answer.
        status, message = 400, NO_WORD
    response = client.get(url, {"q": q})
    body = read(response).decode("utf-8", "replace")
    assert response.status_code == status, body[:1000]
    for leak in LEAKS:
        assert leak.casefold() not in body.casefold(), f"{leak!r} in the answer"
    if answers == "json":
        assert response["Content-Type"].startswith("application/json"), body[:200]
        payload = json.loads(body)
        if status == 400:
            # The JSON names the problem, whatever key it is under.
            assert payload, body
    if message:
        assert message in body, body[:1000]
    if status == 400 and answers == "html":
        assert 'role="alert"' in body, "the message is not shown in the page's error box"


@pytest.mark.parametrize(("url", "answers"), SURFACES, ids=[url for url, _ in SURFACES])
def test_it_searches_operators_as_plain_words(client, records, url, answers):
    # "space AND japan" is the two words space and japan: the milestone has both.
    response = client.get(url, {"q": "space AND japan"})
    assert response.status_code == 200
    if url in ("/search/", "/api/search/", "/milestones/", "/api/milestones/"):
        assert "2023-space-launch" in read(response).decode() or (
            "Space launch with Japan" in read(response).decode()
        )
