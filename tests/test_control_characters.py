"""Text fields refuse invisible control characters (a form feed pasted from a PDF), in the
model, the admin and the corpus loader; the Atom feed survives one that slipped through."""

import json
import shutil
from pathlib import Path
from xml.dom import minidom

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ijtech.corpus import FILES, CorpusError, load
from ijtech.validation import PlainTextFields
from tests.factories import ADD, DRAFT, add_milestone, citation_row, milestone_form, publish

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("ijtech", "actors", "agreements", "sectors")
REFUSED = ["\x00", "\x02", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]
ALLOWED = "Line one,\tthen a tab;\r\nline two\nline three"


def free_text_fields():
    """Every CharField/TextField a person types into, on every model of the project."""
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and field.editable
                and not field.choices
                and not isinstance(field, models.SlugField | models.URLField)
            ):
                yield model, field


FIELDS = list(free_text_fields())


def test_every_text_field_is_covered():
    names = {f"{model.__name__}.{field.name}" for model, field in FIELDS}
    assert {
        "Source.title",
        "Source.note",
        "Citation.quote",
        "Citation.locator",
        "Disagreement.explanation",
        "Agreement.summary",
        "Milestone.title",
        "Milestone.delivery_note",
        "Actor.description",
        "Sector.name",
    } <= names
    for model, _ in FIELDS:
        assert issubclass(model, PlainTextFields), model


def refusal(model, field, char):
    record = model(**{field.attname: f"Pasted{char}text"})
    with pytest.raises(ValidationError) as exc:
        record.full_clean()
    return " ".join(exc.value.message_dict[field.name])


@pytest.mark.parametrize("model, field", FIELDS, ids=lambda x: getattr(x, "name", None))
def test_full_clean_refuses_a_form_feed_naming_the_field(model, field):
    assert "form feed (U+000C) after “Pasted”" in refusal(model, field, "\x0c")


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_full_clean_refuses_every_c0_and_c1_control_character(char):
    model, field = FIELDS[0]
    assert f"U+{ord(char):04X}" in refusal(model, field, char)


@pytest.mark.parametrize("model, field", FIELDS, ids=lambda x: getattr(x, "name", None))
def test_tabs_and_line_breaks_are_fine(model, field):
    record = model(**{field.attname: ALLOWED[: field.max_length or 1000]})
    try:
        record.full_clean()
    except ValidationError as exc:
        assert field.name not in exc.message_dict, exc.message_dict[field.name]


def test_the_admin_refuses_a_form_feed_in_a_title_with_a_message_on_that_field(
    client, editor, source
):
    client.force_login(editor)
    response = client.post(
        ADD,
        milestone_form(
            "draft", [citation_row(source, quote="Pasted\x02here")], title="Annual\x0cSummit"
        ),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "U+000C" in " ".join(form.errors["title"])
    citations = response.context["inline_admin_formsets"][0].formset
    assert "U+0002" in " ".join(citations.forms[0].errors["quote"])


@pytest.fixture
def corpus_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(Path(settings.FIXTURES_DIR), target)
    return target


def edit_first(directory, kind, change):
    path = directory / FILES[kind]
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records[0])
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return records[0]["slug"]


def test_the_loader_refuses_a_control_character_in_a_record(corpus_copy):
    slug = edit_first(corpus_copy, "milestones", lambda r: r.update(title="Summit\x0cpage 2"))
    with pytest.raises(CorpusError) as exc:
        load(corpus_copy)
    message = str(exc.value)
    assert slug in message and "title" in message and "U+000C" in message


def test_the_loader_refuses_a_control_character_in_a_citation(corpus_copy):
    def change(record):
        record["citations"][0]["locator"] = "Chapter\x021"

    edit_first(corpus_copy, "agreements", change)
    with pytest.raises(CorpusError) as exc:
        load(corpus_copy)
    assert "locator" in str(exc.value) and "U+0002" in str(exc.value)


def test_the_feed_survives_a_control_character_stored_before_the_check(client, source):
    milestone = publish(add_milestone(title="Good title", summary="Fine.", editorial=DRAFT), source)
    # As an old row, or one written around the model, would hold it.
    type(milestone).objects.filter(pk=milestone.pk).update(
        title="Annual\x0cSummit", summary="Agreed\x02on\x1bit."
    )
    response = client.get("/milestones/feed/")
    assert response.status_code == 200
    document = minidom.parseString(response.content)
    titles = [node.firstChild.data for node in document.getElementsByTagName("title")]
    assert "AnnualSummit" in titles
    assert "\x0c" not in response.content.decode()
