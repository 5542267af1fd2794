"""Sources, sectors and tags that published records show change only through a reviewer,
and a stale save of any of them is refused instead of overwriting someone else's work."""

import pytest
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from ijtech.models import Source
from sectors.models import Sector
from tests.conftest import cite, make_agreement, make_milestone, publish
from tests.test_admin import formset

pytestmark = pytest.mark.django_db

TAGGED_ITEMS = "taggit_taggeditem_items"
CONFLICT = "Your changes have not been saved"


def url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


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


def tag_form(client, tag, items=(), initial_items=0, **fields):
    """The tag's change form as the browser would send it, with the token it was drawn with."""
    token = client.get(url(tag)).context["adminform"].form.initial["token"]
    return {"name": tag.name, "slug": tag.slug, "token": token, **fields} | formset(
        TAGGED_ITEMS, items, initial=initial_items
    )


def tagged_item_row(record):
    from django.contrib.contenttypes.models import ContentType

    return {
        "content_type": str(ContentType.objects.get_for_model(record).pk),
        "object_id": str(record.pk),
    }


@pytest.fixture
def published_agreement(source, sector):
    agreement = make_agreement()
    agreement.sectors.set([sector])
    agreement.tags.add("5g")
    return publish(agreement, source)


# --- Sources ------------------------------------------------------------------------------


def test_it_refuses_an_editor_who_changes_a_source_published_records_cite(
    client, editor, published_agreement, source
):
    client.force_login(editor)
    response = client.post(url(source), source_form(source, 1, title="Rewritten live"))
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.title == "A Test Report"


def test_an_editor_changes_a_source_only_drafts_cite(client, editor, source):
    cite(make_milestone(), source)
    client.force_login(editor)
    response = client.post(url(source), source_form(source, 1, title="Corrected title"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "Corrected title"


def test_a_reviewer_changes_a_source_published_records_cite(
    client, reviewer, published_agreement, source
):
    client.force_login(reviewer)
    response = client.post(url(source), source_form(source, 1, title="Corrected title"))
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
    assert client.post(url(source), source_form(source, 1, title="First")).status_code == 302
    second = client.post(url(source), source_form(source, 1, note="Second"))
    assert second.status_code == 200
    page = second.content.decode()
    assert "This source was changed by eda" in page
    assert CONFLICT in page
    source.refresh_from_db()
    assert (source.title, source.note) == ("First", "")


# --- Sectors ------------------------------------------------------------------------------


def test_it_refuses_an_editor_who_changes_a_sector_published_records_use(
    client, editor, published_agreement, sector
):
    client.force_login(editor)
    response = client.post(url(sector), sector_form(sector, 1, description="Live edit"))
    assert response.status_code == 403
    sector.refresh_from_db()
    assert sector.description == "Space cooperation."


def test_it_refuses_an_editor_who_changes_a_parent_of_a_sector_in_use(client, editor, source):
    parent = Sector.objects.create(name="Energy", slug="energy")
    child = Sector.objects.create(name="Hydrogen", slug="hydrogen", parent=parent)
    agreement = make_agreement()
    agreement.sectors.set([child])
    publish(agreement, source)
    client.force_login(editor)
    response = client.post(url(parent), sector_form(parent, 1, name="Renamed live"))
    assert response.status_code == 403


def test_it_refuses_an_editor_who_deletes_a_sector_published_records_use(
    client, editor, published_agreement, sector
):
    client.force_login(editor)
    response = client.post(url(sector, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert list(published_agreement.sectors.all()) == [sector]


def test_a_reviewer_is_told_which_published_records_keep_a_sector(
    client, reviewer, published_agreement, sector
):
    client.force_login(reviewer)
    response = client.post(url(sector, "delete"), {"post": "yes"})
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
    make_agreement().sectors.set([sector])
    client.force_login(editor)
    response = client.post(url(sector, "delete"), {"post": "yes"})
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
    first = client.post(url(sector), sector_form(sector, 1, description="First"))
    assert first.status_code == 302
    second = client.post(url(sector), sector_form(sector, 1, name="Second"))
    assert second.status_code == 200
    page = second.content.decode()
    assert "This sector was changed by eda" in page
    assert CONFLICT in page
    sector.refresh_from_db()
    assert (sector.name, sector.description) == ("Space", "First")


# --- Tags ---------------------------------------------------------------------------------


def test_it_refuses_an_editor_who_renames_a_tag_published_records_use(
    client, editor, published_agreement
):
    tag = Tag.objects.get(name="5g")
    client.force_login(editor)
    item = TaggedItem.objects.get(tag=tag)
    data = tag_form(
        client, tag, [tagged_item_row(published_agreement) | {"id": str(item.pk)}], 1, name="6g"
    )
    response = client.post(url(tag), data)
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.name == "5g"


def test_it_refuses_an_editor_who_tags_a_published_record_through_the_tag(
    client, editor, published_agreement
):
    tag = Tag.objects.create(name="draft-only", slug="draft-only")
    client.force_login(editor)
    response = client.post(url(tag), tag_form(client, tag, [tagged_item_row(published_agreement)]))
    assert response.status_code == 200
    assert "Only reviewers can change the tags of a published record" in (response.content.decode())
    assert not published_agreement.tags.filter(name="draft-only").exists()


def test_an_editor_tags_a_draft_through_the_tag(client, editor):
    draft = make_milestone()
    tag = Tag.objects.create(name="quantum", slug="quantum")
    client.force_login(editor)
    response = client.post(url(tag), tag_form(client, tag, [tagged_item_row(draft)]))
    assert response.status_code == 302
    assert list(draft.tags.names()) == ["quantum"]


def test_an_editor_adds_a_tag(client, editor):
    client.force_login(editor)
    data = {"name": "quantum", "slug": "quantum", "token": ""} | formset(TAGGED_ITEMS)
    response = client.post(reverse("admin:taggit_tag_add"), data)
    assert response.status_code == 302
    assert Tag.objects.filter(name="quantum").exists()


def test_it_refuses_an_editor_who_deletes_a_tag_published_records_use(
    client, editor, published_agreement
):
    tag = Tag.objects.get(name="5g")
    client.force_login(editor)
    assert client.post(url(tag, "delete"), {"post": "yes"}).status_code == 403
    assert list(published_agreement.tags.names()) == ["5g"]


def test_a_reviewer_renames_a_tag_published_records_use(client, reviewer, published_agreement):
    tag = Tag.objects.get(name="5g")
    item = TaggedItem.objects.get(tag=tag)
    client.force_login(reviewer)
    data = tag_form(
        client, tag, [tagged_item_row(published_agreement) | {"id": str(item.pk)}], 1, name="5G"
    )
    response = client.post(url(tag), data)
    assert response.status_code == 302
    assert list(published_agreement.tags.names()) == ["5G"]


def test_it_refuses_an_editor_who_merges_tags(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:taggit_tag_merge_tags"))
    assert response.status_code == 403


def test_a_stale_save_of_a_tag_is_refused(client, editor):
    tag = Tag.objects.create(name="quantum", slug="quantum")
    client.force_login(editor)
    opened = tag_form(client, tag)  # both editors open the tag here
    first = client.post(url(tag), opened | {"name": "Quantum"})
    assert first.status_code == 302
    second = client.post(url(tag), opened | {"slug": "quantum-tech"})
    assert second.status_code == 200
    page = second.content.decode()
    assert "This tag was changed by eda" in page
    assert CONFLICT in page
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Quantum", "quantum")
