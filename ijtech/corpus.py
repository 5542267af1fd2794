"""
The corpus in fixtures/: one JSON file per model, records keyed by slug, citations and
disagreements nested in the record they support.

`load()` validates every file before it writes anything, then writes in one transaction
and skips records that already match, so loading twice changes nothing. `dump()` writes
the database back in the same canonical form, so load then dump reproduces the files.

Both remember, per record, a fingerprint of the state in which the database last matched
the files (CorpusSync). A load refuses to overwrite a record that changed in the database
since then, so an edit made in the admin is dumped or discarded on purpose, never lost.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone, PartyRole
from ijtech.corpus_rules import check as check_rules
from ijtech.models import (
    NO_CITATION_MESSAGE,
    Citation,
    CitationSupports,
    CorpusSync,
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

# The JSON type each key must have; every other key holds text.
INT_KEYS = {"year", "month", "day", "year_end", "deadline_year", "order"}
BOOL_KEYS = {"deadline_derived"}
SLUG_KEYS = {"parent", "agreement", "occasion"}
SLUG_LIST_KEYS = {"sectors", "actors", "builds_on", "supersedes"}
NESTED = {"citations": CITATION_KEYS, "disagreements": DISAGREEMENT_KEYS, "parties": PARTY_KEYS}
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
NUL_MESSAGE = "contains a NUL character (\\u0000), which the database cannot store"


def kind_of(value) -> str:
    """How a JSON value reads in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def party_order(party):
    """Signatories first, then implementers and funders, each by slug."""
    roles = [value for value, _ in PartyRole.choices]
    role = str(party["role"])
    return (roles.index(role) if role in roles else len(roles), role, str(party["actor"]))


class CorpusError(Exception):
    def __init__(self, errors: list[str], what: str = "problem(s)", advice: str = ""):
        self.errors = errors
        shown = errors[:50]
        more = f"\n… and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(
            f"The corpus was not loaded; the database is unchanged. {len(errors)} {what}:\n"
            + "\n".join(f"- {e}" for e in shown)
            + more
            + (f"\n{advice}" if advice else "")
        )


class UnsavedEditsError(CorpusError):
    """The files would overwrite records changed in the database since the last sync."""

    def __init__(self, errors: list[str]):
        super().__init__(
            errors,
            "record(s) changed in the database since the corpus was last loaded or dumped, "
            "and the files would overwrite them",
            "To keep these edits, run `manage.py dump_corpus` first, review and commit the "
            "diff, then load again. To discard them, run `manage.py load_corpus "
            "--discard-edits` (the history keeps the discarded versions).",
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
    with transaction.atomic():
        current = snapshot()
        for kind, records in current.items():
            (directory / FILES[kind]).write_text(render(list(records.values())), encoding="utf-8")
            counts[kind] = len(records)
        # The files now hold the database as it is: every record is in step, and marks of
        # records deleted since are dropped.
        remember(current, {kind: set(records) for kind, records in current.items()})
        CorpusSync.objects.exclude(kind__in=list(FILES)).delete()
        for kind, records in current.items():
            CorpusSync.objects.filter(kind=kind).exclude(slug__in=list(records)).delete()
    return counts


# --- Remembering where the database last matched the corpus ---------------------------------


def fingerprint(record: dict) -> str:
    """A digest of a record's canonical form: equal digests, equal records."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remember(current: dict[str, dict[str, dict]], slugs: dict[str, set[str]]) -> None:
    """Mark the given records as in step with the corpus, writing only marks that change."""
    marks = {
        (k, s): fp for k, s, fp in CorpusSync.objects.values_list("kind", "slug", "fingerprint")
    }
    for kind, wanted in slugs.items():
        fresh = {slug: fingerprint(current[kind][slug]) for slug in wanted if slug in current[kind]}
        stale = [slug for slug, fp in fresh.items() if marks.get((kind, slug)) not in (None, fp)]
        if stale:
            CorpusSync.objects.filter(kind=kind, slug__in=stale).delete()
        CorpusSync.objects.bulk_create(
            CorpusSync(kind=kind, slug=slug, fingerprint=fp)
            for slug, fp in sorted(fresh.items())
            if marks.get((kind, slug)) != fp
        )


def unsaved_edits(records: dict[str, list[dict]], current: dict[str, dict[str, dict]]) -> list:
    """Records the files would overwrite although the database changed them since the last
    load or dump: the database no longer matches its mark, and the file differs from it."""
    marks = {
        (k, s): fp for k, s, fp in CorpusSync.objects.values_list("kind", "slug", "fingerprint")
    }
    found = []
    for kind in FILES:
        for record in records[kind]:
            slug = record["slug"]
            before = current[kind].get(slug)
            mark = marks.get((kind, slug))
            if before == record:
                continue
            if before is None:
                if mark is not None:
                    found.append((kind, slug, "deleted"))
            elif mark is None:
                found.append((kind, slug, "unmarked"))
            elif mark != fingerprint(before):
                found.append((kind, slug, "changed"))
    return found


def describe_edit(state: str, change: str) -> str:
    if state == "changed":
        return f"changed in the database{change}"
    if state == "deleted":
        return f"deleted from the database{change}"
    return (
        "differs from the file and was never marked as in step with the corpus (created in "
        "the database, or loaded before load_corpus tracked edits)"
        + (f"; last changed{change}" if change else "")
    )


def last_change(kind: str, slug: str) -> str:
    """' by rex at 2025-06-01 09:30 UTC', from the history of the record and its citations."""
    model = MODELS[kind]
    rows = model.history.filter(slug=slug).order_by("-history_date", "-history_id")
    latest = rows.values_list("history_user__username", "history_date", "id").first()
    if latest is None:
        return ""
    if kind != "sources" and kind != "sectors":
        content_type = ContentType.objects.get_for_model(model)
        for related in (Citation, TaggedItem):
            change = (
                related.history.filter(content_type=content_type, object_id=latest[2])
                .order_by("-history_date", "-history_id")
                .values_list("history_user__username", "history_date")
                .first()
            )
            if change is not None and change[1] > latest[1]:
                latest = (*change, latest[2])
    user, when = latest[0], latest[1]
    who = f" by {user}" if user else " by no recorded user (a script or the shell)"
    return f"{who} at {when:%Y-%m-%d %H:%M %Z}".rstrip()


# --- Validating the files ----------------------------------------------------------------


def tag_name(value: str) -> str:
    return value.strip().lower()


def shape_problems(record: dict, missing: set[str]) -> list[tuple[str, str]]:
    """(field, message) for every value of the wrong JSON type, checked before anything
    else reads the record, so that a malformed file gets a message rather than a crash."""
    problems = []

    def text(where, value, nullable=False):
        if isinstance(value, str):
            if "\x00" in value:
                problems.append((where, NUL_MESSAGE))
        elif not (nullable and value is None):
            problems.append((where, f"must be text, not {kind_of(value)}"))

    for key, value in record.items():
        if key in missing:
            continue
        if key in INT_KEYS:
            # bool is an int to Python, but `true` is no year. A year in quotes is refused
            # rather than converted, so that the file says what the database holds.
            if (
                isinstance(value, bool)
                or not isinstance(value, int | None)
                or (value is None and key == "order")
            ):
                problems.append((key, f"must be a whole number, not {kind_of(value)}"))
        elif key in BOOL_KEYS:
            if not isinstance(value, bool):
                problems.append((key, f"must be true or false, not {kind_of(value)}"))
        elif key in SLUG_KEYS:
            if value is not None and not isinstance(value, str):
                problems.append((key, f"must be a slug (text) or null, not {kind_of(value)}"))
            elif value:
                text(key, value)
        elif key in SLUG_LIST_KEYS or key == "tags":
            if not isinstance(value, list):
                what = "tag names" if key == "tags" else "slugs"
                problems.append((key, f"must be a list of {what}, not {kind_of(value)}"))
                continue
            seen = set()
            for i, item in enumerate(value):
                where = f"{key}[{i}]"
                if not isinstance(item, str):
                    what = "text" if key == "tags" else "a slug (text)"
                    problems.append((where, f"must be {what}, not {kind_of(item)}"))
                elif key == "tags":
                    problems.extend((where, m) for m in tag_problems(item))
                else:
                    text(where, item)
                    if item in seen:
                        problems.append((key, f'"{item}" appears twice'))
                    seen.add(item)
        elif key == "amount":
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                problems.append(
                    (key, f"must be a number (or text holding one), not {kind_of(value)}")
                )
        elif key in NESTED:
            if not isinstance(value, list):
                problems.append((key, f"must be a list of objects, not {kind_of(value)}"))
                continue
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    problems.append((f"{key}[{i}]", f"must be an object, not {kind_of(item)}"))
                    continue
                for name in NESTED[key]:
                    if name in item:
                        text(f"{key}[{i}].{name}", item[name], nullable=name == "disputes")
        else:
            text(key, value)
    return problems


def tag_problems(value: str) -> list[str]:
    name = tag_name(value)
    if not name:
        return ["is empty: a tag needs a name"]
    if "\x00" in name:
        return [NUL_MESSAGE]
    if len(name) > TAG_MAX_LENGTH:
        return [f"is too long: a tag has at most {TAG_MAX_LENGTH} characters (it has {len(name)})"]
    if not slugify(name, allow_unicode=True):
        return ["has no letter or digit to make its web address from"]
    return []


def find_cycles(parents: dict[str, str | None]) -> list[list[str]]:
    """Each cycle in a child → parent map, once, as the list of its members in parent order."""
    cycles, done = [], set()
    for start in sorted(parents):
        path, index, node = [], {}, start
        while node is not None and node not in done and node not in index:
            index[node] = len(path)
            path.append(node)
            node = parents.get(node)
        if node is not None and node in index:
            cycles.append(path[index[node] :])
        done.update(path)
    return cycles


class Validator:
    def __init__(self, directory: Path):
        self.directory = directory
        self.errors: list[str] = []
        self.records: dict[str, list[dict]] = {}
        self.slugs: dict[str, set[str]] = {}
        # Records whose fields have the wrong JSON types: reported, and not checked further.
        self.broken: set[tuple[str, str]] = set()

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
            except RecursionError:
                self.error(kind, None, "", "nests too deeply to read: records are flat objects")
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
        out, missing = {}, set()
        for key in KEYS[kind]:
            if key in record:
                out[key] = record[key]
            elif key in OPTIONAL:
                out[key] = OPTIONAL[key]
            else:
                self.error(kind, slug, key, "is required")
                out[key] = None
                missing.add(key)
        problems = shape_problems(out, missing)
        for where, message in problems:
            self.error(kind, slug, where, message)
        if problems or missing:
            self.broken.add((kind, slug))
            return out
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
        for key in SLUG_LIST_KEYS & set(out):
            out[key] = sorted(out[key])
        if "tags" in out:
            out["tags"] = sorted({tag_name(t) for t in out["tags"]})
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
                if (kind, record["slug"]) not in self.broken:
                    self.validate_record(kind, record)
        # The records are validated with parent excluded; the parents are checked here as a
        # whole, the files' records over the database's, since a cycle spans records.
        self.check_parents("sectors")
        self.check_parents("actors")
        check_rules(self)
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
            seen_parties = set()
            for i, party in enumerate(record["parties"]):
                self.check_refs(kind, slug, f"parties[{i}].actor", party["actor"], "actors")
                if (party["actor"], party["role"]) in seen_parties:
                    self.error(
                        kind,
                        slug,
                        f"parties[{i}]",
                        f"names {party['actor']} as {party['role']} twice",
                    )
                seen_parties.add((party["actor"], party["role"]))
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

    def check_parents(self, kind: str) -> None:
        records = {r["slug"]: r for r in self.records[kind] if (kind, r["slug"]) not in self.broken}
        parents = dict(MODELS[kind].objects.values_list("slug", "parent__slug"))
        for slug, record in records.items():
            parent = record["parent"]
            # Unknown and self parents are reported by validate_record.
            parents[slug] = parent if parent in self.slugs[kind] and parent != slug else None
        in_cycle = set()
        for cycle in find_cycles(parents):
            in_cycle.update(cycle)
            members = [slug for slug in cycle if slug in records]
            if not members:
                continue  # The database holds it already; this load does not change it.
            first = cycle.index(min(members))
            chain = cycle[first:] + cycle[:first]
            self.error(
                kind,
                chain[0],
                "parent",
                f"the parents make a cycle: {' → '.join([*chain, chain[0]])}",
            )
        if kind != "sectors":
            return
        children = defaultdict(list)
        for slug, parent in parents.items():
            if parent is not None:
                children[parent].append(slug)
        for slug in sorted(set(records) - in_cycle):
            parent = parents[slug]
            if parent is None:
                continue
            if parents.get(parent) is not None:
                self.error(
                    kind,
                    slug,
                    "parent",
                    f'Sectors nest one level deep: "{parent}" is itself under '
                    f'"{parents[parent]}"; choose a top-level sector as parent.',
                )
            if children[slug]:
                self.error(
                    kind,
                    slug,
                    "parent",
                    f"has sub-sectors of its own ({', '.join(sorted(children[slug]))}), "
                    "so it must stay top-level.",
                )

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


def load(directory: Path, discard_edits: bool = False) -> LoadReport:
    """Load the files; refuse (UnsavedEditsError) to overwrite records edited in the
    database since the last load or dump, unless discard_edits says to."""
    validator = Validator(directory)
    validator.validate()
    report = LoadReport()
    with transaction.atomic():
        current = snapshot()
        if not discard_edits:
            conflicts = unsaved_edits(validator.records, current)
            if conflicts:
                raise UnsavedEditsError(
                    [
                        f'{directory.name}/{FILES[kind]}: record "{slug}": '
                        + describe_edit(state, last_change(kind, slug))
                        for kind, slug, state in conflicts
                    ]
                )
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
        # Each record in the files now matches the database: remember the state it matches.
        remember(
            snapshot() if report.changed else current,
            {kind: {r["slug"] for r in validator.records[kind]} for kind in FILES},
        )
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
