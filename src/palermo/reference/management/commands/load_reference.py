from typing import Any

from django.core.management.base import BaseCommand

from palermo.core import pagecache
from palermo.directory.loaders import load_resources
from palermo.reference.loaders import load_all


class Command(BaseCommand):
    help = (
        "Load or refresh the real reference data: sources, States, instruments, texts and "
        "participation."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with pagecache.changes_deferred():
            report = load_all()
            load_resources(report)
        if not report.changed:
            self.stdout.write("Reference data is up to date; nothing changed.")
            return
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
