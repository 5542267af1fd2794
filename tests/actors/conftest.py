import pytest

from ijtech.models import Disagreement
from tests.factories import add_actor, add_agreement, add_milestone, add_sector, cite


@pytest.fixture
def world(db):
    w = type("World", (), {})()
    w.space = add_sector("space", name="Space")
    w.energy = add_sector("energy", name="Clean energy")
    w.dos = add_actor(
        "dos",
        name="Department of Space",
        acronym="DOS",
        country="india",
        kind="ministry",
        sectors=[w.space],
    )
    w.isro = add_actor(
        "isro",
        name="Indian Space Research Organisation",
        acronym="ISRO",
        country="india",
        parent=w.dos,
        sectors=[w.space],
        description="India's space agency.",
        website="https://www.isro.gov.in/",
    )
    w.jaxa = add_actor(
        "jaxa", name="Japan Aerospace Exploration Agency", acronym="JAXA", sectors=[w.space]
    )
    w.meti = add_actor(
        "meti",
        name="Ministry of Economy, Trade and Industry",
        acronym="METI",
        kind="ministry",
        sectors=[w.energy],
    )
    w.hidden = add_actor(
        "hidden-body", "draft", name="Hidden Body", parent=w.dos, sectors=[w.energy]
    )
    w.pending = add_actor("pending-body", "in_review", name="Pending Body", kind="ministry")
    w.orphan = add_actor("orphan", name="Orphan Agency", parent=w.pending)
    w.a1 = add_agreement(
        "space-mou", title="Space MoU", year=2020, month=10, parties=[w.isro, w.jaxa, w.hidden]
    )
    w.a2 = add_agreement(
        "energy-deal",
        title="Energy Deal",
        year=1985,
        parties=[w.isro, (w.isro, "implementer"), w.meti],
    )
    w.draft = add_agreement("draft-deal", "draft", title="Draft Deal", parties=[w.isro, w.meti])
    w.m1 = add_milestone(
        "space-signing",
        title="Space Signing",
        year=2020,
        month=10,
        day=8,
        actors=[w.isro, w.jaxa, w.pending],
    )
    w.m2 = add_milestone(
        "secret-meeting", "in_review", title="Secret Meeting", actors=[w.isro, w.meti]
    )
    return w


@pytest.fixture
def actor_crowd(source):
    """A hub institution with n partners, agreements, milestones and disputed citations."""

    def make(n):
        sector = add_sector("c-sector")
        parent = add_actor("c-parent")
        hub = add_actor("hub", name="Hub", parent=parent, sectors=[sector])
        for i in range(n):
            other = add_actor(f"c-{i:02}", parent=parent, sectors=[sector])
            add_actor(f"c-child-{i:02}", parent=hub)
            cite(other, source)
            cite(hub, source, locator=f"p. {i}")
            agreement = add_agreement(
                f"c-a-{i:02}", parties=[hub, other, (hub, "funder")], sectors=[sector]
            )
            milestone = add_milestone(f"c-m-{i:02}", actors=[hub, other])
            for record in (agreement, milestone):
                disagreement = Disagreement.objects.create(
                    target=record, aspect="date", explanation=f"{record.slug}?"
                )
                cite(record, source, disagreement=disagreement, position=record.slug)
        return hub

    return make
