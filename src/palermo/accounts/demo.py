"""The fictional demonstration data set.

Every account it creates is marked ``is_demo``, uses an address under the reserved ``.invalid``
domain and a role name instead of a person's name, so it can never be taken for a real official.
It attaches demo accounts to real States: the States themselves stay real reference data.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from palermo.reference.models import State

from .models import Membership, User

DEMO_DOMAIN = "demo.palermo.invalid"
DEMO_PASSWORD = "palermo-demo"  # noqa: S105 - documented fictional demo accounts only
# The authenticator-app secret of every demo account that changes data (README, "Demo accounts").
DEMO_TOTP_SECRET = "PALERMODEMOFICTIONALSECRETONLY23"  # noqa: S105 - documented, fictional
DEMO_STATES = ["MEX", "FRA", "NGA", "CHN", "RUS", "EGY", "ESP", "IND"]
ROLES = [Membership.Role.FOCAL_POINT, Membership.Role.EDITOR, Membership.Role.PRACTITIONER]
STATE_LANGUAGE = {"MEX": "es", "FRA": "fr", "CHN": "zh-hans", "RUS": "ru", "EGY": "ar",
                  "ESP": "es"}


class DemoNotAllowed(Exception):
    pass


@dataclass
class DemoReport:
    users_created: int = 0
    memberships_created: int = 0


def _demo_user(email: str, first_name: str, last_name: str, language: str,
               password_hash: str, secretariat: bool = False,
               role_changes_data: bool = False) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User(email=email, username=email, first_name=first_name, last_name=last_name,
                language=language, is_secretariat=secretariat, is_staff=secretariat,
                is_demo=True)
    # One hash for every demo account: hashing is slow by design, and benchmarks make thousands.
    user.password = password_hash
    user.full_clean()
    user.save()
    # The address is fictional (.invalid): it is taken as verified, as no mail can reach it.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if secretariat or role_changes_data:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                     data={"secret": encrypt(DEMO_TOTP_SECRET)})
    return user, True


@transaction.atomic
def create_demo_data(*, scale: int = 1, all_states: bool = False) -> DemoReport:
    """Create (or complete) the demo set; ``scale`` accounts per role and State."""
    if not settings.PALERMO_DEMO_ALLOWED:
        raise DemoNotAllowed("Demo data is switched off in this installation (PALERMO_DEMO).")
    report = DemoReport()
    password_hash = make_password(DEMO_PASSWORD)
    _user, created = _demo_user(f"secretariat@{DEMO_DOMAIN}", "Demo", "Secretariat", "en",
                                password_hash, secretariat=True)
    report.users_created += created
    states = State.objects.all() if all_states else State.objects.filter(code__in=DEMO_STATES)
    existing = set(
        Membership.objects.filter(user__is_demo=True).values_list("user__email", "state_id", "role")
    )
    for state in states:
        language = STATE_LANGUAGE.get(state.code, "en")
        for role in ROLES:
            for number in range(1, scale + 1):
                suffix = "" if number == 1 else f"-{number}"
                email = f"{role.replace('_', '-')}{suffix}.{state.code.lower()}@{DEMO_DOMAIN}"
                if (email, state.pk, role) in existing:
                    continue
                user, created = _demo_user(email, "Demo", f"{role.label} ({state.code}){suffix}",
                                           language, password_hash,
                                           role_changes_data=role != Membership.Role.PRACTITIONER)
                report.users_created += created
                Membership.objects.create(user=user, state=state, role=role)
                report.memberships_created += 1
    return report
