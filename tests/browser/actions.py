"""What a person does in the browser, shared by the browser tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page


def sign_in(page: Page, base_url: str, *, email: str, password: str) -> None:
    """Fill in and send the sign-in form, as a person would."""
    page.goto(f"{base_url}/en/account/sign-in/")
    form = page.locator("main form")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
