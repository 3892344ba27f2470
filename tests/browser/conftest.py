"""Fixtures for the browser tests: a real Chromium driven by Playwright against a live server.

The browser tests run against pytest-django's ``live_server``, which needs a transactional
database: it is flushed after each test, so the reference data is loaded again for each one.

Chromium is found at ``$PALERMO_CHROMIUM``, ``/usr/bin/chromium`` or on the ``PATH``. Without
it the browser tests are skipped on a laptop (loudly) and fail in CI (``CI=true``): they must
never be skipped silently where they are meant to guard a merge.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

# Playwright's sync API runs an asyncio event loop in this thread, and Django then refuses ORM
# calls from it (SynchronousOnlyOperation). The tests call the ORM only between browser
# actions, never concurrently with them: this is the documented workaround for Playwright.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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


def _chromium_path() -> str | None:
    candidates = [os.environ.get("PALERMO_CHROMIUM", ""), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def _cannot_run(reason: str) -> None:
    """Fail in CI, skip loudly elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Browser tests cannot run in CI: {reason}. {HOW_TO_INSTALL}", pytrace=False)
    pytest.skip(
        f"!!! BROWSER TESTS WERE NOT RUN: {reason}. {HOW_TO_INSTALL} !!!"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    executable = _chromium_path()
    if executable is None:
        _cannot_run("no Chromium found (PALERMO_CHROMIUM, /usr/bin/chromium, PATH)")
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
def _browser_test_database(reference_data: None) -> None:
    """Every browser test gets the live server and the reference data."""


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
