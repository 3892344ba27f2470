from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.directory.exchange.exporter import FULL, PUBLIC, Operator, export
from palermo.reference.models import State


class Command(BaseCommand):
    help = (
        "Export a State's directory data (or every State's) in the directory exchange format "
        "(docs/directory-exchange.md) as CSV, XLSX or JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--state", help="ISO 3166-1 alpha-3 code; omit for every State.")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("--edition", choices=[PUBLIC, FULL], default=PUBLIC,
                            help="public: public entries only; full: restricted ones too.")
        parser.add_argument("--output", type=Path,
                            help="File to write; by default a name like the pages give.")

    def handle(self, *args: Any, **options: Any) -> None:
        state = None
        if options["state"]:
            state = State.objects.filter(code=options["state"].upper()).first()
            if state is None:
                raise CommandError(f"No State has the code {options['state']!r}.")
        name, _, data = export(user=Operator(), state=state, edition=options["edition"],
                               fmt=options["format"])
        path: Path = options["output"] or Path(name)
        path.write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data)} bytes, {options['edition']} edition).")
