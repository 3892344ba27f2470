"""Full-text search of the directory: one interface, a backend chosen by the database.

- :func:`search` runs a search as a user may see it (visibility through the access layer) and
  returns one page of hits, the facet counts and any notices about the input.
- :func:`normalize` is the single normalization of indexed text and of queries.
- :func:`reindex_authority`, :func:`reindex_authorities`, :func:`reindex_all` and
  :func:`indexing_deferred` write the index; :func:`connect_signals` (called from the app's
  ``ready()``) keeps it current as authorities, designations, languages, States and instruments
  change; ``palermo reindex_directory`` rebuilds it.

Backends: SQLite FTS5 with the trigram tokenizer (:mod:`.sqlite`), PostgreSQL with pg_trgm GIN
indexes (:mod:`.postgres`). Both match substrings of the same normalized text, every word of
the query being required, so they find the same authorities.
"""

from __future__ import annotations

from .document import normalize
from .index import (
    backend,
    backend_for,
    forget,
    indexing_deferred,
    reindex_all,
    reindex_authorities,
    reindex_authority,
)
from .query import (
    PAGE_SIZE,
    Facet,
    FacetOption,
    Hit,
    SearchParams,
    SearchResult,
    SelectedFilter,
)
from .query import run as search

__all__ = [
    "PAGE_SIZE",
    "Facet",
    "FacetOption",
    "Hit",
    "SearchParams",
    "SearchResult",
    "SelectedFilter",
    "backend",
    "backend_for",
    "connect_signals",
    "forget",
    "indexing_deferred",
    "normalize",
    "reindex_all",
    "reindex_authorities",
    "reindex_authority",
    "search",
]


def connect_signals() -> None:
    from .signals import connect

    connect()
