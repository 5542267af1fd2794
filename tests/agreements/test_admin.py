import pytest
from django.urls import reverse

from agreements.models import Milestone
from ijtech.models import Citation, EditorialStatus
from sectors.models import Sector
from tests.factories import (
    ADD,
    DRAFT,
    add_milestone,
    change_url,
    citation_row,
    cite,
    milestone_form,
)

pytestmark = pytest.mark.django_db


def test_an_editor_adds_a_cited_milestone_and_sends_it_for_review(client, editor, source):
    client.force_login(editor)
    response = client.post(ADD, milestone_form("in_review", [citation_row(source)]))
    assert response.status_code == 302, response.context["errors"]
    milestone = Milestone.objects.get()
    assert milestone.editorial_status == EditorialStatus.IN_REVIEW
    assert milestone.citations.get().source == source


def test_the_add_form_accepts_the_empty_version_a_browser_sends(client, editor, source):
    client.force_login(editor)
    response = client.post(ADD, milestone_form("draft", [citation_row(source)]) | {"version": ""})
    assert response.status_code == 302
    assert Milestone.objects.get().version == 1


def test_an_editor_cannot_publish(client, editor, source):
    client.force_login(editor)
    response = client.post(ADD, milestone_form("published", [citation_row(source)]))
    assert response.status_code == 200
    assert not Milestone.objects.exists()
    assert "published is not one of the available choices" in str(
        response.context["adminform"].form.errors["editorial_status"]
    )


def test_an_editor_is_not_offered_the_publish_action(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:agreements_milestone_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "send_for_review" in actions
    assert "publish" not in actions


def test_an_editor_cannot_unpublish_a_record(client, editor, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    milestone.publish()
    client.force_login(editor)
    response = client.post(change_url(milestone), milestone_form("draft", version=2))
    assert response.status_code == 200
    assert "draft is not one of the available choices" in str(
        response.context["adminform"].form.errors["editorial_status"]
    )
    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.PUBLISHED


def test_a_reviewer_cannot_publish_without_a_citation(client, reviewer):
    client.force_login(reviewer)
    response = client.post(ADD, milestone_form("published"))
    assert response.status_code == 200
    assert not Milestone.objects.exists()
    assert "at least one citation" in response.content.decode()


def test_a_reviewer_publishes_a_cited_record(client, reviewer, source):
    milestone = add_milestone(editorial=EditorialStatus.IN_REVIEW)
    client.force_login(reviewer)
    response = client.post(
        change_url(milestone),
        milestone_form("published", [citation_row(source)], version=milestone.version),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.editorial_status == EditorialStatus.PUBLISHED


def test_removing_the_last_citation_of_a_published_record_is_refused(client, reviewer, source):
    milestone = add_milestone(editorial=DRAFT)
    citation = cite(milestone, source)
    milestone.publish()
    client.force_login(reviewer)
    row = citation_row(source, id=str(citation.pk), DELETE="on")
    response = client.post(
        change_url(milestone),
        milestone_form("published", [row], version=milestone.version, initial_citations=1),
    )
    assert response.status_code == 200
    assert "at least one citation" in response.content.decode()
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_the_publish_action_skips_records_without_citations(client, reviewer, source):
    cited = add_milestone("cited", editorial=EditorialStatus.IN_REVIEW)
    cite(cited, source)
    bare = add_milestone("bare", editorial=EditorialStatus.IN_REVIEW)
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:agreements_milestone_changelist"),
        {"action": "publish", "_selected_action": [cited.pk, bare.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "1 record(s) published." in messages
    assert any("Not published, because they have no citation: Bare" in m for m in messages)
    cited.refresh_from_db()
    bare.refresh_from_db()
    assert cited.editorial_status == EditorialStatus.PUBLISHED
    assert bare.editorial_status == EditorialStatus.IN_REVIEW


def test_a_concurrent_edit_is_refused_and_nothing_is_lost(client, editor, reviewer, source):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    opened_version = milestone.version  # both people open the form at this version
    client.force_login(editor)
    first = client.post(
        change_url(milestone),
        milestone_form("draft", version=opened_version, summary="First editor's summary."),
    )
    assert first.status_code == 302
    client.force_login(reviewer)
    second = client.post(
        change_url(milestone),
        milestone_form("draft", version=opened_version, summary="Second editor's summary."),
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "This record was changed by eda" in page
    assert "Your changes have not been saved" in page
    milestone.refresh_from_db()
    assert milestone.summary == "First editor's summary."


def test_every_change_is_kept_with_its_author(client, editor, source):
    client.force_login(editor)
    client.post(ADD, milestone_form("draft", [citation_row(source)]))
    milestone = Milestone.objects.get()
    client.post(
        change_url(milestone),
        milestone_form("in_review", version=milestone.version, title="Renamed summit"),
    )
    history = list(milestone.history.order_by("history_date"))
    assert [h.title for h in history] == ["15th Annual Summit", "Renamed summit"]
    assert {h.history_user for h in history} == {editor}
    assert [h.history_type for h in history] == ["+", "~"]


def test_a_reviewer_reverts_to_an_earlier_version(client, reviewer, source):
    milestone = add_milestone(title="Original title", editorial=DRAFT)
    cite(milestone, source)
    milestone.title = "Mistaken title"
    milestone.save()
    original = milestone.history.earliest("history_date")
    client.force_login(reviewer)
    url = reverse(
        "admin:agreements_milestone_simple_history", args=[milestone.pk, original.history_id]
    )
    form = client.get(url)
    assert form.status_code == 200
    data = milestone_form("draft", title="Original title", version=milestone.version)
    response = client.post(url, data)
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Original title"
    assert milestone.history.count() == 3


def test_a_save_that_races_past_the_form_check_is_refused(client, editor, source, monkeypatch):
    from ijtech.admin import EditorialAdminForm

    milestone = add_milestone(summary="Before.", editorial=DRAFT)
    cite(milestone, source)
    original_clean = EditorialAdminForm.clean

    def clean_then_lose_the_race(form):
        cleaned = original_clean(form)
        # Someone else's save lands after the check and before this one writes.
        Milestone.objects.filter(pk=milestone.pk).update(summary="Theirs.", version=99)
        return cleaned

    monkeypatch.setattr(EditorialAdminForm, "clean", clean_then_lose_the_race)
    client.force_login(editor)
    response = client.post(
        change_url(milestone),
        milestone_form("draft", version=milestone.version, summary="Mine."),
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("was changed by someone else" in m for m in messages)
    milestone.refresh_from_db()
    # The stand-in for the other save ran inside this request's transaction, so the
    # rollback undid it too; what matters is that "Mine." never overwrote anything.
    assert milestone.summary == "Before."


def test_a_change_of_sectors_is_kept_in_history(client, editor, source, sector):
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    client.force_login(editor)
    client.post(
        change_url(milestone),
        milestone_form("draft", version=milestone.version, sectors=[str(sector.pk)]),
    )
    latest = milestone.history.latest("history_date")
    assert list(latest.sectors.values_list("sector__slug", flat=True)) == ["space"]
    assert latest.history_user == editor


def test_the_revert_form_offers_that_versions_sectors(client, reviewer, source, sector):
    other = Sector.objects.create(name="Digital", slug="digital")
    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    milestone.sectors.set([sector])
    then = milestone.history.latest("history_date")
    milestone.sectors.set([other])
    client.force_login(reviewer)
    url = reverse("admin:agreements_milestone_simple_history", args=[milestone.pk, then.history_id])
    form = client.get(url).context["adminform"].form
    assert list(form.initial["sectors"]) == [sector.pk]
    response = client.post(
        url, milestone_form("draft", version=milestone.version, sectors=[str(sector.pk)])
    )
    assert response.status_code == 302
    assert list(milestone.sectors.all()) == [sector]


def test_the_changelist_drills_down_from_decade_to_year(client, editor):
    for slug, year in (("old", 1985), ("mid", 2014), ("new", 2018)):
        add_milestone(slug, year=year, editorial=DRAFT)
    client.force_login(editor)
    url = reverse("admin:agreements_milestone_changelist")
    response = client.get(url, {"decade": "2010"})
    assert {m.slug for m in response.context["cl"].result_list} == {"mid", "new"}
    specs = response.context["cl"].filter_specs
    years = next(f for f in specs if getattr(f, "parameter_name", None) == "year")
    assert [value for value, _ in years.lookup_choices] == ["2018", "2014"]
    response = client.get(url, {"decade": "2010", "year": "2014"})
    assert [m.slug for m in response.context["cl"].result_list] == ["mid"]


def test_a_bad_drill_down_value_is_not_a_server_error(client, editor):
    add_milestone(year=2018, editorial=DRAFT)
    client.force_login(editor)
    response = client.get(reverse("admin:agreements_milestone_changelist"), {"year": "abc"})
    assert response.status_code == 302
    assert "e=1" in response.url


def test_a_change_of_tags_is_kept_with_its_author(client, editor, source):
    from taggit.models import TaggedItem

    milestone = add_milestone(editorial=DRAFT)
    cite(milestone, source)
    client.force_login(editor)
    client.post(
        change_url(milestone),
        milestone_form("draft", version=milestone.version, tags="quantum, semiconductors"),
    )
    added = TaggedItem.history.filter(object_id=milestone.pk, history_type="+")
    assert sorted(h.tag.name for h in added) == ["quantum", "semiconductors"]
    assert {h.history_user for h in added} == {editor}
