from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ijtech.corpus import FILES, CorpusError, load


class Command(BaseCommand):
    help = (
        "Validate the corpus in fixtures/ and load it in one transaction. Nothing is written "
        "unless every file is valid; records that already match are left alone, and records "
        "edited in the database since the last load or dump are not overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=settings.FIXTURES_DIR, help="Folder of fixture files."
        )
        parser.add_argument(
            "--discard-edits",
            action="store_true",
            help="Load even over records changed in the database since the corpus was last "
            "loaded or dumped; those changes are lost (the history keeps them). Without it, "
            "the load is refused and the records are listed.",
        )

    def handle(self, *args, dir: Path, discard_edits: bool, **options):
        if not dir.is_dir():
            raise CommandError(f"No corpus folder at {dir}.")
        try:
            report = load(dir, discard_edits=discard_edits)
        except CorpusError as exc:
            raise CommandError(str(exc)) from None
        for kind in FILES:
            self.stdout.write(
                f"{kind}: {report.created[kind]} created, {report.updated[kind]} updated, "
                f"{report.unchanged[kind]} unchanged"
            )
        if not report.changed:
            self.stdout.write("The database already matched the corpus.")
