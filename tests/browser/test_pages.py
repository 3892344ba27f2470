"""Every page in a real browser: accessible, in six languages, right to left in Arabic,
usable with the keyboard and without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.personas import PASSWORD

from .a11y import assert_accessible
from .actions import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

OTHER_LANGUAGES = ["ar", "zh-hans", "fr", "ru", "es"]
RTL_LANGUAGES = {"ar"}

# (test id, path after the language prefix, whether one must be signed in)
PAGES = [
    ("home", "", False),
    ("states", "states/", False),
    ("states-filtered", "states/?instrument=untoc&status=party", False),
    ("state", "states/mex/", False),
    ("instruments", "instruments/", False),
    ("instrument", "instruments/untoc/", False),
    ("article", "instruments/untoc/articles/18/", False),
    ("sources", "sources/", False),
    ("sign-in", "account/sign-in/", False),
    ("account", "account/me/", True),
]


def _after_prefix(url: str, language: str) -> tuple[str, str]:
    """The path after the language prefix, and the query string, of this URL."""
    parts = urlsplit(url)
    prefix = f"/{language}/"
    assert parts.path.startswith(prefix), f"{url} does not start with the prefix {prefix}"
    return parts.path.removeprefix(prefix), parts.query


def _html_lang_and_dir(page: Page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


@pytest.mark.parametrize(
    ("path", "signed_in"), [(path, signed_in) for _id, path, signed_in in PAGES],
    ids=[page_id for page_id, _path, _signed_in in PAGES],
)
def test_page_is_accessible_and_reachable_in_every_language(
    page: Page, base_url: str, request: pytest.FixtureRequest, path: str, signed_in: bool,
) -> None:
    if signed_in:
        user: Any = request.getfixturevalue("practitioner_a")
        sign_in(page, base_url, email=user.email, password=PASSWORD)

    response = page.goto(f"{base_url}/en/{path}")
    assert response is not None, f"/en/{path} gave no response"
    assert response.ok, f"/en/{path} answered {response.status}"
    assert _html_lang_and_dir(page) == ("en", "ltr")
    english = _after_prefix(page.url, "en")
    assert_accessible(page)

    for language in OTHER_LANGUAGES:
        switcher = page.locator(f"nav.language-nav a[hreflang='{language}']")
        with page.expect_navigation():
            switcher.click()
        assert _after_prefix(page.url, language) == english, (
            f"the {language} link led from /en/{path} to {page.url}, not the same page"
        )
        expected_dir = "rtl" if language in RTL_LANGUAGES else "ltr"
        assert _html_lang_and_dir(page) == (language, expected_dir)
        if language in RTL_LANGUAGES:
            assert_accessible(page)


def test_arabic_is_laid_out_right_to_left(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/ar/")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"

    brand = page.locator("header .brand").bounding_box()
    navigation = page.locator("header nav.site-nav").bounding_box()
    assert brand is not None and navigation is not None
    assert page.locator("header .brand").inner_text() == "Palermo"
    # Right to left, the brand comes first, so it stands on the right of the main navigation.
    assert brand["x"] >= navigation["x"] + navigation["width"], (
        f"the brand {brand} is not to the right of the main navigation {navigation}"
    )


def test_skip_link_moves_focus_to_main(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/en/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    assert skip_link.evaluate("element => element === document.activeElement"), (
        "the first Tab does not reach the skip link"
    )
    assert skip_link.is_visible()

    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
    assert page.evaluate("document.activeElement.id") == "main"


def test_states_can_be_filtered_by_regional_group_without_javascript(
    no_js_page: Page, base_url: str,
) -> None:
    page = no_js_page
    page.goto(f"{base_url}/en/states/")
    # Proof that JavaScript is off: the page's own script (htmx) did not run.
    assert page.evaluate("typeof window.htmx") == "undefined"
    form = page.locator("main form.filters")
    form.locator("select[name='group']").select_option("AFR")
    with page.expect_navigation():
        form.locator("button[type='submit']").click()

    assert "group=AFR" in page.url
    names = page.locator("table.states tbody th").all_inner_texts()
    assert "Nigeria" in names
    assert "France" not in names
