import pytest

from tests.factories import add_actor, add_agreement, add_milestone, add_sector


@pytest.fixture
def world(db):
    w = type("World", (), {})()
    w.energy = add_sector("energy", name="Clean energy", order=1, description="Low carbon.")
    w.hydrogen = add_sector("hydrogen", parent=w.energy, name="Hydrogen")
    w.space = add_sector("space", name="Space", order=2)
    w.jaxa = add_actor("jaxa", name="JAXA Agency", sectors=[w.space])
    w.meti = add_actor("meti", name="METI Ministry")
    w.nedo = add_actor("nedo", name="NEDO Organisation", sectors=[w.hydrogen])
    w.hidden = add_actor("hidden-body", "draft", name="Hidden Body", sectors=[w.energy])
    w.h2 = add_agreement(
        "h2-deal",
        title="Hydrogen Deal",
        year=2020,
        month=12,
        day=8,
        sectors=[w.hydrogen],
        parties=[w.meti, w.hidden],
    )
    w.both = add_agreement(
        "both-deal", title="Energy and Hydrogen Deal", year=1985, sectors=[w.energy, w.hydrogen]
    )
    w.space_deal = add_agreement("space-deal", title="Space Deal", sectors=[w.space])
    w.draft = add_agreement(
        "draft-deal", "draft", title="Draft Deal", sectors=[w.energy, w.space], parties=[w.hidden]
    )
    w.m1 = add_milestone(
        "h2-launch", title="Hydrogen Launch", year=2021, month=3, sectors=[w.hydrogen]
    )
    w.m2 = add_milestone(
        "energy-summit", title="Energy Summit", year=2021, sectors=[w.energy, w.hydrogen]
    )
    w.m3 = add_milestone(
        "energy-context",
        title="Energy Context",
        year=1960,
        date_qualifier="decade",
        sectors=[w.energy],
    )
    w.m4 = add_milestone(
        "review-ms", "in_review", title="Review Milestone", year=2021, sectors=[w.energy]
    )
    return w
