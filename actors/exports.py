"""How institutions become export rows: their columns, in order."""

from actors.filters import ActorFilter
from actors.models import Actor
from ijtech.exports import RECORD_TAIL, Export, record_tail
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
)
