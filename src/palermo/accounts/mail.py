"""Mail to people, in their own language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation

from .models import Invitation, User


def recipient_language(email: str, default: str | None = None) -> str:
    """The language of the account with this address, else ``default``, else the current one."""
    language = (
        User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
    )
    return language or default or translation.get_language() or settings.LANGUAGE_CODE


def in_language(url: str, language: str) -> str:
    """The same page of Palermo in another language (links in mails lead to the reader's)."""
    return translate_url(url, language)


def send_invitation(*, invitation: Invitation, token: str) -> None:
    """Mail the invitation's link; only this mail ever holds the token. The link starts with
    the public address of Palermo (``PALERMO_SITE_URL``), whoever sent the invitation from
    wherever: a mail is read outside the inviter's browser. An expert's invitation names the
    State, the questionnaire and the cycle of its response, in the reader's language."""
    language = recipient_language(invitation.email, default=invitation.language)
    with translation.override(language):
        path = reverse("accounts:invitation_accept", kwargs={"token": token})
        context = {
            "invitation": invitation,
            "accept_url": settings.PALERMO_SITE_URL.rstrip("/") + path,
            "inviter": invitation.invited_by,
            "response": invitation.response,
            "days": settings.PALERMO_INVITATION_DAYS,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_message.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()), body=body, to=[invitation.email],
        headers={"Content-Language": language},
    )
    message.send()
