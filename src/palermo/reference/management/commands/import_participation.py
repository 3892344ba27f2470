from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.reference.services import participation_import


class Command(BaseCommand):
    help = (
        "Import participation (signature and ratification dates) from a CSV file. "
        "The whole file is checked first; any error and nothing changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--reason", default="", help="Recorded in each row's history.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        result = participation_import(data=path.read_bytes(), reason=options["reason"])
        if not result.ok:
            for error in result.errors:
                column = f", column {error.column}" if error.column else ""
                self.stderr.write(f"row {error.row}{column}: {error.message}")
            raise CommandError(f"{len(result.errors)} error(s); nothing was changed.")
        self.stdout.write(
            f"Participation: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
