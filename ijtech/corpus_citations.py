"""
A record's citations and disagreements in the corpus: how they are read from the database,
validated on load and written. Every kind of record with citations has a codec built on
EditorialCodec.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history
from taggit.models import TaggedItem

from ijtech.corpus import Codec, Nested, SourceCodec
from ijtech.corpus_rules import check_see_note
from ijtech.models import (
    NO_CITATION_MESSAGE,
    Citation,
    CitationSupports,
    Disagreement,
    DisagreementAspect,
    EditorialStatus,
    citation_prefetches,
)
from ijtech.review import CORPUS_LOAD


class Citations(Nested):
    model = Citation
    keys = ["source", "locator", "quote", "supports", "disputes", "position", "note"]
    # A citation names the disagreement it backs a version of by its aspect.
    fields = {"disputes": "disagreement"}
    nullable = frozenset({"disputes"})

    def prefetches(self) -> list:
        return citation_prefetches()

    def serialize(self, obj) -> list[dict]:
        return [
            {
                "source": c.source.slug,
                "locator": c.locator,
                "quote": c.quote,
                "supports": c.supports,
                "disputes": c.disagreement.aspect if c.disagreement_id else None,
                "position": c.position,
                "note": c.note,
            }
            for c in obj.citations.all()
        ]


class Disagreements(Nested):
    model = Disagreement
    keys = ["aspect", "explanation"]

    def canonical(self, items: list[dict]) -> list[dict]:
        return sorted(items, key=lambda d: str(d["aspect"]))

    # Fetched with the citations (citation_prefetches).

    def serialize(self, obj) -> list[dict]:
        return [{key: getattr(d, key) for key in self.keys} for d in obj.disagreements.all()]


class EditorialCodec(Codec):
    """A kind of record that is published on the strength of its citations."""

    nested = {"citations": Citations(), "disagreements": Disagreements()}
    # A hand-written record is published unless it says otherwise.
    defaults = {"editorial_status": EditorialStatus.PUBLISHED}
    # A record says what it rests on, even when it is nothing (a draft).
    required = frozenset({"citations"})
    history_related = (Citation, TaggedItem)
    rules = (check_see_note,)
    # The key of a summary that may send the reader to the record's disagreement.
    summary_key: str | None = None

    def date_carried_by(self, validator, record: dict) -> dict | None:
        """Another record in the files whose date this one takes, if any."""
        return None

    def validate(self, validator, record: dict) -> None:
        validate_citations(validator, self.kind, record)

    def write(self, obj, record: dict, ids: dict[str, dict[str, int]]) -> None:
        write_citations(obj, record, ids)


def validate_citations(validator, kind: str, record: dict) -> None:
    """How a citation is validated on load: against its model, its source, and the
    record's disagreements, each of which needs a citation for a version."""
    slug = record["slug"]
    aspects = set()
    for i, dis in enumerate(record["disagreements"]):
        where = f"disagreements[{i}]"
        if dis["aspect"] not in DisagreementAspect.values:
            validator.error(kind, slug, f"{where}.aspect", f"is not an aspect: {dis['aspect']!r}")
        if dis["aspect"] in aspects:
            validator.error(kind, slug, f"{where}.aspect", "appears twice in this record")
        if not dis["explanation"]:
            validator.error(kind, slug, f"{where}.explanation", "must explain the disagreement")
        aspects.add(dis["aspect"])
    if record["editorial_status"] == EditorialStatus.PUBLISHED and not record["citations"]:
        validator.error(kind, slug, "citations", NO_CITATION_MESSAGE)
    disputed = set()
    for i, cite in enumerate(record["citations"]):
        where = f"citations[{i}]"
        validator.check_refs(kind, slug, f"{where}.source", cite["source"], SourceCodec.kind)
        citation = Citation(
            locator=cite["locator"] or "",
            quote=cite["quote"] or "",
            supports=cite["supports"],
            position=cite["position"] or "",
            note=cite["note"] or "",
        )
        try:
            citation.full_clean(
                exclude=["content_type", "object_id", "source", "disagreement"],
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    validator.error(kind, slug, f"{where}.{name}", message)
        if cite["supports"] not in CitationSupports.values:
            continue
        if cite["disputes"] is not None:
            disputed.add(cite["disputes"])
            if cite["disputes"] not in aspects:
                validator.error(
                    kind,
                    slug,
                    f"{where}.disputes",
                    f'names no disagreement of this record: "{cite["disputes"]}"',
                )
            if not cite["position"]:
                validator.error(
                    kind, slug, f"{where}.position", "must say which version this source gives"
                )
        elif cite["position"]:
            validator.error(
                kind,
                slug,
                f"{where}.position",
                "is only for citations that name a disagreement in 'disputes'",
            )
    for aspect in sorted(aspects - disputed):
        validator.error(
            kind,
            slug,
            "disagreements",
            f'the disagreement on "{aspect}" has no citation for any version',
        )


def write_citations(obj, record: dict, ids: dict[str, dict[str, int]]) -> None:
    content_type = ContentType.objects.get_for_model(obj)
    obj.citations.all().delete()
    obj.disagreements.all().delete()
    disagreements = {}
    for d in record["disagreements"]:
        disagreement = Disagreement(content_type=content_type, object_id=obj.pk, **d)
        disagreement._change_reason = CORPUS_LOAD
        disagreement.save()
        disagreements[d["aspect"]] = disagreement
    citations = [
        Citation(
            content_type=content_type,
            object_id=obj.pk,
            source_id=ids[SourceCodec.kind][c["source"]],
            locator=c["locator"],
            quote=c["quote"],
            supports=c["supports"],
            disagreement=disagreements.get(c["disputes"]),
            position=c["position"],
            note=c["note"],
            order=i,
        )
        for i, c in enumerate(record["citations"])
    ]
    bulk_create_with_history(citations, Citation, default_change_reason=CORPUS_LOAD)
