"""Background work of accounts (Django's tasks API; django-tasks until Django 6)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_invitation(invitation_id: int) -> str:
    return services.invitation_mail(invitation_id=invitation_id)
