from typing import Any

from django.core.management.base import BaseCommand

from palermo.directory.search import backend, reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the directory's search index from the authorities, their designations and "
        "their States. Safe to run at any time; needed after loading fixtures or changing "
        "entries with raw SQL."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex_all()
        self.stdout.write(self.style.SUCCESS(
            f"Directory search index rebuilt ({backend().vendor}): {count} authorities."))
