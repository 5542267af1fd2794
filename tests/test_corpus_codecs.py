"""The corpus engine and the apps' codecs: what follows from the models, and that the engine
names no app."""

import ast
import itertools
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from ijtech.corpus import FILES, REQUIRED, load_order, registry

LOAD_ORDER = ["sources", "sectors", "actors", "agreements", "milestones"]


def test_the_files_and_the_load_order_are_the_corpus_order():
    assert list(FILES) == LOAD_ORDER
    assert list(FILES.values()) == [f"{kind}.json" for kind in LOAD_ORDER]


@pytest.mark.parametrize(
    "shuffled", [LOAD_ORDER[::-1], ["milestones", "sectors", "agreements", "sources", "actors"]]
)
def test_the_load_order_follows_the_links_whatever_the_registration_order(shuffled):
    codecs = [registry[kind] for kind in shuffled]
    assert [codec.kind for codec in load_order(codecs)] == LOAD_ORDER


# What a hand-written record may leave out, and what it stands for: every other key is
# required.
LEFT_OUT = {
    "sources": {"authors": "", "publisher": "", "year": None, "month": None, "day": None,
                "url": "", "note": ""},
    "sectors": {"parent": None, "order": 0, "description": ""},
    "actors": {"acronym": "", "parent": None, "website": "", "sectors": [], "description": "",
               "editorial_status": "published", "disagreements": []},
    "agreements": {"status": "unknown", "year": None, "month": None, "day": None,
                   "date_qualifier": "exact", "year_end": None, "parties": [], "sectors": [],
                   "tags": [], "builds_on": [], "supersedes": [], "summary": "",
                   "editorial_status": "published", "disagreements": []},
    "milestones": {"year": None, "month": None, "day": None, "date_qualifier": "exact",
                   "year_end": None, "agreement": None, "occasion": None, "actors": [],
                   "sectors": [], "tags": [], "amount": None, "unit": "", "deadline_year": None,
                   "deadline_text": "", "deadline_derived": False, "delivery_note": "",
                   "summary": "", "editorial_status": "published", "disagreements": []},
}  # fmt: skip


@pytest.mark.parametrize("kind", LOAD_ORDER)
def test_the_defaults_follow_the_model_fields(kind):
    codec = registry[kind]
    defaults = {key: codec.default(key) for key in codec.keys}
    assert {k: v for k, v in defaults.items() if v is not REQUIRED} == LEFT_OUT[kind]


def test_the_key_types_follow_the_model_fields():
    shapes = {kind: registry[kind].shapes for kind in LOAD_ORDER}
    assert [k for k, s in shapes["milestones"].items() if s in ("int", "bool", "decimal")] == [
        "year",
        "month",
        "day",
        "year_end",
        "amount",
        "deadline_year",
        "deadline_derived",
    ]
    assert [
        k for k, s in shapes["agreements"].items() if s in ("slugs", "tag_names", "nested")
    ] == [
        "parties",
        "sectors",
        "tags",
        "builds_on",
        "supersedes",
        "citations",
        "disagreements",
    ]
    assert [k for k, s in shapes["sectors"].items() if s != "text"] == ["parent", "order"]


def strings_and_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.ImportFrom):
            yield (node.module or "").split(".")[0]
        elif isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)


def test_the_corpus_engine_names_no_app():
    core = apps.get_app_config("ijtech")
    others = [
        config
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR) and config is not core
    ]
    models = list(itertools.chain.from_iterable(config.get_models() for config in others))
    # The fields the core gives every record (its abstract bases: editorial, partial date).
    core_fields = {
        f.name
        for model in [*core.get_models(), *(b for m in models for b in m.__mro__[1:])]
        if getattr(model, "_meta", None) and model._meta.app_label == core.label
        for f in model._meta.get_fields()
    }
    names = {config.label for config in others}
    for model in models:
        names |= {model._meta.model_name, model._meta.verbose_name_plural}
        names |= {f.name for f in model._meta.get_fields()} - core_fields
        names |= {f.get_accessor_name() for f in model._meta.related_objects}
    engine = [Path(core.path) / name for name in ("corpus.py", "corpus_citations.py",
                                                  "corpus_rules.py")]  # fmt: skip
    engine += (Path(core.path) / "management" / "commands").glob("*_corpus.py")
    for path in engine:
        named = {s.strip() for s in strings_and_imports(path)} & names
        assert not named, (path.name, named)
