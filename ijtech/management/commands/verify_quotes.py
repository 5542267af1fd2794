"""Check every citation's quote against its source's full text, and report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rapidfuzz import fuzz

from ijtech import source_text
from ijtech.models import Citation, Source, SourceText

# How much of a text's opening is read for its title, and how alike the two must be.
HEAD_CHARS = 3000
TITLE_MATCH = 90


def match_texts(directory: Path, sources) -> dict[int, Path]:
    """Each source whose title stands at the head of one of the directory's .txt files.

    The files are named by a hash, not by source, so each is matched by the title its
    opening prints; a source whose title no file prints is left without a text.
    """
    heads = {
        path: source_text.normalise(path.read_text(encoding="utf-8")[:HEAD_CHARS]).casefold()
        for path in sorted(directory.glob("*.txt"))
    }
    matched = {}
    for source in sources:
        title = source_text.normalise(source.title).casefold()
        scored = [(fuzz.partial_ratio(title, head), path) for path, head in heads.items()]
        if scored:
            score, path = max(scored, key=lambda pair: pair[0])
            if score >= TITLE_MATCH:
                matched[source.pk] = path
    return matched


class Command(BaseCommand):
    help = (
        "Check that every citation's quote stands verbatim in its source's full text, and "
        "print a report; exits non-zero if any quote is not found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--texts",
            type=Path,
            help="Read the sources' texts from this directory's .txt files (matched to "
            "sources by the title they print) instead of the texts stored in the database. "
            "Nothing is stored.",
        )

    def handle(self, *args, texts=None, verbosity=1, **options):
        sources = list(Source.objects.order_by("slug"))
        parsed = {}
        if texts is not None:
            if not texts.is_dir():
                raise CommandError(f"{texts} is not a directory.")
            for pk, path in match_texts(texts, sources).items():
                parsed[pk] = source_text.parse(path.read_text(encoding="utf-8"))
        else:
            for row in SourceText.objects.all():
                parsed[row.source_id] = row.parsed()
        counts = {"ok": 0, "not found": 0, "no text": 0, "no quote": 0}
        citations = Citation.objects.select_related("source", "content_type").order_by(
            "source__slug", "content_type_id", "object_id", "order", "pk"
        )
        for citation in citations.iterator(chunk_size=2000):
            where = (
                f"{citation.source.slug}: {citation.content_type.model} {citation.object_id}, "
                f"citation {citation.pk}"
            )
            text = parsed.get(citation.source_id)
            if not citation.quote:
                counts["no quote"] += 1
            elif text is None:
                counts["no text"] += 1
                if verbosity > 1:
                    self.stdout.write(f"no text    {where}")
            elif text.find(citation.quote) is not None:
                counts["ok"] += 1
                if verbosity > 1:
                    self.stdout.write(f"ok         {where}")
            else:
                counts["not found"] += 1
                nearest = text.nearest(citation.quote)
                self.stdout.write(
                    f"NOT FOUND  {where}\n    quote:   {citation.quote}\n"
                    f"    nearest: {nearest or '(nothing alike)'}"
                )
        without = [s.slug for s in sources if s.pk not in parsed]
        if without:
            self.stdout.write(f"Sources without a text: {', '.join(without)}.")
        self.stdout.write(
            f"Quotes: {counts['ok']} ok, {counts['not found']} not found, "
            f"{counts['no text']} without a source text; "
            f"{counts['no quote']} citations have no quote."
        )
        if counts["not found"]:
            raise CommandError(f"{counts['not found']} quote(s) do not stand in their source.")
