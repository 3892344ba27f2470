from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.models import User
from palermo.directory.exchange.formats import COMMAND_MAX_BYTES, too_large
from palermo.directory.exchange.importer import import_file
from palermo.reference.models import State


class Command(BaseCommand):
    help = (
        "Import directory data in the directory exchange format (docs/directory-exchange.md). "
        "The whole file is checked first; any error and nothing changes. Entries the file "
        "does not mention are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--state", help="The State imported for; every record must be "
                                            "this State's. Omit to take each record's own.")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"],
                            help="By default, from the file name's extension.")
        parser.add_argument("--reason", default="", help="Recorded in each entry's history.")
        parser.add_argument("--user", help="E-mail address of the account the history names.")
        parser.add_argument("--check", action="store_true",
                            help="Only check the file and say what would change.")
        parser.add_argument("--max-bytes", type=int, default=COMMAND_MAX_BYTES, metavar="N",
                            help="The largest file taken, in bytes (default 500 MB, enough "
                                 "for the whole directory's export in one file; the import "
                                 "page takes PALERMO_IMPORT_MAX_BYTES). CSV and XLSX files "
                                 "may hold one record per 200 bytes of it.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        state = None
        if options["state"]:
            state = State.objects.filter(code=options["state"].upper()).first()
            if state is None:
                raise CommandError(f"No State has the code {options['state']!r}.")
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No account has the address {options['user']!r}.")
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        max_bytes = options["max_bytes"]
        if max_bytes < 1:
            raise CommandError("--max-bytes must be a positive number of bytes.")
        if path.stat().st_size > max_bytes:  # refused before it is read into memory
            self.stderr.write(too_large(max_bytes))
            raise CommandError("1 error(s); nothing was changed.")
        result = import_file(data=path.read_bytes(), fmt=fmt, user=user, state=state,
                             reason=options["reason"] or "import_directory",
                             dry_run=options["check"], max_bytes=max_bytes)
        if not result.ok:
            for error in result.errors:
                where = ", ".join(part for part in (
                    error.record, f"row {error.row}" if error.row else "",
                    f"column {error.column}" if error.column else "") if part)
                self.stderr.write(f"{where}: {error.message}" if where else error.message)
            raise CommandError(f"{len(result.errors)} error(s); nothing was changed.")
        verb = "Imported" if result.applied else "Checked, nothing changed; would import"
        self.stdout.write(f"{verb}: {result.created} created, {result.updated} updated, "
                          f"{result.unchanged} unchanged.")
