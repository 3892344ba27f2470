"""The journey of a new focal point, end to end in a real browser: the invitation's link, the
password, the authenticator app, an edit of an authority, and the public page that shows it
with a new last-updated date — every page checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation

from palermo.accounts import services
from palermo.accounts.models import Membership, User
from palermo.directory.models import Authority
from palermo.reference.models import State
from tests.directory.factories import make_world
from tests.personas import totp_code

from .a11y import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=button).click()


def test_a_new_focal_point_accepts_sets_up_totp_edits_and_sees_the_public_page(
    page: Page, browser: Browser, base_url: str, state_a: State, secretariat: User,
) -> None:
    world = make_world(state_a)
    authority = world.public_authority
    long_ago = timezone.now() - dt.timedelta(days=400)
    Authority.objects.filter(pk=authority.pk).update(updated_at=long_ago)
    # (Designations and contacts are as old: the page's date is the newest of them all.)
    authority.designations.update(updated_at=long_ago)
    authority.contacts.update(updated_at=long_ago)
    with translation.override("en"):
        old_date = formats.date_format(long_ago, "DATE_FORMAT")
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")

    # The secretariat invites a focal point for Mexico; the worker mails the link.
    services.invitation_create(
        email="new.focal.point@example.org", role=Membership.Role.FOCAL_POINT, state=state_a,
        language="en", invited_by=secretariat)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    link = re.search(re.escape(settings.PALERMO_SITE_URL) + r"(/\S+)",
                     str(mail.outbox[-1].body))
    assert link

    # The focal point opens it, chooses a password …
    page.goto(f"{base_url}{link[1]}")
    assert_accessible(page)
    page.get_by_label("First name").fill("Amaya")
    page.get_by_label("Last name").fill("Ortiz")
    page.get_by_label("Password", exact=True).fill("a long passphrase of my own 9")
    page.get_by_label("Password (again)").fill("a long passphrase of my own 9")
    _submit(page, "Accept and create the account")

    # … sets up the authenticator app the role requires …
    assert page.url == f"{base_url}/en/account/2fa/totp/activate/"
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(totp_code(secret))
    _submit(page, "Set up")
    assert page.url == f"{base_url}/en/account/2fa/recovery-codes/"

    # … finds the authority from the State's page and renames it.
    page.goto(f"{base_url}/en/directory/states/mex/")
    with page.expect_navigation():
        page.get_by_role("link", name="PUBLICAUTH name").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Edit this authority").click()
    assert_accessible(page)
    page.get_by_label("Name (English)").fill("Central Authority of the Demo Journey")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved: Central Authority of the Demo Journey.").wait_for()

    # Anyone, signed in or not, now sees the new name and today's date on the public page.
    visitor = browser.new_context(locale="en-GB").new_page()
    try:
        visitor.goto(f"{base_url}/en/directory/authorities/{authority.pk}/")
        heading = visitor.get_by_role("heading", level=1).inner_text()
        assert "Central Authority of the Demo Journey" in heading
        intro = visitor.locator("main").inner_text()
        assert f"Last updated {today}" in intro
        assert f"Last updated {old_date}" not in intro
        assert_accessible(visitor)
    finally:
        visitor.context.close()
