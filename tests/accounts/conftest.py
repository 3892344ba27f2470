from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Rate limits and used authenticator codes live in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Invitation mails are queued when the request's transaction commits; here the queued
    task runs at once (the helpers run those commit callbacks). ``run_worker`` and
    ``database_queue`` use the real queue and worker instead."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_queue(settings: Any) -> None:
    """Tasks go to the database queue, as in production, until ``run_worker`` runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker(database_queue: None, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Run the real database task worker once, as `palermo db_worker --batch` does (its
    clean-up of stale connections would close the test's own, so that is switched off, as
    Django's test client does at the end of each request)."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run
