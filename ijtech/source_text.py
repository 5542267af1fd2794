"""A source's full text, read to check that a citation's quote stands in it verbatim.

The texts are plain-text extractions (some with Markdown marks, footnote markers and line
breaks inside sentences), so a quote and the text are compared after the same
normalisation: runs of whitespace, curly and straight quote marks, the dashes, footnote
markers and Markdown emphasis all count as one. Letters, digits and punctuation otherwise
must match exactly, case included: "verbatim" means the source's words.
"""

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

_QUOTE_MARKS = {ord(c): "'" for c in "‘’‚‛′`´"} | {ord(c): '"' for c in "“”„‟″«»"}
_DASHES = {ord(c): "-" for c in "‐‑‒–—―−"}
_SUPERSCRIPTS = {ord(c): None for c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"}
_FOOTNOTE_TAG = re.compile(r"<sup>[^<]*</sup>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\(?=[^\w\s])")
_EMPHASIS = re.compile(r"\*+")
# A word broken at a line end ("well-\n\ndesigned") reads as one word.
_BROKEN_WORD = re.compile(r"(?<=\w)-\s+(?=\w)")
_BROKEN_END = re.compile(r"\w-$")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = _FOOTNOTE_TAG.sub("", text)
    text = _HTML_TAG.sub("", text)
    text = text.translate(_SUPERSCRIPTS)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS).translate(_DASHES)
    text = _ESCAPE.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _BROKEN_WORD.sub("-", text)
    return _SPACE.sub(" ", text).strip()


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*$")
_SENTENCE_END = re.compile(r"[.,;:!?\"')\]]$")
MAX_HEADING_WORDS = 12
_FUNCTION_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


def heading_of(block: str) -> tuple[int, str] | None:
    """(level, heading) if this paragraph is a section heading, else None.

    Markdown headings keep their level; a paragraph that is one bold line is a sub-heading
    (level 4); a short plain line that starts with a capital and ends without punctuation
    is a heading (level 2), which is how the plain extractions set theirs.
    """
    if "\n" in block.strip():
        return None
    line = block.strip()
    if match := _MARKDOWN_HEADING.match(line):
        return len(match[1]), normalise(match[2])
    if match := _BOLD_LINE.match(line):
        return 4, normalise(match[1])
    words = line.split()
    if not (0 < len(words) <= MAX_HEADING_WORDS) or not (line[0].isupper() or line[0].isdigit()):
        return None
    if _SENTENCE_END.search(line) or any(mark in line for mark in ("://", ". ", "(")):
        return None
    if line.startswith(("•", "-", "|")) or words[-1].casefold() in _FUNCTION_WORDS:
        return None
    # A line wrapped out of a sentence is mostly lower case; a heading is not.
    long_words = [w for w in words if len(w) >= 4]
    capitalised = [w for w in long_words if w[0].isupper()]
    if line.isupper() or 2 * len(capitalised) >= len(long_words):
        return 2, normalise(line)
    return None


@dataclass(frozen=True)
class Found:
    heading: str


class ParsedText:
    """A text split into paragraphs, each under the heading it stands below."""

    def __init__(self, raw: str):
        parts, starts, headings = [], [], []
        offset, stack = 0, []
        for block in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")):
            heading = heading_of(block)
            if heading is not None:
                level, title = heading
                stack = [h for h in stack if h[0] < level] + [heading]
            text = normalise(block)
            if not text:
                continue
            # Paragraphs join with a space, except a word broken across them.
            joiner = "" if _BROKEN_END.search(parts[-1] if parts else "") else " "
            if parts:
                parts.append(joiner)
                offset += len(joiner)
            parts.append(text)
            starts.append(offset)
            headings.append(self._locator(stack))
            offset += len(text)
        self.text = "".join(parts)
        self._starts = starts
        self._headings = headings

    @staticmethod
    def _locator(stack) -> str:
        # A bold or deep sub-heading reads with the section it belongs to, as
        # "VI. JAPAN AS A TECHNOLOGY PRECURSOR — e) Space Sector Collaborations".
        if not stack:
            return ""
        level, title = stack[-1]
        if level >= 4 and len(stack) > 1:
            return f"{stack[-2][1]} — {title}"
        return title

    def heading_at(self, offset: int) -> str:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self._headings[max(index, 0)] if self._headings else ""

    def find(self, quote: str) -> Found | None:
        """Where the quote stands, or None if it does not stand verbatim in the text."""
        needle = normalise(quote)
        if not needle:
            return None
        offset = self.text.find(needle)
        if offset < 0:
            return None
        return Found(heading=self.heading_at(offset))

    def nearest(self, quote: str, context: int = 20) -> str:
        """The passage that comes closest to the quote, with a few words either side."""
        needle = normalise(quote)
        alignment = fuzz.partial_ratio_alignment(needle, self.text)
        if alignment is None or alignment.score == 0:
            return ""
        start = max(0, alignment.dest_start - context)
        end = min(len(self.text), alignment.dest_end + context)
        # Widen to whole words, so the passage reads as the source has it.
        while start > 0 and not self.text[start - 1].isspace():
            start -= 1
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        passage = self.text[start:end]
        return ("…" if start else "") + passage + ("…" if end < len(self.text) else "")


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@lru_cache(maxsize=16)
def parse(raw: str) -> ParsedText:
    """Parsed once per distinct text: an inline of ten citations reads its source once."""
    return ParsedText(raw)


def not_found_message(quote: str, parsed: ParsedText) -> str:
    nearest = parsed.nearest(quote)
    message = (
        "This quote does not stand verbatim in the source's text (spacing, quote marks "
        "and dashes aside)."
    )
    if nearest:
        message += f" The nearest passage is: “{nearest}”"
    return message
