"""The sector admin: what editors may change in sectors records use."""

import pytest
from django.urls import reverse

from sectors.models import Sector
from tests.factories import CONFLICT, DRAFT, add_agreement, admin_url, publish

pytestmark = pytest.mark.django_db


def sector_form(sector, version, **fields):
    return {
        "name": sector.name,
        "slug": sector.slug,
        "description": sector.description,
        "parent": "",
        "order": str(sector.order),
        "version": str(version),
        **fields,
    }


# --- Sectors ------------------------------------------------------------------------------


def test_it_refuses_an_editor_who_changes_a_sector_published_records_use(
    client, editor, published_agreement, sector
):
    client.force_login(editor)
    response = client.post(admin_url(sector), sector_form(sector, 1, description="Live edit"))
    assert response.status_code == 403
    sector.refresh_from_db()
    assert sector.description == "Space cooperation."


def test_it_refuses_an_editor_who_changes_a_parent_of_a_sector_in_use(client, editor, source):
    parent = Sector.objects.create(name="Energy", slug="energy")
    child = Sector.objects.create(name="Hydrogen", slug="hydrogen", parent=parent)
    agreement = add_agreement(editorial=DRAFT)
    agreement.sectors.set([child])
    publish(agreement, source)
    client.force_login(editor)
    response = client.post(admin_url(parent), sector_form(parent, 1, name="Renamed live"))
    assert response.status_code == 403


def test_it_refuses_an_editor_who_deletes_a_sector_published_records_use(
    client, editor, published_agreement, sector
):
    client.force_login(editor)
    response = client.post(admin_url(sector, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert list(published_agreement.sectors.all()) == [sector]


def test_a_reviewer_is_told_which_published_records_keep_a_sector(
    client, reviewer, published_agreement, sector
):
    client.force_login(reviewer)
    response = client.post(admin_url(sector, "delete"), {"post": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "protected" in page
    assert str(published_agreement) in page
    assert Sector.objects.filter(pk=sector.pk).exists()
    assert list(published_agreement.sectors.all()) == [sector]


def test_the_bulk_delete_action_keeps_sectors_in_use(client, reviewer, published_agreement, sector):
    unused = Sector.objects.create(name="Unused", slug="unused")
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:sectors_sector_changelist"),
        {"action": "delete_selected", "_selected_action": [sector.pk, unused.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "protected" in response.content.decode()
    assert Sector.objects.filter(pk__in=[sector.pk, unused.pk]).count() == 2


def test_an_editor_deletes_a_sector_only_drafts_use(client, editor, sector):
    add_agreement(editorial=DRAFT).sectors.set([sector])
    client.force_login(editor)
    response = client.post(admin_url(sector, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Sector.objects.filter(pk=sector.pk).exists()


def test_it_refuses_an_editor_who_reorders_a_sector_in_use_from_the_list(
    client, editor, published_agreement, sector
):
    client.force_login(editor)
    response = client.post(
        reverse("admin:sectors_sector_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(sector.pk),
            "form-0-order": "9",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Only reviewers can change" in response.content.decode()
    sector.refresh_from_db()
    assert sector.order == 0


def test_a_stale_save_of_a_sector_is_refused(client, editor, sector):
    client.force_login(editor)
    first = client.post(admin_url(sector), sector_form(sector, 1, description="First"))
    assert first.status_code == 302
    second = client.post(admin_url(sector), sector_form(sector, 1, name="Second"))
    assert second.status_code == 200
    page = second.content.decode()
    assert "This sector was changed by eda" in page
    assert CONFLICT in page
    sector.refresh_from_db()
    assert (sector.name, sector.description) == ("Space", "First")
