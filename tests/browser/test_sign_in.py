"""Signing in through the form, in a real browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from palermo.accounts.models import User
from tests.personas import PASSWORD

from .a11y import assert_accessible
from .actions import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_person_signs_in_and_sees_their_role_and_state(
    page: Page, base_url: str, practitioner_a: User,
) -> None:
    sign_in(page, base_url, email=practitioner_a.email, password=PASSWORD)

    assert page.url == f"{base_url}/en/account/me/"
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Your account"
    assert practitioner_a.email in main.inner_text()
    roles = main.locator("ul li").all_inner_texts()
    assert roles == ["Practitioner — Mexico"]
    assert page.locator("nav.account-nav button[type='submit']").inner_text() == "Sign out"
    assert_accessible(page)


def test_wrong_password_shows_the_error_and_does_not_sign_in(
    page: Page, base_url: str, practitioner_a: User,
) -> None:
    sign_in(page, base_url, email=practitioner_a.email, password="not the password at all")

    assert page.url == f"{base_url}/en/account/sign-in/"
    error = page.locator("main .errors[role='alert']")
    assert error.inner_text() == "The e-mail address and password do not match an account."
    assert page.locator("nav.account-nav a").inner_text() == "Sign in"
    assert_accessible(page)

    page.goto(f"{base_url}/en/account/me/")
    assert page.url.startswith(f"{base_url}/en/account/sign-in/"), (
        "the account page was shown although the sign-in failed"
    )
