"""How sectors become export rows: their columns, in order."""

from ijtech.exports import SLUG_FIELD, URL_FIELD, Column, Export, record_url
from sectors.filters import SectorFilter
from sectors.models import Sector


def sector_names(record) -> list[str]:
    """The names of a record's sectors, for the rows of the records filed under them."""
    return [sector.name for sector in record.sectors.all()]


def sector_row(sector) -> dict:
    return {
        "slug": sector.slug,
        "name": sector.name,
        "parent": sector.parent.slug if sector.parent else None,
        "description": sector.description,
        "agreement_count": sector.agreement_count,
        "milestone_count": sector.milestone_count,
        "url": record_url(sector),
    }


def sectors():
    return Sector.objects.public()


SECTORS = Export(
    "sectors",
    SectorFilter,
    sectors,
    sector_row,
    ["slug", "name", "parent", "description", "agreement_count", "milestone_count", "url"],
    fields={
        "slug": SLUG_FIELD,
        "name": Column("The sector's name; other files name sectors by it.", required=True),
        "parent": Column(
            "The sector this one is a sub-sector of, by slug; empty for a top-level sector.",
            references="sectors.slug",
        ),
        "description": Column("What the sector covers, in ijtech's words."),
        "agreement_count": Column(
            "Published agreements in the sector or its sub-sectors.", "integer", minimum=0
        ),
        "milestone_count": Column(
            "Published milestones in the sector or its sub-sectors.", "integer", minimum=0
        ),
        "url": URL_FIELD,
    },
    title="Sectors",
    description="The fields of technology the records are filed under, one level of sub-sectors.",
)
