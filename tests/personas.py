"""The personas of quality.md, as pytest fixtures.

State A is Mexico and State B is France: real States from the reference data. The people are
fictional test accounts.
"""

from __future__ import annotations

import pytest
from django.test import Client

from palermo.accounts.models import Membership, User
from palermo.accounts.services import membership_grant, user_ensure
from palermo.reference.models import State

PASSWORD = "correct horse battery staple"
STATE_A = "MEX"
STATE_B = "FRA"


def _person(email: str, *, state: str | None = None, role: str | None = None,
            secretariat: bool = False) -> User:
    user = user_ensure(email=email, password=PASSWORD, is_secretariat=secretariat,
                       first_name="Test", last_name=email.split("@")[0])
    if state and role:
        membership_grant(user=user, state=State.objects.get(code=state), role=role)
    return user


@pytest.fixture
def state_a(reference_data: None) -> State:
    return State.objects.get(code=STATE_A)


@pytest.fixture
def state_b(reference_data: None) -> State:
    return State.objects.get(code=STATE_B)


@pytest.fixture
def practitioner_a(reference_data: None) -> User:
    return _person("practitioner-a@example.org", state=STATE_A,
                   role=Membership.Role.PRACTITIONER)


@pytest.fixture
def focal_point_a(reference_data: None) -> User:
    return _person("focal-a@example.org", state=STATE_A, role=Membership.Role.FOCAL_POINT)


@pytest.fixture
def focal_point_b(reference_data: None) -> User:
    return _person("focal-b@example.org", state=STATE_B, role=Membership.Role.FOCAL_POINT)


@pytest.fixture
def secretariat(reference_data: None) -> User:
    return _person("secretariat@example.org", secretariat=True)


PERSONAS = ["anonymous", "practitioner_a", "focal_point_a", "focal_point_b", "secretariat"]


@pytest.fixture(params=PERSONAS)
def persona(request: pytest.FixtureRequest) -> tuple[str, User | None]:
    """Each persona in turn: (name, user or None for anonymous)."""
    name: str = request.param
    if name == "anonymous":
        return name, None
    return name, request.getfixturevalue(name)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
