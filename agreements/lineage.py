"""An agreement's lineage: the chain of published agreements it belongs to, and its diagram."""

from dataclasses import dataclass

from django.db import connection

from agreements.models import Agreement
from ijtech.dates import Precision
from ijtech.diagrams import ChainDiagram, Link, Node, draw_chain
from ijtech.models import EditorialStatus

# A chain is drawn up to this many agreements, the nearest links first; the list in words
# names every direct link whatever the size.
MAX_CHAIN = 16
# The milestones recording the agreement, drawn as dots; the page lists them all.
MAX_EVENTS = 24
# How many links away from the agreement the chain is followed.
MAX_DEPTH = 8

UNCERTAIN = {Precision.CIRCA, Precision.DECADE, Precision.SPAN}


@dataclass
class ChainLink:
    earlier: Agreement
    later: Agreement
    supersedes: bool  # otherwise the later one only builds on the earlier

    @property
    def relation(self) -> str:
        return "supersedes" if self.supersedes else "builds on"


@dataclass
class Chain:
    agreements: list[Agreement]
    links: list[ChainLink]
    truncated: bool
    diagram: ChainDiagram


def chain_sql() -> str:
    builds_on = Agreement.builds_on.through._meta.db_table
    supersedes = Agreement.supersedes.through._meta.db_table
    agreements = Agreement._meta.db_table
    # Both relations, between published agreements only: a draft never bridges two chains.
    # UNION (not UNION ALL) in `reach` drops the (id, depth) pairs already found, and the
    # depth bound ends the walk on a cycle.
    return f"""
    WITH RECURSIVE links(later, earlier, supersedes) AS (
        SELECT l.from_agreement_id, l.to_agreement_id, 0 FROM {builds_on} l
        JOIN {agreements} a ON a.id = l.from_agreement_id AND a.editorial_status = %s
        JOIN {agreements} b ON b.id = l.to_agreement_id AND b.editorial_status = %s
        UNION ALL
        SELECT l.from_agreement_id, l.to_agreement_id, 1 FROM {supersedes} l
        JOIN {agreements} a ON a.id = l.from_agreement_id AND a.editorial_status = %s
        JOIN {agreements} b ON b.id = l.to_agreement_id AND b.editorial_status = %s
    ),
    reach(id, depth) AS (
        SELECT CAST(%s AS BIGINT), 0
        UNION
        SELECT CASE WHEN links.later = reach.id THEN links.earlier ELSE links.later END,
               reach.depth + 1
        FROM links JOIN reach ON links.later = reach.id OR links.earlier = reach.id
        WHERE reach.depth < %s
    ),
    nodes(id, depth) AS (SELECT id, MIN(depth) FROM reach GROUP BY id)
    SELECT links.later, links.earlier, links.supersedes, e.depth, l.depth
    FROM links
    JOIN nodes e ON e.id = links.earlier
    JOIN nodes l ON l.id = links.later
    """


def chain_links(pk: int) -> list[tuple[int, int, bool, int, int]]:
    """(later, earlier, supersedes, earlier's depth, later's depth) for every link in pk's
    chain: one query, however long the chain."""
    published = EditorialStatus.PUBLISHED
    with connection.cursor() as cursor:
        cursor.execute(chain_sql(), [published] * 4 + [pk, MAX_DEPTH])
        return [(a, b, bool(s), de, dl) for a, b, s, de, dl in cursor.fetchall()]


def agreement_chain(agreement: Agreement, milestones) -> Chain | None:
    """The chain `agreement` belongs to (two queries), or None when it has no links.

    `milestones` are the agreement's published milestones, already loaded.
    """
    rows = chain_links(agreement.pk)
    if not rows:
        return None
    depth: dict[int, int] = {}
    for later, earlier, _, de, dl in rows:
        depth[earlier], depth[later] = de, dl
    # The nearest agreements first, then by id so the cut is the same on every request.
    kept = sorted(depth, key=lambda pk: (depth[pk], pk))[:MAX_CHAIN]
    records = {
        a.pk: a
        for a in Agreement.objects.published()
        .filter(pk__in=kept)
        .only("slug", "title", "year", "month", "day", "date_qualifier", "year_end")
    }
    records[agreement.pk] = agreement
    # A pair linked both ways (builds on and supersedes) is one link: "supersedes".
    pairs: dict[tuple[int, int], bool] = {}
    for later, earlier, supersedes, _, _ in rows:
        if later in records and earlier in records:
            pairs[(earlier, later)] = pairs.get((earlier, later), False) or supersedes
    ordered = sorted(records.values(), key=lambda a: (a.sort_date, a.title))
    links = sorted(
        (ChainLink(records[e], records[lt], s) for (e, lt), s in pairs.items()),
        key=lambda c: (c.earlier.sort_date, c.later.sort_date, c.earlier.title, c.later.title),
    )
    nodes = [
        Node(
            a.pk,
            a.title,
            a.date_display,
            a.year,
            a.get_absolute_url(),
            uncertain=a.precision in UNCERTAIN,
            current=a.pk == agreement.pk,
        )
        for a in ordered
    ]
    events = [
        Node(m.pk, m.title, m.date_display, m.year, m.get_absolute_url(), m.precision in UNCERTAIN)
        for m in list(milestones)[:MAX_EVENTS]
    ]
    diagram = draw_chain(
        nodes,
        [
            Link(c.earlier.pk, c.later.pk, c.supersedes, f"{c.later} {c.relation} {c.earlier}")
            for c in links
        ],
        title=f"The lineage of {agreement.title}",
        desc=(
            f"{len(nodes)} agreements left to right in time; solid arrows: a later agreement "
            "supersedes an earlier one, dashed: it builds on it. The table below lists each "
            "link."
        ),
        events=events,
        events_label="Milestones recording this agreement",
        id_prefix="lineage",
    )
    return Chain(ordered, links, len(depth) > len(kept), diagram)
