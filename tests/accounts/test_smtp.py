"""An invitation travels through a real SMTP server (aiosmtpd on a free local port) and is
read back as the recipient's mail program would read it."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client, TestCase

from palermo.accounts.models import Invitation
from palermo.reference.models import State
from tests.personas import client_for


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield mailbox
    finally:
        controller.stop()


def test_an_invitation_is_delivered_by_smtp_in_the_recipients_language(
        smtp_server, secretariat, settings):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the mail is queued on commit
        response = client_for(secretariat).post("/en/account/invitations/new/", {
            "email": "point.focal@example.org", "role": "focal_point", "state": "MEX",
            "language": "ar",
        })
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["point.focal@example.org"]
    assert message["To"] == "point.focal@example.org"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Content-Language"] == "ar"
    mexico = State.objects.get(code="MEX")
    assert mexico.name_ar and mexico.name_ar in message["Subject"]  # decoded from RFC 2047
    body = message.get_content()
    assert mexico.name_ar in body
    link = re.search(re.escape(settings.PALERMO_SITE_URL) + r"(/\S+)", body)[1]
    assert link.startswith("/ar/account/invitations/accept/")
    # The link read back from the mail opens the invitation, in Arabic.
    page = Client().get(link)
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
    assert Invitation.objects.get().email == "point.focal@example.org"
