"""Fixtures for freshness: a State whose entries have not been touched for a long time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from palermo.accounts.models import Membership, User
from palermo.directory.models import Authority, ContactPerson, Designation, ProfileSection
from palermo.reference.models import State
from tests.directory.factories import World, make_world
from tests.personas import make_person

LONG_AGO = dt.timedelta(days=400)


def age_entries(state: State, age: dt.timedelta = LONG_AGO) -> dt.datetime:
    """Make every directory entry of ``state`` look last changed ``age`` ago; returns when."""
    moment = timezone.now() - age
    Authority.objects.filter(state=state).update(updated_at=moment)
    Designation.objects.filter(authority__state=state).update(updated_at=moment)
    ContactPerson.objects.filter(authority__state=state).update(updated_at=moment)
    ProfileSection.objects.filter(state=state).update(updated_at=moment)
    Membership.objects.filter(state=state).update(created_at=moment)
    return moment


@dataclass
class StaleWorld:
    world: World
    state: State
    arabic: User  # a focal point of State A who reads Arabic
    french: User  # a focal point of State A who reads French
    updated: dt.datetime


def stale_world(state_a: State) -> StaleWorld:
    world = make_world(state_a)
    arabic = make_person("fp-ar@example.org", state=state_a.code,
                         role=Membership.Role.FOCAL_POINT)
    french = make_person("fp-fr@example.org", state=state_a.code,
                         role=Membership.Role.FOCAL_POINT)
    User.objects.filter(pk=arabic.pk).update(language="ar")
    User.objects.filter(pk=french.pk).update(language="fr")
    updated = age_entries(state_a)
    return StaleWorld(world=world, state=state_a, arabic=arabic, french=french, updated=updated)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Queued tasks run at once, in the test's transaction. The database backend's worker
    closes the connection it finds inside a transaction (on PostgreSQL, the test's own), so
    ``test_two_workers`` runs the real queue and worker on a committed database instead."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def stale(state_a: State) -> StaleWorld:
    return stale_world(state_a)


@pytest.fixture
def world(state_a: State) -> World:
    return make_world(state_a)
