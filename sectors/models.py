from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ijtech.models import Versioned
from ijtech.search import SearchDocument
from ijtech.validation import PlainTextFields, parent_cycle


class SubqueryCount(models.Subquery):
    """COUNT(*) of a subquery's rows, for counting across a join without duplicates."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = models.IntegerField()


OWN_PARENT_MESSAGE = "A sector cannot be its own parent."


class SectorQuerySet(models.QuerySet):
    def public(self):
        """What the API and the export list: every sector with its parent and its counts."""
        return self.select_related("parent").with_record_counts().order_by("order", "name", "pk")

    def with_record_counts(self):
        """Published agreements and milestones in each sector, its sub-sectors included."""
        counts = {}
        # Through the reverse relations the record apps declare (Agreement.sectors...), so
        # that the sectors need not import the apps built on them.
        for name, relation in (
            ("agreement_count", "agreements"),
            ("milestone_count", "milestones"),
        ):
            records = self.model._meta.get_field(relation).related_model
            # The sector and its sub-sectors as an IN list of keys, so that the through
            # table is read by its sector index, rather than an OR across a join to the
            # sectors' parents, which reads every row (17 s for /sectors/ at 100k).
            scope = self.model.objects.filter(
                Q(pk=OuterRef(OuterRef("pk"))) | Q(parent=OuterRef(OuterRef("pk")))
            ).values("pk")
            rows = (
                records.objects.published()
                .filter(sectors__in=scope)
                .order_by()
                .values("pk")
                .distinct()
            )
            counts[name] = SubqueryCount(rows)
        return self.annotate(**counts)

    def in_scope(self, sector):
        """The sector and its sub-sectors."""
        return self.filter(Q(pk=sector.pk) | Q(parent=sector))


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
