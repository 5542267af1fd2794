"""'Cite this record': BibTeX, RIS and CSL-JSON for any published record, and the download view.

The engine knows the formats; each citable model says what it is through these methods
(`Citable` gives the defaults):

- ``cite_type()``: its item type in each format, e.g. ``{"csl": "treaty", "ris": "GOVDOC"}``;
- ``cite_authors()``: its authors' names in order, each cited as one corporate name;
- ``cite_date()``: the date it is cited by, a partial date (``ijtech.dates``): the record
  itself, or a ``CalendarDate`` for a record that has no date of its own;
- ``cite_abstract()``: its summary, or "";
- ``cite_notes()``: sentences the note gives before the sources, e.g. what it is part of;
- ``cite_container()``: the work it is an entry of (RIS T2, CSL container-title), or "".

Besides those the engine reads ``slug``, ``str(record)`` (the title), ``get_kind_display()``
(the genre), ``get_absolute_url()``, ``citations`` and, where the record has them, ``tags``.
Related data is read through ``.all()`` so that prefetched relations cost no queries.
"""

import json
import re

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from ijtech.dates import DateQualifier
from ijtech.exports import attachment, distinct_sources, record_url

PUBLISHER = "ijtech"

BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


class Citable:
    """The citation hooks' defaults; a model overrides those that say something about it."""

    def cite_type(self) -> dict[str, str]:
        raise NotImplementedError(f"{type(self).__name__} must say its cite_type().")

    def cite_authors(self) -> list[str]:
        return []

    def cite_date(self):
        return self

    def cite_abstract(self) -> str:
        return ""

    def cite_notes(self) -> list[str]:
        return []

    def cite_container(self) -> str:
        return ""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], _one_line(text))


def _source_text(source) -> str:
    parts = [source.authors, source.title]
    tail = ", ".join(p for p in (source.publisher, source.date_display) if p and p != "undated")
    text = ", ".join(p for p in parts if p)
    return f"{text} ({tail})" if tail else text


def _tags(record) -> list[str]:
    if not hasattr(record, "tags"):
        return []
    return sorted(tag.name for tag in record.tags.all())


def _note(record, date) -> str:
    parts = []
    if date.date_qualifier != DateQualifier.EXACT:
        parts.append(f"Date: {date.date_display}.")
    parts += record.cite_notes()
    sources = distinct_sources(record)
    if sources:
        parts.append("Sources: " + "; ".join(_source_text(s) for s in sources) + ".")
    return " ".join(_one_line(p) for p in parts)


def bibtex_key(record) -> str:
    # Slugs are stable and already [-a-z0-9]; the model prefix keeps keys unique across types.
    slug = re.sub(r"[^A-Za-z0-9_-]", "-", record.slug)
    return f"ijtech-{record._meta.model_name}-{slug}"


def to_bibtex(record, accessed) -> str:
    date = record.cite_date()
    fields: list[tuple[str, str]] = []
    authors = record.cite_authors()
    if authors:
        # Double braces keep each author a single corporate name.
        fields.append(("author", " and ".join("{" + bibtex_escape(a) + "}" for a in authors)))
    # Braced title: proper nouns (India, Japan, ISRO) must keep their capitals.
    fields.append(("title", "{" + bibtex_escape(str(record)) + "}"))
    if date.date_qualifier == DateQualifier.DECADE:
        fields.append(("year", f"{date.year}s"))
    else:
        fields.append(("year", str(date.year)))
        if date.month:
            fields.append(("month", BIBTEX_MONTHS[date.month - 1]))
    fields.append(("date", date.date_iso))
    fields.append(("type", bibtex_escape(record.get_kind_display())))
    fields.append(("publisher", PUBLISHER))
    fields.append(("howpublished", PUBLISHER))
    fields.append(("url", record_url(record)))
    fields.append(("urldate", accessed.isoformat()))
    abstract = record.cite_abstract()
    if abstract:
        fields.append(("abstract", bibtex_escape(abstract)))
    tags = _tags(record)
    if tags:
        fields.append(("keywords", bibtex_escape(", ".join(tags))))
    note = _note(record, date)
    if note:
        fields.append(("note", bibtex_escape(note)))
    lines = [f"@misc{{{bibtex_key(record)},"]
    for name, value in fields:
        # month macros (jan, feb...) are written bare so that styles can localise them.
        rendered = value if name == "month" else "{" + value + "}"
        lines.append(f"  {name} = {rendered},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_ris(record, accessed) -> str:
    date = record.cite_date()
    lines: list[tuple[str, str]] = [("TY", record.cite_type()["ris"]), ("TI", str(record))]
    lines += [("AU", name) for name in record.cite_authors()]
    container = record.cite_container()
    if container:
        lines.append(("T2", container))
    month = f"{date.month:02d}" if date.month else ""
    day = f"{date.day:02d}" if date.day else ""
    other = date.date_display if date.date_qualifier != DateQualifier.EXACT else ""
    lines.append(("PY", f"{date.year:04d}"))
    lines.append(("DA", f"{date.year:04d}/{month}/{day}/{other}"))
    lines.append(("M3", record.get_kind_display()))
    lines.append(("PB", PUBLISHER))
    lines.append(("UR", record_url(record)))
    lines.append(("Y2", accessed.strftime("%Y/%m/%d/")))
    abstract = record.cite_abstract()
    if abstract:
        lines.append(("AB", abstract))
    lines += [("KW", tag) for tag in _tags(record)]
    note = _note(record, date)
    if note:
        lines.append(("N1", note))
    lines.append(("ER", ""))
    # RIS wants CR LF line ends and one line per tag, so values are folded onto one line.
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)


def to_csl(record, accessed) -> dict:
    date = record.cite_date()
    if date.date_qualifier == DateQualifier.DECADE:
        issued = {"date-parts": [[date.year], [date.year + 9]]}
    elif date.date_qualifier == DateQualifier.SPAN:
        issued = {"date-parts": [[date.year], [date.year_end]]}
    else:
        issued = {"date-parts": [date.date_parts]}
        if date.date_qualifier == DateQualifier.CIRCA:
            issued["circa"] = True
    item = {
        "id": bibtex_key(record),
        "type": record.cite_type()["csl"],
        "title": str(record),
        "genre": record.get_kind_display(),
        "issued": issued,
        "publisher": PUBLISHER,
        "URL": record_url(record),
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    authors = record.cite_authors()
    if authors:
        item["author"] = [{"literal": name} for name in authors]
    container = record.cite_container()
    if container:
        item["container-title"] = container
    abstract = record.cite_abstract()
    if abstract:
        item["abstract"] = abstract
    tags = _tags(record)
    if tags:
        item["keyword"] = ", ".join(tags)
    note = _note(record, date)
    if note:
        item["note"] = note
    return item


def to_csl_json(record, accessed) -> str:
    return json.dumps([to_csl(record, accessed)], ensure_ascii=False, indent=2)


def formats_for(record, accessed=None) -> dict:
    """{"bibtex", "ris", "csl_json"} for a published citable record."""
    accessed = accessed or timezone.localdate()
    return {
        "bibtex": to_bibtex(record, accessed),
        "ris": to_ris(record, accessed),
        "csl_json": to_csl_json(record, accessed),
    }


CITE_FORMATS = {
    "bib": (to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (to_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


@require_safe
def cite(request, queryset, slug: str, fmt: str):
    """A record's citation file, from the records `queryset()` gives (from the URLconf).

    `queryset` is the resource's public queryset as a callable (`Model.objects.public`): a
    public queryset looks up its content type, so it is built per request, not at import.
    """
    if fmt not in CITE_FORMATS:
        raise Http404(f"No citation format “{fmt}”; use bib, ris or json.")
    record = get_object_or_404(queryset().detailed(), slug=slug)
    render, content_type = CITE_FORMATS[fmt]
    content = render(record, timezone.localdate())
    filename = f"ijtech-{record._meta.model_name}-{record.slug}.{fmt}"
    return attachment(content, content_type, filename)
