"""Run a task in several threads at the same moment, as several workers would.

Each thread has its own database connection, so the data it reads must be committed (tests
using this need a transactional database). The in-memory SQLite database of the test run locks
whole tables between connections and says "database table is locked" at once instead of
waiting, as a file database (with its busy timeout) and PostgreSQL do; a worker that meets that
error runs again, as the next scheduled run would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import OperationalError, connections

ATTEMPTS = 50


def run_at_once(task: Callable[[], Any], workers: int = 2) -> list[Any]:
    """What ``task`` returned in each thread, or the exception it raised (for the caller's
    assertion), once all have finished."""
    start = threading.Barrier(workers)
    results: list[Any] = []

    def worker() -> None:
        start.wait()
        try:
            for _ in range(ATTEMPTS):
                try:
                    results.append(task())
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
            raise AssertionError("the database stayed locked")
        except Exception as exc:  # reported by the caller's assertion
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
