"""Admin sign-in is paused for an account at an address after repeated wrong passwords."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "pw-for-tests-only"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def fail(client, username, times, address="10.0.0.1"):
    return [sign_in(client, username, "wrong", address).status_code for _ in range(times)]


def test_the_failure_limit_and_cool_off_come_from_the_environment_with_safe_defaults():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_wrong_passwords_below_the_limit_are_told_to_try_again(client, editor):
    assert fail(client, "eda", 4) == [200] * 4


def test_the_fifth_wrong_password_locks_the_account_out_at_that_address(client, editor, caplog):
    with caplog.at_level(logging.WARNING):
        statuses = fail(client, "eda", 5)
    assert statuses == [200, 200, 200, 200, 429]
    locked = sign_in(client, "eda", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-ins" in page
    assert "15 minutes" in page
    assert locked["Retry-After"] == str(15 * 60)
    assert any("sign-in locked" in r.getMessage() for r in caplog.records)
    assert any(r.name == "ijtech.request" and r.levelno == logging.WARNING for r in caplog.records)


def test_the_right_password_is_refused_too_while_locked_out(client, editor):
    fail(client, "eda", 5)
    response = sign_in(client, "eda", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_accounts_at_the_same_address_can_still_sign_in(client, editor, reviewer):
    fail(client, "eda", 5)
    other = Client()
    assert sign_in(other, "rex", PASSWORD).status_code == 302
    assert other.get("/admin/").status_code == 200


def test_the_same_account_from_another_address_is_not_locked(client, editor):
    fail(client, "eda", 5, address="10.0.0.1")
    assert sign_in(Client(), "eda", PASSWORD, address="10.0.0.2").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, editor):
    fail(client, "eda", 4)
    assert sign_in(Client(), "eda", PASSWORD).status_code == 302
    # Four more failures would have locked out without the reset.
    assert fail(client, "eda", 4) == [200] * 4


def test_an_unknown_account_is_locked_out_like_a_real_one(client):
    assert not User.objects.filter(username="ghost").exists()
    assert fail(client, "ghost", 5)[-1] == 429
