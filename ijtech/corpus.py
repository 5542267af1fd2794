"""
The corpus in fixtures/: one JSON file per model, records keyed by slug, citations and
disagreements nested in the record they support.

`load()` validates every file before it writes anything, then writes in one transaction
and skips records that already match, so loading twice changes nothing. `dump()` writes
the database back in the same canonical form, so load then dump reproduces the files.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone, PartyRole
from ijtech.models import (
    NO_CITATION_MESSAGE,
    Citation,
    CitationSupports,
    Disagreement,
    DisagreementAspect,
    EditorialStatus,
    Source,
)
from sectors.models import Sector

FILES = {
    "sources": "sources.json",
    "sectors": "sectors.json",
    "actors": "actors.json",
    "agreements": "agreements.json",
    "milestones": "milestones.json",
}

CITATION_KEYS = ["source", "locator", "quote", "supports", "disputes", "position", "note"]
DISAGREEMENT_KEYS = ["aspect", "explanation"]
PARTY_KEYS = ["actor", "role"]
DATE_KEYS = ["year", "month", "day", "date_qualifier", "year_end"]

# Key order of each record: the canonical form. Every key is always written.
KEYS = {
    "sources": [
        "slug",
        "kind",
        "authors",
        "title",
        "publisher",
        "year",
        "month",
        "day",
        "url",
        "note",
    ],
    "sectors": ["slug", "name", "parent", "order", "description"],
    "actors": [
        "slug",
        "name",
        "acronym",
        "country",
        "kind",
        "parent",
        "website",
        "sectors",
        "description",
        "editorial_status",
        "citations",
        "disagreements",
    ],
    "agreements": [
        "slug",
        "title",
        "kind",
        "status",
        *DATE_KEYS,
        "parties",
        "sectors",
        "tags",
        "builds_on",
        "supersedes",
        "summary",
        "editorial_status",
        "citations",
        "disagreements",
    ],
    "milestones": [
        "slug",
        "title",
        "kind",
        *DATE_KEYS,
        "agreement",
        "occasion",
        "actors",
        "sectors",
        "tags",
        "amount",
        "unit",
        "deadline_year",
        "deadline_text",
        "deadline_derived",
        "delivery_note",
        "summary",
        "editorial_status",
        "citations",
        "disagreements",
    ],
}
MODELS = {
    "sources": Source,
    "sectors": Sector,
    "actors": Actor,
    "agreements": Agreement,
    "milestones": Milestone,
}
# Keys that are not plain model fields, handled by the loader itself.
RELATION_KEYS = {
    "parent",
    "sectors",
    "citations",
    "disagreements",
    "parties",
    "tags",
    "builds_on",
    "supersedes",
    "agreement",
    "occasion",
    "actors",
}
# Keys that may be left out of a hand-written record, with the value they stand for.
OPTIONAL = {
    "acronym": "",
    "website": "",
    "description": "",
    "summary": "",
    "note": "",
    "url": "",
    "authors": "",
    "publisher": "",
    "parent": None,
    "order": 0,
    "month": None,
    "day": None,
    "date_qualifier": "exact",
    "status": "unknown",
    "sectors": [],
    "tags": [],
    "parties": [],
    "builds_on": [],
    "supersedes": [],
    "agreement": None,
    "occasion": None,
    "actors": [],
    "amount": None,
    "unit": "",
    "deadline_year": None,
    "deadline_text": "",
    "deadline_derived": False,
    "year_end": None,
    "delivery_note": "",
    "disagreements": [],
    "editorial_status": EditorialStatus.PUBLISHED,
    "year": None,
}


def party_order(party):
    """Signatories first, then implementers and funders, each by slug."""
    roles = [value for value, _ in PartyRole.choices]
    role = str(party["role"])
    return (roles.index(role) if role in roles else len(roles), role, str(party["actor"]))


class CorpusError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:50]
        more = f"\n… and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(
            f"The corpus was not loaded; the database is unchanged. {len(errors)} problem(s):\n"
            + "\n".join(f"- {e}" for e in shown)
            + more
        )


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def canonical_amount(value) -> str | None:
    if value is None or value == "":
        return None
    return format(Decimal(str(value)).normalize(), "f")


def render(records: list[dict]) -> str:
    return json.dumps(sorted(records, key=lambda r: r["slug"]), indent=2, ensure_ascii=False) + "\n"


# --- Reading the database in canonical form -------------------------------------------------


def _citations(obj) -> list[dict]:
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


def _disagreements(obj) -> list[dict]:
    return [{"aspect": d.aspect, "explanation": d.explanation} for d in obj.disagreements.all()]


def _date(obj) -> dict:
    return {key: getattr(obj, key) for key in DATE_KEYS}


def _slugs(related) -> list[str]:
    return sorted(r.slug for r in related.all())


def serialize(kind: str, obj) -> dict:
    if kind == "sources":
        data = {key: getattr(obj, key) for key in KEYS["sources"]}
    elif kind == "sectors":
        data = {
            "slug": obj.slug,
            "name": obj.name,
            "parent": obj.parent.slug if obj.parent_id else None,
            "order": obj.order,
            "description": obj.description,
        }
    elif kind == "actors":
        data = {
            "slug": obj.slug,
            "name": obj.name,
            "acronym": obj.acronym,
            "country": obj.country,
            "kind": obj.kind,
            "parent": obj.parent.slug if obj.parent_id else None,
            "website": obj.website,
            "sectors": _slugs(obj.sectors),
            "description": obj.description,
            "editorial_status": obj.editorial_status,
            "citations": _citations(obj),
            "disagreements": _disagreements(obj),
        }
    elif kind == "agreements":
        data = {
            "slug": obj.slug,
            "title": obj.title,
            "kind": obj.kind,
            "status": obj.status,
            **_date(obj),
            "parties": sorted(
                ({"actor": p.actor.slug, "role": p.role} for p in obj.party_links.all()),
                key=party_order,
            ),
            "sectors": _slugs(obj.sectors),
            "tags": sorted(t.name for t in obj.tags.all()),
            "builds_on": _slugs(obj.builds_on),
            "supersedes": _slugs(obj.supersedes),
            "summary": obj.summary,
            "editorial_status": obj.editorial_status,
            "citations": _citations(obj),
            "disagreements": _disagreements(obj),
        }
    else:
        data = {
            "slug": obj.slug,
            "title": obj.title,
            "kind": obj.kind,
            **_date(obj),
            "agreement": obj.agreement.slug if obj.agreement_id else None,
            "occasion": obj.occasion.slug if obj.occasion_id else None,
            "actors": _slugs(obj.actors),
            "sectors": _slugs(obj.sectors),
            "tags": sorted(t.name for t in obj.tags.all()),
            "amount": canonical_amount(obj.amount),
            "unit": obj.unit,
            "deadline_year": obj.deadline_year,
            "deadline_text": obj.deadline_text,
            "deadline_derived": obj.deadline_derived,
            "delivery_note": obj.delivery_note,
            "summary": obj.summary,
            "editorial_status": obj.editorial_status,
            "citations": _citations(obj),
            "disagreements": _disagreements(obj),
        }
    return data


CITATION_PREFETCH = [
    models.Prefetch(
        "citations", queryset=Citation.objects.select_related("source", "disagreement")
    ),
    "disagreements",
]
QUERYSETS = {
    "sources": lambda: Source.objects.all(),
    "sectors": lambda: Sector.objects.select_related("parent"),
    "actors": lambda: Actor.objects.select_related("parent").prefetch_related(
        "sectors", *CITATION_PREFETCH
    ),
    "agreements": lambda: Agreement.objects.prefetch_related(
        "party_links__actor", "sectors", "tags", "builds_on", "supersedes", *CITATION_PREFETCH
    ),
    "milestones": lambda: Milestone.objects.select_related(
        "agreement", "occasion"
    ).prefetch_related("actors", "sectors", "tags", *CITATION_PREFETCH),
}


def snapshot() -> dict[str, dict[str, dict]]:
    """Every record in the database, in canonical form, by kind and slug."""
    return {kind: {o.slug: serialize(kind, o) for o in QUERYSETS[kind]()} for kind in FILES}


def dump(directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for kind, records in snapshot().items():
        (directory / FILES[kind]).write_text(render(list(records.values())), encoding="utf-8")
        counts[kind] = len(records)
    return counts


# --- Validating the files ----------------------------------------------------------------


class Validator:
    def __init__(self, directory: Path):
        self.directory = directory
        self.errors: list[str] = []
        self.records: dict[str, list[dict]] = {}
        self.slugs: dict[str, set[str]] = {}

    def error(self, kind: str, slug, where: str, message: str) -> None:
        record = f' record "{slug}"' if slug else ""
        field_ = f" field {where}:" if where else ""
        self.errors.append(f"{self.directory.name}/{FILES[kind]}:{record}{field_} {message}")

    def read(self) -> None:
        for kind, name in FILES.items():
            path = self.directory / name
            if not path.exists():
                self.records[kind] = []
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                self.error(kind, None, "", f"is not valid JSON: {exc}")
                data = []
            if not isinstance(data, list):
                self.error(kind, None, "", "must hold a JSON list of records")
                data = []
            records = []
            for index, record in enumerate(data):
                if not isinstance(record, dict) or not isinstance(record.get("slug"), str):
                    self.error(
                        kind, None, f"[{index}]", "each record must be an object with a slug"
                    )
                    continue
                records.append(self.normalise(kind, record))
            self.records[kind] = records
        for kind, records in self.records.items():
            seen = set()
            for record in records:
                if record["slug"] in seen:
                    self.error(kind, record["slug"], "slug", "appears more than once")
                seen.add(record["slug"])
            existing = set(MODELS[kind].objects.values_list("slug", flat=True))
            self.slugs[kind] = seen | existing

    def normalise(self, kind: str, record: dict) -> dict:
        """Fill left-out keys with their defaults, in canonical order."""
        slug = record["slug"]
        unknown = set(record) - set(KEYS[kind])
        for key in sorted(unknown):
            self.error(kind, slug, key, f"is not a known field (known: {', '.join(KEYS[kind])})")
        out = {}
        for key in KEYS[kind]:
            if key in record:
                out[key] = record[key]
            elif key in OPTIONAL:
                out[key] = OPTIONAL[key]
            else:
                self.error(kind, slug, key, "is required")
                out[key] = None
        if "citations" in out:
            out["citations"] = [
                self.normalise_nested(kind, slug, f"citations[{i}]", c, CITATION_KEYS)
                for i, c in enumerate(out["citations"] or [])
            ]
        if "disagreements" in out:
            out["disagreements"] = sorted(
                (
                    self.normalise_nested(kind, slug, f"disagreements[{i}]", d, DISAGREEMENT_KEYS)
                    for i, d in enumerate(out["disagreements"] or [])
                ),
                key=lambda d: str(d["aspect"]),
            )
        if "parties" in out:
            out["parties"] = sorted(
                (
                    self.normalise_nested(kind, slug, f"parties[{i}]", p, PARTY_KEYS)
                    for i, p in enumerate(out["parties"] or [])
                ),
                key=party_order,
            )
        for key in ("sectors", "actors", "builds_on", "supersedes"):
            if key in out:
                if isinstance(out[key], list):
                    out[key] = sorted(out[key], key=str)
                else:
                    self.error(kind, slug, key, "must be a list of slugs")
                    out[key] = []
        if "tags" in out:
            if isinstance(out["tags"], list):
                out["tags"] = sorted({str(t).strip().lower() for t in out["tags"]})
            else:
                self.error(kind, slug, "tags", "must be a list of tag names")
                out["tags"] = []
        if "amount" in out:
            try:
                out["amount"] = canonical_amount(out["amount"])
            except (InvalidOperation, ValueError):
                self.error(kind, slug, "amount", f"is not a number: {out['amount']!r}")
                out["amount"] = None
        return out

    def normalise_nested(self, kind, slug, where, item, keys) -> dict:
        if not isinstance(item, dict):
            self.error(kind, slug, where, "must be an object")
            return {key: None for key in keys}
        for key in sorted(set(item) - set(keys)):
            self.error(kind, slug, f"{where}.{key}", "is not a known field")
        defaults = {
            "quote": "",
            "supports": "record",
            "disputes": None,
            "position": "",
            "note": "",
            "role": "signatory",
        }
        out = {}
        for key in keys:
            if key in item:
                out[key] = item[key]
            elif key in defaults:
                out[key] = defaults[key]
            else:
                self.error(kind, slug, f"{where}.{key}", "is required")
                out[key] = None
        return out

    def check_refs(self, kind, slug, key, values, target) -> None:
        for value in values if isinstance(values, list) else [values]:
            if value is not None and value not in self.slugs[target]:
                self.error(kind, slug, key, f'refers to unknown {target[:-1]} "{value}"')

    def validate(self) -> None:
        self.read()
        for kind in FILES:
            for record in self.records[kind]:
                self.validate_record(kind, record)
        if self.errors:
            raise CorpusError(self.errors)

    def validate_record(self, kind: str, record: dict) -> None:
        slug = record["slug"]
        model = MODELS[kind]
        plain = {k: v for k, v in record.items() if k not in RELATION_KEYS}
        instance = model(**plain)
        existing = model.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if existing is not None:
            instance.pk = existing
            instance._state.adding = False
        instance._citations_checked_by_form = True
        try:
            instance.full_clean(
                exclude=[f for f in ("parent", "agreement", "occasion") if f in record]
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(kind, slug, name if name != "__all__" else "", message)
        except (TypeError, ValueError) as exc:
            self.error(kind, slug, "", str(exc))
        if kind in ("sectors", "actors"):
            self.check_refs(kind, slug, "parent", record["parent"], kind)
            if record["parent"] == slug:
                self.error(kind, slug, "parent", "cannot be the record itself")
        if "sectors" in record and kind != "sectors":
            self.check_refs(kind, slug, "sectors", record["sectors"], "sectors")
        if kind == "agreements":
            for i, party in enumerate(record["parties"]):
                self.check_refs(kind, slug, f"parties[{i}].actor", party["actor"], "actors")
                if party["role"] not in AgreementParty._meta.get_field("role").flatchoices[0:0] + [
                    c[0] for c in AgreementParty._meta.get_field("role").choices
                ]:
                    self.error(
                        kind, slug, f"parties[{i}].role", f"is not a role: {party['role']!r}"
                    )
            for key in ("builds_on", "supersedes"):
                self.check_refs(kind, slug, key, record[key], "agreements")
                if slug in record[key]:
                    self.error(kind, slug, key, "cannot name the agreement itself")
        if kind == "milestones":
            self.check_refs(kind, slug, "agreement", record["agreement"], "agreements")
            self.check_refs(kind, slug, "occasion", record["occasion"], "milestones")
            if record["occasion"] == slug:
                self.error(kind, slug, "occasion", "cannot be the milestone itself")
            self.check_refs(kind, slug, "actors", record["actors"], "actors")
        if "citations" in record:
            self.validate_citations(kind, record)

    def validate_citations(self, kind: str, record: dict) -> None:
        slug = record["slug"]
        aspects = set()
        for i, dis in enumerate(record["disagreements"]):
            where = f"disagreements[{i}]"
            if dis["aspect"] not in DisagreementAspect.values:
                self.error(kind, slug, f"{where}.aspect", f"is not an aspect: {dis['aspect']!r}")
            if dis["aspect"] in aspects:
                self.error(kind, slug, f"{where}.aspect", "appears twice in this record")
            if not dis["explanation"]:
                self.error(kind, slug, f"{where}.explanation", "must explain the disagreement")
            aspects.add(dis["aspect"])
        if record["editorial_status"] == EditorialStatus.PUBLISHED and not record["citations"]:
            self.error(kind, slug, "citations", NO_CITATION_MESSAGE)
        disputed = set()
        for i, cite in enumerate(record["citations"]):
            where = f"citations[{i}]"
            self.check_refs(kind, slug, f"{where}.source", cite["source"], "sources")
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
                        self.error(kind, slug, f"{where}.{name}", message)
            if cite["supports"] not in CitationSupports.values:
                continue
            if cite["disputes"] is not None:
                disputed.add(cite["disputes"])
                if cite["disputes"] not in aspects:
                    self.error(
                        kind,
                        slug,
                        f"{where}.disputes",
                        f'names no disagreement of this record: "{cite["disputes"]}"',
                    )
                if not cite["position"]:
                    self.error(
                        kind, slug, f"{where}.position", "must say which version this source gives"
                    )
            elif cite["position"]:
                self.error(
                    kind,
                    slug,
                    f"{where}.position",
                    "is only for citations that name a disagreement in 'disputes'",
                )
        for aspect in sorted(aspects - disputed):
            self.error(
                kind,
                slug,
                "disagreements",
                f'the disagreement on "{aspect}" has no citation for any version',
            )


# --- Writing --------------------------------------------------------------------------------


def load(directory: Path) -> LoadReport:
    validator = Validator(directory)
    validator.validate()
    report = LoadReport()
    with transaction.atomic():
        current = snapshot()
        ids = {kind: dict(MODELS[kind].objects.values_list("slug", "pk")) for kind in FILES}
        pending_links = []
        for kind in FILES:
            created = updated = unchanged = 0
            for record in validator.records[kind]:
                before = current[kind].get(record["slug"])
                if before == record:
                    unchanged += 1
                    continue
                obj = write_record(kind, record, ids)
                ids[kind][record["slug"]] = obj.pk
                pending_links.append((kind, obj, record))
                if before is None:
                    created += 1
                else:
                    updated += 1
            report.created[kind], report.updated[kind] = created, updated
            report.unchanged[kind] = unchanged
        # Self-references need every record of their kind to exist first.
        for kind, obj, record in pending_links:
            write_links(kind, obj, record, ids)
    return report


def write_record(kind: str, record: dict, ids: dict):
    model = MODELS[kind]
    plain = {k: v for k, v in record.items() if k not in RELATION_KEYS and k != "slug"}
    if kind == "milestones":
        plain["agreement_id"] = ids["agreements"].get(record["agreement"])
    obj = model.objects.filter(slug=record["slug"]).first() or model(slug=record["slug"])
    for key, value in plain.items():
        setattr(obj, key, value)
    obj._citations_checked_by_form = True
    obj.save()
    if "sectors" in record and kind != "sectors":
        obj.sectors.set([ids["sectors"][s] for s in record["sectors"]])
    if kind == "agreements":
        obj.party_links.all().delete()
        AgreementParty.objects.bulk_create(
            AgreementParty(agreement=obj, actor_id=ids["actors"][p["actor"]], role=p["role"])
            for p in record["parties"]
        )
    if kind == "milestones":
        obj.actors.set([ids["actors"][a] for a in record["actors"]])
    if "tags" in record:
        obj.tags.set(record["tags"], clear=True)
    if "citations" in record:
        write_citations(obj, record, ids)
    return obj


def write_citations(obj, record: dict, ids: dict) -> None:
    content_type = ContentType.objects.get_for_model(obj)
    obj.citations.all().delete()
    obj.disagreements.all().delete()
    disagreements = {
        d["aspect"]: Disagreement.objects.create(content_type=content_type, object_id=obj.pk, **d)
        for d in record["disagreements"]
    }
    Citation.objects.bulk_create(
        Citation(
            content_type=content_type,
            object_id=obj.pk,
            source_id=ids["sources"][c["source"]],
            locator=c["locator"],
            quote=c["quote"],
            supports=c["supports"],
            disagreement=disagreements.get(c["disputes"]),
            position=c["position"],
            note=c["note"],
            order=i,
        )
        for i, c in enumerate(record["citations"])
    )


def write_links(kind: str, obj, record: dict, ids: dict) -> None:
    if kind in ("sectors", "actors"):
        parent = ids[kind].get(record["parent"]) if record["parent"] else None
        if obj.parent_id != parent:
            type(obj).objects.filter(pk=obj.pk).update(parent_id=parent)
    if kind == "milestones":
        occasion = ids["milestones"].get(record["occasion"]) if record["occasion"] else None
        if obj.occasion_id != occasion:
            Milestone.objects.filter(pk=obj.pk).update(occasion_id=occasion)
    if kind == "agreements":
        obj.builds_on.set([ids["agreements"][s] for s in record["builds_on"]])
        obj.supersedes.set([ids["agreements"][s] for s in record["supersedes"]])
