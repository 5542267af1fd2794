"""'Cite this record': BibTeX, RIS and CSL-JSON for agreements, milestones and institutions.

Records are cited as what they are: an agreement as the instrument itself, with its parties
as institutional authors; a milestone as an event; an institution as an entry of ijtech.
Related data is read through ``.all()`` so that prefetched relations cost no queries.
"""

import json
import re

from django.conf import settings
from django.utils import timezone

from ijtech.dates import DateQualifier
from ijtech.models import EditorialStatus

PUBLISHER = "ijtech"
FORMATS = ("bib", "ris", "json")

# Agreement kinds that are instruments between governments: cited as treaties (CSL) and
# government documents (RIS); the rest (programmes, funds, dialogues...) as documents.
TREATY_KINDS = {"iga", "treaty"}
GOVERNMENT_KINDS = TREATY_KINDS | {"mou", "moc", "loi", "arrangement", "joint_statement"}

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


def bibtex_escape(text: str) -> str:
    text = " ".join(str(text).split())
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], text)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def record_url(record) -> str:
    return settings.SITE_URL + record.get_absolute_url()


def _published(record) -> bool:
    return getattr(record, "editorial_status", EditorialStatus.PUBLISHED) == (
        EditorialStatus.PUBLISHED
    )


def _sources(record) -> list:
    """The distinct sources the record's citations rest on, in citation order."""
    seen, sources = set(), []
    for citation in record.citations.all():
        if citation.source_id not in seen:
            seen.add(citation.source_id)
            sources.append(citation.source)
    return sources


def _source_text(source) -> str:
    parts = [source.authors, source.title]
    tail = ", ".join(p for p in (source.publisher, source.date_display) if p and p != "undated")
    text = ", ".join(p for p in parts if p)
    return f"{text} ({tail})" if tail else text


def _authors(record) -> list[str]:
    model = record._meta.model_name
    if model == "agreement":
        # Signatories first: the ordering of party links is by role, then name.
        names = []
        for link in record.party_links.all():
            if _published(link.actor) and link.actor.name not in names:
                names.append(link.actor.name)
        return names
    if model == "milestone":
        return [actor.name for actor in record.actors.all() if _published(actor)]
    return []


def _genre(record) -> str:
    return record.get_kind_display()


def _title(record) -> str:
    if record._meta.model_name == "actor":
        return str(record)
    return record.title


def _abstract(record) -> str:
    if record._meta.model_name == "actor":
        return record.description
    return record.summary


def _tags(record) -> list[str]:
    if not hasattr(record, "tags"):
        return []
    return sorted(tag.name for tag in record.tags.all())


def _note(record) -> str:
    parts = []
    if getattr(record, "date_qualifier", DateQualifier.EXACT) != DateQualifier.EXACT:
        parts.append(f"Date: {record.date_display}.")
    if record._meta.model_name == "milestone":
        agreement = record.agreement
        if agreement is not None and _published(agreement):
            parts.append(f"Part of: {agreement.title}.")
    sources = _sources(record)
    if sources:
        parts.append("Sources: " + "; ".join(_source_text(s) for s in sources) + ".")
    return " ".join(_one_line(p) for p in parts)


def _date(record) -> dict:
    """year, month, day, qualifier of the record; an institution is dated by its last edit."""
    if record._meta.model_name == "actor":
        updated = timezone.localdate(record.updated_at)
        return {
            "year": updated.year,
            "month": updated.month,
            "day": updated.day,
            "qualifier": DateQualifier.EXACT,
            "year_end": None,
        }
    return {
        "year": record.year,
        "month": record.month,
        "day": record.day,
        "qualifier": record.date_qualifier,
        "year_end": record.year_end,
    }


def _kind_key(record) -> str:
    return record._meta.model_name


def bibtex_key(record) -> str:
    # Slugs are stable and already [-a-z0-9]; the model prefix keeps keys unique across types.
    slug = re.sub(r"[^A-Za-z0-9_-]", "-", record.slug)
    return f"ijtech-{_kind_key(record)}-{slug}"


def csl_type(record) -> str:
    model = record._meta.model_name
    if model == "agreement":
        return "treaty" if record.kind in TREATY_KINDS else "document"
    if model == "milestone":
        return "event"
    return "entry"


def ris_type(record) -> str:
    model = record._meta.model_name
    if model == "agreement":
        return "GOVDOC" if record.kind in GOVERNMENT_KINDS else "GEN"
    if model == "milestone":
        return "GEN"
    return "ENCYC"


def to_bibtex(record, accessed) -> str:
    date = _date(record)
    fields: list[tuple[str, str]] = []
    authors = _authors(record)
    if authors:
        # Double braces keep each institution a single corporate name.
        fields.append(("author", " and ".join("{" + bibtex_escape(a) + "}" for a in authors)))
    # Braced title: proper nouns (India, Japan, ISRO) must keep their capitals.
    fields.append(("title", "{" + bibtex_escape(_title(record)) + "}"))
    if date["qualifier"] == DateQualifier.DECADE:
        fields.append(("year", f"{date['year']}s"))
        fields.append(("date", f"{date['year'] // 10:03d}X"))
    else:
        fields.append(("year", str(date["year"])))
        if date["month"]:
            fields.append(("month", BIBTEX_MONTHS[date["month"] - 1]))
        if date["qualifier"] == DateQualifier.CIRCA:
            fields.append(("date", f"{date['year']:04d}~"))
        elif date["qualifier"] == DateQualifier.SPAN:
            fields.append(("date", f"{date['year']:04d}/{date['year_end']:04d}"))
        else:
            iso = f"{date['year']:04d}"
            if date["month"]:
                iso += f"-{date['month']:02d}"
                if date["day"]:
                    iso += f"-{date['day']:02d}"
            fields.append(("date", iso))
    fields.append(("type", bibtex_escape(_genre(record))))
    fields.append(("publisher", PUBLISHER))
    fields.append(("howpublished", PUBLISHER))
    fields.append(("url", record_url(record)))
    fields.append(("urldate", accessed.isoformat()))
    abstract = _abstract(record)
    if abstract:
        fields.append(("abstract", bibtex_escape(abstract)))
    tags = _tags(record)
    if tags:
        fields.append(("keywords", bibtex_escape(", ".join(tags))))
    note = _note(record)
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
    date = _date(record)
    lines: list[tuple[str, str]] = [("TY", ris_type(record)), ("TI", _title(record))]
    lines += [("AU", name) for name in _authors(record)]
    if record._meta.model_name == "actor":
        lines.append(("T2", PUBLISHER))
    month = f"{date['month']:02d}" if date["month"] else ""
    day = f"{date['day']:02d}" if date["day"] else ""
    other = ""
    if date["qualifier"] != DateQualifier.EXACT:
        other = record.date_display
    lines.append(("PY", f"{date['year']:04d}"))
    lines.append(("DA", f"{date['year']:04d}/{month}/{day}/{other}"))
    lines.append(("M3", _genre(record)))
    lines.append(("PB", PUBLISHER))
    lines.append(("UR", record_url(record)))
    lines.append(("Y2", accessed.strftime("%Y/%m/%d/")))
    abstract = _abstract(record)
    if abstract:
        lines.append(("AB", abstract))
    lines += [("KW", tag) for tag in _tags(record)]
    note = _note(record)
    if note:
        lines.append(("N1", note))
    lines.append(("ER", ""))
    # RIS wants CR LF line ends and one line per tag, so values are folded onto one line.
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)


def to_csl(record, accessed) -> dict:
    date = _date(record)
    if date["qualifier"] == DateQualifier.DECADE:
        issued = {"date-parts": [[date["year"]], [date["year"] + 9]]}
    elif date["qualifier"] == DateQualifier.SPAN:
        issued = {"date-parts": [[date["year"]], [date["year_end"]]]}
    else:
        parts = [date["year"]]
        if date["month"]:
            parts.append(date["month"])
            if date["day"]:
                parts.append(date["day"])
        issued = {"date-parts": [parts]}
        if date["qualifier"] == DateQualifier.CIRCA:
            issued["circa"] = True
    item = {
        "id": bibtex_key(record),
        "type": csl_type(record),
        "title": _title(record),
        "genre": _genre(record),
        "issued": issued,
        "publisher": PUBLISHER,
        "URL": record_url(record),
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    authors = _authors(record)
    if authors:
        item["author"] = [{"literal": name} for name in authors]
    if record._meta.model_name == "actor":
        item["container-title"] = PUBLISHER
    abstract = _abstract(record)
    if abstract:
        item["abstract"] = abstract
    tags = _tags(record)
    if tags:
        item["keyword"] = ", ".join(tags)
    note = _note(record)
    if note:
        item["note"] = note
    return item


def formats_for(record, accessed=None) -> dict:
    """{"bibtex", "ris", "csl_json"} for a published Agreement, Milestone or Actor."""
    accessed = accessed or timezone.localdate()
    return {
        "bibtex": to_bibtex(record, accessed),
        "ris": to_ris(record, accessed),
        "csl_json": json.dumps([to_csl(record, accessed)], ensure_ascii=False, indent=2),
    }
