"""`palermo prune_editions`: old printed editions and their files are deleted, recent ones and
those still waiting or being written are kept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from palermo.editions.models import Edition


def edition(status: str, days_ago: int, *, files: bool = True) -> Edition:
    """An edition ordered and finished (or started) ``days_ago``, with its files on disk."""
    made = Edition.objects.create(scope=Edition.Scope.STATE, scope_code="MEX", language="en",
                                  status=status)
    if files:
        made.docx.save("old.docx", ContentFile(b"DOCX"), save=False)
        made.pdf.save("old.pdf", ContentFile(b"%PDF"), save=False)
        made.save()
    moment = timezone.now() - timedelta(days=days_ago)
    finished = moment if status in {Edition.Status.DONE, Edition.Status.FAILED} else None
    Edition.objects.filter(pk=made.pk).update(created_at=moment, started_at=moment,
                                              finished_at=finished)
    made.refresh_from_db()
    return made


def paths(made: Edition) -> list[Path]:
    return [Path(made.docx.path), Path(made.pdf.path)]


def test_editions_finished_long_ago_are_deleted_with_their_files(reference_data, capsys):
    old = edition(Edition.Status.DONE, 31)
    old_failed = edition(Edition.Status.FAILED, 40, files=False)
    recent = edition(Edition.Status.DONE, 29)
    assert all(path.exists() for path in paths(old))

    call_command("prune_editions")

    assert "Deleted 2 printed editions (2 files) finished more than 30 days ago." in \
        capsys.readouterr().out
    assert set(Edition.objects.values_list("pk", flat=True)) == {recent.pk}
    assert not any(path.exists() for path in paths(old))
    assert all(path.exists() for path in paths(recent))
    assert not Edition.objects.filter(pk=old_failed.pk).exists()
    assert Client().get(f"/en/editions/{old.pk}/edition.pdf").status_code == 404
    assert Client().get(f"/en/editions/{recent.pk}/edition.pdf").status_code == 200


def test_an_edition_waiting_or_being_written_is_never_deleted(reference_data):
    waiting = edition(Edition.Status.QUEUED, 90, files=False)
    running = edition(Edition.Status.RUNNING, 90)
    call_command("prune_editions")
    assert Edition.objects.filter(pk__in=[waiting.pk, running.pk]).count() == 2
    assert all(path.exists() for path in paths(running))


def test_the_number_of_days_is_a_setting_or_an_option(reference_data, settings, capsys):
    week_old = edition(Edition.Status.DONE, 8)
    day_old = edition(Edition.Status.DONE, 1, files=False)
    settings.PALERMO_EDITION_KEEP_DAYS = 10
    call_command("prune_editions")
    assert Edition.objects.count() == 2
    settings.PALERMO_EDITION_KEEP_DAYS = 7
    call_command("prune_editions")
    assert list(Edition.objects.values_list("pk", flat=True)) == [day_old.pk]
    assert not any(path.exists() for path in paths(week_old))
    call_command("prune_editions", "--days", "30")
    assert Edition.objects.count() == 1
    assert "finished more than 30 days ago" in capsys.readouterr().out


def test_a_number_of_days_below_one_is_refused(reference_data):
    kept = edition(Edition.Status.DONE, 5)
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        call_command("prune_editions", "--days", "0")
    assert Edition.objects.filter(pk=kept.pk).exists()
