"""Reads of printed editions. A restricted edition is for readers who may see restricted
entries (:func:`palermo.directory.access.sees_restricted`); to anyone else it does not exist."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from palermo.directory import access

from .models import Edition


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
    return edition


def recent_editions(user: Any, limit: int = 10) -> list[Edition]:
    return list(editions_visible_to(user).exclude(status=Edition.Status.FAILED)[:limit])
