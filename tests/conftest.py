from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests.personas import *  # noqa: F403 - the persona fixtures


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the real reference data once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)
    yield


@pytest.fixture
def reference_data(db: None) -> None:
    """Tests that read reference data ask for this (it is loaded once per session)."""


@pytest.fixture(autouse=True)
def english_outside_requests() -> Iterator[None]:
    """Each test starts in English: a request in another language leaves it active."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with nothing kept in the cache: kept pages and figures carry data
    tokens, but a test's database is rolled back to the token it started with, while what an
    earlier test kept under that token would stay."""
    cache.clear()
