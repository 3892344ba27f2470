"""Delete old printed editions and their files; cron or a systemd timer runs this once a day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from palermo.editions.models import Edition

# Only editions that are written or failed: one waiting for the worker or being written is
# never touched, however old (the worker may be behind).
FINISHED = [Edition.Status.DONE, Edition.Status.FAILED]


class Command(BaseCommand):
    help = ("Delete the printed editions, with their DOCX and PDF files, finished more than "
            "PALERMO_EDITION_KEEP_DAYS days ago. Editions waiting or being written are kept.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None,
                            help="Keep editions finished in the last DAYS days (default: "
                                 "PALERMO_EDITION_KEEP_DAYS).")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None \
            else settings.PALERMO_EDITION_KEEP_DAYS
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        cutoff = timezone.now() - timedelta(days=days)
        editions = files = 0
        for edition in (Edition.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)
                        .only("pk", "docx", "pdf").iterator()):
            stored = [field for field in (edition.docx, edition.pdf) if field]
            # The record goes first (still finished: nothing rewrites a finished edition), so
            # no page ever offers a file that is gone; a file left by a failure below is only
            # wasted space.
            deleted, _by_model = Edition.objects.filter(pk=edition.pk,
                                                        status__in=FINISHED).delete()
            if not deleted:
                continue
            editions += 1
            for field in stored:
                field.storage.delete(field.name)
                files += 1
        self.stdout.write(f"Deleted {editions} printed editions ({files} files) finished more "
                          f"than {days} days ago.")
