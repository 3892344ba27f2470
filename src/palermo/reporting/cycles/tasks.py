"""Background work of reporting cycles (Django's tasks API; django-tasks until Django 6)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_cycle_reminders() -> dict[str, int]:
    return services.reminders_send_due()
