from django.core.management.base import BaseCommand

from ijtech.roles import EDITORS, REVIEWERS, ensure_roles


class Command(BaseCommand):
    help = "Create or update the Editors and Reviewers groups and their permissions."

    def handle(self, *args, **options):
        groups = ensure_roles()
        for name in (EDITORS, REVIEWERS):
            count = groups[name].permissions.count()
            self.stdout.write(f"{name}: {count} permissions")
