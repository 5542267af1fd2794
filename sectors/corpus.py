"""The sectors in the corpus (fixtures/sectors.json): a tree one level deep."""

from collections import defaultdict

from ijtech.corpus import Codec, register
from sectors.models import Sector


@register
class SectorCodec(Codec):
    kind = "sectors"
    model = Sector
    keys = ["slug", "name", "parent", "order", "description"]
    not_itself = {"parent": "cannot be the record itself"}

    def validate_all(self, validator) -> None:
        # The records are validated with parent excluded; the parents are checked here as a
        # whole, the files' records over the database's, since nesting spans records.
        records, parents, in_cycle = validator.check_cycles(self, "parent")
        children = defaultdict(list)
        for slug, parent in parents.items():
            if parent is not None:
                children[parent].append(slug)
        for slug in sorted(set(records) - in_cycle):
            parent = parents[slug]
            if parent is None:
                continue
            if parents.get(parent) is not None:
                validator.error(
                    self.kind,
                    slug,
                    "parent",
                    f'Sectors nest one level deep: "{parent}" is itself under '
                    f'"{parents[parent]}"; choose a top-level sector as parent.',
                )
            if children[slug]:
                validator.error(
                    self.kind,
                    slug,
                    "parent",
                    f"has sub-sectors of its own ({', '.join(sorted(children[slug]))}), "
                    "so it must stay top-level.",
                )
