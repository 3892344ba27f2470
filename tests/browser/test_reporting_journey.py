"""A reporting cycle in a real browser: the secretariat opens it; Mexico's focal point invites
an expert; both answer; the focal point submits; the secretariat sees the response rate change
and downloads the cycle's report. Run in Russian and in Arabic; axe-core on every page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from palermo.accounts.models import User
from palermo.reporting.models import Cycle, Question, Response
from tests.editions.readers import docx_text
from tests.personas import make_person
from tests.reporting.cycles_world import build_version, make_parties

from .a11y import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser


def signed_in(browser: Browser, base_url: str, user: User) -> tuple[BrowserContext, Page]:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                          "url": base_url}])
    return context, context.new_page()


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_a_cycle_is_opened_answered_by_a_focal_point_and_an_expert_and_submitted(
    browser: Browser, base_url: str, secretariat: User, focal_point_a: User, lang: str,
) -> None:
    make_parties("MEX", "FRA")
    version = build_version()
    expert = make_person("expert@example.org")
    today = timezone.localdate()
    contexts: list[BrowserContext] = []
    try:
        # The secretariat opens the cycle.
        context, office = signed_in(browser, base_url, secretariat)
        contexts.append(context)
        office.goto(f"{base_url}/{lang}/reporting/cycles/new/")
        assert office.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        assert_accessible(office)
        office.locator("select[name='questionnaire_version']").select_option(str(version.pk))
        for code, _name in settings.LANGUAGES:
            office.locator(f"input[name='title_{code}']").fill(f"Cycle 2027 ({code})")
        office.locator("input[name='parties_on']").fill("2025-01-01")
        office.locator("input[name='opens_on']").fill(str(today - dt.timedelta(days=1)))
        office.locator("input[name='closes_on']").fill(str(today + dt.timedelta(days=60)))
        _click(office, "main form button[type='submit']")
        cycle = Cycle.objects.get()
        assert_accessible(office)
        response = Response.objects.get(cycle=cycle, state__code="MEX")
        total = Response.objects.filter(cycle=cycle).count()
        assert f"0 / {total}" in office.locator(".response-rate").inner_text().replace(
            " ", " ") or "0 %" in office.locator(".response-rate").inner_text()

        # Mexico's focal point invites an expert who has an account.
        context, focal = signed_in(browser, base_url, focal_point_a)
        contexts.append(context)
        focal.goto(f"{base_url}/{lang}/reporting/responses/{response.pk}/")
        assert_accessible(focal)
        focal.locator("form[action$='/invite/'] input[name='email']").fill(expert.email)
        _click(focal, "form[action$='/invite/'] button[type='submit']")

        # The expert answers the first section …
        context, expert_page = signed_in(browser, base_url, expert)
        contexts.append(context)
        first = Question.objects.get(questionnaire_version=version, code="5-1")
        second = Question.objects.get(questionnaire_version=version, code="5-2")
        section_url = (f"{base_url}/{lang}/reporting/responses/{response.pk}/sections/"
                       f"{first.section_id}/")
        expert_page.goto(section_url)
        assert_accessible(expert_page)
        # "Yes" is saved as it is ticked, and the page reloads to show the question it opens.
        expert_page.locator(f"input[name='q{first.pk}'][value='yes']").check()
        follow_up = expert_page.locator(f"input[name='q{second.pk}'][value='agreement']")
        follow_up.wait_for()
        expert_page.wait_for_load_state("networkidle")
        follow_up.check()
        expert_page.wait_for_load_state("networkidle")
        _click(expert_page, "form.answer-form .actions button[type='submit']")
        saved = {a.question.code: a.value for a in response.answers.select_related("question")}
        assert saved == {"5-1": "yes", "5-2": "agreement"}, saved

        # … the focal point the second, then submits.
        count = Question.objects.get(questionnaire_version=version, code="6-1")
        focal.goto(f"{base_url}/{lang}/reporting/responses/{response.pk}/sections/"
                   f"{count.section_id}/")
        assert_accessible(focal)
        focal.locator(f"input[name='q{count.pk}']").fill("4")
        focal.locator(f"input[name='q{count.pk}']").press("Tab")  # saved as it is left
        focal.wait_for_load_state("networkidle")
        _click(focal, "form.answer-form .actions button[type='submit']")
        saved = {a.question.code: a.value for a in response.answers.select_related("question")}
        assert saved.get("6-1") == 4, saved
        focal.goto(f"{base_url}/{lang}/reporting/responses/{response.pk}/")
        _click(focal, "form[action$='/submit/'] button[type='submit']")
        response.refresh_from_db()
        assert response.status == Response.Status.SUBMITTED

        # The secretariat sees the response rate change.
        office.goto(f"{base_url}/{lang}/reporting/cycles/{cycle.pk}/")
        assert_accessible(office)
        rate = office.locator(".response-rate").inner_text()
        assert "1" in rate and str(total) in rate

        # … and downloads the cycle's analytical report, with the State that answered.
        with office.expect_download() as download:
            office.locator(f"a[href$='/analysis/cycles/{cycle.pk}/report.docx']").click()
        report = docx_text(Path(download.value.path()).read_bytes())
        mexico = response.state
        assert getattr(mexico, f"name_{lang}") in report, "the report is not in the language"
    finally:
        for context in contexts:
            context.close()
