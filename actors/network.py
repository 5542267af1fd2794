"""The network of institutions that are parties to the same agreements, and its drawing.

The links between agreements and institutions are reached through the reverse relation the
agreements app declares (actor.agreement_links), so that this app imports none of it.
"""

import math
from dataclasses import dataclass

from django.db.models import Count, F

from actors.models import Actor, Country
from ijtech.charts import CHOICE_PALETTE
from ijtech.dates import MAX_YEAR, MIN_YEAR
from ijtech.models import EditorialStatus
from sectors.models import Sector

# The network draws at most this many institutions, those in the most agreements.
MAX_NODES = 30
COUNTRY_COLOURS = {value: CHOICE_PALETTE[i] for i, (value, _) in enumerate(Country.choices)}
PUBLISHED = EditorialStatus.PUBLISHED


class NetworkError(ValueError):
    pass


@dataclass
class Edge:
    a: Actor
    b: Actor
    shared: int


@dataclass
class Network:
    nodes: list[Actor]  # each with .agreement_count and .colour
    edges: list[Edge]
    total_nodes: int
    svg: str
    query: str  # the network's own GET parameters, for its CSV link

    @property
    def truncated(self) -> bool:
        return self.total_nodes > len(self.nodes)

    @property
    def countries(self):
        shown = {n.country for n in self.nodes}
        return [(label, COUNTRY_COLOURS[v]) for v, label in Country.choices if v in shown]


def party_links():
    return Actor._meta.get_field("agreement_links").related_model.objects


def network_filters(params) -> tuple[dict, str]:
    """The agreements' conditions from ?network_sector=&network_from=&network_to=."""
    conditions = {
        "agreement__editorial_status": PUBLISHED,
        "actor__editorial_status": PUBLISHED,
    }
    kept = []
    slug = params.get("network_sector", "").strip()
    if slug:
        sector = Sector.objects.filter(slug=slug).first()
        if sector is None:
            raise NetworkError(f"No sector “{slug}”.")
        conditions["agreement__sectors__in"] = Sector.objects.in_scope(sector)
        kept.append(f"network_sector={slug}")
    for name, lookup in (("network_from", "gte"), ("network_to", "lte")):
        value = params.get(name, "").strip()
        if not value:
            continue
        if not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
            raise NetworkError(f"Give the year as four digits from {MIN_YEAR} to {MAX_YEAR}.")
        conditions[f"agreement__year__{lookup}"] = int(value)
        kept.append(f"{name}={value}")
    return conditions, "&".join(kept)


def institutions_network(params, centre: Actor | None = None) -> Network | None:
    """The network (three queries), or that around `centre`: its partners and their links."""
    conditions, query = network_filters(params)
    links = party_links().filter(**conditions)
    if centre is not None:
        # The agreements the centre is a party to, then only their parties.
        links = links.filter(agreement__party_links__actor=centre)
    # 1 agreements per institution: GROUP BY actor over the party links (the unique
    # (agreement, actor, role) index serves the join).
    counts = dict(
        links.order_by().values_list("actor_id").annotate(n=Count("agreement_id", distinct=True))
    )
    if len(counts) < 2:
        return None
    ranked = sorted(counts, key=lambda pk: (-counts[pk], pk))
    if centre is not None:
        ranked.remove(centre.pk)
        ranked.insert(0, centre.pk)
    kept = ranked[:MAX_NODES]
    # 2 pairs of institutions in the same agreements: the party links joined to themselves.
    pairs = (
        links.filter(
            actor_id__in=kept,
            agreement__party_links__actor_id__in=kept,
            actor_id__lt=F("agreement__party_links__actor_id"),
        )
        .order_by()
        .values_list("actor_id", "agreement__party_links__actor_id")
        .annotate(n=Count("agreement_id", distinct=True))
    )
    # 3 the institutions.
    actors = Actor.objects.in_bulk(kept)
    nodes = [actors[pk] for pk in kept]
    for node in nodes:
        node.agreement_count = counts[node.pk]
        node.colour = COUNTRY_COLOURS.get(node.country, CHOICE_PALETTE[-1])
    edges = sorted(
        (Edge(actors[a], actors[b], n) for a, b, n in pairs),
        key=lambda e: (-e.shared, e.a.name, e.b.name),
    )
    svg = draw_network(nodes, edges, centre)
    return Network(nodes, edges, len(counts), svg, query)


def draw_network(nodes, edges, centre) -> str:
    """Nodes on a circle grouped by country (the centre, if any, in the middle); a figure,
    not an image, as its nodes are links."""
    from django.utils.html import escape

    size = 640
    mid = size / 2
    ring = [n for n in nodes if n is not centre]
    ring.sort(
        key=lambda n: ([v for v, _ in Country.choices].index(n.country), -n.agreement_count, n.name)
    )
    place = {}
    # Room outside the ring for labels of up to 18 characters.
    radius = mid - 150
    for i, node in enumerate(ring):
        angle = 2 * math.pi * i / max(len(ring), 1) - math.pi / 2
        place[node.pk] = (mid + radius * math.cos(angle), mid + radius * math.sin(angle), angle)
    if centre is not None:
        place[centre.pk] = (mid, mid, None)
    peak = max(n.agreement_count for n in nodes)
    top = max((e.shared for e in edges), default=1)
    title = "Institutions that are parties to the same agreements"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
        f'height="{size}" role="figure" aria-labelledby="network-title network-desc" '
        'class="diagram network">',
        f'<title id="network-title">{escape(title)}</title>',
        f'<desc id="network-desc">{len(nodes)} institutions on a circle grouped by country, '
        "circle size by number of agreements, line width by agreements shared; the table below "
        "lists each pair.</desc>",
    ]
    for e in edges:
        x1, y1, _ = place[e.a.pk]
        x2, y2, _ = place[e.b.pk]
        width = 1 + 5 * e.shared / top
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#5d6d7e" '
            f'stroke-opacity="0.7" stroke-width="{width:.1f}"><title>{escape(e.a.short_name)} '
            f"and {escape(e.b.short_name)}: {e.shared} shared</title></line>"
        )
    for node in nodes:
        x, y, angle = place[node.pk]
        r = 5 + 13 * math.sqrt(node.agreement_count / peak)
        if angle is None:
            lx, ly, anchor = x, y + r + 16, "middle"
        else:
            lx, ly = x + (r + 6) * math.cos(angle), y + (r + 6) * math.sin(angle) + 4
            anchor = "start" if math.cos(angle) >= 0 else "end"
        label = escape(node.short_name[:18])
        parts.append(
            f'<a href="{node.get_absolute_url()}"><title>{escape(node.name)}: '
            f"{node.agreement_count} agreements</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{node.colour}" '
            'stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" class="label">'
            f"{label}</text></a>"
        )
    parts.append("</svg>")
    return "".join(parts)
