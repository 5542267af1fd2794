import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ijtech.roles import EDITORS, REVIEWERS, ensure_roles


class Command(BaseCommand):
    help = "Create a staff account in the Editors or Reviewers group, asking for its password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=["editor", "reviewer"], default="editor")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"An account named {username!r} already exists.")
        ensure_roles()
        user = User(username=username, email=email, is_staff=True)
        while True:
            password = getpass.getpass(f"Password for {username}: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ; try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
                continue
            break
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=REVIEWERS if role == "reviewer" else EDITORS))
        self.stdout.write(f"Created {role} {username!r}. Sign in at /admin/.")
