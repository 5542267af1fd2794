"""Server-drawn SVG diagrams of linked records: a chain laid out left to right in time."""

import textwrap
from dataclasses import dataclass, field

from django.utils.html import escape

# Both pass WCAG's 3:1 non-text contrast on white (#1f2933 about 14:1, #0062a3 about 6:1).
STRONG_LINK = "#1f2933"
WEAK_LINK = "#0062a3"
NODE_BORDER = "#4a5260"
CURRENT_FILL = "#fff4d6"

NODE_W, NODE_H = 156, 58
COLUMN_GAP, ROW_GAP = 44, 18
LANE_LABEL_H = 22
EVENT_R = 7


@dataclass
class Node:
    key: object
    label: str
    when: str  # the date as the sources give it, e.g. "2018", "about 1990", "1960s"
    year: int
    url: str
    uncertain: bool = False  # a decade, an "about" date or a span: drawn with a dashed border
    current: bool = False


@dataclass
class Link:
    source: object  # the earlier record's key
    target: object  # the later record's key
    strong: bool  # drawn solid (e.g. "supersedes"); otherwise dashed (e.g. "builds on")
    label: str


@dataclass
class ChainDiagram:
    svg: str
    width: int
    years: list[int] = field(default_factory=list)


def _wrap(text: str, width=22, lines=2) -> list[str]:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def draw_chain(
    nodes: list[Node],
    links: list[Link],
    title: str,
    desc: str,
    *,
    events: list[Node] = (),
    events_label: str = "",
    id_prefix: str = "chain",
) -> ChainDiagram:
    """Nodes in one column per year, oldest on the left; `events` as dots in a lane below.

    The SVG is a figure, not an image, since its nodes are links (an image's parts are hidden
    from assistive technology). It keeps a fixed pixel width so its text stays readable on a
    phone; the page puts it in a region that scrolls sideways.
    """
    years = sorted({n.year for n in nodes} | {e.year for e in events})
    column = {year: i for i, year in enumerate(years)}
    rows_in: dict[int, int] = {}
    place: dict[object, tuple[float, float]] = {}
    step_x = NODE_W + COLUMN_GAP
    for node in nodes:
        row = rows_in.get(node.year, 0)
        rows_in[node.year] = row + 1
        place[node.key] = (10 + column[node.year] * step_x, 10 + row * (NODE_H + ROW_GAP))
    rows = max(rows_in.values(), default=0)
    lane_top = 10 + rows * (NODE_H + ROW_GAP)
    width = 20 + len(years) * step_x - COLUMN_GAP
    height = lane_top + (LANE_LABEL_H + 4 * EVENT_R + 18 if events else 0)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="figure" '
        f'aria-labelledby="{title_id} {desc_id}" class="diagram">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        "<defs>",
        *(
            f'<marker id="{id_prefix}-arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for name, colour in (("strong", STRONG_LINK), ("weak", WEAK_LINK))
        ),
        "</defs>",
    ]
    for link in links:
        if link.source not in place or link.target not in place:
            continue
        (x1, y1), (x2, y2) = place[link.source], place[link.target]
        if x1 == x2:
            # Same year: a bracket on the left side, from one box to the other.
            sx, sy, tx, ty = x1, y1 + NODE_H / 2, x2, y2 + NODE_H / 2
            d = f"M{sx},{sy:.1f} C{sx - 30},{sy:.1f} {tx - 30},{ty:.1f} {tx},{ty:.1f}"
        else:
            sx, sy, tx, ty = x1 + NODE_W, y1 + NODE_H / 2, x2, y2 + NODE_H / 2
            mid = (sx + tx) / 2
            d = f"M{sx},{sy:.1f} C{mid:.1f},{sy:.1f} {mid:.1f},{ty:.1f} {tx},{ty:.1f}"
        kind = "strong" if link.strong else "weak"
        colour = STRONG_LINK if link.strong else WEAK_LINK
        dash = "" if link.strong else ' stroke-dasharray="6 4"'
        parts.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash} '
            f'marker-end="url(#{id_prefix}-arrow-{kind})"><title>{escape(link.label)}</title></path>'
        )
    for node in nodes:
        x, y = place[node.key]
        fill = CURRENT_FILL if node.current else "#ffffff"
        stroke_w = 3 if node.current else 1.5
        dash = ' stroke-dasharray="5 3"' if node.uncertain else ""
        when = node.when + (" (uncertain)" if node.uncertain else "")
        lines = _wrap(node.label)
        text = "".join(
            f'<tspan x="{x + 8}" dy="{16 if i else 0}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        rect = (
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="4" fill="{fill}" '
            f'stroke="{NODE_BORDER}" stroke-width="{stroke_w}"{dash}/>'
            f'<text x="{x + 8}" y="{y + 16}" class="when">{escape(when)}</text>'
            f'<text x="{x + 8}" y="{y + 34}" class="label">{text}</text>'
        )
        tip = f"<title>{escape(node.label)} ({escape(when)})</title>"
        if node.current:
            parts.append(f'<g aria-current="page">{tip}{rect}</g>')
        else:
            parts.append(f'<a href="{escape(node.url)}">{tip}{rect}</a>')
    if events:
        parts.append(f'<text x="10" y="{lane_top + 14}" class="when">{escape(events_label)}</text>')
        per_year: dict[int, int] = {}
        for event in events:
            i = per_year.get(event.year, 0)
            per_year[event.year] = i + 1
            cx = 10 + column[event.year] * step_x + EVENT_R + 2 + i * (2 * EVENT_R + 6)
            cy = lane_top + LANE_LABEL_H + EVENT_R
            dash = ' stroke-dasharray="3 2"' if event.uncertain else ""
            when = event.when + (" (uncertain)" if event.uncertain else "")
            parts.append(
                f'<a href="{escape(event.url)}"><title>{escape(event.label)} ({escape(when)})'
                f'</title><circle cx="{cx}" cy="{cy}" r="{EVENT_R}" fill="{WEAK_LINK}" '
                f'stroke="{STRONG_LINK}" stroke-width="1.5"{dash}/></a>'
            )
            if i == 0:
                parts.append(
                    f'<text x="{cx - EVENT_R}" y="{cy + EVENT_R + 16}" class="when">'
                    f"{event.year}</text>"
                )
    parts.append("</svg>")
    return ChainDiagram("".join(parts), width, years)
