"""Editing the directory in a real browser: a focal point (with a second factor) renames an
authority in Arabic and sees it on the public page; two editors save the same authority and the
second is shown both versions.

Sign-in is tested on its own (test_sign_in); here the browser is given the session of a
Django test client's login, so that these journeys do not depend on the sign-in screens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

from palermo.accounts.models import User
from palermo.reference.models import State
from tests.directory.factories import make_world

from .a11y import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser


def signed_in(context: BrowserContext, base_url: str, user: User) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                          "url": base_url}])
    return context.new_page()


def test_a_focal_point_renames_an_authority_in_arabic_and_sees_it_on_the_public_page(
    context: BrowserContext, base_url: str, state_a: State, focal_point_a: User,
) -> None:
    world = make_world(state_a)
    authority = world.public_authority
    page = signed_in(context, base_url, focal_point_a)
    page.goto(f"{base_url}/en/directory/authorities/{authority.pk}/")
    page.get_by_role("link", name="Edit this authority").click()
    page.get_by_label("Name (Arabic)").wait_for()
    assert_accessible(page)
    field = page.get_by_label("Name (Arabic)")
    assert field.get_attribute("dir") == "rtl" and field.get_attribute("lang") == "ar"
    field.fill("السلطة المركزية للمساعدة القانونية")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "/directory/manage/mex/" in page.url
    page.get_by_text("Saved: PUBLICAUTH name.").wait_for()
    assert_accessible(page)

    page.goto(f"{base_url}/ar/directory/authorities/{authority.pk}/")
    heading = page.get_by_role("heading", level=1)
    assert "السلطة المركزية للمساعدة القانونية" in heading.inner_text()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)


def test_a_stale_save_shows_both_versions_and_keeps_what_was_typed(
    browser: Browser, context: BrowserContext, base_url: str, state_a: State,
    focal_point_a: User, editor_a: User,
) -> None:
    world = make_world(state_a)
    url = f"{base_url}/en/directory/manage/mex/authority/{world.public_authority.pk}/"
    first = signed_in(context, base_url, focal_point_a)
    other_context = browser.new_context(locale="en-GB")
    try:
        second = signed_in(other_context, base_url, editor_a)
        first.goto(url)
        second.goto(url)  # both have version 1 open

        first.get_by_label("City").fill("Monterrey")
        with first.expect_navigation():
            first.get_by_role("button", name="Save").click()

        second.get_by_label("City").fill("Guadalajara")
        with second.expect_navigation():
            second.get_by_role("button", name="Save").click()
        conflict = second.locator("section.conflict")
        conflict.get_by_role("heading", name="Someone else saved this entry after you opened it"
                             ).wait_for()
        row = conflict.locator("table").first.get_by_role("row", name="City")
        assert "Guadalajara" in row.inner_text() and "Monterrey" in row.inner_text()
        assert second.get_by_label("City").input_value() == "Guadalajara"  # kept
        assert_accessible(second)

        with second.expect_navigation():
            second.get_by_role("button", name="Save my version over the current one").click()
        second.get_by_text("Saved: PUBLICAUTH name.").wait_for()
        first.goto(url)
        assert first.get_by_label("City").input_value() == "Guadalajara"
    finally:
        other_context.close()
