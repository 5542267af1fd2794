"""The tag admin: what editors may change in tags records use."""

import pytest
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from tests.factories import CONFLICT, DRAFT, add_milestone, admin_url, formset

pytestmark = pytest.mark.django_db


TAGGED_ITEMS = "taggit_taggeditem_items"


def tag_form(client, tag, items=(), initial_items=0, **fields):
    """The tag's change form as the browser would send it, with the token it was drawn with."""
    token = client.get(admin_url(tag)).context["adminform"].form.initial["token"]
    return {"name": tag.name, "slug": tag.slug, "token": token, **fields} | formset(
        TAGGED_ITEMS, items, initial=initial_items
    )


def tagged_item_row(record):
    from django.contrib.contenttypes.models import ContentType

    return {
        "content_type": str(ContentType.objects.get_for_model(record).pk),
        "object_id": str(record.pk),
    }


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
    response = client.post(admin_url(tag), data)
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.name == "5g"


def test_it_refuses_an_editor_who_tags_a_published_record_through_the_tag(
    client, editor, published_agreement
):
    tag = Tag.objects.create(name="draft-only", slug="draft-only")
    client.force_login(editor)
    response = client.post(
        admin_url(tag), tag_form(client, tag, [tagged_item_row(published_agreement)])
    )
    assert response.status_code == 200
    assert "Only reviewers can change the tags of a published record" in (response.content.decode())
    assert not published_agreement.tags.filter(name="draft-only").exists()


def test_an_editor_tags_a_draft_through_the_tag(client, editor):
    draft = add_milestone(editorial=DRAFT)
    tag = Tag.objects.create(name="quantum", slug="quantum")
    client.force_login(editor)
    response = client.post(admin_url(tag), tag_form(client, tag, [tagged_item_row(draft)]))
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
    assert client.post(admin_url(tag, "delete"), {"post": "yes"}).status_code == 403
    assert list(published_agreement.tags.names()) == ["5g"]


def test_a_reviewer_renames_a_tag_published_records_use(client, reviewer, published_agreement):
    tag = Tag.objects.get(name="5g")
    item = TaggedItem.objects.get(tag=tag)
    client.force_login(reviewer)
    data = tag_form(
        client, tag, [tagged_item_row(published_agreement) | {"id": str(item.pk)}], 1, name="5G"
    )
    response = client.post(admin_url(tag), data)
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
    first = client.post(admin_url(tag), opened | {"name": "Quantum"})
    assert first.status_code == 302
    second = client.post(admin_url(tag), opened | {"slug": "quantum-tech"})
    assert second.status_code == 200
    page = second.content.decode()
    assert "This tag was changed by eda" in page
    assert CONFLICT in page
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Quantum", "quantum")
