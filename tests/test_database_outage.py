"""
A database that is down or too slow: pages answer 503 with Retry-After (JSON under /api/),
the health endpoints say what is up, and the 503 page itself needs no database.
"""

import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

PROBE = """
import json, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for url in ("/", "/agreements/", "/milestones/", "/api/agreements/", "/healthz", "/readyz"):
    r = client.get(url)
    out[url] = {
        "status": r.status_code,
        "retry_after": r.get("Retry-After"),
        "type": r.get("Content-Type"),
        "cache": r.get("Cache-Control"),
        "body": r.content.decode()[:3000],
    }
print(json.dumps(out))
"""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens here once the socket is closed


def probe(database_url: str) -> tuple[dict, str]:
    """GET a few pages in a fresh process whose database is `database_url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DEBUG", "LOG_"))}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="ijtech.settings_test")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), result.stderr


@pytest.fixture(scope="module")
def postgres_down():
    return probe(f"postgres://postgres@127.0.0.1:{closed_port()}/ijtech")


def test_a_page_answers_503_with_retry_after_when_postgresql_is_unreachable(postgres_down):
    answers, _ = postgres_down
    for url in ("/", "/agreements/", "/milestones/"):
        page = answers[url]
        assert page["status"] == 503, (url, page["body"])
        assert page["retry_after"] == "30"
        assert page["type"].startswith("text/html")
        assert "The database is not answering" in page["body"]
        # The site's own layout, with its navigation, not a bare error.
        assert 'class="site-header"' in page["body"]


def test_the_api_answers_503_in_json_when_postgresql_is_unreachable(postgres_down):
    answers, _ = postgres_down
    api = answers["/api/agreements/"]
    assert api["status"] == 503
    assert api["retry_after"] == "30"
    assert api["type"] == "application/json"
    assert json.loads(api["body"]) == {
        "detail": "The database is not answering. Please try again in a moment."
    }


def test_health_says_the_process_is_up_and_readiness_says_the_database_is_not(postgres_down):
    answers, _ = postgres_down
    assert answers["/healthz"]["status"] == 200
    assert json.loads(answers["/healthz"]["body"]) == {"status": "ok"}
    assert answers["/readyz"]["status"] == 503
    assert json.loads(answers["/readyz"]["body"]) == {"status": "unavailable", "database": False}
    for url in ("/healthz", "/readyz"):
        assert "no-cache" in answers[url]["cache"] and "no-store" in answers[url]["cache"]


def test_an_outage_is_logged_once_per_request_without_a_traceback(postgres_down):
    _, log = postgres_down
    lines = [line for line in log.splitlines() if "database unavailable" in line]
    # "/", "/agreements/", "/milestones/", "/api/agreements/" failed; /readyz only reports.
    assert len(lines) == 4, log
    assert 'path="/agreements/"' in log or '"/agreements/"' in log
    assert "Traceback" not in log


def test_a_page_answers_503_when_the_sqlite_file_cannot_be_opened(tmp_path):
    answers, _ = probe(f"sqlite:///{tmp_path}/missing-dir/db.sqlite3")
    assert answers["/agreements/"]["status"] == 503
    assert answers["/api/agreements/"]["status"] == 503
    assert answers["/readyz"]["status"] == 503
    assert answers["/healthz"]["status"] == 200


@pytest.mark.django_db
def test_readiness_is_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


@pytest.fixture
def database_down(monkeypatch):
    """Call it to make every database access fail, as when the server refuses connections."""

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    return lambda: monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.mark.django_db
def test_the_503_page_of_a_signed_in_editor_needs_no_database(client, editor, database_down):
    client.force_login(editor)  # a session cookie, so the user would be looked up if asked
    database_down()
    response = client.get("/admin/agreements/agreement/")
    assert response.status_code == 503
    assert "The database is not answering" in response.content.decode()


@pytest.mark.django_db
def test_a_lost_connection_is_a_503_too(client, monkeypatch):
    def closed(self):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", closed)
    assert client.get("/agreements/").status_code == 503


def test_only_errors_that_pass_are_treated_as_an_outage():
    import sqlite3

    from ijtech.middleware import database_unavailable

    def wrapped(cause):
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error

    assert database_unavailable(wrapped(sqlite3.OperationalError("database is locked")))
    assert database_unavailable(wrapped(sqlite3.OperationalError("unable to open database file")))
    # A query SQLite can never run is a bug to fix, not an outage to wait out.
    assert not database_unavailable(wrapped(sqlite3.OperationalError("no such table: x")))
    assert not database_unavailable(ValueError("not a database error"))

    class PostgresError(Exception):
        def __init__(self, sqlstate):
            self.sqlstate = sqlstate

    assert database_unavailable(wrapped(PostgresError("57014")))  # statement timeout
    assert database_unavailable(wrapped(PostgresError("57P01")))  # server shutting down
    assert database_unavailable(wrapped(PostgresError("08006")))  # connection failure
    assert not database_unavailable(wrapped(PostgresError("54001")))  # statement too complex


@pytest.mark.django_db
def test_a_refused_connection_is_logged_as_one_clear_line(client, database_down, caplog):
    database_down()
    with caplog.at_level(logging.WARNING):
        client.get("/agreements/?q=secret-word")
    outage = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(outage) == 1
    assert "Connection refused" in outage[0].getMessage()
    assert "/agreements/" in outage[0].getMessage()
    assert "secret-word" not in caplog.text


def test_health_probes_over_plain_http_are_not_redirected_to_https():
    # Load balancers probe over HTTP; a redirect would read as "down".
    code = (
        "import django; django.setup(); "
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        "from django.test import Client; c = Client(); "
        "print(c.get('/healthz').status_code, c.get('/agreements/').status_code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DEBUG", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="ijtech.settings_test",
        DEBUG="false",
        SECRET_KEY="probe-test-only-" + "k" * 50,
        ALLOWED_HOSTS="testserver",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True,
        cwd=settings.BASE_DIR, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["200", "301"]
