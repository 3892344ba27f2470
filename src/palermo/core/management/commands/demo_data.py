from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_STATES,
    DemoNotAllowed,
    attach_demo_authorities,
    create_demo_data,
)
from palermo.directory.demo import create_directory_demo
from palermo.reference.models import State
from palermo.reporting.demo import ReportingDemoSkipped, create_reporting_demo
from palermo.writer.demo import create_writer_demo


class Command(BaseCommand):
    help = (
        "Create the fictional demonstration data set: accounts, directory entries, requests "
        "and a reporting cycle with its responses, all clearly marked, never real people or "
        "real authorities. Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1,
                            help="Demo accounts per role and State (benchmarks use more).")
        parser.add_argument("--all-states", action="store_true",
                            help="Give every State demo entries, not only a few.")
        parser.add_argument("--authorities", type=int, default=3,
                            help="Demo authorities per State (benchmarks use 100).")
        parser.add_argument("--contacts", type=int, default=2,
                            help="Demo contact persons per authority.")
        parser.add_argument("--sections", type=int, default=2, choices=range(1, 6),
                            metavar="{1..5}",
                            help="Measures described in each State's demo profile.")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("scale", "authorities", "contacts"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be 1 or more.")
        try:
            report = create_demo_data(scale=options["scale"], all_states=options["all_states"])
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        states = list(State.objects.all() if options["all_states"]
                      else State.objects.filter(code__in=DEMO_STATES))
        directory = create_directory_demo(
            states=states, authorities_per_state=options["authorities"],
            contacts_per_authority=options["contacts"], sections_per_state=options["sections"])
        attached = attach_demo_authorities(states=states)
        requests = create_writer_demo()
        try:
            responses = create_reporting_demo()
        except ReportingDemoSkipped as exc:
            responses = 0
            self.stdout.write(str(exc))
        if report.users_created or report.memberships_created or directory.changed or attached \
                or requests or responses:
            self.stdout.write(
                f"Demo data: {report.users_created} fictional accounts, "
                f"{report.memberships_created} roles, {directory.authorities} authorities, "
                f"{directory.contacts} contact persons and {directory.sections} profile "
                f"sections created; {attached} roles attached to an authority; "
                f"{requests} fictional requests created; "
                f"{responses} fictional responses in a demonstration reporting cycle created."
            )
        else:
            self.stdout.write("Demo data: already complete; nothing changed.")
        self.stdout.write(
            f"Demo accounts sign in with their address (…@{DEMO_DOMAIN}) and the password "
            f"'{DEMO_PASSWORD}'; for example secretariat@{DEMO_DOMAIN}."
        )
