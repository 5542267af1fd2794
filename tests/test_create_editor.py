"""create_editor: a staff account in a role, its password asked for or read from stdin."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from ijtech.roles import EDITORS, REVIEWERS

pytestmark = pytest.mark.django_db


def create(*args, stdin=""):
    out = io.StringIO()
    call_command("create_editor", *args, "--password-stdin", stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_it_reads_the_password_from_stdin():
    assert "Created editor 'asha'" in create("asha", stdin="Quiet-Harbour-2931\n")
    user = User.objects.get(username="asha")
    assert user.is_staff
    assert user.check_password("Quiet-Harbour-2931")
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]


def test_it_creates_a_reviewer_and_reads_only_the_first_line():
    create("kenji", "--role", "reviewer", stdin="Quiet-Harbour-2931\nsecond line\n")
    user = User.objects.get(username="kenji")
    assert user.check_password("Quiet-Harbour-2931")
    assert user.groups.get().name == REVIEWERS


def test_it_refuses_an_empty_password():
    with pytest.raises(CommandError, match="No password on standard input"):
        create("asha", stdin="\n")
    assert not User.objects.exists()


def test_it_refuses_a_weak_password_with_the_validators_message():
    with pytest.raises(CommandError, match="This password is too short") as refused:
        create("asha", stdin="abc\n")
    assert "not created" in str(refused.value)
    assert not User.objects.exists()


def test_a_refused_password_exits_non_zero(tmp_path):
    # Run as a script would run it, through manage.py, against its own database.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    weak = subprocess.run(
        [*manage, "create_editor", "asha", "--password-stdin"],
        env=env,
        input="password\n",
        capture_output=True,
        text=True,
    )
    assert weak.returncode != 0
    assert "too common" in weak.stderr
    strong = subprocess.run(
        [*manage, "create_editor", "asha", "--password-stdin"],
        env=env,
        input="Quiet-Harbour-2931\n",
        capture_output=True,
        text=True,
    )
    assert strong.returncode == 0, strong.stderr
