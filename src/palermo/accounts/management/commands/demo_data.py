from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, DemoNotAllowed, create_demo_data


class Command(BaseCommand):
    help = (
        "Create the fictional demonstration data set (clearly marked; never real people). "
        "Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1,
                            help="Demo accounts per role and State (benchmarks use more).")
        parser.add_argument("--all-states", action="store_true",
                            help="Give every State demo accounts, not only a few.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 1:
            raise CommandError("--scale must be 1 or more.")
        try:
            report = create_demo_data(scale=options["scale"], all_states=options["all_states"])
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        if report.users_created or report.memberships_created:
            self.stdout.write(
                f"Demo data: {report.users_created} fictional accounts and "
                f"{report.memberships_created} roles created."
            )
        else:
            self.stdout.write("Demo data: already complete; nothing changed.")
        self.stdout.write(
            f"Demo accounts sign in with their address (…@{DEMO_DOMAIN}) and the password "
            f"'{DEMO_PASSWORD}'; for example secretariat@{DEMO_DOMAIN}."
        )
