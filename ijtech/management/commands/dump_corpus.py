from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ijtech.corpus import dump


class Command(BaseCommand):
    help = (
        "Write every record in the database to fixtures/ in canonical form, so entries added "
        "in the admin can be reviewed as a diff and committed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=settings.FIXTURES_DIR, help="Folder to write to."
        )

    def handle(self, *args, dir: Path, **options):
        counts = dump(dir)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} records written to {dir}")
