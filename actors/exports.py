"""How institutions are exported: the API's serializer over the filtered list, and what each
of its CSV columns means."""

from actors.api import ActorSerializer, public_actors
from actors.filters import ActorFilter
from actors.models import ActorKind, Country
from ijtech.export_columns import API_URL_FIELD, RECORD_TAIL_FIELDS, URL_FIELD
from ijtech.exports import (
    Column,
    Export,
    labels,
    values,
)

ACTORS = Export(
    "actors",
    ActorFilter,
    public_actors,
    ActorSerializer,
    fields={
        "slug": Column(
            "The institution's identifier, unique within its file and part of its address; "
            "other files name institutions by it.",
            required=True,
        ),
        "url": URL_FIELD,
        "api_url": API_URL_FIELD,
        "name": Column("The institution's name.", required=True),
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
        "sectors": Column("The sectors it works in, by slug.", many=True, names="sectors.slug"),
        **RECORD_TAIL_FIELDS,
    },
    title="Institutions",
    description="The governments, agencies, companies and other bodies behind the agreements.",
)
