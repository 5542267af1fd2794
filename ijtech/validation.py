import re

from django.core.exceptions import ValidationError
from django.db import models


def run_checks(*checks) -> None:
    """Run every check and raise all their errors together, so a form shows them at once."""
    errors: dict = {}
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def parent_cycle(obj) -> str | None:
    """The chain of slugs ("a → b → a") if obj's new parent leads back to obj, else None.

    Walks the saved parents upwards one query per step; the chains are short (records
    sit a few levels deep at most), and a cycle already further up stops the walk.
    """
    if obj.pk is None or obj.parent_id is None:
        return None
    manager = type(obj)._base_manager
    chain, seen, current = [obj.slug], {obj.pk}, obj.parent_id
    while current is not None:
        if current == obj.pk:
            return " → ".join([*chain, obj.slug])
        if current in seen:
            return None
        seen.add(current)
        row = manager.filter(pk=current).values_list("slug", "parent_id").first()
        if row is None:
            return None
        chain.append(row[0])
        current = row[1]
    return None


# C0 and C1 control characters and DEL, but not tab, line feed or carriage return: invisible,
# usually pasted from a PDF (a form feed at a page break), and unrepresentable in XML 1.0.
CONTROL_CHARACTER_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_CHARACTER_NAMES = {"\x00": "null", "\x0b": "vertical tab", "\x0c": "form feed"}


def validate_no_control_characters(value) -> None:
    if not isinstance(value, str):
        return
    match = CONTROL_CHARACTER_RE.search(value)
    if match:
        char = match.group()
        name = CONTROL_CHARACTER_NAMES.get(char, "control character")
        before = value[: match.start()][-20:]
        where = f"after “{before}”" if before else "at the start"
        raise ValidationError(
            f"Remove the invisible {name} (U+{ord(char):04X}) {where}; it often comes with "
            "text pasted from a PDF. Tabs and line breaks are fine.",
            code="control_character",
        )


class PlainTextFields:
    """Model mixin: no CharField or TextField of the model may hold a control character.

    One rule for every text field, present and future, applied wherever `full_clean()` runs:
    the admin's forms and the corpus loader.
    """

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in exclude or field.name in errors:
                continue
            if isinstance(field, models.CharField | models.TextField):
                try:
                    validate_no_control_characters(getattr(self, field.attname))
                except ValidationError as exc:
                    errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)


# Characters RFC 3986 never allows unencoded. Django's URLValidator lets `"`, `<` and `>`
# through, and such a URL breaks out of an HTML attribute and is not a valid `format: uri`.
UNSAFE_URL_RE = re.compile(r'[\s"<>\\^`{|}]')


def validate_plain_url(value) -> None:
    match = UNSAFE_URL_RE.search(value or "")
    if match:
        raise ValidationError(
            f"A URL cannot contain “{match.group()}”: percent-encode it (a space is %20, "
            "a quote %22) or remove it.",
            code="invalid",
        )
