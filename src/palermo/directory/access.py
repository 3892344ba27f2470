"""Who may see what in the directory (decision 3/2 g(v)). Every read of a protected model
goes through here: pages, API, search, counts, facets, exports, vCards and history.

Public entries are for everyone. Restricted entries are for signed-in practitioners, editors
and focal points of any State, and for the secretariat. What someone may not see answers
exactly like what does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from palermo.accounts.models import Membership
from palermo.core.models import Visibility

from .models import Authority, ContactPerson, ProfileSection


def sees_restricted(user: Any) -> bool:
    """Signed in, and either secretariat or holding a role for some State."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_secretariat:
        return True
    cached = getattr(user, "_palermo_sees_restricted", None)
    if cached is None:
        _read_roles(user)  # one query answers this and may_edit_state
        cached = user._palermo_sees_restricted
    return bool(cached)


def authorities_visible_to(user: Any) -> QuerySet[Authority]:
    qs = Authority.objects.all()
    if not sees_restricted(user):
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs


def contacts_visible_to(user: Any) -> QuerySet[ContactPerson]:
    """A contact is seen when both it and its authority may be seen."""
    qs = ContactPerson.objects.all()
    if not sees_restricted(user):
        qs = qs.filter(visibility=Visibility.PUBLIC, authority__visibility=Visibility.PUBLIC)
    return qs


def profile_sections_visible_to(user: Any) -> QuerySet[ProfileSection]:
    qs = ProfileSection.objects.all()
    if not sees_restricted(user):
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs


def public_only(user: Any) -> Q | None:
    """A filter to add to queries that join authorities, or None when all may be seen."""
    return None if sees_restricted(user) else Q(visibility=Visibility.PUBLIC)


def authority_is_visible(user: Any, authority: Authority) -> bool:
    """The rule of :func:`authorities_visible_to`, for an authority already read (a parent)."""
    return authority.visibility == Visibility.PUBLIC or sees_restricted(user)


def get_authority_for_user(user: Any, pk: int, prefetch: tuple[str, ...] = ()) -> Authority:
    try:
        return (authorities_visible_to(user).select_related("state", "parent")
                .prefetch_related(*prefetch).get(pk=pk))
    except Authority.DoesNotExist as exc:
        raise Http404 from exc


EDITING_ROLES = (Membership.Role.EDITOR, Membership.Role.FOCAL_POINT)


def may_edit_state(user: Any, state: Any) -> bool:
    """Who may change a State's entries: its focal points and editors, and the secretariat.

    ``state`` None stands for what belongs to no State (the resources): the secretariat only.
    The one rule for editing, used by the editing pages and by the services that write.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_secretariat:
        return True
    if state is None:
        return False
    editable = getattr(user, "_palermo_edits_states", None)
    if editable is None:
        editable = _read_roles(user)
    state_id = state if isinstance(state, int) else state.pk
    return state_id in editable


def _read_roles(user: Any) -> set[int]:
    """Read the user's roles once: whether they see restricted entries, which States they edit."""
    roles = list(user.memberships.values_list("state_id", "role"))
    editable = {state_id for state_id, role in roles if role in EDITING_ROLES}
    user._palermo_edits_states = editable
    user._palermo_sees_restricted = bool(roles)
    return editable
