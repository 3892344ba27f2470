"""Writes to accounts."""

from __future__ import annotations

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
    return user


@transaction.atomic
def membership_grant(*, user: User, state: State, role: str) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, state=state, role=role)
    membership.full_clean()
    return membership
