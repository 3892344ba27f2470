"""Directory journeys in a real browser: the finder, in English and in Arabic."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from palermo.accounts.models import User
from palermo.reference.models import Instrument, Participation, Source, State
from tests.directory.factories import make_world
from tests.personas import PASSWORD

from .a11y import assert_accessible
from .actions import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture
def directory_world(state_a: State, state_b: State) -> None:
    make_world(state_a)
    source = Source.objects.create(tag="test-source", title="Test records")
    untoc = Instrument.objects.get(code="untoc")
    for state in (state_a, state_b):
        Participation.objects.update_or_create(
            state=state, instrument=untoc,
            defaults={"consent_on": dt.date(2003, 3, 4), "action": "r", "source": source})


def test_a_prosecutor_finds_where_to_send_an_urgent_request_for_bank_records(
    page: Page, base_url: str, directory_world: None, practitioner_a: User,
) -> None:
    sign_in(page, base_url, email=practitioner_a.email, password=PASSWORD)
    page.goto(f"{base_url}/en/directory/")
    assert_accessible(page)
    page.get_by_role("link", name="Where do I send this request?").click()
    assert_accessible(page)
    form = page.locator("form.finder-form")
    form.get_by_label("Requesting State").select_option("FRA")
    form.get_by_label("Requested State").select_option("MEX")
    form.get_by_label("What is requested").select_option("mla-f")
    form.get_by_label("Urgent").check()
    form.get_by_role("button", name="Find").click()
    page.wait_for_url("**urgent=on**")
    result = page.locator("#finder-result")
    result.get_by_text("PUBLICAUTH duty officer").wait_for()
    text = result.inner_text()
    assert "From France to Mexico" in text
    assert "PUBLICAUTH name" in text
    assert "E-mail; Post" in text
    assert "Spanish, English" in text or "English, Spanish" in text
    assert "PUBLICAUTH duty officer" in text
    assert "The identity of the authority making the request" in text
    assert "PUBLICPROFILE checklist" in text
    assert "requested=MEX" in page.url  # the answer has an address to share
    assert_accessible(page)
    answer_url = page.url
    result.get_by_role("link", name="PUBLICAUTH name").click()
    assert page.locator("h1").inner_text().startswith("PUBLICAUTH name")
    assert_accessible(page)
    page.goto(answer_url.replace("/en/", "/ar/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "PUBLICAUTH" in page.locator("#finder-result").inner_text()
    assert_accessible(page)


def test_the_finder_answers_in_arabic_right_to_left_without_javascript(
    no_js_page: Page, base_url: str, directory_world: None,
) -> None:
    page = no_js_page
    mexico_in_arabic = State.objects.values_list("name_ar", flat=True).get(code="MEX")
    page.goto(f"{base_url}/ar/directory/finder/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    form = page.locator("form.finder-form")
    form.locator("select[name=requesting]").select_option("FRA")
    form.locator("select[name=requested]").select_option("MEX")
    form.locator("select[name=measure]").select_option("mla-f")
    form.locator("input[name=urgent]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    result = page.locator("#finder-result")
    assert mexico_in_arabic in result.inner_text()
    assert "PUBLICAUTH" in result.inner_text()
    items = result.locator("ol.treaty-items")
    assert items.get_attribute("dir") == "ltr" and items.get_attribute("lang") == "en"
    direction = page.evaluate(
        "getComputedStyle(document.querySelector('#finder-result')).direction")
    assert direction == "rtl"
    # axe-core needs JavaScript: the Arabic answer is checked in the journey above.


@pytest.mark.parametrize(("language", "query"), [("ru", "Мексика"), ("zh-hans", "墨西哥")])
def test_a_practitioner_searches_in_russian_and_chinese_and_opens_an_authority(
    page: Page, base_url: str, directory_world: None, practitioner_a: User,
    language: str, query: str,
) -> None:
    sign_in(page, base_url, email=practitioner_a.email, password=PASSWORD)
    page.goto(f"{base_url}/{language}/directory/")
    search_box = page.locator("main form input[name=q]").first
    search_box.fill(query)
    with page.expect_navigation():
        search_box.press("Enter")
    assert f"/{language}/directory/search/" in page.url
    assert page.locator("html").get_attribute("lang") == language
    results = page.locator("main")
    assert "PUBLICAUTH" in results.inner_text()
    assert "SECRETAUTH" in results.inner_text()  # a practitioner sees restricted entries
    assert_accessible(page)
    results.get_by_role("link", name="PUBLICAUTH", exact=False).first.click()
    assert page.locator("h1").inner_text().startswith("PUBLICAUTH")
    assert f"/{language}/directory/authorities/" in page.url
    assert_accessible(page)
