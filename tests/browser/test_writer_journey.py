"""A prosecutor drafts an urgent request for bank records from Mexico to France in a real
browser: sees what is missing, completes it step by step, submits it for review; a reviewer
of the central authority approves it; the DOCX and the PDF download. Every page is checked
with axe-core, and the journey is run once in Arabic as well.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

from palermo.accounts.models import User
from palermo.writer.models import Draft, Status
from tests.editions.readers import docx_text, pdf_text
from tests.writer.factories import checklist_key, make_writer_world

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


def _click(page: Page, selector: str) -> None:
    """Press a button and wait for the page it leads to (buttons are found by what they do, not
    by their words, so that the journey runs in any language)."""
    with page.expect_navigation():
        page.locator(selector).click()


NEXT = "main form.edit-form button[name='next']"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_prosecutor_drafts_an_urgent_request_for_bank_records_a_reviewer_approves_it(
    context: BrowserContext, browser: Browser, base_url: str, reference_data: None, lang: str,
) -> None:
    world = make_writer_world()
    page = signed_in(context, base_url, world.author)

    page.goto(f"{base_url}/{lang}/requests/new/?requested=FRA")
    assert_accessible(page)
    page.locator("input[name='kind'][value='mla']").check()
    page.locator("input[name='title']").fill("Case 2026/17 — bank records")
    _click(page, "main form.edit-form button[type='submit']")
    draft = Draft.objects.get(title="Case 2026/17 — bank records")
    assert page.url.endswith(f"/{lang}/requests/{draft.pk}/parties/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
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
    _click(page, NEXT)
    _click(page, NEXT)  # the authorities, as the directory filled them

    page.locator("input[name='measures'][value='mla-f']").check()
    _click(page, NEXT)

    assert_accessible(page)
    page.locator("textarea[name='subject_matter']").fill("Investigation of laundering")
    page.locator("textarea[name='conducting_authority']").fill("Special prosecutor")
    page.locator("textarea[name='facts']").fill("Funds moved through an account in Paris.")
    page.locator("textarea[name='offences']").fill("Laundering of proceeds of crime")
    page.locator("textarea[name='law_text']").fill("Federal Criminal Code, art. 400 bis")
    page.locator("textarea[name='penalty']").fill("Five to fifteen years")
    _click(page, NEXT)

    page.locator("input[name='persons-0-name']").fill("A. Suspect")
    page.locator("input[name='accounts-0-number']").fill("FR7600000000000000000000000")
    _click(page, NEXT)

    page.locator("textarea[name='md__mla-f__description']").fill("Statements since 2024")
    page.locator("textarea[name='md__mla-f__link']").fill("The funds passed through it")
    _click(page, NEXT)

    page.locator("textarea[name='purpose']").fill("Evidence at trial")
    page.locator("textarea[name='urgency_reason']").fill("The funds may be moved")
    _click(page, NEXT)

    assert_accessible(page)
    page.locator("input[name='contact_name']").fill("Duty prosecutor")
    page.locator("input[name='contact_email']").fill("duty@example.org")
    page.locator(f"input[name='checklist_confirmed'][value='{checklist_key()}']").check()
    _click(page, NEXT)

    # Nothing is missing now; the request goes to the central authority.
    assert page.url.endswith(f"/{lang}/requests/{draft.pk}/")
    assert page.locator("ul.missing").count() == 0
    assert_accessible(page)
    _click(page, "form[action$='/submit/'] button[type='submit']")
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.urgent and draft.measures == ["mla-f"]

    # A reviewer of the central authority finds it in the queue and approves it.
    reviewer_context = browser.new_context()
    try:
        reviewer = signed_in(reviewer_context, base_url, world.reviewer)
        reviewer.goto(f"{base_url}/{lang}/requests/review/")
        assert_accessible(reviewer)
        _click(reviewer, f"main a[href$='/requests/{draft.pk}/review/']")
        assert_accessible(reviewer)
        reviewer.locator("form[action$='/review/approve/'] select[name='translation_status']") \
            .select_option("not_needed")
        _click(reviewer, "form[action$='/review/approve/'] button[type='submit']")
    finally:
        reviewer_context.close()
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED

    # The author downloads the request as DOCX and as PDF.
    page.goto(f"{base_url}/{lang}/requests/{draft.pk}/")
    assert_accessible(page)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        with page.expect_download() as download:
            page.locator(f"button[formaction$='request.{fmt}']").click()
        path = download.value.path()
        text = read(Path(path).read_bytes())
        assert "Funds moved through an account in Paris." in text, fmt
        assert "FR7600000000000000000000000" in text, fmt
