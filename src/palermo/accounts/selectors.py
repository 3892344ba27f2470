"""Reads of accounts, through the access layer."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from palermo.directory.access import authorities_visible_to
from palermo.directory.models import Authority
from palermo.reference.models import State

from . import access
from .models import Invitation, Membership


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("state", "authority")


def memberships_managed_by(user: Any, *, state: State | None = None) -> QuerySet[Membership]:
    """The memberships this user may see and revoke, optionally of one State."""
    qs = access.memberships_visible_to(user)
    if state is not None:
        qs = qs.filter(state=state)
    return qs.select_related("user", "state", "authority").order_by(
        "state__code", "role", "user__email")


def authorities_by_state(user: Any, state_ids: Iterable[int]) -> dict[int, list[Authority]]:
    """The authorities this user sees of these States, by State, in one query (the choices of
    the memberships page)."""
    grouped: dict[int, list[Authority]] = {}
    for authority in (authorities_visible_to(user).filter(state_id__in=set(state_ids))
                      .order_by("state_id", "name")):
        grouped.setdefault(authority.state_id, []).append(authority)
    return grouped


def states_with_memberships(user: Any) -> QuerySet[State]:
    """The States whose memberships this user manages and that have any (for the filter)."""
    ids = access.memberships_visible_to(user).values("state_id")
    return State.objects.filter(pk__in=ids).order_by("code")


def pending_invitations(user: Any, *, state: State | None = None) -> QuerySet[Invitation]:
    """Invitations this user may see that can still be accepted, newest first."""
    qs = access.invitations_visible_to(user).filter(
        accepted_at=None, revoked_at=None, expires_at__gt=timezone.now(),
    )
    if state is not None:
        qs = qs.filter(state=state)
    return qs.select_related("state", "invited_by", "authority", "response__cycle",
                             "response__questionnaire_version__questionnaire",
                             ).order_by("-created_at")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, if any (links carry the token, never the id)."""
    if not token or len(token) > 100:
        return None
    return (Invitation.objects.select_related(
        "state", "invited_by", "authority", "response__cycle",
        "response__questionnaire_version__questionnaire",
    ).filter(token_hash=token_hash(token)).first())


def pending_expert_invitations(response: Any) -> QuerySet[Invitation]:
    """The invitations of experts to this reporting response that can still be accepted,
    newest first (for the response's page: its caller checks who may see them)."""
    return Invitation.objects.filter(
        role=Invitation.Role.EXPERT, response=response, accepted_at=None, revoked_at=None,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by").order_by("-created_at")


def expert_invitation_of(response: Any, pk: int) -> Invitation | None:
    """The expert invitation ``pk`` to this response, whatever its status."""
    return (Invitation.objects.select_related("response", "state")
            .filter(pk=pk, role=Invitation.Role.EXPERT, response=response).first())
