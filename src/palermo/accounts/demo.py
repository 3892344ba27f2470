"""The fictional demonstration data set.

Every account it creates is marked ``is_demo``, uses an address under the reserved ``.invalid``
domain and a role name instead of a person's name, so it can never be taken for a real official.
It attaches demo accounts to real States: the States themselves stay real reference data.

Each demo State gets a focal point, an editor, a practitioner and a reviewer of requests. Once
the directory's demo authorities exist, :func:`attach_demo_authorities` gives the demo
practitioners and reviewers their State's demo central authority, so that the request writer has
colleagues to share drafts with and reviewers to send them to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from palermo.directory.models import Authority
from palermo.reference.models import State

from .models import Membership, User
from .services import second_factor_add_recovery_codes

DEMO_DOMAIN = "demo.palermo.invalid"
DEMO_PASSWORD = "palermo-demo"  # noqa: S105 - documented fictional demo accounts only
# The authenticator-app secret of every demo account that changes data (README, "Demo accounts").
DEMO_TOTP_SECRET = "PALERMODEMOFICTIONALSECRETONLY23"  # noqa: S105 - documented, fictional
DEMO_STATES = ["MEX", "FRA", "NGA", "CHN", "RUS", "EGY", "ESP", "IND"]
ROLES = [Membership.Role.FOCAL_POINT, Membership.Role.EDITOR, Membership.Role.PRACTITIONER,
         Membership.Role.REVIEWER]
# The role in a demo account's name, where the role's own label is too long for a name.
NAMES = {Membership.Role.REVIEWER: "Reviewer"}
# The demo roles that work at an authority: practitioners draft requests, reviewers review them.
AUTHORITY_ROLES = [Membership.Role.PRACTITIONER, Membership.Role.REVIEWER]
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
                name = NAMES.get(role, role.label)
                user, created = _demo_user(email, "Demo", f"{name} ({state.code}){suffix}",
                                           language, password_hash,
                                           role_changes_data=role != Membership.Role.PRACTITIONER)
                report.users_created += created
                Membership.objects.create(user=user, state=state, role=role)
                report.memberships_created += 1
    # Like real ones, the demo accounts with an authenticator app have recovery codes (also
    # those made before the demo had them).
    second_factor_add_recovery_codes(users=User.objects.filter(
        is_demo=True, authenticator__type=Authenticator.Type.TOTP))
    return report


@transaction.atomic
def attach_demo_authorities(*, states: Sequence[State]) -> int:
    """Give the demo practitioners and reviewers of these States that have no authority yet
    their State's demo central authority (its first demo authority if it has no central one).

    Run after the directory's demo data; returns how many roles were given an authority. The
    memberships' history records the change, as it would any other.
    """
    if not settings.PALERMO_DEMO_ALLOWED:
        raise DemoNotAllowed("Demo data is switched off in this installation (PALERMO_DEMO).")
    first: dict[int, int] = {}
    central: dict[int, int] = {}
    for pk, state_id, kind in (
            Authority.objects.filter(is_demo=True, state__in=list(states))
            .order_by("pk").values_list("pk", "state_id", "kind")):
        first.setdefault(state_id, pk)
        if kind == Authority.Kind.CENTRAL:
            central.setdefault(state_id, pk)
    chosen = {**first, **central}
    memberships = list(Membership.objects.filter(
        user__is_demo=True, role__in=AUTHORITY_ROLES, authority=None, state_id__in=list(chosen),
    ))
    now = timezone.now()
    for membership in memberships:
        membership.authority_id = chosen[membership.state_id]
        membership.updated_at = now
    if memberships:
        bulk_update_with_history(memberships, Membership, ["authority", "updated_at"],
                                 batch_size=500)
    return len(memberships)
