import pytest
from django.contrib.auth.models import Group, User

from actors.models import Actor
from agreements.models import Agreement, Milestone
from ijtech.models import Citation, EditorialStatus, Source
from ijtech.roles import EDITORS, REVIEWERS
from sectors.models import Sector


def make_user(username: str, group: str) -> User:
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("eda", EDITORS)


@pytest.fixture
def reviewer(db):
    return make_user("rex", REVIEWERS)


@pytest.fixture
def source(db):
    return Source.objects.create(
        slug="test-source", title="A Test Report", authors="A. Author", kind="report", year=2024
    )


@pytest.fixture
def sector(db):
    return Sector.objects.create(name="Space", slug="space", description="Space cooperation.")


@pytest.fixture
def actor(db, source):
    actor = Actor.objects.create(
        name="Indian Space Research Organisation",
        acronym="ISRO",
        slug="isro",
        country="india",
        kind="agency",
    )
    cite(actor, source)
    actor.publish()
    return actor


def cite(record, source, **kwargs) -> Citation:
    kwargs.setdefault("locator", "Chapter 1")
    return Citation.objects.create(target=record, source=source, **kwargs)


def make_agreement(slug="2018-digital-partnership", status=EditorialStatus.DRAFT, **kwargs):
    kwargs.setdefault("title", slug.replace("-", " ").title())
    kwargs.setdefault("kind", "framework")
    kwargs.setdefault("year", 2018)
    return Agreement.objects.create(slug=slug, editorial_status=status, **kwargs)


def make_milestone(slug="2025-annual-summit", status=EditorialStatus.DRAFT, **kwargs):
    kwargs.setdefault("title", slug.replace("-", " ").title())
    kwargs.setdefault("kind", "summit")
    kwargs.setdefault("year", 2025)
    return Milestone.objects.create(slug=slug, editorial_status=status, **kwargs)


def publish(record, source):
    cite(record, source)
    record.publish()
    return record
