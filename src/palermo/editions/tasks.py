"""Background work of printed editions (Django's tasks API; django-tasks until Django 6)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def build_edition(edition_id: str) -> None:
    services.edition_build(edition_id)
