from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ijtech.corpus import FILES, CorpusError, load


class Command(BaseCommand):
    help = (
        "Validate the corpus in fixtures/ and load it in one transaction. Nothing is written "
        "unless every file is valid; records that already match are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=settings.FIXTURES_DIR, help="Folder of fixture files."
        )

    def handle(self, *args, dir: Path, **options):
        if not dir.is_dir():
            raise CommandError(f"No corpus folder at {dir}.")
        try:
            report = load(dir)
        except CorpusError as exc:
            raise CommandError(str(exc)) from None
        for kind in FILES:
            self.stdout.write(
                f"{kind}: {report.created[kind]} created, {report.updated[kind]} updated, "
                f"{report.unchanged[kind]} unchanged"
            )
        if not report.changed:
            self.stdout.write("The database already matched the corpus.")
