"""Writes to accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from palermo.reference.models import State

from .models import Membership, User


@transaction.atomic
def user_ensure(
    *, email: str, first_name: str = "", last_name: str = "", password: str | None = None,
    is_secretariat: bool = False, language: str = "en",
) -> User:
    """Create the user with this e-mail address, or update the one that exists."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, username=email)
    user.first_name = first_name
    user.last_name = last_name
    user.is_secretariat = is_secretariat
    user.is_staff = is_secretariat
    user.language = language
    if password is not None:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    if is_secretariat:
        user.groups.add(secretariat_group())
    else:
        user.groups.remove(*Group.objects.filter(name=SECRETARIAT_GROUP))
    return user


SECRETARIAT_GROUP = "Secretariat"
SECRETARIAT_APPS = ["reference", "accounts", "directory"]


def secretariat_group() -> Group:
    """The group whose permissions let the secretariat manage reference data and accounts."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS)
    if group.permissions.count() != wanted.count():
        group.permissions.set(wanted)
    return group


@transaction.atomic
def membership_grant(*, user: User, state: State, role: str) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, state=state, role=role)
    membership.full_clean()
    return membership
