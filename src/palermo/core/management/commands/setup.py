"""Bring this installation up to date: database, reference data, translations, static files."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Migrate the database, load the reference data and the shipped questionnaires, "
        "compile translations and collect static files; with --demo, also create the "
        "fictional demo data. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true",
                            help="Create the clearly marked fictional demo data set.")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database: migrated.")
        call_command("load_reference", stdout=self.stdout)
        call_command("load_questionnaires", stdout=self.stdout)
        call_command("compile_translations", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Static files: collected.")
        if options["demo"]:
            call_command("demo_data", stdout=self.stdout)
