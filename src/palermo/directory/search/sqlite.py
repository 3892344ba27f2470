"""SQLite: an FTS5 table with the trigram tokenizer, next to the entries table.

The FTS5 table (created by migration 0002 on SQLite only) holds one row per authority, its
rowid being the authority's primary key, and the normalized document. A phrase query for each
term of three or more characters finds substrings in any script, Chinese included; shorter
terms fall back to a scan of the entries (FTS5 cannot look them up). SQLite 3.40 has no
``remove_diacritics`` for trigram tables, so the text arrives already normalized.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.db.models.expressions import RawSQL

from .base import TRIGRAM, contains
from .document import Document

FTS_TABLE = "directory_authority_fts"


def phrase(term: str) -> str:
    """An FTS5 string literal: whatever the term holds, it is matched as text, not syntax."""
    return '"' + term.replace('"', '""') + '"'


class SQLiteBackend:
    vendor = "sqlite"

    def matches(self, terms: Sequence[str]) -> Q:
        condition = Q()
        indexed = [term for term in terms if len(term) >= TRIGRAM]
        if indexed:
            # Constant SQL; the query travels as a bound parameter, its terms quoted as
            # phrases, so FTS5 operators in it are only text.
            condition &= Q(pk__in=RawSQL(  # noqa: S611
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                (" ".join(phrase(term) for term in indexed),),
            ))
        for term in terms:
            if len(term) < TRIGRAM:
                condition &= contains(term)
        return condition

    def write(self, cursor: Any, documents: Sequence[Document]) -> None:
        self.forget(cursor, [document.authority_id for document in documents])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, document) VALUES (%s, %s)",  # noqa: S608
            [(document.authority_id, document.document) for document in documents],
        )

    def forget(self, cursor: Any, pks: Sequence[int]) -> None:
        for start in range(0, len(pks), 500):
            chunk = list(pks[start:start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def clear(self, cursor: Any) -> None:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
