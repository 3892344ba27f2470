"""Reporting cycles: opening one for the parties on a date, the status of each State,
extensions, reopening, and what a new questionnaire version leaves alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from palermo.accounts.models import User
from palermo.reference.models import RegionalGroup
from palermo.reporting import services as questionnaire_services
from palermo.reporting.models import Answer, Cycle, QuestionnaireVersion, Response
from tests.personas import client_for

from .cycles_world import *  # noqa: F403 - the world's fixtures
from .cycles_world import answers_of, detail_url, make_parties, save_section, section_url

pytestmark = pytest.mark.django_db


def cycle_url(cycle: Cycle) -> str:
    return reverse("reporting:cycle_detail", kwargs={"pk": cycle.pk})


def test_the_secretariat_opens_a_cycle_for_the_parties_on_a_date(
        version: QuestionnaireVersion, secretariat: User) -> None:
    make_parties("DEU", on=dt.date(2030, 1, 1))  # a party only later: not in scope
    client = client_for(secretariat)
    form = client.get(reverse("reporting:cycle_new"))
    assert form.status_code == 200
    data = {"questionnaire_version": version.pk, "parties_on": "2026-01-01",
            "opens_on": "2026-02-01", "closes_on": "2026-06-30", "remind_days_before": 14,
            "remind_days_after": 7, "title_en": "First cycle", "title_fr": "Premier cycle"}
    page = client.post(reverse("reporting:cycle_new"), data)
    cycle = Cycle.objects.get()
    assert page["Location"] == cycle_url(cycle)
    assert cycle.title == {"en": "First cycle", "fr": "Premier cycle"}
    states = set(cycle.responses.values_list("state__code", flat=True))
    assert {"MEX", "FRA"} <= states
    assert "DEU" not in states
    assert states == set(cycle.parties_in_scope().values_list("code", flat=True))
    assert set(cycle.responses.values_list("status", flat=True)) == {"not_started"}


def test_a_cycle_cannot_close_before_it_opens(version: QuestionnaireVersion,
                                              secretariat: User) -> None:
    page = client_for(secretariat).post(reverse("reporting:cycle_new"), {
        "questionnaire_version": version.pk, "parties_on": "2026-01-01",
        "opens_on": "2026-06-01", "closes_on": "2026-02-01", "remind_days_before": 14,
        "remind_days_after": 7, "title_en": "Backwards"})
    assert page.status_code == 200
    assert b"The deadline cannot be before the opening." in page.content
    assert not Cycle.objects.exists()


def test_the_cycle_page_shows_each_states_status_and_the_response_rate(
        cycle: Cycle, secretariat: User, focal_point_a: User,
        django_assert_max_num_queries: Any) -> None:
    client = client_for(focal_point_a)
    mexico = Response.objects.get(cycle=cycle, state__code="MEX")
    save_section(client, mexico, "art-5", {"5-1": "no"})
    save_section(client, mexico, "cases", {"6-1": "4"})
    client.post(reverse("reporting:response_submit", kwargs={"pk": mexico.pk}))
    total = cycle.responses.count()
    secretariat_client = client_for(secretariat)
    secretariat_client.get(cycle_url(cycle))
    with django_assert_max_num_queries(12):
        page = secretariat_client.get(cycle_url(cycle))
    text = page.content.decode()
    assert f"{round(100 / total)} % — 1 of {total} States have submitted." in text
    submitted = secretariat_client.get(cycle_url(cycle), {"status": "submitted"})
    assert submitted.content.decode().count('scope="row"') == 1
    assert "Mexico" in submitted.content.decode()
    group = RegionalGroup.objects.filter(states__code="FRA").first()
    if group is not None:
        western = secretariat_client.get(cycle_url(cycle), {"group": group.pk})
        assert "France" in western.content.decode()
        assert "Mexico" not in western.content.decode().split("<tbody>")[1]


def test_only_the_secretariat_sees_cycles(cycle: Cycle, focal_point_a: User,
                                          practitioner_a: User) -> None:
    for user in (None, focal_point_a, practitioner_a):
        client = client_for(user)
        assert client.get(reverse("reporting:cycle_list")).status_code == 404
        assert client.get(cycle_url(cycle)).status_code == 404
        assert client.get(reverse("reporting:cycle_new")).status_code in (302, 404)
        assert client.post(reverse("reporting:cycle_new"), {}).status_code in (302, 404)
    assert Cycle.objects.count() == 1


def test_the_secretariat_extends_one_states_deadline(cycle: Cycle, secretariat: User,
                                                     focal_point_a: User) -> None:
    mexico = Response.objects.get(cycle=cycle, state__code="MEX")
    later = cycle.closes_on + dt.timedelta(days=20)
    client_for(secretariat).post(reverse("reporting:response_extend",
                                         kwargs={"pk": mexico.pk}),
                                 {"until": later.isoformat()})
    mexico.refresh_from_db()
    assert mexico.deadline == later
    assert Response.objects.get(cycle=cycle, state__code="FRA").deadline == cycle.closes_on
    # A focal point cannot extend its own deadline.
    client_for(focal_point_a).post(reverse("reporting:response_extend",
                                           kwargs={"pk": mexico.pk}), {"until": ""})
    mexico.refresh_from_db()
    assert mexico.extended_until == later


def test_the_secretariat_reopens_a_submitted_response_with_a_reason(
        cycle: Cycle, secretariat: User, focal_point_a: User) -> None:
    client = client_for(focal_point_a)
    mexico = Response.objects.get(cycle=cycle, state__code="MEX")
    save_section(client, mexico, "art-5", {"5-1": "no"})
    save_section(client, mexico, "cases", {"6-1": "4"})
    client.post(reverse("reporting:response_submit", kwargs={"pk": mexico.pk}))
    url = reverse("reporting:response_reopen", kwargs={"pk": mexico.pk})
    assert client.post(url, {"reason": "mine"}).status_code == 404
    refused = client_for(secretariat).post(url, {"reason": ""})
    assert refused.status_code == 200
    client_for(secretariat).post(url, {"reason": "Figures of 2024 to be corrected"})
    mexico.refresh_from_db()
    assert mexico.status == Response.Status.REOPENED
    assert mexico.history.first().history_change_reason == "Figures of 2024 to be corrected"
    page = client.get(detail_url(mexico)).content.decode()
    history = page.split('id="status-history-heading"')[1].split("</section>")[0]
    assert "<q>Figures of 2024 to be corrected</q>" in history
    assert (history.index("Not started") < history.index("In progress")
            < history.index("Submitted") < history.index("Reopened"))
    assert save_section(client, mexico, "cases", {"6-1": "5"}).status_code == 302
    assert answers_of(mexico)["6-1"] == 5


def test_a_new_questionnaire_version_does_not_change_submitted_answers(
        cycle: Cycle, version: QuestionnaireVersion, secretariat: User,
        focal_point_a: User) -> None:
    client = client_for(focal_point_a)
    mexico = Response.objects.get(cycle=cycle, state__code="MEX")
    save_section(client, mexico, "art-5", {"5-1": "yes"})
    save_section(client, mexico, "art-5", {"5-1": "yes", "5-2": "agreement"})
    save_section(client, mexico, "cases", {"6-1": "4"})
    client.post(reverse("reporting:response_submit", kwargs={"pk": mexico.pk}))
    before = answers_of(mexico)

    draft = questionnaire_services.version_new(user=secretariat,
                                               questionnaire=version.questionnaire)
    changed = draft.questions.get(code="5-1")
    changed.text = {**changed.text, "en": "Is participation criminalized, in law?"}
    changed.required = False
    changed.save()
    draft.questions.get(code="6-4").delete()
    questionnaire_services.publish(draft, by=secretariat)

    mexico.refresh_from_db()
    assert mexico.questionnaire_version == version
    assert mexico.status == Response.Status.SUBMITTED
    assert answers_of(mexico) == before
    assert set(Answer.objects.filter(response=mexico)
               .values_list("question__questionnaire_version", flat=True)) == {version.pk}
    page = client.get(section_url(mexico, "art-5")).content.decode()
    assert "Is participation criminalized?" in page
    assert "in law" not in page
    assert client.get(detail_url(mexico)).status_code == 200
