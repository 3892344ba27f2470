"""Counts of days in the freshness pages and mails take the plural form of their number."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from palermo.accounts.models import Membership
from tests.personas import client_for, make_person


@pytest.mark.parametrize(("days", "text"), [
    (1, "the next follows in 1 day unless"), (30, "the next follows in 30 days unless")])
def test_the_reminder_says_when_the_next_follows(stale, settings, days, text):
    settings.PALERMO_REMINDER_EVERY_DAYS = days
    english = make_person("fp-en@example.org", state=stale.state.code,
                          role=Membership.Role.FOCAL_POINT)
    call_command("send_reminders", stdout=io.StringIO())
    message, = [m for m in mail.outbox if english.email in m.to]
    assert text in " ".join(message.body.split())


@pytest.mark.parametrize(("days", "text"), [
    (1, "neither updated nor confirmed for 1 day or more."),
    (183, "neither updated nor confirmed for 183 days or more.")])
def test_the_dashboard_says_how_old_stale_entries_are(stale, secretariat, settings, days, text):
    settings.PALERMO_STALE_AFTER_DAYS = days
    page = client_for(secretariat).get("/en/freshness/dashboard/").content.decode()
    assert text in " ".join(page.split())
