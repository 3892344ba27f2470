"""Reminders of cycles record the deadline they are about, so that an extension granted after
the reminders of the previous deadline gets reminders of its own (0003 makes the field
required and unique with the rest of the reminder)."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def fill_deadlines(apps, schema_editor):
    """Each reminder logged so far was about the State's deadline on the day it was claimed.

    Without an extension that is the cycle's. With one, it is the extension if the reminder
    was claimed on or after the day it became due for the extension, else the cycle's: when
    both are possible, the extension, so that no reminder already sent is sent again."""
    CycleReminderLog = apps.get_model("reporting", "CycleReminderLog")
    Response = apps.get_model("reporting", "Response")
    extended = {(cycle_id, state_id): until for cycle_id, state_id, until in
                Response.objects.filter(cycle__isnull=False, extended_until__isnull=False)
                .values_list("cycle_id", "state_id", "extended_until")}
    for log in CycleReminderLog.objects.select_related("cycle").iterator():
        cycle = log.cycle
        deadline = cycle.closes_on
        until = extended.get((log.cycle_id, log.state_id))
        if until is not None:
            due = (until + dt.timedelta(days=cycle.remind_days_after) if log.kind == "after"
                   else until - dt.timedelta(days=cycle.remind_days_before))
            if timezone.localtime(log.claimed_at).date() >= due:
                deadline = until
        log.deadline = deadline
        log.save(update_fields=["deadline"])


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0001_questionnaires_cycles_responses"),
    ]

    operations = [
        migrations.AddField(
            model_name="cyclereminderlog",
            name="deadline",
            field=models.DateField(
                null=True,
                help_text="The deadline the reminder is about: the cycle's, or the State's "
                          "extension.",
                verbose_name="deadline"),
        ),
        migrations.RunPython(fill_deadlines, migrations.RunPython.noop),
    ]
