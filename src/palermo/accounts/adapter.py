"""How django-allauth behaves in Palermo."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .mail import in_language, recipient_language


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("The e-mail address and password do not match an account."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody signs up: accounts come from invitations and `palermo create_user`."""
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send allauth's mails (reset, verification, notices) in the recipient's language.

        The links in them are rewritten to the same pages in that language first, while the
        request's own language is still active (a link is resolved in the language it was
        made in).
        """
        language = recipient_language(email)
        context = {
            key: in_language(value, language)
            if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
