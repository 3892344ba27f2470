"""What a search backend does. The backend is chosen by the database: :func:`backend_for`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.db.models import Q

from .document import Document

# The shortest term a trigram index can look up; shorter terms are matched by a scan.
TRIGRAM = 3


class Backend(Protocol):
    vendor: str

    def matches(self, terms: Sequence[str]) -> Q:
        """A filter on authorities whose document contains every (normalized) term."""

    def write(self, cursor: Any, documents: Sequence[Document]) -> None:
        """Bring the backend's own index up to date after the entries were written."""

    def forget(self, cursor: Any, pks: Sequence[int]) -> None:
        """Remove authorities from the backend's own index."""

    def clear(self, cursor: Any) -> None:
        """Empty the backend's own index."""


def contains(term: str) -> Q:
    """A plain substring match on the stored document: the same SQL on every database."""
    return Q(search_entry__document__contains=term)
