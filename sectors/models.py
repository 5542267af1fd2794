from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ijtech import fragments
from ijtech.models import Versioned
from ijtech.search import SearchDocument
from ijtech.validation import PlainTextFields, parent_cycle

# The record counts of every sector come from the records' links to their sectors, which
# the apps built on the sectors declare (Agreement.sectors, Milestone.sectors): reached here
# through the reverse relations, so that this app imports none of them.
COUNTED = (("agreement_count", "agreements"), ("milestone_count", "milestones"))


def count_links(model, relation: str, using: str) -> dict[int, int]:
    """{sector pk: published records filed under it or its sub-sectors, each once} (1 query).

    Sectors nest one level deep. A top-level sector counts the records linked to it or to
    a sub-sector, grouped by the parent's key (or its own, for a top-level sector's links);
    a sub-sector counts its own links, one per record by the through table's unique pair.
    Both in one statement (UNION ALL) over the through table: one pass over the links,
    where a count per sector would read them once per sector (3 s for /sectors/ at 100k).
    """
    rel = model._meta.get_field(relation)
    record, sector = rel.field.m2m_field_name(), rel.field.m2m_reverse_field_name()
    published = rel.related_model.objects.published().order_by().values("pk")
    links = rel.through.objects.using(using).filter(**{f"{record}__in": published}).order_by()
    top = links.values_list(Coalesce(f"{sector}__parent_id", f"{sector}_id")).annotate(
        n=Count(f"{record}_id", distinct=True)
    )
    children = (
        links.filter(**{f"{sector}__parent__isnull": False})
        .values_list(f"{sector}_id")
        .annotate(n=Count("pk"))
    )
    return dict(top.union(children, all=True))


class CountedIterable(fragments.CountsIterable):
    """Sectors with `agreement_count` and `milestone_count` (2 queries per public change)."""

    parts = ("sector-record-counts",)
    defaults = {name: 0 for name, _ in COUNTED}

    @staticmethod
    def compute(model, using):
        per_relation = {name: count_links(model, rel, using) for name, rel in COUNTED}
        keys = set().union(*per_relation.values())
        return {pk: {name: per_relation[name].get(pk, 0) for name, _ in COUNTED} for pk in keys}


OWN_PARENT_MESSAGE = "A sector cannot be its own parent."


class SectorQuerySet(models.QuerySet):
    def public(self):
        """What the API and the export list: every sector with its parent and its counts."""
        return self.select_related("parent").with_record_counts().order_by("order", "name", "pk")

    def with_record_counts(self):
        """Published agreements and milestones in each sector, its sub-sectors included, as
        `agreement_count` and `milestone_count` on each sector (not annotations: they come
        from one grouped query per record model, kept until the next public change)."""
        return fragments.with_counts(self, CountedIterable)

    def in_scope(self, sector):
        """The sector and its sub-sectors."""
        return self.filter(Q(pk=sector.pk) | Q(parent=sector))

    def keys_filed_under(self, model, sector, field_name: str = "sectors"):
        """The keys of `model`'s records filed under the sector or a sub-sector, as a
        subquery of the links themselves, read by the through table's sector index; one
        through the records would scan every record to probe its links (0.13 s for
        /milestones/?sector=space at 100k)."""
        field = model._meta.get_field(field_name)
        record, sector_link = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = field.remote_field.through.objects.filter(
            **{f"{sector_link}__in": self.in_scope(sector)}
        )
        return links.values(f"{record}_id")


class Sector(PlainTextFields, Versioned):
    """A field of cooperation. Sectors nest one level deep (hydrogen under clean energy)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(default=0)

    # Reference data: editors add, change and delete sectors (ijtech/roles.py). A record
    # shows its sectors, and a parent sector's page gathers its sub-sectors' records, so
    # both make a record show a sector (ijtech/workflow.py).
    editor_edits = True
    shown_through = ["sectors", "sectors__parent"]

    objects = SectorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="sectors_sector_unique_slug",
                violation_error_message="Another sector already uses this slug.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="sectors_sector_not_own_parent",
                violation_error_message=OWN_PARENT_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sectors:detail", args=[self.slug])

    # Search (ijtech/search.py): every sector is public; its page names its parent.
    search_related = ["parent"]

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("parent")

    def search_document(self) -> SearchDocument:
        return SearchDocument(
            title=self.name, body=[self.description, self.parent.name if self.parent else ""]
        )

    def clean(self):
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": OWN_PARENT_MESSAGE})
        cycle = parent_cycle(self)
        if cycle:
            raise ValidationError({"parent": f"This parent would make a cycle: {cycle}."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Sectors nest one level deep: choose a top-level sector as parent."}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This sector has sub-sectors of its own, so it must stay top-level."}
            )
