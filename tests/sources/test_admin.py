"""The source admin: what editors may change in sources records cite."""

import pytest
from django.urls import reverse

from ijtech.models import Source
from tests.factories import CONFLICT, DRAFT, add_milestone, admin_url, cite

pytestmark = pytest.mark.django_db


def source_form(source, version, **fields):
    return {
        "slug": source.slug,
        "authors": source.authors,
        "title": source.title,
        "publisher": "",
        "year": str(source.year or ""),
        "month": "",
        "day": "",
        "url": "",
        "kind": source.kind,
        "note": "",
        "version": str(version),
        **fields,
    }


# --- Sources ------------------------------------------------------------------------------


def test_it_refuses_an_editor_who_changes_a_source_published_records_cite(
    client, editor, published_agreement, source
):
    client.force_login(editor)
    response = client.post(admin_url(source), source_form(source, 1, title="Rewritten live"))
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.title == "A Test Report"


def test_an_editor_changes_a_source_only_drafts_cite(client, editor, source):
    cite(add_milestone(editorial=DRAFT), source)
    client.force_login(editor)
    response = client.post(admin_url(source), source_form(source, 1, title="Corrected title"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "Corrected title"


def test_a_reviewer_changes_a_source_published_records_cite(
    client, reviewer, published_agreement, source
):
    client.force_login(reviewer)
    response = client.post(admin_url(source), source_form(source, 1, title="Corrected title"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "Corrected title"


def test_an_editor_adds_a_source(client, editor):
    client.force_login(editor)
    new = Source(slug="new-source", title="New", kind="report")
    data = source_form(new, 1) | {"version": ""}
    response = client.post(reverse("admin:ijtech_source_add"), data)
    assert response.status_code == 302
    assert Source.objects.get(slug="new-source").version == 1


def test_a_stale_save_of_a_source_is_refused(client, editor, source):
    client.force_login(editor)
    assert client.post(admin_url(source), source_form(source, 1, title="First")).status_code == 302
    second = client.post(admin_url(source), source_form(source, 1, note="Second"))
    assert second.status_code == 200
    page = second.content.decode()
    assert "This source was changed by eda" in page
    assert CONFLICT in page
    source.refresh_from_db()
    assert (source.title, source.note) == ("First", "")
