from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ijtech.citeformats import PUBLISHER, Citable
from ijtech.dates import CalendarDate
from ijtech.models import Editorial, EditorialQuerySet, RelationsSnapshot, published_or_none
from ijtech.search import SearchDocument
from ijtech.validation import parent_cycle, validate_plain_url


class Country(models.TextChoices):
    INDIA = "india", "India"
    JAPAN = "japan", "Japan"
    BILATERAL = "bilateral", "India–Japan bilateral body"
    MULTILATERAL = "multilateral", "Multilateral"
    OTHER = "other", "Other"


class ActorKind(models.TextChoices):
    MINISTRY = "ministry", "Ministry or department"
    AGENCY = "agency", "Government agency"
    RESEARCH = "research", "Research body"
    UNIVERSITY = "university", "University"
    COMPANY = "company", "Company"
    FINANCIAL = "financial", "Financial institution"
    FORUM = "forum", "Forum or dialogue body"
    MULTILATERAL = "multilateral", "Multilateral body"


OWN_PARENT_MESSAGE = "An institution cannot be its own parent."


class ActorQuerySet(EditorialQuerySet):
    def public(self):
        return super().public().select_related("parent").prefetch_related("sectors")


class Actor(Citable, Editorial):
    """An institution: a ministry, agency, company, forum or multilateral body."""

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=80)
    country = models.CharField(max_length=12, choices=Country)
    kind = models.CharField(max_length=12, choices=ActorKind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body it belongs to, e.g. ISRO under the Department of Space.",
    )
    website = models.URLField(blank=True, validators=[validate_plain_url])
    description = models.TextField(blank=True)
    sectors = models.ManyToManyField("sectors.Sector", blank=True, related_name="actors")

    search_related = ["sectors", "citations", "citations__disagreement"]

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version"], m2m_fields=[sectors], bases=[RelationsSnapshot]
    )

    class Meta:
        ordering = ["name"]
        permissions = [("publish_actor", "Can publish and unpublish institutions")]
        verbose_name = "institution"
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="actors_actor_unique_slug",
                violation_error_message="Another institution already uses this slug.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="actors_actor_not_own_parent",
                violation_error_message=OWN_PARENT_MESSAGE,
            ),
        ]
        indexes = [
            # Public lists: WHERE editorial_status = 'published' ORDER BY name
            models.Index(fields=["editorial_status", "name"], name="actors_status_name"),
            # The changes feed and the sitemap's last change: WHERE editorial_status =
            # 'published' ORDER BY updated_at DESC LIMIT n, and MAX(updated_at).
            models.Index(fields=["editorial_status", "updated_at"], name="actors_status_changed"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("actors:detail", args=[self.slug])

    def search_document(self) -> SearchDocument:
        return SearchDocument(
            title=self.name,
            names=[*filter(None, [self.acronym]), *self.alternative_names()],
            body=[self.description, *(sector.name for sector in self.sectors.all())],
            extra=self.search_quotes(),
        )

    @property
    def public_parent(self):
        return published_or_none(self.parent)

    def own_names(self) -> list[str]:
        return [name for name in (self.name, self.acronym) if name]

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    # Citation hooks (ijtech.citeformats): an institution is cited as an entry of ijtech,
    # an encyclopedia entry in Zotero, dated by its last change.
    def cite_type(self) -> dict[str, str]:
        return {"csl": "entry-encyclopedia", "ris": "ENCYC", "bibtex": "inreference"}

    def cite_date(self):
        return CalendarDate.of(timezone.localdate(self.updated_at))

    def cite_abstract(self) -> str:
        return self.description

    def cite_container(self) -> str:
        return PUBLISHER

    # Page metadata hook (ijtech.page_metadata): ministries and agencies are government bodies.
    def schema_org(self) -> dict:
        government = self.kind in (ActorKind.MINISTRY, ActorKind.AGENCY)
        data = {"@type": "GovernmentOrganization" if government else "Organization"}
        data["name"] = self.name
        if self.acronym:
            data["alternateName"] = self.acronym
        if self.website:
            data["sameAs"] = self.website
        return data

    def clean(self):
        super().clean()
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": OWN_PARENT_MESSAGE})
        cycle = parent_cycle(self)
        if cycle:
            raise ValidationError({"parent": f"This parent would make a cycle: {cycle}."})
