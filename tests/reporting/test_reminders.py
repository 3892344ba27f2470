"""Reminders of a cycle's deadline: before and after it, to the focal points of States that
have not submitted, in each one's language, logged and sent once."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import Membership, User
from palermo.reporting.cycles import selectors, services
from palermo.reporting.cycles.tasks import send_cycle_reminders
from palermo.reporting.models import Cycle, CycleReminderLog, QuestionnaireVersion, Response
from tests.personas import client_for, make_person

from .cycles_world import *  # noqa: F403 - the world's fixtures
from .cycles_world import open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_cycle(version: QuestionnaireVersion, secretariat: User) -> Cycle:
    """A cycle whose deadline is in ten days: the reminder before it (14 days) is due."""
    return open_cycle(version, secretariat,
                      closes_on=timezone.localdate() + dt.timedelta(days=10))


@pytest.fixture
def arabic_focal_point_a(reference_data: None) -> User:
    person = make_person("focal-a-ar@example.org", state="MEX",
                         role=Membership.Role.FOCAL_POINT)
    person.language = "ar"
    person.save(update_fields=["language"])
    return person


def mails_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


def test_each_focal_point_gets_one_reminder_in_their_own_language(
        due_cycle: Cycle, focal_point_a: User, arabic_focal_point_a: User,
        focal_point_b: User, secretariat: User) -> None:
    counts = services.reminders_send_due()
    assert counts == {"sent": 3, "failed": 0, "claimed_elsewhere": 0}
    arabic = mails_to(arabic_focal_point_a.email)
    assert len(arabic) == 1
    assert arabic[0].extra_headers["Content-Language"] == "ar"
    assert "/ar/reporting/responses/" in arabic[0].body
    english = mails_to(focal_point_a.email)[0]
    assert "Test questionnaire" not in english.subject  # the cycle's title, not the form's
    assert "First cycle" in english.subject
    log = CycleReminderLog.objects.get(cycle=due_cycle, state__code="MEX")
    assert log.kind == CycleReminderLog.Kind.BEFORE
    assert sorted(log.recipients) == sorted([focal_point_a.email, arabic_focal_point_a.email])
    assert log.sent_at is not None
    page = client_for(secretariat).get(
        reverse("reporting:cycle_detail", kwargs={"pk": due_cycle.pk})).content.decode()
    assert page.count("Before the deadline: <time") == 2


def test_reminders_are_sent_once_when_the_task_runs_twice(
        due_cycle: Cycle, focal_point_a: User, focal_point_b: User) -> None:
    send_cycle_reminders.call()
    send_cycle_reminders.call()
    assert len(mails_to(focal_point_a.email)) == 1
    assert len(mails_to(focal_point_b.email)) == 1
    assert CycleReminderLog.objects.filter(cycle=due_cycle).count() == 2


def test_a_run_that_planned_the_same_reminders_sends_nothing_once_another_has_sent_them(
        due_cycle: Cycle, focal_point_a: User, focal_point_b: User) -> None:
    """Two workers: both plan; the second sends; the first, late, finds them claimed."""
    planned_by_first = selectors.due_reminders(today=timezone.localdate())
    assert len(planned_by_first) == 2
    assert services.reminders_send_due()["sent"] == 2
    assert services.reminders_send(planned_by_first) == {
        "sent": 0, "failed": 0, "claimed_elsewhere": 2}
    assert len(mail.outbox) == 2


def test_a_submitted_response_is_not_reminded(
        due_cycle: Cycle, focal_point_a: User, focal_point_b: User) -> None:
    Response.objects.filter(cycle=due_cycle, state__code="MEX").update(
        status=Response.Status.SUBMITTED, submitted_at=timezone.now())
    services.reminders_send_due()
    assert mails_to(focal_point_a.email) == []
    assert len(mails_to(focal_point_b.email)) == 1


def test_no_reminder_before_the_period_and_one_after_the_deadline(
        due_cycle: Cycle, focal_point_a: User) -> None:
    closes = due_cycle.closes_on
    assert services.reminders_send_due(today=closes - dt.timedelta(days=15))["sent"] == 0
    assert services.reminders_send_due(today=closes - dt.timedelta(days=14))["sent"] == 1
    assert services.reminders_send_due(today=closes + dt.timedelta(days=6))["sent"] == 0
    assert services.reminders_send_due(today=closes + dt.timedelta(days=7))["sent"] == 1
    assert services.reminders_send_due(today=closes + dt.timedelta(days=8))["sent"] == 0
    after = mails_to(focal_point_a.email)[1]
    assert "has passed" in after.subject
    assert set(CycleReminderLog.objects.values_list("kind", flat=True)) == {"before", "after"}


def test_an_extension_moves_the_states_reminder_after_the_deadline(
        due_cycle: Cycle, focal_point_a: User, secretariat: User) -> None:
    response = Response.objects.get(cycle=due_cycle, state__code="MEX")
    services.response_extend(user=secretariat, response=response,
                             until=due_cycle.closes_on + dt.timedelta(days=30))
    late = due_cycle.closes_on + dt.timedelta(days=7)
    services.reminders_send_due(today=late)
    assert not CycleReminderLog.objects.filter(state__code="MEX", kind="after").exists()


def test_the_send_reminders_command_sends_the_reminders_of_cycles(
        due_cycle: Cycle, focal_point_a: User) -> None:
    out = io.StringIO()
    call_command("send_reminders", "--now", stdout=out)
    assert "Reporting cycles: 1 sent" in out.getvalue()
    assert len(mails_to(focal_point_a.email)) == 1
