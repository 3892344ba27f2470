from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.models import Membership
from palermo.accounts.services import membership_grant, user_ensure
from palermo.reference.models import State


class Command(BaseCommand):
    help = (
        "Create or update a user, optionally with a role for a State or as secretariat. "
        "Example: palermo create_user --email a@example.org --state MEX --role focal_point"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="Without it, the user has no usable password.")
        parser.add_argument("--secretariat", action="store_true")
        parser.add_argument("--state", help="ISO 3166-1 alpha-3 code of the State.")
        parser.add_argument("--role", choices=Membership.Role.values)
        parser.add_argument("--language", default="en")
        parser.add_argument(
            "--verified", action="store_true",
            help="The address is known to be right: no verification mail at the first sign-in.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["state"]) != bool(options["role"]):
            raise CommandError("Give --state and --role together.")
        state = None
        if options["state"]:
            state = State.objects.filter(code=options["state"].upper()).first()
            if state is None:
                raise CommandError(f"No State has the code {options['state']!r}.")
        try:
            user = user_ensure(
                email=options["email"], first_name=options["first_name"],
                last_name=options["last_name"], password=options["password"],
                is_secretariat=options["secretariat"], language=options["language"],
                email_verified=options["verified"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if state is not None:
            membership_grant(user=user, state=state, role=options["role"])
        self.stdout.write(f"User {user.email} is ready.")
