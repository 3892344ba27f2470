"""PostgreSQL: the entries table itself, with trigram GIN indexes (pg_trgm).

Migration 0002 creates, on PostgreSQL only, the ``pg_trgm`` extension and GIN indexes with
``gin_trgm_ops`` on the normalized ``document`` and ``names``. A ``LIKE '%term%'`` for each
term then uses the index for terms of three or more characters and scans for shorter ones,
which is what the SQLite backend does: both find substrings of the same normalized text.
There is nothing to write besides the entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from .base import contains
from .document import Document


class PostgresBackend:
    vendor = "postgresql"

    def matches(self, terms: Sequence[str]) -> Q:
        condition = Q()
        for term in terms:
            condition &= contains(term)
        return condition

    def write(self, cursor: Any, documents: Sequence[Document]) -> None:
        """The trigram indexes follow the entries table."""

    def forget(self, cursor: Any, pks: Sequence[int]) -> None:
        """The entries go with their authority (ON DELETE CASCADE, emulated by Django)."""

    def clear(self, cursor: Any) -> None:
        """Nothing besides the entries."""
