"""Queue the reminder task; cron or a systemd timer runs this once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palermo.freshness import services
from palermo.freshness.tasks import send_due_reminders
from palermo.reporting.cycles import services as cycle_services
from palermo.reporting.cycles.tasks import send_cycle_reminders


class Command(BaseCommand):
    help = ("Queue the task that reminds the focal points of States whose directory entries "
            "are stale (and tells the secretariat after repeated reminders), and the task "
            "that reminds them of the deadlines of reporting cycles.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true",
                            help="Send in this process instead of queueing for the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            counts = services.reminders_send_due()
            self.stdout.write(f"{counts['sent']} sent, {counts['failed']} failed, "
                              f"{counts['claimed_elsewhere']} already claimed by another run.")
            counts = cycle_services.reminders_send_due()
            self.stdout.write(f"Reporting cycles: {counts['sent']} sent, {counts['failed']} "
                              f"failed, {counts['claimed_elsewhere']} already claimed by "
                              "another run.")
            return
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Queued the reminder task {result.id}; `palermo db_worker` runs it.")
        result = send_cycle_reminders.enqueue()
        self.stdout.write(f"Queued the reminder task of reporting cycles {result.id}.")
