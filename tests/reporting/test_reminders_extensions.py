"""Reminders of an extended deadline: a State that was reminded before and after the cycle's
deadline and is then given an extension is reminded before and after the extension too, each
once, even when two runs plan the same reminder; a State without an extension gets the
cycle's two reminders and no more."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone

from palermo.accounts.models import Membership, User
from palermo.reporting.cycles import selectors, services
from palermo.reporting.cycles.tasks import send_cycle_reminders
from palermo.reporting.models import Cycle, CycleReminderLog, QuestionnaireVersion, Response
from tests.personas import client_for, make_person
from tests.workers import run_at_once

from .cycles_world import *  # noqa: F403 - the world's fixtures
from .cycles_world import build_version, make_parties, open_cycle


@pytest.fixture
def due_cycle(version: QuestionnaireVersion, secretariat: User) -> Cycle:
    """A cycle whose deadline is in ten days; reminders 14 days before and 7 days after."""
    return open_cycle(version, secretariat,
                      closes_on=timezone.localdate() + dt.timedelta(days=10))


def mails_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


def logged(code: str) -> list[tuple[str, dt.date]]:
    return sorted(CycleReminderLog.objects.filter(state__code=code)
                  .values_list("kind", "deadline"), key=lambda row: (row[1], row[0] != "before"))


def extend(secretariat: User, cycle: Cycle, code: str, until: dt.date) -> None:
    """The secretariat extends the State's deadline on the cycle's page."""
    response = Response.objects.get(cycle=cycle, state__code=code)
    page = client_for(secretariat).post(
        reverse("reporting:response_extend", kwargs={"pk": response.pk}),
        {"until": until.isoformat()})
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.extended_until == until


def sent_on(day: dt.date) -> int:
    return services.reminders_send_due(today=day)["sent"]


@pytest.mark.django_db
def test_an_extension_after_the_reminders_brings_a_reminder_before_and_after_it(
        due_cycle: Cycle, focal_point_a: User, focal_point_b: User, secretariat: User) -> None:
    closes = due_cycle.closes_on
    assert sent_on(closes - dt.timedelta(days=14)) == 2  # Mexico and France, before
    assert sent_on(closes + dt.timedelta(days=7)) == 2  # both, after
    # Mexico missed the deadline and gets 30 more days; France does not.
    until = closes + dt.timedelta(days=30)
    extend(secretariat, due_cycle, "MEX", until)
    assert sent_on(until - dt.timedelta(days=15)) == 0
    assert sent_on(until - dt.timedelta(days=14)) == 1  # Mexico, before the extension
    assert sent_on(until - dt.timedelta(days=13)) == 0
    assert sent_on(until) == 0
    assert sent_on(until + dt.timedelta(days=6)) == 0
    assert sent_on(until + dt.timedelta(days=7)) == 1  # Mexico, after the extension
    assert sent_on(until + dt.timedelta(days=8)) == 0
    assert sent_on(until + dt.timedelta(days=60)) == 0

    mexico = mails_to(focal_point_a.email)
    assert len(mexico) == 4
    extended = formats.date_format(until, "DATE_FORMAT")
    assert extended in mexico[2].body and "has passed" not in mexico[2].subject
    assert extended in mexico[3].body and "has passed" in mexico[3].subject
    assert logged("MEX") == [("before", closes), ("after", closes),
                             ("before", until), ("after", until)]
    # France, without an extension: the cycle's two reminders, no more.
    assert len(mails_to(focal_point_b.email)) == 2
    assert logged("FRA") == [("before", closes), ("after", closes)]
    # The cycle's page says which deadline each of Mexico's reminders was about.
    page = client_for(secretariat).get(
        reverse("reporting:cycle_detail", kwargs={"pk": due_cycle.pk})).content.decode()
    for deadline in (closes, until):
        shown = formats.date_format(deadline, "DATE_FORMAT")
        assert page.count(f"(deadline {shown})") == (2 if deadline == until else 4)


@pytest.mark.django_db
def test_an_extension_granted_before_the_deadline_moves_both_reminders(
        due_cycle: Cycle, focal_point_a: User, focal_point_b: User, secretariat: User) -> None:
    """Reminded before the cycle's deadline, then extended before it: no reminder after the
    cycle's deadline, one before and one after the extension."""
    closes = due_cycle.closes_on
    assert sent_on(closes - dt.timedelta(days=14)) == 2
    until = closes + dt.timedelta(days=30)
    extend(secretariat, due_cycle, "MEX", until)
    assert sent_on(closes + dt.timedelta(days=7)) == 1  # France only
    assert sent_on(until - dt.timedelta(days=14)) == 1  # Mexico, before the extension
    assert sent_on(until + dt.timedelta(days=7)) == 1  # Mexico, after it
    assert logged("MEX") == [("before", closes), ("before", until), ("after", until)]
    assert logged("FRA") == [("before", closes), ("after", closes)]


@pytest.mark.django_db
def test_a_reminder_of_the_extension_planned_by_two_runs_is_sent_once(
        due_cycle: Cycle, focal_point_a: User, secretariat: User) -> None:
    closes = due_cycle.closes_on
    sent_on(closes + dt.timedelta(days=7))
    until = closes + dt.timedelta(days=10)
    extend(secretariat, due_cycle, "MEX", until)
    day = until - dt.timedelta(days=14)
    planned_by_first = selectors.due_reminders(today=day)
    assert [(r.response.state.code, r.kind, r.deadline) for r in planned_by_first] == [
        ("MEX", "before", until)]
    assert sent_on(day) == 1
    assert services.reminders_send(planned_by_first) == {
        "sent": 0, "failed": 0, "claimed_elsewhere": 1}
    assert len(mails_to(focal_point_a.email)) == 2


# Two workers at once (threads with their own connections), as in test_reminders_two_workers.

@pytest.fixture
def reference_restored(django_db_blocker: Any) -> Iterator[None]:
    """Set up before the transactional database, so torn down after it is emptied."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0, stdout=io.StringIO())


def test_two_workers_at_once_send_the_reminder_of_an_extension_once(
        reference_restored: None, transactional_db: None) -> None:
    """The cycle's deadline passed 20 days ago; both States were reminded after it. Mexico is
    then given an extension ending in five days: two workers at once remind it once."""
    make_parties("MEX", "FRA")
    secretariat = make_person("secretariat@example.org", secretariat=True)
    today = timezone.localdate()
    cycle = open_cycle(build_version(), secretariat, closes_on=today - dt.timedelta(days=20))
    mexico = make_person("focal-a@example.org", state="MEX", role=Membership.Role.FOCAL_POINT)
    france = make_person("focal-b@example.org", state="FRA", role=Membership.Role.FOCAL_POINT)
    assert services.reminders_send_due()["sent"] == 2  # after the cycle's deadline
    mail.outbox.clear()
    until = today + dt.timedelta(days=5)
    services.response_extend(user=secretariat,
                             response=Response.objects.get(cycle=cycle, state__code="MEX"),
                             until=until)

    results = run_at_once(send_cycle_reminders.call, 2)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert [m.to[0] for m in mail.outbox] == [mexico.email]
    assert "has passed" not in mail.outbox[0].subject
    assert not mails_to(france.email)
    assert CycleReminderLog.objects.filter(
        state__code="MEX", kind="before", deadline=until).count() == 1
    assert CycleReminderLog.objects.count() == 3
