"""'Cite this record': BibTeX, RIS and CSL-JSON for any published record or source.

The engine knows the formats; each citable model says what it is through these methods
(`Citable` gives the defaults):

- ``cite_type()``: its item type in each format, e.g.
  ``{"csl": "report", "ris": "GOVDOC", "bibtex": "techreport"}`` (see the table below);
- ``cite_authors()``: its authors in order: a ``str`` is one corporate name, cited whole;
  a ``Person`` is a person's family and given names;
- ``cite_date()``: the date it is cited by, a partial date (``ijtech.dates``): the record
  itself, a ``CalendarDate`` for a record that has no date of its own, or None if undated;
- ``cite_title()``, ``cite_genre()``: its title and its kind ("Summit", "Report"), or "";
- ``cite_abstract()``: its summary, or "";
- ``cite_notes()``: sentences the note gives before the sources, e.g. what it is part of;
- ``cite_container()``: the work it is part of (a journal, a website), or "";
- ``cite_publisher()``, ``cite_url()``: who publishes it and where, "" if unknown;
- ``cite_sources()``: the sources the note lists.

Besides those the engine reads ``slug``, ``_meta.model_name`` and, where the record has
them, ``tags``. Related data is read through ``.all()`` so that prefetched relations cost
no queries.

Item types. Zotero is the reference client: each kind of record gets the one Zotero item
type that keeps all its fields, written in each format as Zotero's importers read it
(zotero/translators RIS.js ``importTypeMap``, BibTeX.js ``bibtex2zoteroTypeMap``,
zotero-schema ``csl.types``):

- agreements, official documents: Zotero report; RIS GOVDOC, CSL report, BibTeX @techreport;
- reports: Zotero report; RIS RPRT, CSL report, BibTeX @techreport;
- milestones, web articles: Zotero webpage; RIS ELEC, CSL webpage, BibTeX @online;
- institutions: Zotero encyclopediaArticle; RIS ENCYC, CSL entry-encyclopedia,
  BibTeX @inreference;
- journal articles: Zotero journalArticle; RIS JOUR, CSL article-journal, BibTeX @article.

- Agreements are reports, treaties included: of Zotero's types only the report keeps the
  parties as authors, the full date, the kind (as the report type) and ijtech (as the
  institution), and it is reached the same way from all three formats. Zotero's statute
  (RIS STAT, CSL legislation) drops the kind and the publisher, and BibTeX cannot reach it
  (@legislation imports as a bill, whose creators are sponsors); CSL ``treaty`` and RIS
  ``GEN`` have no Zotero type (Document and Journal Article).
- Milestones are ijtech's pages about an event: a webpage keeps the date to the day, the
  kind (website type) and ijtech (website title); CSL ``event`` falls back to Document.
- RIS cannot mark a corporate author: Zotero splits an ``AU`` at its first comma into family
  and given name, and keeps a name with no comma whole. So a corporate name's commas are
  written as U+201A (a comma-shaped quotation mark) in RIS only; BibTeX braces the name and
  CSL-JSON gives it as a literal, which keep it exactly.
- A decade keeps its year everywhere: BibTeX ``year = {1960}`` without ``date`` (Zotero
  reads ``date`` first and finds no year in the EDTF ``196X``), RIS ``PY 1960``, CSL the
  range 1960 to 1969; the note says "Date: the 1960s.".
"""

import json
import re
from typing import NamedTuple

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

# RIS.js splits an AU value at its first ASCII comma; this comma-shaped mark does not split.
RIS_NAME_COMMA = "\u201a"

# The BibTeX field that names who publishes, by entry type (BibTeX.js reads each of them).
_BIBTEX_PUBLISHER_FIELD = {"techreport": "institution", "online": "organization"}
# The BibTeX field that names the work the item is part of, by entry type.
_BIBTEX_CONTAINER_FIELD = {"article": "journal", "inreference": "booktitle"}
# RIS.js reads M3 as the report or website type; for other types it takes M3 for a DOI.
_RIS_GENRE_TYPES = {"GOVDOC", "RPRT", "ELEC"}


class Person(NamedTuple):
    family: str
    given: str = ""


class Citable:
    """The citation hooks' defaults; a model overrides those that say something about it."""

    def cite_type(self) -> dict[str, str]:
        raise NotImplementedError(f"{type(self).__name__} must say its cite_type().")

    def cite_title(self) -> str:
        return str(self)

    def cite_genre(self) -> str:
        return self.get_kind_display()

    def cite_authors(self) -> list:
        return []

    def cite_date(self):
        return self

    def cite_abstract(self) -> str:
        return ""

    def cite_notes(self) -> list[str]:
        return []

    def cite_container(self) -> str:
        return ""

    def cite_publisher(self) -> str:
        return PUBLISHER

    def cite_url(self) -> str:
        return record_url(self)

    def cite_sources(self) -> list:
        return distinct_sources(self)


def person_names(text: str) -> list[Person]:
    """People's names as a source gives them, "Maithili S. Sane" or "Sane, Maithili S.",
    separated by semicolons or "and"."""
    people = []
    for name in re.split(r"\s*;\s*|\s+(?:and|&)\s+", text.strip()):
        if not name:
            continue
        if "," in name:
            family, given = (part.strip() for part in name.split(",", 1))
        else:
            *given_parts, family = name.split()
            given = " ".join(given_parts)
        people.append(Person(family, given))
    return people


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
    if date is not None and date.date_qualifier != DateQualifier.EXACT:
        parts.append(f"Date: {date.date_display}.")
    parts += record.cite_notes()
    sources = record.cite_sources()
    if sources:
        parts.append("Sources: " + "; ".join(_source_text(s) for s in sources) + ".")
    return " ".join(_one_line(p) for p in parts if p)


def bibtex_key(record) -> str:
    # Slugs are stable and already [-a-z0-9]; the model prefix keeps keys unique across types.
    slug = re.sub(r"[^A-Za-z0-9_-]", "-", record.slug)
    return f"ijtech-{record._meta.model_name}-{slug}"


def _bibtex_name(author) -> str:
    if isinstance(author, Person):
        name = bibtex_escape(author.family)
        return f"{name}, {bibtex_escape(author.given)}" if author.given else name
    # Braces keep a corporate name one last name, commas and "and" included.
    return "{" + bibtex_escape(author) + "}"


def _bibtex_date_fields(date) -> list[tuple[str, str]]:
    if date is None:
        return []
    if date.date_qualifier == DateQualifier.DECADE:
        # No `date`: Zotero reads it before `year` and finds no year in the EDTF "196X".
        return [("year", str(date.year))]
    fields = [("year", str(date.year))]
    if date.month:
        fields.append(("month", BIBTEX_MONTHS[date.month - 1]))
    fields.append(("date", date.date_iso))
    return fields


def to_bibtex(record, accessed) -> str:
    entry_type = record.cite_type()["bibtex"]
    date = record.cite_date()
    fields: list[tuple[str, str]] = []
    authors = record.cite_authors()
    if authors:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in authors)))
    # Braced title: proper nouns (India, Japan, ISRO) must keep their capitals.
    fields.append(("title", "{" + bibtex_escape(record.cite_title()) + "}"))
    container = record.cite_container()
    if container and entry_type in _BIBTEX_CONTAINER_FIELD:
        fields.append((_BIBTEX_CONTAINER_FIELD[entry_type], bibtex_escape(container)))
    fields += _bibtex_date_fields(date)
    genre = record.cite_genre()
    if genre:
        fields.append(("type", bibtex_escape(genre)))
    publisher = record.cite_publisher()
    if publisher:
        field = _BIBTEX_PUBLISHER_FIELD.get(entry_type, "publisher")
        fields.append((field, bibtex_escape(publisher)))
    url = record.cite_url()
    if url:
        fields.append(("url", url))
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
    lines = [f"@{entry_type}{{{bibtex_key(record)},"]
    for name, value in fields:
        # month macros (jan, feb...) are written bare so that styles can localise them.
        rendered = value if name == "month" else "{" + value + "}"
        lines.append(f"  {name} = {rendered},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ris_name(author) -> str:
    if isinstance(author, Person):
        return f"{author.family}, {author.given}" if author.given else author.family
    return author.replace(",", RIS_NAME_COMMA)


def to_ris(record, accessed) -> str:
    ris_type = record.cite_type()["ris"]
    date = record.cite_date()
    lines: list[tuple[str, str]] = [("TY", ris_type), ("TI", record.cite_title())]
    lines += [("AU", _ris_name(author)) for author in record.cite_authors()]
    container = record.cite_container()
    if container:
        lines.append(("T2", container))
    if date is not None:
        month = f"{date.month:02d}" if date.month else ""
        day = f"{date.day:02d}" if date.day else ""
        other = date.date_display if date.date_qualifier != DateQualifier.EXACT else ""
        lines.append(("PY", f"{date.year:04d}"))
        lines.append(("DA", f"{date.year:04d}/{month}/{day}/{other}"))
    genre = record.cite_genre()
    if genre and ris_type in _RIS_GENRE_TYPES:
        lines.append(("M3", genre))
    publisher = record.cite_publisher()
    if publisher:
        lines.append(("PB", publisher))
    url = record.cite_url()
    if url:
        lines.append(("UR", url))
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


def _csl_name(author) -> dict:
    if isinstance(author, Person):
        return (
            {"family": author.family, "given": author.given}
            if author.given
            else {"family": author.family}
        )
    return {"literal": author}


def _csl_issued(date) -> dict:
    if date.date_qualifier == DateQualifier.DECADE:
        return {"date-parts": [[date.year], [date.year + 9]]}
    if date.date_qualifier == DateQualifier.SPAN:
        return {"date-parts": [[date.year], [date.year_end]]}
    issued = {"date-parts": [date.date_parts]}
    if date.date_qualifier == DateQualifier.CIRCA:
        issued["circa"] = True
    return issued


def to_csl(record, accessed) -> dict:
    date = record.cite_date()
    item = {
        "id": bibtex_key(record),
        "type": record.cite_type()["csl"],
        "title": record.cite_title(),
    }
    genre = record.cite_genre()
    if genre:
        item["genre"] = genre
    if date is not None:
        item["issued"] = _csl_issued(date)
    publisher = record.cite_publisher()
    if publisher:
        item["publisher"] = publisher
    url = record.cite_url()
    if url:
        item["URL"] = url
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    authors = record.cite_authors()
    if authors:
        item["author"] = [_csl_name(author) for author in authors]
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
