from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Sector(models.Model):
    """A field of cooperation. Sectors nest one level deep (hydrogen under clean energy)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

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
                violation_error_message="A sector cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sectors:detail", args=[self.slug])

    def clean(self):
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A sector cannot be its own parent."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Sectors nest one level deep: choose a top-level sector as parent."}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This sector has sub-sectors of its own, so it must stay top-level."}
            )

    def natural_key(self):
        return (self.slug,)
