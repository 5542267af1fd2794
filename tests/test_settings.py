import pytest

from tests.factories import run, start

GOOD_KEY = "k" * 20 + "-a-long-random-production-secret-key-0123456789"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS must name"),
        ({"DATABASE_URL": "mysql://root@localhost/ijtech"}, "DATABASE_URL must point at SQLite"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DB_CONN_MAX_AGE": "soon"}, "DB_CONN_MAX_AGE must be a whole number"),
    ],
)
def test_a_bad_value_stops_the_start_with_a_message_naming_it(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_a_fresh_clone_starts_on_sqlite_with_debug_on():
    result = run(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_database_url_selects_postgresql():
    result = run(
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ijtech",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "ijtech", "127.0.0.1", "5432"]


def test_production_settings_pass_the_deployment_checks():
    result = run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="ijtech.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
