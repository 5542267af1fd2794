"""How the site connects to its database: timeouts, health checks, SQLite's locking."""

import pytest
from django.db import OperationalError, connection, transaction

from tests.factories import run, start

pytestmark = pytest.mark.django_db

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(json.dumps({'options': d['OPTIONS'], 'checks': d['CONN_HEALTH_CHECKS']}))"
)


def shown(**env) -> dict:
    import json

    result = run(SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_time_out_and_are_checked_before_reuse():
    config = shown(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ijtech",
        DB_CONNECT_TIMEOUT="3",
        DB_STATEMENT_TIMEOUT="20",
        DB_CONN_MAX_AGE="60",
    )
    assert config == {
        "options": {"connect_timeout": 3, "options": "-c statement_timeout=20000"},
        "checks": True,
    }


def test_a_statement_timeout_of_zero_leaves_statements_unlimited():
    config = shown(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ijtech", DB_STATEMENT_TIMEOUT="0"
    )
    assert config["options"] == {"connect_timeout": 5}


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    config = shown(DB_BUSY_TIMEOUT="9")
    assert config["options"] == {
        "timeout": 9,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DB_CONNECT_TIMEOUT": "soon"}, "DB_CONNECT_TIMEOUT must be a whole number"),
        ({"DB_CONNECT_TIMEOUT": "0"}, "DB_CONNECT_TIMEOUT must be at least 1; got 0"),
        ({"DB_STATEMENT_TIMEOUT": "-1"}, "DB_STATEMENT_TIMEOUT must be at least 0; got -1"),
        ({"DB_BUSY_TIMEOUT": "long"}, "DB_BUSY_TIMEOUT must be a whole number"),
    ],
)
def test_a_bad_database_timeout_stops_the_start_with_a_message(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_the_sqlite_database_is_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_statement_that_runs_too_long_is_cancelled_by_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")


REPLICAS_SHOWN = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'replicas': s.DATABASE_REPLICAS, "
    "'ports': [s.DATABASES[a]['PORT'] for a in s.DATABASE_REPLICAS], "
    "'mirrors': [s.DATABASES[a]['TEST']['MIRROR'] for a in s.DATABASE_REPLICAS], "
    "'timeouts': [s.DATABASES[a]['OPTIONS'] for a in s.DATABASE_REPLICAS]}))"
)
PRIMARY = "postgres://postgres@127.0.0.1:5432/ijtech"


def test_replica_urls_add_one_alias_each_read_only_in_tests():
    import json

    result = run(
        REPLICAS_SHOWN,
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URLS="postgres://postgres@10.0.0.2:5432/ijtech, "
        "postgres://postgres@10.0.0.3:6432/ijtech",
        DB_CONNECT_TIMEOUT="3",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "replicas": ["replica1", "replica2"],
        "ports": [5432, 6432],
        "mirrors": ["default", "default"],
        "timeouts": [{"connect_timeout": 3, "options": "-c statement_timeout=30000"}] * 2,
    }


def test_without_replica_urls_there_is_only_the_primary():
    result = run(REPLICAS_SHOWN + "; print(list(s.DATABASES))", DATABASE_URL=PRIMARY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "['default']"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": f"{PRIMARY},not a url"},
            "DATABASE_REPLICA_URLS item 2 is not a usable database URL",
        ),
        (
            {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": "mysql://root@db2/ijtech"},
            "DATABASE_REPLICA_URLS item 1 must point at SQLite",
        ),
        (
            {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": "sqlite:////tmp/copy.sqlite3"},
            "DATABASE_REPLICA_URLS needs PostgreSQL streaming replicas",
        ),
        (
            {"DATABASE_REPLICA_URLS": PRIMARY},
            "DATABASE_REPLICA_URLS needs PostgreSQL streaming replicas",
        ),
    ],
)
def test_a_bad_replica_url_stops_the_start_with_a_message(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr
