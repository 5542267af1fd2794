"""The Editors and Reviewers groups, found from the models, hold exactly these permissions."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from taggit.models import Tag

from agreements.models import Agreement
from ijtech import roles, workflow
from ijtech.admin import tagged_names
from ijtech.models import EditorialStatus, Source
from sectors.models import Sector

REVIEWED = ["actors.actor", "agreements.agreement", "agreements.milestone"]
SUPPORTING = [
    "agreements.agreementparty",
    "ijtech.citation",
    "ijtech.disagreement",
    "ijtech.source",
    "sectors.sector",
    "taggit.tag",
    "taggit.taggeditem",
]


def perms(labels, actions):
    return {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label in labels
        for action in actions
    }


EDITOR_PERMISSIONS = perms(REVIEWED, ["add", "change", "view"]) | perms(
    SUPPORTING, ["add", "change", "delete", "view"]
)
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS | perms(REVIEWED, ["delete", "publish"])


def held(name):
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_record_kinds_come_from_the_models():
    assert sorted(m._meta.label_lower for m in roles.reviewed_models()) == REVIEWED
    assert sorted(m._meta.label_lower for m in roles.supporting_models()) == SUPPORTING


@pytest.mark.django_db
def test_editors_hold_exactly_their_permissions():
    assert held(roles.EDITORS) == EDITOR_PERMISSIONS
    assert len(EDITOR_PERMISSIONS) == 37


@pytest.mark.django_db
def test_reviewers_hold_exactly_their_permissions():
    assert held(roles.REVIEWERS) == REVIEWER_PERMISSIONS
    assert len(REVIEWER_PERMISSIONS) == 43


@pytest.mark.django_db
def test_ensure_roles_puts_back_what_was_taken_away():
    Group.objects.get(name=roles.EDITORS).permissions.clear()
    Group.objects.get(name=roles.REVIEWERS).delete()
    roles.ensure_roles()
    assert held(roles.EDITORS) == EDITOR_PERMISSIONS
    assert held(roles.REVIEWERS) == REVIEWER_PERMISSIONS


def test_supporting_models_say_how_records_show_them():
    assert workflow.shown_through(Source) == ["citations__source"]
    assert workflow.shown_through(Sector) == ["sectors", "sectors__parent"]
    assert workflow.shown_through(Tag) == ["tags"]
    assert workflow.shown_through(Agreement) == []


def test_the_tag_message_names_the_kinds_that_take_tags():
    assert tagged_names() == "agreements and milestones"


@pytest.mark.django_db
class TestCitationCheckLeftToTheCaller:
    def unsaved(self):
        return Agreement(
            title="T", slug="t", kind="mou", year=2020, editorial_status=EditorialStatus.PUBLISHED
        )

    def test_full_clean_checks_the_saved_citations_by_default(self):
        with pytest.raises(ValidationError) as exc:
            self.unsaved().full_clean()
        assert "editorial_status" in exc.value.message_dict

    def test_a_caller_that_checks_them_itself_says_so(self):
        self.unsaved().full_clean(check_citations=False)

    def test_the_check_comes_back_after_the_block(self):
        record = self.unsaved()
        with record.citations_checked_by_caller():
            record.full_clean()
        with pytest.raises(ValidationError):
            record.full_clean()
