from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Prefetch, Q, When
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from ijtech.citeformats import PUBLISHER, Citable
from ijtech.dates import CHRONOLOGICAL, PartialDate, date_constraints
from ijtech.models import (
    Editorial,
    EditorialQuerySet,
    EditorialStatus,
    RelationsSnapshot,
    published_or_none,
)
from ijtech.search import SearchDocument, date_key
from ijtech.validation import run_checks


class AgreementKind(models.TextChoices):
    IGA = "iga", "Inter-governmental agreement"
    MOU = "mou", "Memorandum of understanding"
    MOC = "moc", "Memorandum of cooperation"
    LOI = "loi", "Letter of intent"
    ARRANGEMENT = "arrangement", "Implementation arrangement"
    JOINT_STATEMENT = "joint_statement", "Joint statement or declaration"
    FRAMEWORK = "framework", "Partnership framework"
    PROGRAMME = "programme", "Programme or initiative"
    FUND = "fund", "Fund"
    DIALOGUE = "dialogue", "Dialogue mechanism"
    TREATY = "treaty", "Treaty or pact"


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", "In force"
    CONCLUDED = "concluded", "Concluded"
    SUPERSEDED = "superseded", "Superseded"
    ANNOUNCED = "announced", "Announced"
    UNKNOWN = "unknown", "Unknown"


class PartyRole(models.TextChoices):
    SIGNATORY = "signatory", "Signatory"
    IMPLEMENTER = "implementer", "Implementing body"
    FUNDER = "funder", "Funder"


# Signatories first, then implementers and funders: the order the sources name them in.
ROLE_RANK = {value: i for i, (value, _) in enumerate(PartyRole.choices)}


def published_parties():
    """An agreement's parties, leaving out institutions that are not published."""
    rank = Case(
        *(When(role=value, then=i) for value, i in ROLE_RANK.items()),
        default=len(PartyRole.choices),
    )
    return Prefetch(
        "party_links",
        queryset=AgreementParty.objects.filter(actor__editorial_status=EditorialStatus.PUBLISHED)
        .select_related("actor")
        .order_by(rank, "actor__name"),
    )


def published_actors():
    """A milestone's institutions, leaving out those that are not published."""
    from actors.models import Actor

    return Prefetch("actors", queryset=Actor.objects.published())


# Agreements and milestones: oldest first, and by title within the same date.
BY_DATE = [*CHRONOLOGICAL, "title"]

# The links between agreements that an agreement's page lists under "Lineage".
LINEAGE = ("builds_on", "built_upon_by", "supersedes", "superseded_by")


class DatedQuerySet(EditorialQuerySet):
    def chronological(self):
        return self.order_by(*BY_DATE)


class AgreementQuerySet(DatedQuerySet):
    def public(self):
        return super().public().prefetch_related("sectors", published_parties())

    def with_lineage(self):
        """The published agreements each one builds on or supersedes, and the reverse."""
        published = self.model.objects.published()
        return self.prefetch_related(
            *(Prefetch(name, queryset=published) for name in LINEAGE),
        )


class Agreement(Citable, Editorial, PartialDate):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=16, choices=AgreementKind)
    status = models.CharField(
        max_length=12, choices=AgreementStatus, default=AgreementStatus.UNKNOWN
    )
    summary = models.TextField(blank=True)
    parties = models.ManyToManyField(
        "actors.Actor", through="AgreementParty", related_name="agreements", blank=True
    )
    sectors = models.ManyToManyField("sectors.Sector", related_name="agreements", blank=True)
    tags = TaggableManager(blank=True)
    builds_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="built_upon_by",
        blank=True,
        help_text="Earlier agreements this one extends or continues.",
    )
    supersedes = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="superseded_by",
        blank=True,
        help_text="Earlier agreements this one replaces.",
    )

    search_related = ["parties", "sectors", "tags", "citations", "citations__disagreement"]

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version"],
        m2m_fields=[sectors, builds_on, supersedes],
        bases=[RelationsSnapshot],
    )

    class Meta:
        ordering = BY_DATE
        permissions = [("publish_agreement", "Can publish and unpublish agreements")]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="agreements_agreement_unique_slug",
                violation_error_message="Another agreement already uses this slug.",
            ),
            *date_constraints("agreements_agreement"),
        ]
        indexes = [
            # Public lists and year facets: WHERE editorial_status = 'published' AND year ...
            models.Index(fields=["editorial_status", "year"], name="agreements_status_year"),
            # The changes feed and the sitemap's last change: WHERE editorial_status =
            # 'published' ORDER BY updated_at DESC LIMIT n, and MAX(updated_at).
            models.Index(
                fields=["editorial_status", "updated_at"], name="agreements_status_changed"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.slug])

    # Citation hooks (ijtech.citeformats): an agreement is cited as a report (the Zotero
    # type that keeps parties, date and kind; see the engine), its parties as authors.
    def cite_type(self) -> dict[str, str]:
        return {"csl": "report", "ris": "GOVDOC", "bibtex": "techreport"}

    def cite_authors(self) -> list[str]:
        # Signatories first, whatever order the links were read in: by role rank, then name.
        links = sorted(
            self.party_links.all(),
            key=lambda link: (ROLE_RANK.get(link.role, len(ROLE_RANK)), link.actor.name),
        )
        names = []
        for link in links:
            if link.actor.is_published and link.actor.name not in names:
                names.append(link.actor.name)
        return names

    def cite_abstract(self) -> str:
        return self.summary

    # Page metadata hook (ijtech.page_metadata).
    def schema_org(self) -> dict:
        return {"@type": "Legislation", "legislationType": self.get_kind_display()}

    def search_document(self) -> SearchDocument:
        return SearchDocument(
            title=self.title,
            names=self.alternative_names(),
            body=[
                self.summary,
                *(tag.name for tag in self.tags.all()),
                *(sector.name for sector in self.sectors.all()),
                *(name for link in self.party_links.all() for name in link.actor.own_names()),
            ],
            extra=self.search_quotes(),
            sort_key=date_key(self.year, self.month, self.day),
        )


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_links")
    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="agreement_links"
    )
    role = models.CharField(max_length=12, choices=PartyRole, default=PartyRole.SIGNATORY)

    # Edited inline on the agreement: editors add, change and delete parties.
    editor_edits = True

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "actor__name"]
        verbose_name = "party"
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "actor", "role"],
                name="agreements_party_unique_role",
                violation_error_message="This institution already has that role in the agreement.",
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


class MilestoneKind(models.TextChoices):
    SIGNING = "signing", "Signing"
    SUMMIT = "summit", "Summit"
    DIALOGUE = "dialogue", "Dialogue meeting"
    LAUNCH = "launch", "Launch"
    PLEDGE = "pledge", "Pledge or target"
    REPORT = "report", "Report"
    CONTEXT = "context", "Context (figures and policy changes)"
    OTHER = "other", "Other"


DERIVED_DEADLINE_MESSAGE = (
    "A derived deadline needs both its year and the source's words it was derived from."
)
OWN_OCCASION_MESSAGE = "A milestone cannot be its own occasion."


class MilestoneQuerySet(DatedQuerySet):
    def pledges(self):
        return self.filter(kind=MilestoneKind.PLEDGE)

    def public(self):
        return (
            super()
            .public()
            .select_related("agreement", "occasion")
            .prefetch_related("sectors", published_actors())
        )

    def with_outcomes(self):
        """The published milestones announced at each one (a summit's pledges)."""
        return self.prefetch_related(
            Prefetch("outcomes", queryset=self.model.objects.published().chronological())
        )


class Milestone(Citable, Editorial, PartialDate):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=10, choices=MilestoneKind)
    summary = models.TextField(blank=True)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="The agreement, dialogue or summit series this milestone belongs to.",
    )
    occasion = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        help_text="The summit or meeting at which this was announced, e.g. a pledge's summit.",
        # Indexed by agreements_ms_occasion, which leaves out the many rows without one.
        db_index=False,
    )
    actors = models.ManyToManyField("actors.Actor", related_name="milestones", blank=True)
    sectors = models.ManyToManyField("sectors.Sector", related_name="milestones", blank=True)
    tags = TaggableManager(blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=80, blank=True, help_text="e.g. 'trillion JPY'")
    deadline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_text = models.CharField(
        "deadline in the source's words",
        max_length=200,
        blank=True,
        help_text="e.g. 'over the next decade' or 'by 2030'. For a relative deadline leave the "
        "year empty, or fill it and tick 'derived'.",
    )
    deadline_derived = models.BooleanField(
        "deadline year is derived",
        default=False,
        help_text="The sources give no year: the deadline year was counted from their words "
        "and the milestone's year, and is shown as such.",
    )
    delivery_note = models.TextField(
        blank=True,
        help_text="What the sources say about delivery of a pledge. Leave empty when they "
        "say nothing.",
    )

    search_related = ["actors", "sectors", "tags", "citations", "citations__disagreement"]

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version"], m2m_fields=[actors, sectors], bases=[RelationsSnapshot]
    )

    class Meta:
        ordering = BY_DATE
        permissions = [("publish_milestone", "Can publish and unpublish milestones")]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="agreements_milestone_unique_slug",
                violation_error_message="Another milestone already uses this slug.",
            ),
            *date_constraints("agreements_milestone"),
            models.CheckConstraint(
                condition=Q(deadline_year__isnull=True) | Q(deadline_year__gte=F("year")),
                name="agreements_milestone_deadline_not_before_date",
                violation_error_message="The deadline cannot be before the milestone's year.",
            ),
            models.CheckConstraint(
                condition=Q(deadline_derived=False)
                | (Q(deadline_year__isnull=False) & ~Q(deadline_text="")),
                name="agreements_milestone_derived_deadline_has_year_and_words",
                violation_error_message=DERIVED_DEADLINE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(occasion__isnull=True) | ~Q(occasion=F("pk")),
                name="agreements_milestone_not_own_occasion",
                violation_error_message=OWN_OCCASION_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | (Q(amount__gte=0) & ~Q(unit="")),
                name="agreements_milestone_amount_has_unit",
                violation_error_message="An amount must be zero or more and needs a unit.",
            ),
        ]
        indexes = [
            # Timeline and year filters: WHERE editorial_status = 'published' AND year ...
            models.Index(fields=["editorial_status", "year"], name="agreements_ms_status_year"),
            # As agreements_status_changed.
            models.Index(
                fields=["editorial_status", "updated_at"], name="agreements_ms_status_changed"
            ),
            # The outcomes of a page of milestones (WHERE occasion_id IN (...), the API's and
            # the record pages' prefetch). Partial: most milestones have no occasion, and a
            # full index's statistics count their NULLs as one value shared by a third of the
            # table, so SQLite judged it worse than agreements_ms_status_year and read every
            # published row (0.14 s of /api/milestones/ at 100k).
            models.Index(
                fields=["occasion"],
                condition=Q(occasion__isnull=False),
                name="agreements_ms_occasion",
            ),
        ]

    def search_document(self) -> SearchDocument:
        return SearchDocument(
            title=self.title,
            names=self.alternative_names(),
            body=[
                self.summary,
                self.delivery_note,
                *(tag.name for tag in self.tags.all()),
                *(sector.name for sector in self.sectors.all()),
                *(name for actor in self.actors.all() for name in actor.own_names()),
            ],
            extra=self.search_quotes(),
            sort_key=date_key(self.year, self.month, self.day),
        )

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("milestones:detail", args=[self.slug])

    @property
    def public_agreement(self):
        return published_or_none(self.agreement)

    @property
    def public_occasion(self):
        return published_or_none(self.occasion)

    @property
    def is_pledge(self) -> bool:
        return self.kind == MilestoneKind.PLEDGE

    @property
    def deadline_display(self) -> str:
        """The deadline as precise as the sources: a derived year never passes for a stated one."""
        words = f"“{self.deadline_text}”" if self.deadline_text else ""
        if self.deadline_derived and self.deadline_year is not None:
            return f"by about {self.deadline_year}, derived from {words} counted from {self.year}"
        if self.deadline_year is not None:
            return f"{self.deadline_year} ({words})" if words else str(self.deadline_year)
        return words

    # Citation hooks (ijtech.citeformats): a milestone is cited as ijtech's page about the
    # event, a webpage (CSL "event" and RIS GEN have no Zotero type of their own).
    def cite_type(self) -> dict[str, str]:
        return {"csl": "webpage", "ris": "ELEC", "bibtex": "online"}

    def cite_container(self) -> str:
        return PUBLISHER

    def cite_authors(self) -> list[str]:
        return [actor.name for actor in self.actors.all() if actor.is_published]

    def cite_abstract(self) -> str:
        return self.summary

    def cite_notes(self) -> list[str]:
        agreement = self.public_agreement
        return [f"Part of: {agreement.title}."] if agreement else []

    # Page metadata hook (ijtech.page_metadata).
    def schema_org(self) -> dict:
        data = {"@type": "Event"}
        agreement = self.public_agreement
        if agreement:
            data["about"] = {"@type": "Legislation", "name": agreement.title}
        return data

    def clean(self):
        run_checks(super().clean, self.clean_pledge)

    def clean_pledge(self):
        errors = {}
        if self.deadline_year is not None and self.year and self.deadline_year < self.year:
            errors["deadline_year"] = (
                f"The deadline ({self.deadline_year}) cannot be before the milestone's year "
                f"({self.year})."
            )
        if self.deadline_derived and not self.deadline_text.strip():
            errors["deadline_text"] = (
                "Give the source's words for a derived deadline, e.g. 'over the next decade'."
            )
        if self.deadline_derived and self.deadline_year is None:
            errors["deadline_year"] = (
                "A derived deadline needs the year it was derived as; otherwise untick 'derived'."
            )
        if self.amount is not None and not self.unit:
            errors["unit"] = "Give the unit of the amount."
        if self.pk and self.occasion_id == self.pk:
            errors["occasion"] = OWN_OCCASION_MESSAGE
        if errors:
            raise ValidationError(errors)
