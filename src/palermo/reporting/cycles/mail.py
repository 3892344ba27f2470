"""Mails of reporting: reminders of a cycle's deadline, invitations of experts to a response,
and new clarification requests; each in the recipient's own language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from palermo.reporting.models import ClarificationRequest, CycleReminderLog, Response

TEMPLATES = "reporting/cycles/email/"


def _absolute(path: str) -> str:
    return str(settings.PALERMO_SITE_URL).rstrip("/") + path


def _send(*, name: str, user: Any, context: dict[str, Any]) -> None:
    """Render ``name``'s subject and message in the user's language and send them."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "user": user}
        for key, value in list(context.items()):
            if key.endswith("_path"):
                context[key.removesuffix("_path") + "_url"] = _absolute(reverse(*value))
        subject = render_to_string(f"{TEMPLATES}{name}_subject.txt", context)
        body = render_to_string(f"{TEMPLATES}{name}_message.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email],
                 headers={"Content-Language": language}).send()


def send_reminder(*, log: CycleReminderLog, response: Response, user: Any) -> None:
    _send(name=f"reminder_{log.kind}", user=user, context={
        "cycle": log.cycle, "state": response.state, "deadline": response.deadline,
        "response_path": ("reporting:response_detail", None, None, {"pk": response.pk}),
    })


def send_contributor_invited(*, response: Response, user: Any, invited_by: Any) -> None:
    _send(name="invited", user=user, context={
        "response": response, "state": response.state, "inviter": invited_by,
        "response_path": ("reporting:response_detail", None, None, {"pk": response.pk}),
    })


def send_clarification_asked(*, request: ClarificationRequest, user: Any) -> None:
    _send(name="clarification", user=user, context={
        "request": request, "state": request.response.state,
        "request_path": ("reporting:clarification_detail", None, None, {"pk": request.pk}),
    })
