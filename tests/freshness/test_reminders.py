"""Reminders (decision 3/2 g(vi)): the focal points of a State whose entries were neither updated
nor confirmed for a while are reminded in their own language, again after an interval, and the
secretariat is told after a set number of reminders; every mail is logged, and sent once."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format

from palermo.freshness import selectors, services
from palermo.freshness.models import Confirmation, ReminderLog
from palermo.freshness.tasks import send_due_reminders
from tests.personas import client_for


def run_schedule() -> str:
    """What cron does each day: queue the task (here it runs at once; see conftest)."""
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def one_interval_later(settings) -> None:
    """Move the log back by one interval, as if that many days had passed since."""
    ReminderLog.objects.update(
        claimed_at=F("claimed_at") - dt.timedelta(days=settings.PALERMO_REMINDER_EVERY_DAYS))


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_each_focal_point_gets_one_reminder_in_their_own_language(stale):
    out = run_schedule()
    assert "Queued" in out
    arabic, = mails_to(stale.arabic.email)
    french, = mails_to(stale.french.email)
    with translation.override("fr"):
        french_date = date_format(stale.updated, "DATE_FORMAT")
    with translation.override("ar"):
        arabic_date = date_format(stale.updated, "DATE_FORMAT")
    assert "Mexique" in french.subject and "Mexique" in french.body
    assert french_date in french.body and "/fr/directory/states/mex/" in french.body
    assert french.extra_headers["Content-Language"] == "fr"
    assert "المكسيك" in arabic.subject and "المكسيك" in arabic.body
    assert arabic_date in arabic.body and "/ar/directory/states/mex/" in arabic.body
    assert arabic.extra_headers["Content-Language"] == "ar"
    logs = ReminderLog.objects.filter(state=stale.state)
    assert sorted(logs.values_list("email", "kind", "sequence", "language")) == [
        ("fp-ar@example.org", "reminder", 1, "ar"), ("fp-fr@example.org", "reminder", 1, "fr"),
    ]
    assert all(log.sent_at is not None for log in logs)


def test_a_reminder_is_repeated_after_the_interval_and_not_before(stale, settings):
    run_schedule()
    run_schedule()  # the next day: too early
    assert len(mails_to(stale.french.email)) == 1
    one_interval_later(settings)
    run_schedule()
    assert len(mails_to(stale.french.email)) == 2
    assert sorted(ReminderLog.objects.filter(email=stale.french.email)
                  .values_list("sequence", flat=True)) == [1, 2]


def test_the_secretariat_is_told_after_the_set_number_of_reminders(stale, secretariat,
                                                                   settings):
    settings.PALERMO_REMINDERS_BEFORE_ESCALATION = 2
    for _ in range(2):
        run_schedule()
        one_interval_later(settings)
    assert len(mails_to(stale.french.email)) == 2
    assert not mails_to(secretariat.email)
    run_schedule()
    escalation, = mails_to(secretariat.email)
    assert "Mexico" in escalation.subject and "reminded 2 times" in escalation.body
    assert "/en/freshness/dashboard/" in escalation.body
    assert len(mails_to(stale.french.email)) == 2  # the focal points are not mailed again
    log = ReminderLog.objects.get(kind=ReminderLog.Kind.ESCALATION)
    assert (log.sequence, log.email) == (3, secretariat.email)
    csv_text = client_for(secretariat).get("/en/freshness/dashboard/staleness.csv")
    mexico = next(r for r in csv.DictReader(io.StringIO(csv_text.content.decode()))
                  if r["code"] == "MEX")
    assert (mexico["status"], mexico["reminders"], mexico["escalated"]) == (
        "Escalated to the secretariat", "2", "yes")
    one_interval_later(settings)
    run_schedule()
    assert len(mail.outbox) == 5  # nothing more until the entries are updated or confirmed


def test_a_confirmation_stops_the_reminders_and_a_new_period_starts_from_it(stale, settings,
                                                                            secretariat):
    run_schedule()
    Confirmation.objects.create(state=stale.state, confirmed_by=stale.french,
                                confirmed_at=timezone.now())
    one_interval_later(settings)
    run_schedule()
    assert len(mail.outbox) == 2
    Confirmation.objects.update(confirmed_at=F("confirmed_at") - dt.timedelta(days=400))
    run_schedule()
    assert len(mail.outbox) == 4
    csv_text = client_for(secretariat).get("/en/freshness/dashboard/staleness.csv")
    mexico = next(r for r in csv.DictReader(io.StringIO(csv_text.content.decode()))
                  if r["code"] == "MEX")
    assert (mexico["reminders"], mexico["reminders_answered"]) == ("1", "1")
    assert ReminderLog.objects.filter(sequence=1).values("period_start").distinct().count() == 2


def test_a_state_updated_recently_is_not_reminded(stale, state_b):
    stale.world.public_authority.save()  # a real update, today
    run_schedule()
    assert mail.outbox == []


def test_running_the_task_twice_for_the_same_period_sends_one_mail_each(stale):
    send_due_reminders.call()
    send_due_reminders.call()
    assert len(mails_to(stale.arabic.email)) == 1
    assert len(mails_to(stale.french.email)) == 1
    assert ReminderLog.objects.count() == 2


def test_a_run_that_planned_the_same_round_sends_nothing_once_another_has_sent_it(stale):
    """Two workers: the first plans, the second plans and sends, the first then sends."""
    now = timezone.now()
    planned_by_first = selectors.due_rounds(now=now)
    assert [r.sequence for r in planned_by_first] == [1]
    assert services.reminders_send_due(now=now)["sent"] == 2  # the second worker
    counts = services.reminders_send(planned_by_first, now=now)  # the first worker, late
    assert counts == {"sent": 0, "failed": 0, "claimed_elsewhere": 1}
    assert len(mail.outbox) == 2


def test_send_reminders_now_runs_in_the_command_itself(stale):
    out = io.StringIO()
    call_command("send_reminders", "--now", stdout=out)
    assert out.getvalue().startswith("2 sent, 0 failed")
    assert len(mail.outbox) == 2


def test_the_period_and_the_interval_come_from_the_settings(stale, settings):
    settings.PALERMO_STALE_AFTER_DAYS = 500  # the entries are 400 days old: not stale yet
    run_schedule()
    assert mail.outbox == []
    settings.PALERMO_STALE_AFTER_DAYS = 300
    run_schedule()
    assert len(mail.outbox) == 2
    settings.PALERMO_REMINDER_EVERY_DAYS = 7
    ReminderLog.objects.update(claimed_at=F("claimed_at") - dt.timedelta(days=6))
    run_schedule()
    assert len(mail.outbox) == 2
    ReminderLog.objects.update(claimed_at=F("claimed_at") - dt.timedelta(days=1))
    run_schedule()
    assert len(mail.outbox) == 4
