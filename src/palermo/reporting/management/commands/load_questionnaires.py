from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.reporting.loaders import (
    QUESTIONNAIRES_DIR,
    QuestionnaireFileError,
    load_questionnaires,
)


class Command(BaseCommand):
    help = (
        "Load the questionnaires shipped with Palermo (a changed file becomes a new published "
        "version; published versions never change). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=QUESTIONNAIRES_DIR,
                            help="Load the *.json files of this folder instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_questionnaires(options["directory"])
        except QuestionnaireFileError as error:
            raise CommandError(f"Questionnaires not loaded: {error}") from error
        for line in report.created:
            self.stdout.write(f"Questionnaire published: {line}")
        if not report.changed:
            self.stdout.write("Questionnaires are up to date; nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS("Questionnaires loaded."))
