"""
The corpus in fixtures/: one JSON file per kind of record, records keyed by slug, citations
and disagreements nested in the record they support.

`load()` validates every file before it writes anything, then writes in one transaction
and skips records that already match, so loading twice changes nothing. `dump()` writes
the database back in the same canonical form, so load then dump reproduces the files.

Both remember, per record, a fingerprint of the state in which the database last matched
the files (CorpusSync). A load refuses to overwrite a record that changed in the database
since then, so an edit made in the admin is dumped or discarded on purpose, never lost.

This module is the engine. Each kind of record has a codec: its keys in canonical order,
and whatever checks and writes are its own. Each app's `corpus` module registers its
codecs with `@register`; the keys' types, defaults and database reads follow from the
model's fields. The citation core's part (a record's citations and disagreements) is in
ijtech/corpus_citations.py, the editorial rules over any record in ijtech/corpus_rules.py.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import Tag

from ijtech import content_version, review, search
from ijtech.dates import PartialDate
from ijtech.models import CorpusSync, Editorial, SearchEntry, Source
from ijtech.review import CORPUS_LOAD

# The partial date's keys, in the order every dated record lists them.
DATE_KEYS = [f.name for f in PartialDate._meta.get_fields()]
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
NUL_MESSAGE = "contains a NUL character (\\u0000), which the database cannot store"
# What a key that must be given stands for when it is left out.
REQUIRED = object()


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


def canonical_decimal(value) -> str | None:
    if value is None or value == "":
        return None
    return format(Decimal(str(value)).normalize(), "f")


def render(records: list[dict]) -> str:
    return json.dumps(sorted(records, key=lambda r: r["slug"]), indent=2, ensure_ascii=False) + "\n"


def tag_name(value: str) -> str:
    return value.strip().lower()


# --- Codecs ---------------------------------------------------------------------------------


def field_default(field_):
    """What a key left out of a hand-written record stands for: the model field's default,
    nothing for an optional field, or REQUIRED."""
    if field_.many_to_many:
        return []
    if field_.has_default() or field_.blank:
        # "" for optional text, None for an optional number or link.
        return field_.get_default()
    if field_.many_to_one or isinstance(field_, models.CharField | models.TextField):
        return REQUIRED
    # A left-out number the model requires stands for null; the model's validation then
    # says it is needed.
    return None


class Nested:
    """A list of objects inside a record, such as its citations: their keys in canonical
    order, and how they are read from the database."""

    model: type[models.Model]
    keys: list[str] = []
    # Keys whose model field has another name.
    fields: dict[str, str] = {}
    # Text keys that may be null.
    nullable: frozenset[str] = frozenset()

    def field(self, key: str):
        return self.model._meta.get_field(self.fields.get(key, key))

    def default(self, key: str):
        return field_default(self.field(key))

    def refers_to(self) -> set:
        """The models of the records its items name."""
        return {self.field(key).related_model for key in self.keys if self.field(key).many_to_one}

    def canonical(self, items: list[dict]) -> list[dict]:
        """The items in the order the files and dumps list them; by default, as given."""
        return items

    def prefetches(self) -> list:
        return []

    def serialize(self, obj) -> list[dict]:
        raise NotImplementedError


class Codec:
    """One kind of record in the corpus: its file, keys and the checks that are its own.

    Subclasses set `kind` (the file's name and the kind in messages and sync marks), `model`
    and `keys`. Each key is a field of the model, unless `nested` names it.
    """

    kind: str
    model: type[models.Model]
    keys: list[str]
    nested: dict[str, Nested] = {}
    # Left-out keys that stand for something other than the model field's default.
    defaults: dict = {}
    # Keys a hand-written record must give, although the model could do without them.
    required: frozenset[str] = frozenset()
    # Links to a record of the same kind that may not name the record itself: the message.
    not_itself: dict[str, str] = {}
    # Models whose rows belong to a record by content type and object id; their history
    # counts as the record's when a load names who last changed it.
    history_related: tuple = ()
    # Editorial rules (ijtech.corpus_rules) the kind's records keep, checked once every
    # record has passed its own validation.
    rules: tuple = ()

    @property
    def file(self) -> str:
        return f"{self.kind}.json"

    def default(self, key: str):
        if key in self.required:
            return REQUIRED
        if key in self.defaults:
            return self.defaults[key]
        if key in self.nested:
            return []
        return field_default(self.model._meta.get_field(key))

    @cached_property
    def shapes(self) -> dict[str, str]:
        """The JSON shape of each key's value, from the model field it stands for."""
        shapes = {}
        for key in self.keys:
            if key in self.nested:
                shapes[key] = "nested"
                continue
            field_ = self.model._meta.get_field(key)
            if isinstance(field_, TaggableManager):
                shapes[key] = "tag_names"
            elif field_.many_to_many:
                shapes[key] = "slugs"
            elif field_.many_to_one:
                shapes[key] = "slug"
            elif isinstance(field_, models.BooleanField):
                shapes[key] = "bool"
            elif isinstance(field_, models.IntegerField):
                shapes[key] = "int"
            elif isinstance(field_, models.DecimalField):
                shapes[key] = "decimal"
            else:
                shapes[key] = "text"
        return shapes

    def keys_shaped(self, *shapes: str) -> list[str]:
        return [key for key in self.keys if self.shapes[key] in shapes]

    @cached_property
    def plain_keys(self) -> list[str]:
        """Keys that are columns of the record's own row."""
        return self.keys_shaped("text", "int", "bool", "decimal")

    @cached_property
    def links(self) -> dict[str, str]:
        """Each key naming other records (by slug): the kind it names."""
        return {
            key: registry.for_model(self.model._meta.get_field(key).related_model).kind
            for key in self.keys_shaped("slug", "slugs")
        }

    def refers_to(self) -> set:
        """The models of the records this kind names, its own among them."""
        related = {
            self.model._meta.get_field(key).related_model
            for key in self.keys_shaped("slug", "slugs")
        }
        for nested in self.nested.values():
            related |= nested.refers_to()
        return related

    def queryset(self) -> models.QuerySet:
        queryset = self.model.objects.all()
        if related := self.keys_shaped("slug"):
            queryset = queryset.select_related(*related)
        lookups = self.keys_shaped("slugs", "tag_names")
        for nested in self.nested.values():
            lookups += nested.prefetches()
        return queryset.prefetch_related(*lookups) if lookups else queryset

    def serialize(self, obj) -> dict:
        """The record in canonical form: every key, in order."""
        data = {}
        for key in self.keys:
            shape = self.shapes[key]
            if shape == "nested":
                data[key] = self.nested[key].serialize(obj)
            elif shape == "tag_names":
                data[key] = sorted(t.name for t in getattr(obj, key).all())
            elif shape == "slugs":
                data[key] = sorted(r.slug for r in getattr(obj, key).all())
            elif shape == "slug":
                linked = getattr(obj, self.model._meta.get_field(key).attname)
                data[key] = getattr(obj, key).slug if linked else None
            elif shape == "decimal":
                data[key] = canonical_decimal(getattr(obj, key))
            else:
                data[key] = getattr(obj, key)
        return data

    def validate(self, validator: "Validator", record: dict) -> None:
        """Checks of one well-shaped record that are the kind's own."""

    def validate_all(self, validator: "Validator") -> None:
        """Checks that span the kind's records, run once every record was validated."""

    def write(self, obj, record: dict, ids: dict[str, dict[str, int]]) -> None:
        """Write what the generic writer does not: the nested lists, once `obj` is saved."""


class Registry(Mapping):
    """The codecs by kind, in load order. The apps' `corpus` modules are imported on first
    use, each registering its codecs."""

    def __init__(self):
        self._registered: list[Codec] = []
        self._ordered: dict[str, Codec] | None = None

    def register(self, codec_class: type[Codec]) -> type[Codec]:
        self._registered.append(codec_class())
        self._ordered = None
        return codec_class

    @property
    def codecs(self) -> dict[str, Codec]:
        if self._ordered is None:
            autodiscover_modules("corpus")
            self._ordered = {codec.kind: codec for codec in load_order(self._registered)}
        return self._ordered

    def __getitem__(self, kind: str) -> Codec:
        return self.codecs[kind]

    def __iter__(self):
        return iter(self.codecs)

    def __len__(self) -> int:
        return len(self.codecs)

    def for_model(self, model) -> Codec:
        for codec in self.codecs.values():
            if codec.model is model:
                return codec
        raise ImproperlyConfigured(f"No corpus codec is registered for {model._meta.label}.")


def load_order(codecs: list[Codec]) -> list[Codec]:
    """Each kind after the kinds its records name, so that they exist when it is written;
    otherwise in the order of INSTALLED_APPS and of registration within an app."""
    position = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    waiting = sorted(codecs, key=lambda codec: position[codec.model._meta.app_label])
    models_ = {codec.model for codec in codecs}
    ordered: list[Codec] = []
    while waiting:
        done = {codec.model for codec in ordered}
        ready = [c for c in waiting if (c.refers_to() & models_) - {c.model} <= done]
        if not ready:
            raise ImproperlyConfigured(
                "The corpus codecs name each other in a cycle: "
                + ", ".join(codec.kind for codec in waiting)
            )
        ordered.append(ready[0])
        waiting.remove(ready[0])
    return ordered


registry = Registry()
register = registry.register


class FileNames(Mapping):
    """Each kind's file name, in load order."""

    def __getitem__(self, kind: str) -> str:
        return registry[kind].file

    def __iter__(self):
        return iter(registry)

    def __len__(self) -> int:
        return len(registry)


FILES = FileNames()


# --- Reading the database in canonical form -------------------------------------------------


def snapshot() -> dict[str, dict[str, dict]]:
    """Every record in the database, in canonical form, by kind and slug."""
    return {
        kind: {o.slug: codec.serialize(o) for o in codec.queryset()}
        for kind, codec in registry.items()
    }


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
    codec = registry[kind]
    rows = codec.model.history.filter(slug=slug).order_by("-history_date", "-history_id")
    latest = rows.values_list("history_user__username", "history_date", "id").first()
    if latest is None:
        return ""
    if codec.history_related:
        content_type = ContentType.objects.get_for_model(codec.model)
        for related in codec.history_related:
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


def shape_problems(codec: Codec, record: dict, missing: set[str]) -> list[tuple[str, str]]:
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
        shape = codec.shapes[key]
        if shape == "int":
            # bool is an int to Python, but `true` is no year. A year in quotes is refused
            # rather than converted, so that the file says what the database holds. Null
            # is a number's absence only where leaving the key out means null.
            if (
                isinstance(value, bool)
                or not isinstance(value, int | None)
                or (value is None and codec.default(key) is not None)
            ):
                problems.append((key, f"must be a whole number, not {kind_of(value)}"))
        elif shape == "bool":
            if not isinstance(value, bool):
                problems.append((key, f"must be true or false, not {kind_of(value)}"))
        elif shape == "slug":
            if value is not None and not isinstance(value, str):
                problems.append((key, f"must be a slug (text) or null, not {kind_of(value)}"))
            elif value:
                text(key, value)
        elif shape in ("slugs", "tag_names"):
            if not isinstance(value, list):
                what = "tag names" if shape == "tag_names" else "slugs"
                problems.append((key, f"must be a list of {what}, not {kind_of(value)}"))
                continue
            seen = set()
            for i, item in enumerate(value):
                where = f"{key}[{i}]"
                if not isinstance(item, str):
                    what = "text" if shape == "tag_names" else "a slug (text)"
                    problems.append((where, f"must be {what}, not {kind_of(item)}"))
                elif shape == "tag_names":
                    problems.extend((where, m) for m in tag_problems(item))
                else:
                    text(where, item)
                    if item in seen:
                        problems.append((key, f'"{item}" appears twice'))
                    seen.add(item)
        elif shape == "decimal":
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                problems.append(
                    (key, f"must be a number (or text holding one), not {kind_of(value)}")
                )
        elif shape == "nested":
            if not isinstance(value, list):
                problems.append((key, f"must be a list of objects, not {kind_of(value)}"))
                continue
            nested = codec.nested[key]
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    problems.append((f"{key}[{i}]", f"must be an object, not {kind_of(item)}"))
                    continue
                for name in nested.keys:
                    if name in item:
                        text(f"{key}[{i}].{name}", item[name], nullable=name in nested.nullable)
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
        for kind, codec in registry.items():
            path = self.directory / codec.file
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
                records.append(self.normalise(codec, record))
            self.records[kind] = records
        for kind, records in self.records.items():
            seen = set()
            for record in records:
                if record["slug"] in seen:
                    self.error(kind, record["slug"], "slug", "appears more than once")
                seen.add(record["slug"])
            existing = set(registry[kind].model.objects.values_list("slug", flat=True))
            self.slugs[kind] = seen | existing

    def normalise(self, codec: Codec, record: dict) -> dict:
        """Fill left-out keys with their defaults, in canonical order."""
        kind, slug = codec.kind, record["slug"]
        unknown = set(record) - set(codec.keys)
        for key in sorted(unknown):
            self.error(kind, slug, key, f"is not a known field (known: {', '.join(codec.keys)})")
        out, missing = self.filled(kind, slug, "", record, codec)
        problems = shape_problems(codec, out, missing)
        for where, message in problems:
            self.error(kind, slug, where, message)
        if problems or missing:
            self.broken.add((kind, slug))
            return out
        for key, nested in codec.nested.items():
            out[key] = nested.canonical(
                [
                    self.normalise_nested(kind, slug, f"{key}[{i}]", item, nested)
                    for i, item in enumerate(out[key] or [])
                ]
            )
        for key in codec.keys_shaped("slugs"):
            out[key] = sorted(out[key])
        for key in codec.keys_shaped("tag_names"):
            out[key] = sorted({tag_name(t) for t in out[key]})
        for key in codec.keys_shaped("decimal"):
            try:
                out[key] = canonical_decimal(out[key])
            except (InvalidOperation, ValueError):
                self.error(kind, slug, key, f"is not a number: {out[key]!r}")
                out[key] = None
        return out

    def normalise_nested(self, kind, slug, where, item, nested: Nested) -> dict:
        if not isinstance(item, dict):
            self.error(kind, slug, where, "must be an object")
            return {key: None for key in nested.keys}
        for key in sorted(set(item) - set(nested.keys)):
            self.error(kind, slug, f"{where}.{key}", "is not a known field")
        out, _ = self.filled(kind, slug, f"{where}.", item, nested)
        return out

    def filled(self, kind, slug, where, item, schema) -> tuple[dict, set]:
        """The item's keys in `schema`'s order, left-out ones at their defaults; and the
        required ones that were left out, each reported."""
        out, missing = {}, set()
        for key in schema.keys:
            if key in item:
                out[key] = item[key]
                continue
            out[key] = schema.default(key)
            if out[key] is REQUIRED:
                self.error(kind, slug, f"{where}{key}", "is required")
                out[key] = None
                missing.add(key)
        return out, missing

    def check_refs(self, kind, slug, key, values, target) -> None:
        noun = registry[target].model._meta.model_name
        for value in values if isinstance(values, list) else [values]:
            if value is not None and value not in self.slugs[target]:
                self.error(kind, slug, key, f'refers to unknown {noun} "{value}"')

    def validate(self) -> None:
        self.read()
        for kind, codec in registry.items():
            for record in self.records[kind]:
                if (kind, record["slug"]) not in self.broken:
                    self.validate_record(codec, record)
        for codec in registry.values():
            codec.validate_all(self)
        for kind, codec in registry.items():
            for record in self.records[kind]:
                # Records of the wrong shape already have their messages; the rules read the
                # rest.
                if (kind, record["slug"]) in self.broken:
                    continue
                for rule in codec.rules:
                    rule(self, codec, record)
        if self.errors:
            raise CorpusError(self.errors)

    def validate_record(self, codec: Codec, record: dict) -> None:
        kind, slug, model = codec.kind, record["slug"], codec.model
        instance = model(**{key: record[key] for key in codec.plain_keys})
        existing = model.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if existing is not None:
            instance.pk = existing
            instance._state.adding = False
        # The corpus checks a record's citations itself, from the file.
        options = {"check_citations": False} if isinstance(instance, Editorial) else {}
        try:
            # Links are checked by slug below: the records they name may not exist yet.
            instance.full_clean(exclude=codec.keys_shaped("slug"), **options)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(kind, slug, name if name != "__all__" else "", message)
        except (TypeError, ValueError) as exc:
            self.error(kind, slug, "", str(exc))
        for key, target in codec.links.items():
            self.check_refs(kind, slug, key, record[key], target)
            values = record[key] if isinstance(record[key], list) else [record[key]]
            if key in codec.not_itself and slug in values:
                self.error(kind, slug, key, codec.not_itself[key])
        codec.validate(self, record)

    def check_cycles(self, codec: Codec, key: str):
        """Report each cycle the records' `key` links make, the files' records over the
        database's, since a cycle spans records. Returns the well-shaped records by slug,
        the resulting child → parent map and the slugs in a cycle."""
        kind = codec.kind
        records = {r["slug"]: r for r in self.records[kind] if (kind, r["slug"]) not in self.broken}
        parents = dict(codec.model.objects.values_list("slug", f"{key}__slug"))
        for slug, record in records.items():
            parent = record[key]
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
                key,
                f"the parents make a cycle: {' → '.join([*chain, chain[0]])}",
            )
        return records, parents, in_cycle


# --- Writing --------------------------------------------------------------------------------


def load(directory: Path, discard_edits: bool = False) -> LoadReport:
    """Load the files; refuse (UnsavedEditsError) to overwrite records edited in the
    database since the last load or dump, unless discard_edits says to."""
    validator = Validator(directory)
    validator.validate()
    report = LoadReport()
    # The index is rebuilt and the content version bumped once at the end, in the same
    # transaction, rather than once per row the load writes.
    with transaction.atomic(), search.paused(), content_version.paused():
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
        ids = {
            kind: dict(codec.model.objects.values_list("slug", "pk"))
            for kind, codec in registry.items()
        }
        pending_links = []
        for kind, codec in registry.items():
            created = updated = unchanged = 0
            for record in validator.records[kind]:
                before = current[kind].get(record["slug"])
                if before == record:
                    unchanged += 1
                    continue
                obj = write_record(codec, record, ids)
                ids[kind][record["slug"]] = obj.pk
                pending_links.append((codec, obj, record))
                if before is None:
                    created += 1
                else:
                    updated += 1
            report.created[kind], report.updated[kind] = created, updated
            report.unchanged[kind] = unchanged
        # Self-references need every record of their kind to exist first.
        for codec, obj, record in pending_links:
            write_links(codec, obj, record, ids)
        # Each version the load wrote carries the citations, parties, sectors and tags it
        # ended with, noted once per record rather than on every intermediate row.
        written = {}
        for codec, obj, _ in pending_links:
            if issubclass(codec.model, Editorial):
                written.setdefault(codec.model, []).append(obj)
        review.corpus_history(written)
        # Each record in the files now matches the database: remember the state it matches.
        remember(
            snapshot() if report.changed else current,
            {kind: {r["slug"] for r in validator.records[kind]} for kind in FILES},
        )
        if report.changed or not SearchEntry.objects.exists():
            search.rebuild()
        if report.changed:
            content_version.bump()
    return report


def write_record(codec: Codec, record: dict, ids: dict):
    model = codec.model
    obj = model.objects.filter(slug=record["slug"]).first() or model(slug=record["slug"])
    for key in codec.plain_keys:
        setattr(obj, key, record[key])
    for key in codec.keys_shaped("slug"):
        if codec.links[key] != codec.kind:
            attname = model._meta.get_field(key).attname
            setattr(obj, attname, ids[codec.links[key]].get(record[key]))
    # History rows of the load carry its reason and no user; relations are noted at the end.
    obj._change_reason = CORPUS_LOAD
    obj._relations_noted_later = True
    obj.save()
    for key in codec.keys_shaped("slugs"):
        if codec.links[key] != codec.kind:
            getattr(obj, key).set([ids[codec.links[key]][s] for s in record[key]])
    for key in codec.keys_shaped("tag_names"):
        getattr(obj, key).set(record[key], clear=True)
    codec.write(obj, record, ids)
    return obj


def write_links(codec: Codec, obj, record: dict, ids: dict) -> None:
    """The links to records of the same kind."""
    own = ids[codec.kind]
    for key, target in codec.links.items():
        if target != codec.kind:
            continue
        if codec.shapes[key] == "slugs":
            getattr(obj, key).set([own[s] for s in record[key]])
            continue
        attname = codec.model._meta.get_field(key).attname
        linked = own.get(record[key]) if record[key] else None
        if getattr(obj, attname) != linked:
            codec.model.objects.filter(pk=obj.pk).update(**{attname: linked})


# --- The citation core's own kind -----------------------------------------------------------


@register
class SourceCodec(Codec):
    kind = "sources"
    model = Source
    keys = ["slug", "kind", "authors", "title", "publisher", "year", "month", "day", "url", "note"]
