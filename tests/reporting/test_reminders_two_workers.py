"""Two workers running the reminder task of cycles at the same moment send each reminder
once. As in tests/freshness/test_two_workers.py, the workers are threads with their own
database connections, so this test commits its data (transactional database) and loads the
reference data back afterwards; a worker that finds the in-memory SQLite database locked runs
again, as the next scheduled run would."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.reporting.cycles.tasks import send_cycle_reminders
from palermo.reporting.models import CycleReminderLog
from tests.personas import make_person
from tests.workers import run_at_once

from .cycles_world import build_version, make_parties, open_cycle

WORKERS = 2


@pytest.fixture
def reference_restored(django_db_blocker: Any) -> Iterator[None]:
    """Set up before the transactional database, so torn down after it is emptied."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0, stdout=io.StringIO())


def test_two_workers_at_once_send_each_cycle_reminder_once(
        reference_restored: None, transactional_db: None) -> None:
    make_parties("MEX", "FRA")
    secretariat = make_person("secretariat@example.org", secretariat=True)
    open_cycle(build_version(), secretariat,
               closes_on=timezone.localdate() + dt.timedelta(days=10))
    mexico = make_person("focal-a@example.org", state="MEX", role=Membership.Role.FOCAL_POINT)
    france = make_person("focal-b@example.org", state="FRA", role=Membership.Role.FOCAL_POINT)
    results = run_at_once(send_cycle_reminders.call, WORKERS)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mexico.email, france.email])
    assert CycleReminderLog.objects.count() == 2
    # A worker whose first try met a locked database and was retried may have sent before the
    # lock: its count is the retry's. What matters is above: each reminder mailed and logged once.
    assert sum(r["sent"] for r in results) <= 2
