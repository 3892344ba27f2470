"""Writes of freshness: confirmations, and the reminder mails with their log."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from palermo.core import pagecache
from palermo.reference.models import State

from . import selectors
from .models import Confirmation, ReminderLog

logger = logging.getLogger(__name__)


@transaction.atomic
def state_confirm(*, state: State, user: Any) -> Confirmation:
    """Record that ``user`` checked ``state``'s directory entries and found them accurate.

    The caller has checked :func:`selectors.may_confirm`. Nothing in the directory changes,
    but the State's page shows the new date, so every cached page is made stale.
    """
    confirmation = Confirmation(state=state, confirmed_by=user, confirmed_at=timezone.now())
    confirmation.full_clean()
    confirmation.save()
    pagecache.changed()
    return confirmation


def reminders_send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder and escalation that is due; safe to run in several workers at once.

    Returns how many mails were sent, and how many rounds another run had already claimed.
    """
    now = now or timezone.now()
    return reminders_send(selectors.due_rounds(now=now), now=now)


def reminders_send(rounds: list[selectors.DueRound], *, now: dt.datetime) -> dict[str, int]:
    counts = {"sent": 0, "failed": 0, "claimed_elsewhere": 0}
    for due in rounds:
        logs = _claim(due, now=now)
        if logs is None:
            counts["claimed_elsewhere"] += 1
            continue
        for log, user in zip(logs, due.recipients, strict=True):
            if _deliver(log, user=user, due=due):
                counts["sent"] += 1
            else:
                counts["failed"] += 1
    return counts


def _claim(due: selectors.DueRound, *, now: dt.datetime) -> list[ReminderLog] | None:
    """Log the round's mails before sending them. The unique constraint on (State, period,
    number, address) lets exactly one run insert them; a second run gets an IntegrityError
    and sends nothing (None)."""
    logs = [
        ReminderLog(state=due.state, recipient=user, email=user.email.lower(),
                    language=user.language, kind=due.kind, period_start=due.period_start,
                    sequence=due.sequence, claimed_at=now)
        for user in due.recipients
    ]
    try:
        with transaction.atomic():
            return ReminderLog.objects.bulk_create(logs)
    except IntegrityError:
        logger.info("Reminder %s for %s was claimed by another run.", due.sequence,
                    due.state.code)
        return None


def _deliver(log: ReminderLog, *, user: Any, due: selectors.DueRound) -> bool:
    try:
        _mail(log, user=user, due=due)
    except Exception as exc:  # an SMTP failure must not stop the other mails
        logger.exception("Reminder mail to %s failed.", log.email)
        log.error = str(exc)[:2000]
        log.save(update_fields=["error"])
        return False
    log.sent_at = timezone.now()
    log.save(update_fields=["sent_at"])
    return True


def _mail(log: ReminderLog, *, user: Any, due: selectors.DueRound) -> None:
    """One mail, written in the recipient's own language."""
    prefix = "freshness/email/" + log.kind
    with translation.override(log.language):
        path = reverse("directory:state", kwargs={"code": due.state.code.lower()})
        context = {
            "user": user, "state": due.state, "freshness": due.freshness,
            "sequence": log.sequence, "limit": settings.PALERMO_REMINDERS_BEFORE_ESCALATION,
            "every_days": settings.PALERMO_REMINDER_EVERY_DAYS,
            "state_url": settings.PALERMO_SITE_URL.rstrip("/") + path,
            "dashboard_url": settings.PALERMO_SITE_URL.rstrip("/")
            + reverse("freshness:dashboard"),
        }
        subject = render_to_string(prefix + "_subject.txt", context)
        body = render_to_string(prefix + "_message.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[log.email],
                 headers={"Content-Language": log.language}).send()
