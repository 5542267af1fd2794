"""One structured line per request; refused and failed requests are warnings."""

import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def request_lines(caplog) -> list[tuple[int, dict]]:
    return [
        (r.levelno, json.loads(r.getMessage().removeprefix("request ")))
        for r in caplog.records
        if r.name == "ijtech.request"
    ]


def test_every_request_is_logged_in_one_line_with_its_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="ijtech.request"):
        client.get("/agreements/")
    [(level, line)] = request_lines(caplog)
    assert level == logging.INFO
    assert line.keys() == {"method", "path", "status", "duration_ms", "user"}
    assert line["method"] == "GET"
    assert line["path"] == "/agreements/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["user"] == "anonymous"


def test_a_refused_request_is_logged_as_a_warning(client, caplog):
    with caplog.at_level(logging.INFO, logger="ijtech.request"):
        response = client.get("/agreements/?year=notayear")
    assert response.status_code == 400
    [(level, line)] = request_lines(caplog)
    assert level == logging.WARNING
    assert line["status"] == 400


def test_a_forbidden_post_is_logged_as_a_warning(caplog):
    from django.test import Client

    with caplog.at_level(logging.INFO, logger="ijtech.request"):
        response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert [(lv, ln["status"]) for lv, ln in request_lines(caplog)] == [(logging.WARNING, 403)]


def test_the_log_never_holds_the_query_string_or_the_posted_password(client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.get("/search/?q=token-abc123")
        client.post("/admin/login/", {"username": "eda", "password": "hunter2-secret"})
    assert "token-abc123" not in caplog.text
    assert "hunter2-secret" not in caplog.text


def test_a_signed_in_user_is_logged_by_id(client, editor, caplog):
    client.force_login(editor)
    with caplog.at_level(logging.INFO, logger="ijtech.request"):
        client.get("/admin/")
    [(_, line)] = request_lines(caplog)
    assert line["user"] == str(editor.pk)


def test_a_missing_page_is_not_a_warning(client, caplog):
    with caplog.at_level(logging.INFO, logger="ijtech.request"):
        client.get("/nowhere/")
    assert [(lv, ln["status"]) for lv, ln in request_lines(caplog)] == [(logging.INFO, 404)]


def test_a_path_with_a_line_break_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="ijtech.request"):
        client.get("/nowhere/%0Aforged")
    [record] = [r for r in caplog.records if r.name == "ijtech.request"]
    assert "\n" not in record.getMessage()
