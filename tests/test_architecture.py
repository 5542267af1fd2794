"""The core names no app: only the root URLconf and the settings list the apps.

`make lint` (import-linter) refuses an upward import; this test catches what an import
checker cannot see, an app, its models or their fields named in a string or an identifier
(`apps.get_model("agreements", ...)`, `record._meta.model_name == "milestone"`).
"""

import ast
import re
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "ijtech"
# The wiring that is allowed to name the apps.
WIRING = {"urls.py", "settings.py", "settings_test.py", "gunicorn.conf.py"}
# The apps, their models and the fields only they have. "Parties" is not among them: it is
# one of the aspects on which sources disagree, in the core's own vocabulary.
APP_WORDS = re.compile(
    r"(?<![a-z])(agreements?|milestones?|actors?|sectors?|occasions?|pledges?|party links?)"
    r"(?![a-z])",
    re.IGNORECASE,
)


def core_modules():
    for path in sorted(CORE.rglob("*.py")):
        if "migrations" in path.parts or path.name in WIRING:
            continue
        yield path


def docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                yield body[0].value


def app_names(path):
    """(line, text) of every identifier or string in the module that names an app."""
    tree = ast.parse(path.read_text())
    skip = {id(node) for node in docstrings(tree)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.Name):
            text = node.id
        elif isinstance(node, ast.Attribute):
            text = node.attr
        elif isinstance(node, ast.alias):
            text = node.asname or node.name
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.arg):
            text = getattr(node, "name", None) or node.arg
        else:
            continue
        # snake_case and CamelCase identifiers are split into words.
        words = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ")
        if APP_WORDS.search(words):
            yield node.lineno, text


@pytest.mark.parametrize("path", list(core_modules()), ids=lambda p: str(p.relative_to(CORE)))
def test_the_core_module_names_no_app(path):
    found = [f"{path.name}:{line}: {text!r}" for line, text in app_names(path)]
    assert not found, "\n".join(found)


def test_the_check_sees_an_app_named_in_a_string(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text(
        'from django.apps import apps\nAgreement = apps.get_model("agreements", "x")\n'
    )
    assert [text for _, text in app_names(module)] == ["Agreement", "agreements"]


# The apps from the top down: each may name those below it, never one above.
LAYERS = ["agreements", "actors", "sectors"]


def upward_names(path, above):
    """Strings in an app module that reach an app above it: a model label or get_model()."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "get_model":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and str(first.value).split(".")[0] in above:
                yield node.lineno, first.value
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            label, dot, model = node.value.partition(".")
            if dot and label in above and model[:1].isupper():
                yield node.lineno, node.value


def app_modules():
    root = CORE.parent
    for depth, app in enumerate(LAYERS):
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, LAYERS[:depth]


@pytest.mark.parametrize(
    "path,above", list(app_modules()), ids=lambda v: str(v)[-40:] if isinstance(v, Path) else ""
)
def test_an_app_names_no_app_above_it(path, above):
    found = [f"{path.name}:{line}: {text!r}" for line, text in upward_names(path, above)]
    assert not found, "\n".join(found)


def test_the_check_sees_get_model_reaching_up(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text(
        'from django.apps import apps\nx = apps.get_model("agreements", "Milestone")\n'
        'y = models.ForeignKey("actors.Actor", on_delete=models.CASCADE)\n'
    )
    assert [text for _, text in upward_names(module, ["agreements", "actors"])] == [
        "agreements",
        "actors.Actor",
    ]
