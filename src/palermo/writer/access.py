"""Who may see and do what with request drafts — the only place that decides it.

A draft is seen by its author; by the colleagues it is shared with, while they still work at
the authority making the request; and, once submitted, by the reviewers of the requesting
State (a reviewer membership without an authority reviews all of that State's requests; with
one, the requests its central authority transmits). Nobody else — not the secretariat, not a
focal point — sees it: what a user may not see answers exactly like what does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from palermo.accounts.models import Membership

from .models import Draft, Status

REVIEWABLE = (Status.IN_REVIEW, Status.RETURNED, Status.APPROVED)
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


@dataclass
class Roles:
    """A user's memberships as the writer needs them (read once per request)."""

    states: set[int] = field(default_factory=set)
    authorities: set[int] = field(default_factory=set)
    reviewer_states: set[int] = field(default_factory=set)  # reviews all of a State's
    reviewer_authorities: set[int] = field(default_factory=set)


def roles_of(user: Any) -> Roles:
    if not _signed_in(user):
        return Roles()
    cached = getattr(user, "_palermo_writer_roles", None)
    if cached is not None:
        return cached
    roles = Roles()
    for state_id, role, authority_id in user.memberships.values_list(
            "state_id", "role", "authority_id"):
        roles.states.add(state_id)
        if authority_id:
            roles.authorities.add(authority_id)
        if role == Membership.Role.REVIEWER:
            if authority_id:
                roles.reviewer_authorities.add(authority_id)
            else:
                roles.reviewer_states.add(state_id)
    user._palermo_writer_roles = roles
    return roles


def _reviewer_q(roles: Roles) -> Q:
    return Q(status__in=REVIEWABLE) & (
        Q(requesting_state_id__in=roles.reviewer_states)
        | Q(central_authority_id__in=roles.reviewer_authorities))


def drafts_visible_to(user: Any) -> QuerySet[Draft]:
    if not _signed_in(user):
        return Draft.objects.none()
    roles = roles_of(user)
    shared = Draft.shared_with.through.objects.filter(user_id=user.pk).values("draft_id")
    return Draft.objects.filter(
        Q(author_id=user.pk)
        | (Q(pk__in=shared) & Q(requesting_authority_id__in=roles.authorities))
        | _reviewer_q(roles))


def get_draft_for_user(user: Any, pk: int) -> Draft:
    try:
        return drafts_visible_to(user).select_related(
            "author", "requesting_state", "requesting_authority", "central_authority",
            "requested_state", "requested_authority", "drafting_language",
        ).get(pk=pk)
    except Draft.DoesNotExist as exc:
        raise Http404 from exc


def is_reviewer(user: Any, draft: Draft) -> bool:
    roles = roles_of(user)
    return (draft.requesting_state_id in roles.reviewer_states
            or (draft.central_authority_id is not None
                and draft.central_authority_id in roles.reviewer_authorities))


def is_writer(user: Any, draft: Draft) -> bool:
    """The author, or a colleague it is shared with (still at the requesting authority)."""
    if not _signed_in(user):
        return False
    if draft.author_id == user.pk:
        return True
    return (draft.requesting_authority_id in roles_of(user).authorities
            and draft.shared_with.filter(pk=user.pk).exists())


def may_edit(user: Any, draft: Draft) -> bool:
    return draft.status in EDITABLE and is_writer(user, draft)


def may_share(user: Any, draft: Draft) -> bool:
    return _signed_in(user) and draft.author_id == user.pk


def may_review(user: Any, draft: Draft) -> bool:
    return draft.status == Status.IN_REVIEW and is_reviewer(user, draft)


def may_set_translation(user: Any, draft: Draft) -> bool:
    """As :func:`services.translation_set` allows: its writers while they may edit it, its
    reviewers once it is submitted."""
    return may_edit(user, draft) or (is_reviewer(user, draft) and draft.status in REVIEWABLE)


def drafts_awaiting_review(user: Any) -> QuerySet[Draft]:
    """The requests awaiting this reviewer's review (submitted, not yet returned or
    approved), among those the reviewer sees."""
    return drafts_visible_to(user).filter(_reviewer_q(roles_of(user)), status=Status.IN_REVIEW)


def may_write_requests(user: Any) -> bool:
    """Anyone with a role for a State may draft requests from it."""
    return bool(roles_of(user).states)


def colleagues_of(user: Any, draft: Draft) -> QuerySet[Any]:
    """Whom the author may share a draft with: people at the requesting authority."""
    from palermo.accounts.models import User

    if draft.requesting_authority_id is None:
        return User.objects.none()
    return (User.objects.filter(is_active=True,
                                memberships__authority_id=draft.requesting_authority_id)
            .exclude(pk=draft.author_id).distinct().order_by("last_name", "first_name", "email"))
