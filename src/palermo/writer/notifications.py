"""Mail about a request's review, to each reader in their own language.

When a request is submitted its reviewers are told; when it is returned or approved, its
author. The mail is queued as a task once the change is committed (a rolled-back change sends
nothing, and a slow mail server never slows the page), and the task reads the event again, so
that it carries only a primary key.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from palermo.accounts.models import Membership, User

from .models import Draft, Event

logger = logging.getLogger(__name__)

TEMPLATES: dict[str, str] = {
    Event.Action.SUBMITTED: "writer/review/email/submitted",
    Event.Action.RETURNED: "writer/review/email/returned",
    Event.Action.APPROVED: "writer/review/email/approved",
}


def reviewers_of(draft: Draft) -> QuerySet[User]:
    """Who reviews this request: reviewers of the requesting State without an authority, and
    those of its central authority."""
    scope = Q(memberships__state_id=draft.requesting_state_id,
              memberships__authority__isnull=True)
    if draft.central_authority_id is not None:
        scope |= Q(memberships__authority_id=draft.central_authority_id)
    return (User.objects.filter(scope, is_active=True,
                                memberships__role=Membership.Role.REVIEWER)
            .exclude(email="").distinct().order_by("pk"))


def recipients(event: Event) -> list[User]:
    if event.action == Event.Action.SUBMITTED:
        return list(reviewers_of(event.draft).exclude(pk=event.actor_id))
    author = event.draft.author
    if author.is_active and author.email and author.pk != event.actor_id:
        return [author]
    return []


def queue(event: Event) -> None:
    """Send the event's mails once the current transaction is committed."""
    if event.action not in TEMPLATES:
        return
    event_id = event.pk
    transaction.on_commit(lambda: send_review_mail.enqueue(event_id))


def queue_latest(draft: Draft, *, action: str) -> None:
    """Send the mails of the draft's latest event of this kind (just recorded by a service)."""
    event = draft.events.filter(action=action).order_by("-at", "-pk").first()
    if event is not None:
        queue(event)


def _site(path: str) -> str:
    return settings.PALERMO_SITE_URL.rstrip("/") + path


def _links(event: Event) -> dict[str, str]:
    """Links in the active language: the review page for reviewers, the request's page for
    its author."""
    pk = event.draft_id
    return {"review_url": _site(reverse("writer:review", kwargs={"pk": pk})),
            "draft_url": _site(reverse("writer:draft", kwargs={"pk": pk})),
            "history_url": _site(reverse("writer:history", kwargs={"pk": pk}))}


def send_one(event: Event, user: User) -> None:
    """One mail, written in the recipient's language."""
    language = user.language or settings.LANGUAGE_CODE
    prefix = TEMPLATES[event.action]
    draft = event.draft
    with translation.override(language):
        context: dict[str, Any] = {
            "user": user, "event": event, "draft": draft, "actor": event.actor,
            "translation_status": draft.get_translation_status_display(),
            **_links(event),
        }
        subject = render_to_string(prefix + "_subject.txt", context)
        body = render_to_string(prefix + "_message.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email],
                 headers={"Content-Language": language}).send()


@task()
def send_review_mail(event_id: int) -> int:
    """Mail everyone the event concerns; how many mails were sent. One failed address does
    not stop the others."""
    event = (Event.objects.select_related("draft__author", "draft__requesting_state",
                                          "draft__requested_state", "actor")
             .filter(pk=event_id).first())
    if event is None or event.action not in TEMPLATES:
        return 0
    sent = 0
    for user in recipients(event):
        try:
            send_one(event, user)
        except Exception:  # an SMTP failure must not stop the other mails
            logger.exception("Review mail for request %s to %s failed.", event.draft_id,
                             user.email)
            continue
        sent += 1
    return sent
