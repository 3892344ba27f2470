"""Signing in, the second factor and invitations, in a real browser."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from palermo.accounts.models import User
from tests.personas import PASSWORD, totp_code

from .a11y import assert_accessible
from .actions import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def test_person_signs_in_and_sees_their_role_and_state(
    page: Page, base_url: str, practitioner_a: User,
) -> None:
    sign_in(page, base_url, email=practitioner_a.email, password=PASSWORD)

    assert page.url == f"{base_url}/en/account/me/"
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Your account"
    assert practitioner_a.email in main.inner_text()
    roles = main.locator("ul").first.locator("li").all_inner_texts()
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


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=button).click()


def test_a_focal_point_invites_an_editor_who_accepts_and_sets_up_an_authenticator_app(
    page: Page, browser: Browser, base_url: str, focal_point_a: User,
) -> None:
    # The focal point signs in with a password and a code from the app.
    sign_in(page, base_url, email=focal_point_a.email, password=PASSWORD)
    assert page.url == f"{base_url}/en/account/2fa/authenticate/"
    assert_accessible(page)
    page.locator("input[name='code']").fill(totp_code())
    _submit(page, "Sign in")
    assert page.url == f"{base_url}/en/account/me/"

    # … and invites an editor for Mexico.
    with page.expect_navigation():
        page.get_by_role("link", name="Invite someone").click()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("new.editor@example.org")
    page.get_by_label("Role").select_option("editor")
    page.get_by_label("State").select_option("MEX")
    _submit(page, "Send the invitation")
    assert page.url == f"{base_url}/en/account/invitations/"
    assert "new.editor@example.org" in page.locator("main table").inner_text()
    assert_accessible(page)
    # The worker mails the invitation's link (in production, `palermo db_worker`).
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    link = re.search(re.escape(settings.PALERMO_SITE_URL) + r"(/\S+)",
                     str(mail.outbox[-1].body))
    assert link

    # The editor opens the link in another browser, chooses a password …
    context = browser.new_context(locale="en-GB")
    editor = context.new_page()
    editor.goto(f"{base_url}{link[1]}")
    assert_accessible(editor)
    editor.get_by_label("First name").fill("Elena")
    editor.get_by_label("Last name").fill("Campos")
    editor.get_by_label("Password", exact=True).fill("my own long passphrase 7")
    editor.get_by_label("Password (again)").fill("my own long passphrase 7")
    _submit(editor, "Accept and create the account")

    # … and is led to set up the authenticator app the role requires, without JavaScript.
    assert editor.url == f"{base_url}/en/account/2fa/totp/activate/"
    assert "second factor" in editor.locator(".messages").inner_text()
    qr_code = editor.locator("img.totp-qr").get_attribute("src") or ""
    assert qr_code.startswith("data:image/svg+xml")
    assert_accessible(editor)
    secret = editor.locator("#totp-secret").inner_text()
    editor.get_by_label("Code from the app").fill(totp_code(secret))
    _submit(editor, "Set up")
    assert editor.url == f"{base_url}/en/account/2fa/recovery-codes/"
    assert editor.locator("ul.recovery-codes li").count() == 10
    assert_accessible(editor)
    editor.goto(f"{base_url}/en/account/me/")
    assert "Authenticator app set up" in editor.locator("main").inner_text()
    assert "Editor — Mexico" in editor.locator("main").inner_text()
    context.close()
