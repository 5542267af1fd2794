import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone
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


# --- Helpers for the public page tests (tests/test_views_*.py) ----------------------------

PUBLISHED = EditorialStatus.PUBLISHED
UNPUBLISHED = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW]


@pytest.fixture
def warm_content_types(db):
    """Fill the per-process ContentType cache, so query counts measure the page alone."""
    ContentType.objects.clear_cache()
    return ContentType.objects.get_for_models(Agreement, Milestone, Actor)


def add_sector(slug, parent=None, **kwargs) -> Sector:
    kwargs.setdefault("name", slug.replace("-", " ").title())
    return Sector.objects.create(slug=slug, parent=parent, **kwargs)


def add_actor(slug, editorial=PUBLISHED, *, sectors=(), **kwargs) -> Actor:
    kwargs.setdefault("name", slug.replace("-", " ").title())
    kwargs.setdefault("country", "japan")
    kwargs.setdefault("kind", "agency")
    actor = Actor.objects.create(slug=slug, editorial_status=editorial, **kwargs)
    actor.sectors.set(sectors)
    return actor


def add_agreement(
    slug, editorial=PUBLISHED, *, sectors=(), parties=(), tags=(), builds_on=(), supersedes=(), **kw
) -> Agreement:
    """An agreement with its links; `parties` holds actors or (actor, role) pairs.

    `editorial` is the editorial status; `status=` (in force, announced...) is the agreement's.
    """
    kw.setdefault("title", slug.replace("-", " ").title())
    kw.setdefault("kind", "framework")
    kw.setdefault("year", 2018)
    agreement = Agreement.objects.create(slug=slug, editorial_status=editorial, **kw)
    agreement.sectors.set(sectors)
    for party in parties:
        actor, role = party if isinstance(party, tuple) else (party, "signatory")
        AgreementParty.objects.create(agreement=agreement, actor=actor, role=role)
    agreement.builds_on.set(builds_on)
    agreement.supersedes.set(supersedes)
    if tags:
        agreement.tags.add(*tags)
    return agreement


def add_milestone(slug, editorial=PUBLISHED, *, sectors=(), actors=(), tags=(), **kw) -> Milestone:
    milestone = make_milestone(slug, status=editorial, **kw)
    milestone.sectors.set(sectors)
    milestone.actors.set(actors)
    if tags:
        milestone.tags.add(*tags)
    return milestone


def shown(response) -> list[str]:
    """Slugs of the records a list page shows, in order."""
    assert response.status_code == 200, response.content.decode()[:2000]
    return [record.slug for record in response.context["object_list"]]


def facet_counts(response, param) -> dict[str, int]:
    """{option value: count} of one facet on a list page."""
    for facet in response.context["facets"]:
        if facet["param"] == param:
            return {option.value: option.count for option in facet["options"]}
    raise AssertionError(f"no facet {param!r}")


def facet_option(response, param, value):
    for facet in response.context["facets"]:
        if facet["param"] == param:
            for option in facet["options"]:
                if option.value == value:
                    return option
    raise AssertionError(f"no option {value!r} in facet {param!r}")


def assert_bad_request(response, *messages) -> str:
    """A 400 page that explains, in its error box, what was wrong."""
    html = response.content.decode()
    assert response.status_code == 400, html[:2000]
    assert 'class="errors" role="alert"' in html
    for message in messages:
        assert message in html, f"{message!r} not on the page"
    return html


TIME_RE = re.compile(r'<time datetime="([^"]*)"[^>]*>([^<]*)</time>')
VALID_DATETIME_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def times(response) -> dict[str, str]:
    """{shown date: datetime attribute} of every <time> on a page; each must be valid."""
    found = TIME_RE.findall(response.content.decode())
    for value, text in found:
        assert VALID_DATETIME_RE.match(value), f"<time datetime={value!r}> for {text!r}"
    return {text: value for value, text in found}


def base_world():
    """What the page tests share: space, digital, clean energy with hydrogen under it;
    ISRO, JAXA and an unpublished institution."""
    w = SimpleNamespace()
    w.space = add_sector("space", name="Space")
    w.energy = add_sector("energy", name="Clean energy")
    w.hydrogen = add_sector("hydrogen", parent=w.energy, name="Hydrogen")
    w.digital = add_sector("digital", name="Digital")
    w.isro = add_actor(
        "isro", name="Indian Space Research Organisation", acronym="ISRO", country="india"
    )
    w.jaxa = add_actor("jaxa", name="Japan Aerospace Exploration Agency", acronym="JAXA")
    w.hidden = add_actor("hidden-body", "draft", name="Hidden Body", country="other")
    return w
