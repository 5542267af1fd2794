import time

from django.core.management.base import BaseCommand

from ijtech import search


class Command(BaseCommand):
    help = (
        "Build the search index afresh from every public record. The site keeps it in step "
        "by itself; this is for a database written around the app (a restore, a bulk import)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        done = 0

        def progress(count):
            nonlocal done
            done += count
            if options["verbosity"] > 1:
                self.stderr.write(f"{done} records indexed")

        total = search.rebuild(progress=progress)
        if options["verbosity"]:
            elapsed = time.monotonic() - started
            self.stdout.write(f"Indexed {total} records in {elapsed:.1f} s.")
