"""How institutions become export rows: their columns, in order."""

from actors.filters import ActorFilter
from actors.models import Actor, ActorKind, Country
from ijtech.exports import (
    RECORD_TAIL,
    RECORD_TAIL_FIELDS,
    SLUG_FIELD,
    Column,
    Export,
    labels,
    record_tail,
    values,
)
from sectors.exports import sector_names


def actor_row(actor) -> dict:
    parent = actor.public_parent
    return {
        "slug": actor.slug,
        "name": actor.name,
        "acronym": actor.acronym,
        "country": actor.country,
        "kind": actor.kind,
        "kind_label": actor.get_kind_display(),
        "parent": parent.slug if parent else None,
        "website": actor.website,
        "description": actor.description,
        "sectors": sector_names(actor),
        **record_tail(actor),
    }


def actors():
    return Actor.objects.public().detailed()


ACTORS = Export(
    "actors",
    ActorFilter,
    actors,
    actor_row,
    ["slug", "name", "acronym", "country", "kind", "kind_label", "parent", "website"]
    + ["description", "sectors", *RECORD_TAIL],
    fields={
        "slug": SLUG_FIELD,
        "name": Column(
            "The institution's name; other files name institutions by it.", required=True
        ),
        "acronym": Column("Its acronym, when it has one."),
        "country": Column("The country the institution belongs to.", enum=values(Country)),
        "kind": Column("What kind of institution it is.", enum=values(ActorKind)),
        "kind_label": Column("The kind as the pages show it.", enum=labels(ActorKind)),
        "parent": Column(
            "The institution it is part of, by slug; empty when none is recorded.",
            references="actors.slug",
        ),
        "website": Column("Its website, when recorded.", format="uri"),
        "description": Column("What the institution is, in ijtech's words."),
        "sectors": Column("The sectors it works in, by name.", many=True, names="sectors.name"),
        **RECORD_TAIL_FIELDS,
    },
    title="Institutions",
    description="The governments, agencies, companies and other bodies behind the agreements.",
)
