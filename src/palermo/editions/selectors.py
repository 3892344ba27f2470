"""Reads of printed editions. A restricted edition is for readers who may see restricted
entries (:func:`palermo.directory.access.sees_restricted`); to anyone else it does not exist."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from palermo.directory import access
from palermo.reference.models import RegionalGroup, State

from .models import Edition


def with_scope_names(editions: list[Edition]) -> list[Edition]:
    """Set ``scope_name``: the State's or regional group's name (two queries at most)."""
    codes: dict[str, set[str]] = defaultdict(set)
    for edition in editions:
        codes[edition.scope].add(edition.scope_code)
    names: dict[tuple[str, str], str] = {}
    if codes.get(Edition.Scope.STATE):
        for state in State.objects.filter(code__in=codes[Edition.Scope.STATE]):
            names[(Edition.Scope.STATE, state.code)] = state.name
    if codes.get(Edition.Scope.GROUP):
        for group in RegionalGroup.objects.filter(code__in=codes[Edition.Scope.GROUP]):
            names[(Edition.Scope.GROUP, group.code)] = group.name
    for edition in editions:
        setattr(edition, "scope_name",  # noqa: B010 - an attribute for templates only
                names.get((edition.scope, edition.scope_code), edition.scope_code))
    return editions


def editions_visible_to(user: Any) -> QuerySet[Edition]:
    editions = Edition.objects.all()
    if not access.sees_restricted(user):
        editions = editions.filter(restricted=False)
    return editions


def get_edition_for_user(user: Any, pk: str) -> Edition:
    try:
        key = uuid.UUID(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    edition = editions_visible_to(user).filter(pk=key).first()
    if edition is None:
        raise Http404
    return with_scope_names([edition])[0]


def recent_editions(user: Any, limit: int = 10) -> list[Edition]:
    return with_scope_names(
        list(editions_visible_to(user).exclude(status=Edition.Status.FAILED)[:limit]))
