"""Fixtures for the browser tests: a real Chromium driven by Playwright against a live server.

The browser tests run against pytest-django's ``live_server``, which needs a transactional
database: it is flushed after each test, so the reference data is loaded again for each one,
and loaded back once more after the last browser test for the tests that run after them.

Chromium is found at ``$PALERMO_CHROMIUM``, ``/usr/bin/chromium`` or on the ``PATH``. Without
it the browser tests are skipped on a laptop (loudly) and fail in CI (``CI=true``): they must
never be skipped silently where they are meant to guard a merge.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from django.core.management import call_command

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page
    from pytest_django import DjangoDbBlocker

BROWSER_TESTS = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HOW_TO_INSTALL = (
    "Install Chromium (Debian/Ubuntu: `apt-get install chromium`) or point PALERMO_CHROMIUM "
    "at a Chromium executable, and install the dev extras (`pip install -e '.[dev]'`)."
)


# Playwright's sync API runs an asyncio event loop in the test thread while the browser runs,
# and Django then refuses ORM calls from that thread (SynchronousOnlyOperation). The tests call
# the ORM only between browser actions, never concurrently with them, so the documented
# workaround for Playwright applies: DJANGO_ALLOW_ASYNC_UNSAFE. It is set only while a browser
# test is set up, run and torn down, not for the whole process: there it would leak into the
# other tests and into the subprocesses they start (where `check --deploy` rightly reports it
# as async.E001).
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

# Where a browser test keeps the database blocker, to load the reference data back after it.
_db_blocker_key = pytest.StashKey["DjangoDbBlocker"]()


@contextmanager
def _async_unsafe_allowed() -> Iterator[None]:
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


def _is_browser_test(item: pytest.Item | None) -> bool:
    return item is not None and Path(item.path).resolve().is_relative_to(BROWSER_TESTS)


# These hooks, being in this conftest, run only for the tests of this directory.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    with _async_unsafe_allowed():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    with _async_unsafe_allowed():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None,
) -> Generator[None, None, None]:
    with _async_unsafe_allowed():
        try:
            return (yield)
        finally:
            # The teardown flushed the database. The other tests rely on the reference data
            # that tests/conftest.py loads once per session: load it back for them.
            blocker = item.stash.get(_db_blocker_key, None)
            if nextitem is not None and not _is_browser_test(nextitem) and blocker is not None:
                with blocker.unblock():
                    call_command("load_reference", verbosity=0, stdout=io.StringIO())


def _is_executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def _chromium_path() -> tuple[str | None, str]:
    """The Chromium to drive, or None and the reason why there is none."""
    configured = os.environ.get("PALERMO_CHROMIUM", "").strip()
    if configured:
        if _is_executable(configured):
            return configured, ""
        return None, f"PALERMO_CHROMIUM={configured!r} is not an executable file"
    if _is_executable("/usr/bin/chromium"):
        return "/usr/bin/chromium", ""
    found = shutil.which("chromium")
    if found:
        return found, ""
    return None, "no Chromium found (PALERMO_CHROMIUM, /usr/bin/chromium, chromium on the PATH)"


def _cannot_run(reason: str) -> NoReturn:
    """Fail in CI, skip loudly elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Browser tests cannot run in CI: {reason}. {HOW_TO_INSTALL}", pytrace=False)
    pytest.skip(f"!!! BROWSER TESTS WERE NOT RUN: {reason}. {HOW_TO_INSTALL} !!!")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for all the browser tests.

    It lives as long as the tests of this package (run one after the other, as transactional
    tests, by pytest-django), not the whole session: Playwright's event loop runs in the test
    thread for as long as the browser does, and any test after it that used the ORM would
    then fail with SynchronousOnlyOperation.
    """
    executable, reason = _chromium_path()
    if executable is None:
        _cannot_run(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _cannot_run("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def reference_data(live_server: Any, transactional_db: None) -> None:
    """The real reference data, loaded into the (flushed after each test) live database.

    This overrides the project-wide fixture of the same name, so that the personas of
    ``tests.personas`` find their States in browser tests too.
    """
    call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _browser_test_database(
    request: pytest.FixtureRequest, reference_data: None, django_db_blocker: DjangoDbBlocker,
) -> None:
    """Every browser test gets the live server and the reference data."""
    request.node.stash[_db_blocker_key] = django_db_blocker


def _new_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(locale="en-GB", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    browser_context = _new_context(browser)
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    """A page in a browser context with JavaScript switched off."""
    browser_context = _new_context(browser, java_script_enabled=False)
    yield browser_context.new_page()
    browser_context.close()


@pytest.fixture
def base_url(live_server: Any) -> str:
    return str(live_server.url)
