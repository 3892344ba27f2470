"""Writing the search index: one entry per authority, and the backend's own index if any.

Signals call :func:`schedule` whenever an authority, its designations, its accepted languages,
its State or an instrument changes; ``palermo reindex_directory`` calls :func:`reindex_all`.
Inside :func:`indexing_deferred` the work is collected and done once, at the end, which is
what bulk loads (demo data, imports) should use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from palermo.core import pagecache
from palermo.directory.models import Authority, AuthoritySearchEntry, Designation

from .base import Backend
from .document import Document, build_documents
from .postgres import PostgresBackend
from .sqlite import SQLiteBackend

BATCH = 500
BACKENDS: dict[str, Backend] = {"sqlite": SQLiteBackend(), "postgresql": PostgresBackend()}


def backend_for(vendor: str) -> Backend:
    try:
        return BACKENDS[vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Directory search supports SQLite and PostgreSQL, not {vendor}.") from None


def backend() -> Backend:
    """The backend of the default database."""
    return backend_for(connection.vendor)


def _write(documents: list[Document]) -> None:
    AuthoritySearchEntry.objects.bulk_create(
        [AuthoritySearchEntry(authority_id=document.authority_id, names=document.names,
                              document=document.document) for document in documents],
        update_conflicts=True, unique_fields=["authority"], update_fields=["names", "document"],
    )
    with connection.cursor() as cursor:
        backend().write(cursor, documents)
    pagecache.changed()  # search results read this index: the cached pages are stale


def forget(pks: Iterable[int]) -> None:
    """Remove authorities from the index (their entries go with them when they are deleted)."""
    pks = sorted(set(pks))
    if not pks:
        return
    with transaction.atomic():
        AuthoritySearchEntry.objects.filter(authority_id__in=pks).delete()
        with connection.cursor() as cursor:
            backend().forget(cursor, pks)


def reindex_authorities(pks: Iterable[int]) -> None:
    """Rebuild the entries of these authorities; those that no longer exist are removed."""
    pks = sorted(set(pks))
    if not pks:
        return
    with transaction.atomic():
        for start in range(0, len(pks), BATCH):
            chunk = pks[start:start + BATCH]
            documents = build_documents(Authority, Designation, chunk)
            found = {document.authority_id for document in documents}
            forget(pk for pk in chunk if pk not in found)
            if documents:
                _write(documents)


def reindex_authority(pk: int) -> None:
    reindex_authorities([pk])


def reindex_all() -> int:
    """Rebuild the whole index; returns the number of authorities indexed."""
    with transaction.atomic():
        AuthoritySearchEntry.objects.all().delete()
        with connection.cursor() as cursor:
            backend().clear(cursor)
        pks = list(Authority.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            _write(build_documents(Authority, Designation, pks[start:start + BATCH]))
    return len(pks)


class _Deferred(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.pending: set[int] = set()


_deferred = _Deferred()


def schedule(pks: Iterable[int]) -> None:
    """Reindex these authorities now, or at the end of the current :func:`indexing_deferred`."""
    if _deferred.depth:
        _deferred.pending.update(pks)
    else:
        reindex_authorities(pks)


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Collect the reindexing that signals ask for and do it once, when the block ends."""
    _deferred.depth += 1
    completed = False
    try:
        yield
        completed = True
    finally:
        _deferred.depth -= 1
        if not _deferred.depth:
            pending, _deferred.pending = _deferred.pending, set()
            if completed:
                reindex_authorities(pending)


def index_authorities(pks: Iterable[int]) -> int:
    """Index authorities written in bulk (``bulk_create`` sends no signals); returns how many.

    For loads of new authorities, such as the demo data: in batches, two reads and two writes
    each, without looking for entries to remove first.
    """
    pks = sorted(set(pks))
    with transaction.atomic():
        for start in range(0, len(pks), BATCH):
            _write(build_documents(Authority, Designation, pks[start:start + BATCH]))
    return len(pks)
