import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ijtech.roles import EDITORS, REVIEWERS, ensure_roles


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors or Reviewers group, asking for its password "
        "(or, with --password-stdin, reading it from the first line of standard input)."
    )

    # call_command(..., stdin=...) reads the password from that stream instead.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=["editor", "reviewer"], default="editor")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input, for scripted "
            "setup; a password the validators refuse is an error, not asked again.",
        )

    def handle(self, *args, username, role, email, password_stdin=False, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"An account named {username!r} already exists.")
        ensure_roles()
        user = User(username=username, email=email, is_staff=True)
        if password_stdin:
            password = self.password_from_stdin(user, options.get("stdin") or sys.stdin)
        else:
            password = self.ask_password(user, username)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=REVIEWERS if role == "reviewer" else EDITORS))
        self.stdout.write(f"Created {role} {username!r}. Sign in at /admin/.")

    def password_from_stdin(self, user, stream) -> str:
        # Only the line ending is stripped: spaces may be part of a password.
        password = stream.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password on standard input; the account was not created.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " The account was not created.") from exc
        return password

    def ask_password(self, user, username) -> str:
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
            return password
