"""How sectors are exported: the API's serializer over the filtered list."""

from ijtech.exports import Export
from sectors.api import SectorSerializer, public_sectors
from sectors.filters import SectorFilter

SECTORS = Export("sectors", SectorFilter, public_sectors, SectorSerializer)
