import pytest

from tests.directory.factories import World, make_world


@pytest.fixture
def world(state_a) -> World:
    return make_world(state_a)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Generated editions go to a temporary folder, not the installation's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real database task worker once, as `palermo db_worker --batch` does.

    Between tasks the worker closes stale database connections. Inside a test's transaction
    that would close the test's own connection (on PostgreSQL), so that clean-up is switched
    off here, as Django's test client does for the same call at the end of each request.
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run
