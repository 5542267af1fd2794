"""The shared machinery: sources, citations, disagreements and the editorial workflow."""

import collections
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from simple_history import register
from simple_history.models import HistoricalRecords
from taggit.models import Tag, TaggedItem

from ijtech import fragments
from ijtech.citeformats import Citable, person_names
from ijtech.dates import StatedDate, format_partial_date, month_day_constraints
from ijtech.search import SearchDocument, date_key
from ijtech.validation import PlainTextFields, run_checks, validate_plain_url

MAX_QUOTE_WORDS = 25


def word_count(text: str) -> int:
    return len(text.split())


def validate_quote_length(value: str) -> None:
    words = word_count(value)
    if words > MAX_QUOTE_WORDS:
        raise ValidationError(
            f"A quote may have at most {MAX_QUOTE_WORDS} words; this one has {words}. "
            "Shorten it to the words that pin the fact and paraphrase the rest in the summary."
        )


class SourceKind(models.TextChoices):
    OFFICIAL = "official", "Official document"
    REPORT = "report", "Report"
    JOURNAL_ARTICLE = "journal_article", "Journal article"
    WEB_ARTICLE = "web_article", "Web article"


# Each kind of source as the Zotero item type that keeps its fields (see ijtech.citeformats).
SOURCE_CITE_TYPES = {
    SourceKind.OFFICIAL: {"csl": "report", "ris": "GOVDOC", "bibtex": "techreport"},
    SourceKind.REPORT: {"csl": "report", "ris": "RPRT", "bibtex": "techreport"},
    SourceKind.JOURNAL_ARTICLE: {"csl": "article-journal", "ris": "JOUR", "bibtex": "article"},
    SourceKind.WEB_ARTICLE: {"csl": "webpage", "ris": "ELEC", "bibtex": "online"},
}


class SourceQuerySet(models.QuerySet):
    def detailed(self):
        """What a source's citation files read: the source alone, no related rows."""
        return self

    def public(self):
        """What the sources page, its export and the API list: every source, with its count."""
        return self.with_citation_counts().order_by("authors", "title", "pk")

    def with_citation_counts(self):
        """`citation_count`: the citations made by published records; those on drafts are
        not public (one grouped query per record model, until the next public change)."""
        return fragments.with_counts(self, SourceCitationCounts)


class SourceCitationCounts(fragments.CountsIterable):
    parts = ("source-citation-counts",)
    defaults = {"citation_count": 0}

    @staticmethod
    def compute(model, using):
        counts = collections.Counter()
        for record_model in editorial_models():
            # A citation belongs to one record: the counts per model add up. By
            # ijtech_citation_target (content_type, object_id).
            rows = (
                Citation.objects.using(using)
                .filter(
                    content_type=ContentType.objects.get_for_model(record_model),
                    object_id__in=record_model.objects.published().order_by().values("pk"),
                )
                .order_by()
                .values_list("source_id")
                .annotate(n=models.Count("pk"))
            )
            counts.update(dict(rows))
        return {pk: {"citation_count": n} for pk, n in counts.items()}


class ConcurrentEditError(Exception):
    """Raised when a record changed in the database after the editor loaded it."""


class Versioned(models.Model):
    """A version number that refuses lost updates: every save is a compare-and-swap."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        # Compare-and-swap on the version: a second editor who loaded the same version
        # finds it gone and is refused instead of overwriting the first editor's work.
        # Where Django's own save would write: the primary, even for a record read from a
        # replica (ijtech/db_router.py).
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        manager = type(self)._base_manager.using(using)
        with transaction.atomic(using=using):
            bumped = manager.filter(pk=self.pk, version=self.version).update(
                version=F("version") + 1
            )
            if not bumped:
                raise ConcurrentEditError(
                    f"{self._meta.verbose_name.capitalize()} “{self}” was changed by someone "
                    "else after you opened it."
                )
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)


class Source(Citable, PlainTextFields, Versioned):
    slug = models.SlugField(max_length=100)
    authors = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField("URL", blank=True, validators=[validate_plain_url])
    kind = models.CharField(max_length=20, choices=SourceKind)
    note = models.TextField(
        blank=True, help_text="Known problems, such as conflicting publication dates."
    )

    # Editors add, change and delete sources (ijtech/roles.py); published records that
    # cite one show it (ijtech/workflow.py).
    editor_edits = True
    shown_through = ["citations__source"]

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["authors", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="ijtech_source_unique_slug",
                violation_error_message="Another source already uses this slug.",
            ),
            # A source may be undated, so its year is not checked against the range.
            *month_day_constraints("ijtech_source", year_optional=True),
        ]

    def __str__(self):
        return f"{self.authors}, {self.title}" if self.authors else self.title

    def get_absolute_url(self):
        return reverse("sources:detail", args=[self.slug])

    @property
    def date_display(self) -> str:
        return format_partial_date(self.year, self.month, self.day)

    # Citation hooks (ijtech.citeformats): the work itself, as its kind is cited in Zotero.
    def cite_type(self) -> dict[str, str]:
        return SOURCE_CITE_TYPES[self.kind]

    def cite_title(self) -> str:
        return self.title

    def cite_genre(self) -> str:
        return ""

    def cite_authors(self) -> list:
        return person_names(self.authors)

    def cite_date(self):
        return StatedDate(self.year, self.month, self.day) if self.year else None

    def cite_notes(self) -> list[str]:
        return [self.note]

    def cite_container(self) -> str:
        # A journal article's "publisher" is the journal it appeared in.
        return self.publisher if self.kind == SourceKind.JOURNAL_ARTICLE else ""

    def cite_publisher(self) -> str:
        return "" if self.kind == SourceKind.JOURNAL_ARTICLE else self.publisher

    def cite_url(self) -> str:
        return self.url

    def cite_sources(self) -> list:
        return []

    # Page metadata hook (ijtech.page_metadata): a source is the work itself.
    def schema_org(self) -> dict:
        kinds = {"journal_article": "ScholarlyArticle", "web_article": "Article"}
        data = {"@type": kinds.get(self.kind, "Report")}
        if self.authors:
            data["author"] = [{"@type": "Person", "name": self.authors}]
        if self.publisher:
            data["publisher"] = {"@type": "Organization", "name": self.publisher}
        if self.url:
            data["sameAs"] = self.url
        return data

    # Search (ijtech/search.py): every source is public, found by title and authors.
    search_related: list[str] = []

    @classmethod
    def search_queryset(cls):
        return cls.objects.all()

    def search_document(self) -> SearchDocument:
        return SearchDocument(
            title=self.title,
            body=[self.authors, self.publisher],
            sort_key=date_key(self.year, self.month, self.day),
        )


class SourceText(PlainTextFields, models.Model):
    """A source's full text, held privately to check quotes against (ijtech/source_text.py).

    Its own table, so no public query, export, serializer, dump or history row of a source
    ever reads it; only the quote check, `verify_quotes` and the source's admin do.
    """

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, primary_key=True, related_name="full_text"
    )
    text = models.TextField()
    file_name = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "source text"

    def __str__(self):
        return f"Text of {self.source.slug}"

    def parsed(self):
        from ijtech import source_text

        return source_text.parse(self.text)


def text_of(source_id):
    """The parsed full text of a source, or None if none is stored."""
    row = SourceText.objects.filter(source_id=source_id).first()
    return row.parsed() if row else None


class DisagreementAspect(models.TextChoices):
    DATE = "date", "Date"
    PARTIES = "parties", "Parties"
    KIND = "kind", "Kind of instrument"
    NAME = "name", "Name"
    AMOUNT = "amount", "Amount"
    OTHER = "other", "Other"


class Disagreement(PlainTextFields, models.Model):
    """Sources that disagree on one aspect of a record; each version is a citation."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    aspect = models.CharField(max_length=10, choices=DisagreementAspect)
    explanation = models.TextField(help_text="What the sources disagree on, in a sentence or two.")

    editor_edits = True

    history = HistoricalRecords()

    class Meta:
        ordering = ["aspect"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "aspect"],
                name="ijtech_disagreement_one_per_aspect",
                violation_error_message="This record already has a disagreement on that aspect.",
            ),
        ]

    def __str__(self):
        return f"{self.get_aspect_display()}: {self.explanation[:60]}"


class CitationSupports(models.TextChoices):
    RECORD = "record", "The whole record"
    DATE = "date", "Its date"
    PARTIES = "parties", "Its parties"
    NAME = "name", "Its name"
    KIND = "kind", "Its kind of instrument"
    AMOUNT = "amount", "An amount"
    OTHER = "other", "Something else (see note)"


class Citation(PlainTextFields, models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(
        max_length=300,
        help_text="The section or chapter heading where the fact stands. Left blank, it is "
        "the heading the quote stands under, where the source's text is stored.",
    )
    quote = models.TextField(
        blank=True,
        validators=[validate_quote_length],
        help_text=f"Verbatim, at most {MAX_QUOTE_WORDS} words, exactly as in the source.",
    )
    supports = models.CharField(
        max_length=10, choices=CitationSupports, default=CitationSupports.RECORD
    )
    disagreement = models.ForeignKey(
        Disagreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citations",
        help_text="Set when this citation supports one version of a disputed point.",
    )
    position = models.CharField(
        max_length=300,
        blank=True,
        help_text="What this source says on the disputed point, e.g. 'an MoU'.",
    )
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    editor_edits = True

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        indexes = [
            # Prefetching a record's citations: WHERE content_type_id = ? AND object_id IN (...)
            models.Index(fields=["content_type", "object_id"], name="ijtech_citation_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(position="") | Q(disagreement__isnull=False),
                name="ijtech_citation_position_needs_disagreement",
                violation_error_message="A position only makes sense on a citation that is "
                "linked to a disagreement.",
            ),
        ]

    def __str__(self):
        return f"{self.source.slug} — {self.locator}"

    def clean(self):
        if self.disagreement_id and (
            self.disagreement.content_type_id != self.content_type_id
            or self.disagreement.object_id != self.object_id
        ):
            raise ValidationError({"disagreement": "That disagreement belongs to another record."})
        if self.disagreement_id and not self.position:
            raise ValidationError(
                {"position": "Say which version of the disputed point this source gives."}
            )
        self.clean_quote()

    def source_text(self):
        """The parsed text of the cited source, read once per source while cleaning."""
        if getattr(self, "_text_for", ()) != self.source_id:
            self._text_for = self.source_id
            self._text = text_of(self.source_id) if self.source_id else None
        return self._text

    def heading_of_quote(self) -> str:
        """The heading the quote stands under in the source's text, if both are known."""
        parsed = self.source_text() if self.quote else None
        found = parsed.find(self.quote) if parsed else None
        return found.heading if found else ""

    def clean_fields(self, exclude=None):
        # An empty locator is filled with the quote's heading before it is checked.
        if not self.locator.strip():
            self.locator = self.heading_of_quote()
        super().clean_fields(exclude)

    def clean_quote(self):
        """Where the source's text is stored, the quote must stand in it verbatim."""
        from ijtech import source_text

        parsed = self.source_text() if self.quote else None
        if parsed is not None and parsed.find(self.quote) is None:
            raise ValidationError({"quote": source_text.not_found_message(self.quote, parsed)})


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


def citation_prefetches():
    """A record's citations in their order, each with its source, and its disagreements."""
    return [
        models.Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source", "disagreement").order_by(
                "order", "pk"
            ),
        ),
        "disagreements",
    ]


def published_or_none(record):
    """The related record if the public may see it; otherwise nothing.

    Every public surface shows an unpublished related record (a draft, a record in review)
    as no record at all; the accessors on the models use this.
    """
    if record is None or record.editorial_status != EditorialStatus.PUBLISHED:
        return None
    return record


class EditorialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(editorial_status=EditorialStatus.PUBLISHED)

    def public(self):
        """The records the public may see, with what every public surface shows of them.

        One queryset per resource serves the list page, the detail page, the API, the
        exports, the citation downloads and the sitemap; each resource's QuerySet extends
        this with its own related rows. `detailed()` adds what only a record's full form
        (detail page, API entry, export row, citation file) shows.
        """
        return self.published().with_disputed()

    def detailed(self):
        """Tags (where the record has them), citations with their sources, disagreements."""
        lookups = [*citation_prefetches()]
        if any(f.name == "tags" for f in self.model._meta.get_fields()):
            lookups.insert(0, "tags")
        return self.prefetch_related(*lookups)

    def _has_disagreement(self):
        content_type = ContentType.objects.get_for_model(self.model)
        return Exists(
            Disagreement.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        )

    def with_disputed(self):
        return self.annotate(is_disputed=self._has_disagreement())

    def disputed(self, value=True):
        """Records on which the sources disagree (or, with value=False, agree)."""
        condition = self._has_disagreement()
        return self.filter(condition if value else ~condition)

    def with_citation_count(self):
        content_type = ContentType.objects.get_for_model(self.model)
        return self.annotate(
            citation_count=models.Subquery(
                Citation.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
                .order_by()
                .values("object_id")
                .annotate(n=models.Count("pk"))
                .values("n"),
                output_field=models.IntegerField(),
            )
        )


NO_CITATION_MESSAGE = (
    "A record can only be published with at least one citation. Add a citation to a source, "
    "then publish."
)


class RelationsSnapshot(models.Model):
    """Base of a reviewed record's historical model: the rows that hang off the record.

    simple-history keeps a version's own fields; its citations, parties, sectors and tags
    are kept here as they stood at that version (see ijtech/review.py), so a history page
    shows them and a revert restores them. Null: not recorded (a version older than this).
    """

    relations = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Editorial(PlainTextFields, Versioned):
    """Draft → in review → published, with a version number that refuses lost updates."""

    # The state the record was read in, so that saving a record that was published (and
    # is now unpublished) still counts as a public change (ijtech/content_version.py).
    _loaded_status = None

    editorial_status = models.CharField(
        "editorial status",
        max_length=10,
        choices=EditorialStatus,
        default=EditorialStatus.DRAFT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    _citations_checked_by_caller = False

    citations = GenericRelation(Citation)
    disagreements = GenericRelation(Disagreement)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._loaded_status = record.__dict__.get("editorial_status")
        return record

    @property
    def is_published(self) -> bool:
        return self.editorial_status == EditorialStatus.PUBLISHED

    @property
    def was_published(self) -> bool:
        """Published now, or when read from the database (or saved last)."""
        return EditorialStatus.PUBLISHED in (self.editorial_status, self._loaded_status)

    def full_clean(self, *args, check_citations=True, **kwargs):
        """`check_citations=False`: the caller checks the publication rule itself."""
        if check_citations:
            super().full_clean(*args, **kwargs)
            return
        with self.citations_checked_by_caller():
            super().full_clean(*args, **kwargs)

    @contextmanager
    def citations_checked_by_caller(self):
        """Leave the publication rule to the caller while validating in this block.

        A form with a citation inline, or the corpus loader, checks the rule against the
        citations the record is about to have, which the database cannot see yet; the
        model alone can only count the citations already saved.
        """
        self._citations_checked_by_caller = True
        try:
            yield
        finally:
            self._citations_checked_by_caller = False

    def clean(self):
        run_checks(super().clean, self.clean_citations)

    def clean_citations(self):
        if self._citations_checked_by_caller:
            return
        from ijtech import workflow

        workflow.check_publishable(self, self.editorial_status)

    # Search (ijtech/search.py): the public records, with the rows their documents show.
    search_related = ["citations", "citations__disagreement"]

    @classmethod
    def search_queryset(cls):
        return cls.objects.public().detailed()

    def search_quotes(self) -> list[str]:
        return [citation.quote for citation in self.citations.all() if citation.quote]

    def own_names(self) -> list[str]:
        """The names the record goes by here; a model with an acronym adds it."""
        return [str(self)]

    def alternative_names(self) -> list[str]:
        """The other names the sources give this record: the versions of a disputed name.

        Read from the citations as `citation_prefetches()` loads them, in citation order,
        each once, leaving out the record's own name.
        """
        names, seen = [], {name.casefold() for name in self.own_names()}
        for citation in self.citations.all():
            disagreement = citation.disagreement
            if not disagreement or disagreement.aspect != DisagreementAspect.NAME:
                continue
            name = citation.position.strip()
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def has_citations(self) -> bool:
        return self.pk is not None and self.citations.exists()

    def move_to(self, status, user=None):
        """Move to another editorial state, if `user` may and the state's rules hold."""
        from ijtech import workflow

        workflow.check_transition(user, self, status)
        self.editorial_status = status
        self.save()

    def publish(self, user=None):
        self.move_to(EditorialStatus.PUBLISHED, user)


class ReviewComment(PlainTextFields, models.Model):
    """A reviewer's reason for sending a record back to its editor."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A record's latest comment: WHERE content_type_id = ? AND object_id = ? ORDER BY
            # created_at DESC.
            models.Index(
                fields=["content_type", "object_id", "-created_at"], name="ijtech_comment_target"
            ),
        ]

    def __str__(self):
        return self.text[:60]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    SENT_BACK = "sent_back", "Sent back"


class ChangeProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)

    def for_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


class ChangeProposal(PlainTextFields, models.Model):
    """An editor's change to a published record, kept apart until a reviewer accepts it.

    `data` is the record as the editor's form would have saved it: its fields and its
    relations, in the shape of a version's snapshot (ijtech/review.py). The public sees
    none of it; accepting writes it over the record in one transaction.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    base_version = models.PositiveIntegerField(
        help_text="The version of the record the change was made to."
    )
    data = models.JSONField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ProposalStatus, default=ProposalStatus.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer_comment = models.TextField(blank=True)

    objects = ChangeProposalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One change at a time per record: a second would be written over the first.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="pending"),
                name="ijtech_changeproposal_one_pending",
                violation_error_message="This record already has a change awaiting review.",
            ),
        ]
        indexes = [
            # The queue: WHERE status = 'pending' ORDER BY created_at.
            models.Index(fields=["status", "created_at"], name="ijtech_proposal_queue"),
        ]

    def __str__(self):
        return f"Change to {self.content_type.name} {self.object_id}"


class SearchEntry(models.Model):
    """One public record as search sees it (ijtech/search.py), rebuilt when it changes.

    Written only by the index from the records' own checked text; nobody types into it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, editable=False)
    title = models.TextField(editable=False)
    names = models.TextField(blank=True, editable=False)
    body = models.TextField(blank=True, editable=False)
    extra = models.TextField(blank=True, editable=False)
    # The title and names, normalised, between bars: an exact-name match is one LIKE.
    keys = models.TextField(blank=True, editable=False)
    # The record's date as YYYYMMDD: equal ranks list the newest first.
    sort_key = models.IntegerField(default=0)
    # PostgreSQL: the weighted tsvector, set by a trigger; unused (empty) on SQLite.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            # Also serves the list filters' rank: WHERE content_type_id = ? AND object_id = ?
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="ijtech_searchentry_one_per_record"
            ),
        ]
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"{self.kind}: {self.title}"


class SearchWord(models.Model):
    """A word of the public records, for correcting a misspelt search."""

    word = models.CharField(max_length=40, primary_key=True, editable=False)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            # SQLite's candidates for a correction: WHERE length BETWEEN ? AND ?
            models.Index(fields=["length"], name="ijtech_searchword_length"),
        ]

    def __str__(self):
        return self.word


def editorial_models() -> list:
    """Every installed model of records that go through review."""
    return [m for m in apps.get_models() if issubclass(m, Editorial)]


# Tags are rows of django-taggit's own model; keep their history too, with author and time.
register(TaggedItem, app="ijtech", table_name="ijtech_historicaltaggeditem")
register(Tag, app="ijtech", table_name="ijtech_historicaltag")


class CorpusSync(PlainTextFields, models.Model):
    """The state in which a record last matched the corpus files, as a content fingerprint.

    Set for every record a load writes or finds matching, and for every record a dump writes.
    A record whose fingerprint no longer matches was changed in the database since; the
    loader refuses to overwrite it, so edits made in the admin are not silently lost.
    """

    kind = models.CharField(max_length=20)
    slug = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = "corpus sync mark"
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="ijtech_corpussync_unique"),
        ]

    def __str__(self):
        return f"{self.kind}/{self.slug}"


class ContentVersion(models.Model):
    """One row, counting the changes the public can see (ijtech/content_version.py).

    Its count and time are the validators of every public response and the key of the
    cache of rendered fragments.
    """

    n = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="ijtech_contentversion_singleton"),
        ]

    def __str__(self):
        return f"content version {self.n} of {self.changed_at:%Y-%m-%d %H:%M:%S}"
