"""Who may see and manage which memberships and invitations.

The secretariat manages every State's; a focal point manages its own State's. Everyone else
manages nothing, and what they may not see answers exactly like what does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from palermo.reference.models import State

from .models import Invitation, Membership


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def focal_point_state_ids(user: Any) -> set[int]:
    """The States this user is a focal point of (cached on the user for the request)."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_palermo_focal_point_states", None)
    if cached is None:
        cached = set(user.memberships.filter(role=Membership.Role.FOCAL_POINT)
                     .values_list("state_id", flat=True))
        user._palermo_focal_point_states = cached
    return set(cached)


def manages_accounts(user: Any) -> bool:
    """The secretariat, or a focal point of some State."""
    if not _signed_in(user):
        return False
    return bool(user.is_secretariat or focal_point_state_ids(user))


def memberships_visible_to(user: Any) -> QuerySet[Membership]:
    qs = Membership.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_secretariat:
        return qs
    return qs.filter(state_id__in=focal_point_state_ids(user))


def get_membership_for_user(user: Any, pk: int) -> Membership:
    try:
        return memberships_visible_to(user).select_related("user", "state").get(pk=pk)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def invitations_visible_to(user: Any) -> QuerySet[Invitation]:
    qs = Invitation.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_secretariat:
        return qs
    return qs.filter(state_id__in=focal_point_state_ids(user))


def get_invitation_for_user(user: Any, pk: int) -> Invitation:
    try:
        return invitations_visible_to(user).select_related("state").get(pk=pk)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


def invitable_states(user: Any) -> QuerySet[State]:
    """The States this user may invite people for."""
    if not _signed_in(user):
        return State.objects.none()
    if user.is_secretariat:
        return State.objects.all()
    return State.objects.filter(pk__in=focal_point_state_ids(user))


def invitable_roles(user: Any) -> list[str]:
    """The secretariat invites any role; a focal point, editors, practitioners and reviewers of
    requests for its State. Experts are invited from the reporting response they are to help
    answer, by its State's focal points (``palermo.reporting.access``), never here."""
    if not _signed_in(user):
        return []
    if user.is_secretariat:
        return [role for role in Invitation.Role.values if role != Invitation.Role.EXPERT]
    if focal_point_state_ids(user):
        return [Invitation.Role.EDITOR, Invitation.Role.PRACTITIONER, Invitation.Role.REVIEWER]
    return []


def may_invite(user: Any, *, state: State | None, role: str) -> bool:
    if role not in invitable_roles(user):
        return False
    if role == Invitation.Role.SECRETARIAT:
        return state is None
    return state is not None and (user.is_secretariat or state.pk in focal_point_state_ids(user))
