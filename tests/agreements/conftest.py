from decimal import Decimal

import pytest

from ijtech.models import Disagreement
from tests.factories import add_actor, add_agreement, add_milestone, add_sector, base_world, cite


@pytest.fixture
def agreement_world(db):
    """Five published agreements, one draft and one in review, with what they link to."""
    w = base_world()
    w.meti = add_actor("meti", name="Ministry of Economy, Trade and Industry", acronym="METI")
    w.reviewed = add_actor("reviewed-body", "in_review", name="Reviewed Body", country="other")
    w.sixties = add_agreement(
        "sixties-exchange",
        title="Sixties Exchange Programme",
        kind="programme",
        status="unknown",
        year=1960,
        date_qualifier="decade",
    )
    w.st = add_agreement(
        "st-agreement",
        title="Science and Technology Agreement",
        kind="iga",
        status="in_force",
        year=1985,
        sectors=[w.digital],
        parties=[w.isro, w.meti],
        summary="The founding agreement on science cooperation.",
    )
    w.space_mou = add_agreement(
        "space-mou",
        title="Space Cooperation MoU",
        kind="mou",
        status="in_force",
        year=2020,
        month=10,
        sectors=[w.space],
        parties=[w.isro, w.jaxa, (w.jaxa, "implementer"), w.hidden],
        tags=["satellites"],
        builds_on=[w.st],
        summary="Lunar exploration and satellite navigation.",
    )
    w.h2 = add_agreement(
        "hydrogen-framework",
        title="Hydrogen Framework",
        kind="framework",
        status="concluded",
        year=2020,
        month=12,
        day=8,
        sectors=[w.hydrogen],
        parties=[w.meti],
        tags=["startups"],
        summary="Ammonia supply chains.",
    )
    w.clean = add_agreement(
        "clean-energy-partnership",
        title="Clean Energy Partnership",
        kind="framework",
        status="announced",
        year=2022,
        date_qualifier="circa",
        sectors=[w.energy, w.space],
        parties=[w.jaxa, w.reviewed],
        tags=["satellites", "startups"],
        supersedes=[w.h2],
        summary="Hydrogen and batteries, with satellite monitoring.",
    )
    w.draft = add_agreement(
        "draft-deal",
        "draft",
        title="Draft Deal",
        kind="mou",
        status="in_force",
        year=2020,
        sectors=[w.space, w.digital],
        parties=[w.isro],
        tags=["satellites", "secret-tag"],
    )
    w.review = add_agreement(
        "review-deal",
        "in_review",
        title="Review Deal",
        kind="treaty",
        year=2021,
        sectors=[w.space],
        parties=[w.jaxa],
        tags=["satellites"],
    )
    return w


@pytest.fixture
def milestone_world(db):
    w = base_world()
    w.mou = add_agreement("space-mou", title="Space Cooperation MoU", kind="mou")
    w.secret_deal = add_agreement("secret-deal", "draft", title="Secret Deal")
    w.signing = add_milestone(
        "space-signing",
        title="Space MoU Signing",
        kind="signing",
        year=2020,
        month=10,
        sectors=[w.space],
        actors=[w.isro, w.jaxa],
        agreement=w.mou,
        tags=["satellites"],
        summary="The two agencies signed in Tokyo.",
    )
    w.summit = add_milestone(
        "tokyo-summit",
        title="Tokyo Summit",
        kind="summit",
        year=2018,
        sectors=[w.space, w.digital],
        actors=[w.jaxa, w.hidden],
        tags=["summits", "satellites"],
        summary="Leaders met in Tokyo.",
    )
    w.pledge = add_milestone(
        "hydrogen-pledge",
        title="Hydrogen Investment Pledge",
        kind="pledge",
        year=2022,
        date_qualifier="circa",
        sectors=[w.hydrogen, w.energy],
        actors=[w.jaxa],
        agreement=w.secret_deal,
        amount=Decimal("5.000"),
        unit="trillion JPY",
        deadline_year=2027,
        delivery_note="Half delivered by 2024.",
    )
    w.context = add_milestone(
        "sixties-context",
        title="Sixties Context",
        kind="context",
        year=1960,
        date_qualifier="decade",
    )
    w.launch = add_milestone(
        "digital-launch",
        title="Digital Launch",
        kind="launch",
        year=2020,
        month=12,
        day=8,
        sectors=[w.digital],
        actors=[w.isro],
    )
    w.draft = add_milestone(
        "secret-summit",
        "draft",
        title="Secret Summit",
        kind="summit",
        year=2020,
        sectors=[w.space],
        actors=[w.isro],
        agreement=w.mou,
        tags=["satellites", "secret-tag"],
    )
    w.review = add_milestone(
        "review-pledge",
        "in_review",
        title="Review Pledge",
        kind="pledge",
        year=2019,
        sectors=[w.digital],
        amount=Decimal("1"),
        unit="billion USD",
    )
    return w


@pytest.fixture
def milestone_crowd(source):
    def make(n):
        sectors = [add_sector(f"c-{i}") for i in range(3)]
        actors = [add_actor(f"c-body-{i}") for i in range(3)]
        agreement = add_agreement("c-agreement")
        for i in range(n):
            milestone = add_milestone(
                f"c-{n}-{i:02}",
                kind="pledge",
                year=2000 + i,
                sectors=sectors,
                actors=actors,
                tags=["crowd", f"t{i}"],
                agreement=agreement,
                amount=Decimal(i),
                unit="USD",
            )
            cite(milestone, source)
            Disagreement.objects.create(target=milestone, aspect="date", explanation="x")
        return sectors

    return make
