"""A reminder of a cycle is sent once per State, deadline, kind and number (it was once per
State, kind and number, whatever the deadline)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0002_cyclereminderlog_deadline"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cyclereminderlog",
            name="deadline",
            field=models.DateField(
                help_text="The deadline the reminder is about: the cycle's, or the State's "
                          "extension.",
                verbose_name="deadline"),
        ),
        migrations.RemoveConstraint(
            model_name="cyclereminderlog",
            name="cycle_reminder_once",
        ),
        migrations.AddConstraint(
            model_name="cyclereminderlog",
            constraint=models.UniqueConstraint(
                fields=("cycle", "state", "deadline", "kind", "sequence"),
                name="cycle_reminder_once_per_deadline"),
        ),
    ]
