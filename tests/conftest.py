"""Fixtures shared by the tests; what they build with is in tests/factories.py."""

import shutil
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech import content_version
from ijtech.models import Disagreement, Source
from ijtech.roles import EDITORS, REVIEWERS
from sectors.models import Sector
from tests.factories import (
    DRAFT,
    FIXTURES,
    UNPUBLISHED,
    add_actor,
    add_agreement,
    add_cited_actor,
    add_cited_agreement,
    add_cited_milestone,
    add_milestone,
    add_sector,
    add_user,
    cite,
    dispute_the_year,
    publish,
)


@pytest.fixture(scope="module")
def loaded_corpus(django_db_setup, django_db_blocker):
    """The corpus in fixtures/, loaded once for a module and rolled back after it.

    Loading takes some 20 seconds, so a module's tests share one load; each test still runs
    in its own savepoint (the `db` fixture), so what one test changes the next never sees.
    """
    # The data version and zip are cached by content; entries from other tests must not leak in.
    cache.clear()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_corpus", verbosity=0)
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_content_version():
    """Each test reads the content version from its own database, not one a test before it
    left in this process's memory; and no fragment cached under it in another test leaks in.
    """
    content_version.forget()
    cache.clear()
    yield
    content_version.forget()


@pytest.fixture
def fresh_cache():
    """An empty cache, so a cached data version or zip from another test is never served."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return add_user("eda", EDITORS)


@pytest.fixture
def reviewer(db):
    return add_user("rex", REVIEWERS)


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


@pytest.fixture
def warm_content_types(db):
    """Fill the per-process ContentType cache, so query counts measure the page alone."""
    ContentType.objects.clear_cache()
    return ContentType.objects.get_for_models(Agreement, Milestone, Actor)


@pytest.fixture
def published_agreement(source, sector):
    agreement = add_agreement(editorial=DRAFT)
    agreement.sectors.set([sector])
    agreement.tags.add("5g")
    return publish(agreement, source)


@pytest.fixture
def other_source(db):
    return Source.objects.create(slug="other-source", title="Another Report", kind="official")


@pytest.fixture
def api_corpus(source, other_source, sector, actor):
    """A small published corpus, with a draft and an in-review record of each kind."""
    digital = Sector.objects.create(name="Digital", slug="digital")
    meti = add_cited_actor("meti", source=source, name="Ministry of Economy", acronym="METI")
    railway = add_cited_agreement(
        "2015-high-speed-rail",
        source,
        title="High-speed rail MoC",
        kind="moc",
        status="in_force",
        year=2015,
        month=12,
        day=12,
        summary="Shinkansen technology for the Mumbai–Ahmedabad line.",
        sectors=[digital],
        parties=[meti],
        tags=["Railways"],
    )
    space = add_cited_agreement(
        "2018-space-mou",
        source,
        title="Space cooperation MoU",
        kind="mou",
        status="concluded",
        year=2018,
        sectors=[sector],
        parties=[actor, meti],
        tags=["Satellites", "Lunar"],
    )
    dispute_the_year(space, source, other_source)
    summit = add_cited_milestone(
        "2018-annual-summit",
        source,
        title="Annual summit in Tokyo",
        kind="summit",
        year=2018,
        month=10,
        agreement=space,
        sectors=[sector],
        actors=[actor],
        tags=["Satellites"],
    )
    pledge = add_cited_milestone(
        "2022-investment-pledge",
        source,
        title="Five trillion yen pledge",
        kind="pledge",
        year=2022,
        amount=Decimal("5"),
        unit="trillion JPY",
        deadline_year=2027,
        delivery_note="Partly delivered.",
        agreement=railway,
        sectors=[digital],
        actors=[meti],
    )
    for status in UNPUBLISHED:
        add_agreement(f"hidden-agreement-{status}", editorial=status, year=2018)
        add_milestone(f"hidden-milestone-{status}", editorial=status, year=2018)
        add_cited_actor(f"hidden-actor-{status}", status=status)
    return {
        "railway": railway,
        "space": space,
        "summit": summit,
        "pledge": pledge,
        "meti": meti,
        "digital": digital,
    }


@pytest.fixture
def treaty(db, source, actor):
    agreement = add_agreement(
        "2008-security-declaration",
        title="Joint Declaration on Security Cooperation",
        kind="iga",
        year=2008,
        month=10,
        day=22,
        summary="A declaration on security.",
        editorial=DRAFT,
    )
    agreement.tags.add("security")
    japan = actor.__class__.objects.create(
        name="Ministry of Foreign Affairs of Japan",
        acronym="MOFA",
        slug="mofa",
        country="japan",
        kind="ministry",
    )
    publish(japan, source)
    AgreementParty.objects.create(agreement=agreement, actor=actor)
    AgreementParty.objects.create(agreement=agreement, actor=japan)
    return publish(agreement, source)


@pytest.fixture
def corpus_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def export_corpus(db, source, sector, actor):
    """Two published agreements, one draft, one in review; milestones likewise."""
    digital = Sector.objects.create(name="Digital & Telecom", slug="digital")
    space = add_agreement(
        "2018-space-mou",
        title="Space MoU",
        kind="mou",
        year=2018,
        month=10,
        day=29,
        summary="On space.",
        editorial=DRAFT,
    )
    space.sectors.add(sector)
    space.tags.add("satellites", "launch")
    AgreementParty.objects.create(agreement=space, actor=actor, role="signatory")
    hidden_actor = Actor.objects.create(
        name="Draft Institute", slug="draft-institute", country="japan", kind="research"
    )
    AgreementParty.objects.create(agreement=space, actor=hidden_actor, role="implementer")
    publish(space, source)
    second = Source.objects.create(slug="second", title="Second Source", kind="official")
    cite(space, second)
    Disagreement.objects.create(target=space, aspect="date", explanation="Two dates.")

    digital_deal = add_agreement(
        "2020-digital-framework",
        title="Digital Framework",
        kind="framework",
        year=2020,
        date_qualifier="circa",
        editorial=DRAFT,
    )
    digital_deal.sectors.add(digital)
    publish(digital_deal, source)

    for status in UNPUBLISHED:
        draft = add_agreement(f"hidden-{status}", title=f"Hidden {status}", editorial=status)
        draft.sectors.add(sector)
        cite(draft, source)
        add_milestone(f"hidden-ms-{status}", editorial=status).sectors.add(sector)

    launch = add_milestone(
        "2023-launch",
        title="Launch",
        kind="launch",
        year=2023,
        month=1,
        agreement=space,
        editorial=DRAFT,
    )
    launch.actors.add(actor, hidden_actor)
    launch.sectors.add(sector)
    publish(launch, source)
    pledge = add_milestone(
        "2022-pledge",
        title="Five Trillion Yen",
        kind="pledge",
        year=2022,
        amount="5.000",
        unit="trillion JPY",
        deadline_year=2027,
        editorial=DRAFT,
    )
    publish(pledge, source)
    return {"space": space, "digital": digital_deal, "launch": launch, "pledge": pledge}


@pytest.fixture
def feed_milestones(db, source, sector):
    made = {
        "old": publish(
            add_milestone("1958-first-loan", title="First Yen Loan", year=1958, editorial=DRAFT),
            source,
        ),
        "mid": publish(
            add_milestone(
                "2020-oct", title="October", year=2020, month=10, summary="R&D <b>", editorial=DRAFT
            ),
            source,
        ),
        "new": publish(
            add_milestone(
                "2024-summit", title="Summit", year=2024, month=8, day=29, editorial=DRAFT
            ),
            source,
        ),
    }
    made["new"].sectors.add(sector)
    for status in UNPUBLISHED:
        cite(
            add_milestone(
                f"hidden-{status}", title=f"Hidden {status}", year=2025, editorial=status
            ),
            source,
        )
    return made


@pytest.fixture
def site_world(db):
    w = type("World", (), {})()
    w.energy = add_sector("energy", name="Clean energy", order=1)
    w.hydrogen = add_sector("hydrogen", parent=w.energy, name="Hydrogen")
    w.space = add_sector("space", name="Space", order=2)
    w.h2_deal = add_agreement(
        "hydrogen-framework",
        title="Hydrogen Framework",
        year=2020,
        summary="Ammonia supply chains.",
        sectors=[w.energy],
    )
    w.battery = add_agreement(
        "battery-deal",
        title="Battery Partnership",
        year=2021,
        summary="Batteries and green hydrogen storage.",
        sectors=[w.energy, w.space],
    )
    w.sat = add_agreement(
        "satellite-mou",
        title="Satellite MoU",
        year=2019,
        summary="Navigation satellites.",
        sectors=[w.space],
    )
    w.draft = add_agreement(
        "hydrogen-secret", "draft", title="Hydrogen Secret", year=2022, sectors=[w.energy]
    )
    w.m1 = add_milestone(
        "summit-2020",
        title="Tokyo Summit",
        year=2020,
        month=10,
        summary="Leaders discussed hydrogen.",
    )
    w.m2 = add_milestone("launch-2020", title="Launch", year=2020)
    w.m3 = add_milestone("signing-2020", title="Signing", year=2020, month=12, day=8)
    w.m4 = add_milestone("context-1960s", title="Context", year=1960, date_qualifier="decade")
    w.m5 = add_milestone("pledge-2022", title="Pledge", year=2022, date_qualifier="circa")
    w.hidden_m = add_milestone(
        "hidden-ms", "in_review", title="Hydrogen Hidden Milestone", year=2024
    )
    w.isro = add_actor(
        "isro",
        name="Indian Space Research Organisation",
        acronym="ISRO",
        country="india",
        description="Builds satellites.",
    )
    w.h2_body = add_actor(
        "h2-association", name="Hydrogen Association", description="Industry body."
    )
    w.hidden_a = add_actor("hydrogen-ghost", "draft", name="Hydrogen Ghost Body")
    w.source = Source.objects.create(slug="s", title="S", kind="report")
    return w
