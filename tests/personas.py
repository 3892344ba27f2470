"""The personas of quality.md, as pytest fixtures.

State A is Mexico and State B is France: real States from the reference data. The people are
fictional test accounts. Their addresses are verified, and those whose roles change data
(editors, focal points, the secretariat) have an authenticator app with TOTP_SECRET, as the
second-factor guard requires; tests of the guard itself make people without one.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from palermo.accounts.models import Membership, User
from palermo.accounts.services import membership_grant, second_factor_set_totp, user_ensure
from palermo.reference.models import State

PASSWORD = "correct horse battery staple"
STATE_A = "MEX"
STATE_B = "FRA"
TOTP_SECRET = "TESTTOTPSECRETFORPERSONAS2345672"  # base32, fictional


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app with this secret shows now."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def make_person(email: str, *, state: str | None = None, role: str | None = None,
                secretariat: bool = False, second_factor: bool | None = None) -> User:
    """A verified account; ``second_factor`` defaults to what the role requires."""
    user = user_ensure(email=email, password=PASSWORD, is_secretariat=secretariat,
                       first_name="Test", last_name=email.split("@")[0], email_verified=True)
    if state and role:
        membership_grant(user=user, state=State.objects.get(code=state), role=role)
    if second_factor is None:
        second_factor = secretariat or role in (Membership.Role.EDITOR,
                                                Membership.Role.FOCAL_POINT)
    if second_factor:
        second_factor_set_totp(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def state_a(reference_data: None) -> State:
    return State.objects.get(code=STATE_A)


@pytest.fixture
def state_b(reference_data: None) -> State:
    return State.objects.get(code=STATE_B)


@pytest.fixture
def practitioner_a(reference_data: None) -> User:
    return make_person("practitioner-a@example.org", state=STATE_A,
                       role=Membership.Role.PRACTITIONER)


@pytest.fixture
def editor_a(reference_data: None) -> User:
    return make_person("editor-a@example.org", state=STATE_A, role=Membership.Role.EDITOR)


@pytest.fixture
def focal_point_a(reference_data: None) -> User:
    return make_person("focal-a@example.org", state=STATE_A, role=Membership.Role.FOCAL_POINT)


@pytest.fixture
def focal_point_b(reference_data: None) -> User:
    return make_person("focal-b@example.org", state=STATE_B, role=Membership.Role.FOCAL_POINT)


@pytest.fixture
def reviewer_a(reference_data: None) -> User:
    """A reviewer of requests of State A's central authority (reviewers approve: second factor)."""
    return make_person("reviewer-a@example.org", state=STATE_A, role=Membership.Role.REVIEWER,
                       second_factor=True)


@pytest.fixture
def reviewer_b(reference_data: None) -> User:
    return make_person("reviewer-b@example.org", state=STATE_B, role=Membership.Role.REVIEWER,
                       second_factor=True)


@pytest.fixture
def secretariat(reference_data: None) -> User:
    return make_person("secretariat@example.org", secretariat=True)


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
