"""How sectors are exported: the API's serializer over the filtered list, and what each of
its CSV columns means."""

from ijtech.export_columns import API_URL_FIELD, URL_FIELD
from ijtech.exports import Column, Export
from sectors.api import SectorSerializer, public_sectors
from sectors.filters import SectorFilter

SECTORS = Export(
    "sectors",
    SectorFilter,
    public_sectors,
    SectorSerializer,
    fields={
        "slug": Column(
            "The sector's identifier, unique within its file and part of its address; other "
            "files name sectors by it.",
            required=True,
        ),
        "url": URL_FIELD,
        "api_url": API_URL_FIELD,
        "name": Column("The sector's name.", required=True),
        "description": Column("What the sector covers, in ijtech's words."),
        "parent": Column(
            "The sector this one is a sub-sector of, by slug; empty for a top-level sector.",
            references="sectors.slug",
        ),
        "agreement_count": Column(
            "Published agreements in the sector or its sub-sectors.", "integer", minimum=0
        ),
        "milestone_count": Column(
            "Published milestones in the sector or its sub-sectors.", "integer", minimum=0
        ),
    },
    title="Sectors",
    description="The fields of technology the records are filed under, one level of sub-sectors.",
)
