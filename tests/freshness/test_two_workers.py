"""Two workers running the reminder task at the same moment send each reminder once.

The workers are two threads with their own database connections, so the data they read must be
committed: this test uses a transactional database, which is emptied after it, and loads the
reference data back for the tests that follow.

The in-memory SQLite database of the test run locks whole tables between connections and says
"database table is locked" at once instead of waiting, as a file database (with its busy
timeout) and PostgreSQL do; a worker that meets that error runs again, as the next scheduled
run would. Whatever the interleaving, each reminder must go out exactly once.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from palermo.freshness.models import ReminderLog
from palermo.freshness.tasks import send_due_reminders
from palermo.reference.models import State
from tests.workers import run_at_once

from .conftest import stale_world

WORKERS = 2


@pytest.fixture
def reference_restored(django_db_blocker: Any) -> Iterator[None]:
    """Set up before the transactional database, so torn down after it is emptied."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def tasks_run_at_once() -> None:
    """Here tasks go through the real queue (the database backend of the settings)."""


def test_two_workers_at_once_send_each_reminder_once(reference_restored, transactional_db):
    stale = stale_world(State.objects.get(code="MEX"))
    results = run_at_once(send_due_reminders.call, WORKERS)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(m.to[0] for m in mail.outbox) == [stale.arabic.email, stale.french.email]
    assert ReminderLog.objects.count() == 2

    # The same period through the real queue: two runs queued, the worker runs both.
    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 4
    assert DBTaskResult.objects.filter(task_path__startswith="palermo.freshness.").count() == 2
    assert len(mail.outbox) == 2


def test_the_worker_sends_what_the_command_queued(reference_restored, transactional_db):
    stale = stale_world(State.objects.get(code="MEX"))
    call_command("send_reminders", stdout=io.StringIO())
    assert mail.outbox == []  # queued, not sent
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    freshness = DBTaskResult.objects.get(task_path__startswith="palermo.freshness.")
    assert freshness.return_value == {"sent": 2, "failed": 0, "claimed_elsewhere": 0}
    assert sorted(m.to[0] for m in mail.outbox) == [stale.arabic.email, stale.french.email]
