"""The analysis keeps its computed figures in the cache: never one reader's scope's figures
for another, and never after a submission or a reopening has changed them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from palermo.accounts.models import Membership, User
from palermo.reporting.models import Cycle, Response
from tests.personas import client_for, make_person

from .analysis_world import *  # noqa: F403 - the world's fixtures
from .analysis_world import MARKER, PUBLIC_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _figures(page: Any) -> dict[str, dict[str, int]]:
    return {item.question.code: {bar.code: bar.count for bar in item.bars}
            for section in page.context["figures"] for item in section.questions}


def _answered(page: Any) -> dict[str, int]:
    return {item.question.code: item.answered
            for section in page.context["figures"] for item in section.questions}


def _compliance(page: Any) -> dict[str, dict[str, int]]:
    return {item.question.code: {bar.code: bar.count for bar in item.bars}
            for provision, _chart in page.context["provisions"] for item in provision.questions}


def _areas(page: Any) -> dict[str, int]:
    return {area.code: area.answered for area in page.context["needs"].areas}


def _pages(cycle: Cycle) -> dict[str, str]:
    pk = {"pk": cycle.pk}
    return {"cycle": reverse("reporting:analysis_cycle", kwargs=pk) + "?section=all",
            "compliance": reverse("reporting:analysis_compliance", kwargs=pk) + "?article=5",
            "needs": reverse("reporting:analysis_needs", kwargs=pk) + "?area=training"}


def test_the_secretariats_figures_computed_first_never_reach_a_state(
        secretariat: User, focal_point_a: User, focal_point_b: User, world: Cycle) -> None:
    pages = _pages(world)
    office = client_for(secretariat)
    # The secretariat's pages are computed and kept first: A's confidential "yes" counted.
    seen = {name: office.get(url) for name, url in pages.items()}
    assert _figures(seen["cycle"])["6-5"] == {"yes": 1, "partly": 0, "no": 1}
    assert _compliance(seen["compliance"])["6-5"] == {"yes": 1, "partly": 0, "no": 1}
    assert MARKER in seen["needs"].content.decode()
    for person in (focal_point_a, focal_point_b):
        client = client_for(person)
        for _ in range(2):  # computed for this scope, then kept for it
            cycle = client.get(pages["cycle"])
            assert _figures(cycle)["6-5"] == {"yes": 0, "partly": 0, "no": 1}
            assert _answered(cycle)["6-4"] == 1
            compliance = client.get(pages["compliance"])
            assert _compliance(compliance)["6-5"] == {"yes": 0, "partly": 0, "no": 1}
            needs = client.get(pages["needs"])
            assert _areas(needs)["training"] == 2  # B's text and B's "no": A's are confidential
            # B's text is named to B's people only (A's to A's, after B's page was kept).
            assert (PUBLIC_TEXT in needs.content.decode()) is (person == focal_point_b)
    # State A's people are named their own confidential answer; State B's are not, even
    # after A's page was kept.
    assert MARKER in client_for(focal_point_a).get(pages["needs"]).content.decode()
    for url in pages.values():
        assert MARKER not in client_for(focal_point_b).get(url).content.decode()
    # And the secretariat still gets its own figures, not a State's kept after it.
    assert _figures(office.get(pages["cycle"]))["6-5"] == {"yes": 1, "partly": 0, "no": 1}


def test_a_reopening_and_a_submission_change_the_figures_at_once(
        secretariat: User, focal_point_a: User, world: Cycle) -> None:
    office = client_for(secretariat)
    url = _pages(world)["cycle"]
    overview = reverse("reporting:analysis")

    def rate() -> int:
        page = office.get(overview)
        return next(r for r in page.context["figures"].cycles if r.key == world).submitted

    before = office.get(url)
    assert before.context["rate"].submitted == 2 and rate() == 2
    assert _figures(before)["5-1"] == {"yes": 1, "partly": 0, "no": 1}
    mexico = Response.objects.get(cycle=world, state__code="MEX")
    reopened = office.post(reverse("reporting:response_reopen", kwargs={"pk": mexico.pk}),
                           {"reason": "Fictional: please check article 5."})
    assert reopened.status_code == 302
    page = office.get(url)
    assert page.context["rate"].submitted == 1 and rate() == 1
    assert _figures(page)["5-1"] == {"yes": 0, "partly": 0, "no": 1}
    submitted = client_for(focal_point_a).post(
        reverse("reporting:response_submit", kwargs={"pk": mexico.pk}))
    assert submitted.status_code == 302
    page = office.get(url)
    assert page.context["rate"].submitted == 2 and rate() == 2
    assert _figures(page)["5-1"] == {"yes": 1, "partly": 0, "no": 1}


def test_an_answer_changed_in_a_submitted_response_changes_the_figures(
        secretariat: User, world: Cycle) -> None:
    office = client_for(secretariat)
    url = _pages(world)["cycle"]
    assert _figures(office.get(url))["5-1"]["no"] == 1
    answer = Response.objects.get(cycle=world, state__code="FRA").answers.get(
        question__code="5-1")
    answer.value = "partly"
    answer.save()  # e.g. corrected by the secretariat outside the services
    assert _figures(office.get(url))["5-1"] == {"yes": 1, "partly": 1, "no": 0}


def _main(page: Any) -> str:
    """What a page shows inside the site's frame (its kept content)."""
    html = page.content.decode()
    return html[html.index('<main id="main"'):html.index("</main>")]


def test_a_kept_page_keeps_its_content_and_gives_each_reader_their_own_frame(
        focal_point_a: User, world: Cycle) -> None:
    """Two people with the same scope share the page's content once kept, never the frame:
    each sees their own name, and a sign-out form rendered for their own request."""
    colleague = make_person("colleague-of-focal-a@example.org", state="MEX",
                            role=Membership.Role.FOCAL_POINT)
    urls = [*_pages(world).values(), reverse("reporting:analysis")]
    first, second = client_for(focal_point_a), client_for(colleague)
    for url in urls:
        mine, theirs = first.get(url), second.get(url)
        assert mine.status_code == theirs.status_code == 200
        assert _main(mine) == _main(theirs)  # the same content…
        for page, person, other in ((mine, focal_point_a, colleague),
                                    (theirs, colleague, focal_point_a)):
            html = page.content.decode()
            assert f">{person.get_full_name()}</a>" in html
            assert f">{other.get_full_name()}</a>" not in html
            assert 'name="csrfmiddlewaretoken"' in html  # the sign-out form, rendered now
        assert "csrfmiddlewaretoken" not in _main(mine)  # no form of the content posts


def test_the_kept_page_shows_a_reopening_at_once(secretariat: User, world: Cycle) -> None:
    """The page's own text, not only its figures, follows a reopening and a new filter."""
    office = client_for(secretariat)
    url = reverse("reporting:analysis_cycle", kwargs={"pk": world.pk})

    def submitted() -> list[str]:
        return re.findall(r'class="response-rate">[^<]*— (\d+) of \d+ States have submitted',
                          _main(office.get(url)))

    assert submitted() == ["2"]
    mexico = Response.objects.get(cycle=world, state__code="MEX")
    office.post(reverse("reporting:response_reopen", kwargs={"pk": mexico.pk}),
                {"reason": "Fictional: please check article 5."})
    assert submitted() == ["1"]
    # A filter the page was not asked with before: its own content, with the value chosen.
    bad = _main(office.get(url + "?start=2020-02-30"))
    assert 'value="2020-02-30"' in bad and 'class="error"' in bad
    assert 'class="error"' not in _main(office.get(url))


def test_a_renamed_cycle_or_questionnaire_shows_at_once(
        secretariat: User, focal_point_a: User, world: Cycle) -> None:
    """The cycle, its questionnaire and instrument are kept too: a change to either shows on
    the next request, for every reader."""
    urls = [*_pages(world).values(), reverse("reporting:analysis")]
    readers = [client_for(secretariat), client_for(focal_point_a)]
    for client in readers:
        for url in urls:
            assert client.get(url).status_code == 200
    world.title = {**world.title, "en": "Fictional cycle, renamed"}
    world.save()
    questionnaire = world.questionnaire_version.questionnaire
    questionnaire.title = {**questionnaire.title, "en": "Fictional questionnaire, renamed"}
    questionnaire.save()
    for client in readers:
        for url in urls:
            html = client.get(url).content.decode()
            assert "Fictional cycle, renamed" in html, url
        for url in list(_pages(world).values()):
            assert "Fictional questionnaire, renamed" in client.get(url).content.decode()
