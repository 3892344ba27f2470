"""The fictional demo reporting cycle: there to try reporting and its analysis with the demo
accounts, among the demo States only, and marked as fictional on its pages and in its report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from docx import Document as read_docx

from palermo.accounts.demo import DEMO_STATES, DemoNotAllowed
from palermo.accounts.models import User
from palermo.reporting.cycles import services as cycle_services
from palermo.reporting.demo import TITLE, create_reporting_demo
from palermo.reporting.models import Answer, ClarificationRequest, Cycle, Response
from tests.personas import client_for

pytestmark = pytest.mark.django_db

BANNER = "Fictional demonstration data."


@pytest.fixture
def demo(reference_data: None) -> Cycle:
    call_command("load_questionnaires", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "fictional responses in a demonstration reporting cycle created" in out.getvalue()
    return Cycle.objects.get(is_demo=True)


def _html(user: User, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_demo_cycle_is_created_once_among_the_demo_states_only(demo: Cycle) -> None:
    assert demo.title == TITLE and demo.questionnaire_version.questionnaire.code == (
        "untoc-criminalization")
    responses = {r.state.code: r for r in Response.objects.filter(cycle=demo)
                 .select_related("state")}
    assert set(responses) == set(DEMO_STATES)
    statuses = {code: r.status for code, r in responses.items()}
    assert statuses.pop("IND") == Response.Status.IN_PROGRESS
    assert statuses.pop("NGA") == Response.Status.NOT_STARTED
    assert set(statuses.values()) == {Response.Status.SUBMITTED}
    assert not Answer.objects.filter(response=responses["NGA"]).exists()
    assert Answer.objects.filter(response=responses["IND"]).exists()
    # Submitted, so every shown required question is answered; the texts say they are
    # fictional.
    mexico = Answer.objects.filter(response=responses["MEX"])
    assert all("Fictional demonstration answer" in str(a.value)
               for a in mexico.filter(question__type="text"))
    assert Answer.objects.filter(response__cycle=demo, confidential=True).count() == 1
    # The answers differ between States, so that the charts show something.
    firsts = set(Answer.objects.filter(response__cycle=demo, question__code="5-1-a")
                 .values_list("value", flat=True))
    assert len(firsts) > 1
    clarification = ClarificationRequest.objects.get(response__cycle=demo)
    assert clarification.response.state.code == "MEX"
    assert clarification.status == ClarificationRequest.Status.ANSWERED
    assert clarification.messages.count() == 2
    # The status history names the demo focal point who submitted.
    assert responses["MEX"].history.filter(
        status=Response.Status.SUBMITTED,
        history_user__email="focal-point.mex@demo.palermo.invalid").exists()

    counts = (Cycle.objects.count(), Response.objects.count(), Answer.objects.count(),
              Answer.history.count(), ClarificationRequest.objects.count())
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert (Cycle.objects.count(), Response.objects.count(), Answer.objects.count(),
            Answer.history.count(), ClarificationRequest.objects.count()) == counts


def test_the_demo_secretariat_sees_the_cycle_and_its_analysis_with_the_banner(
        demo: Cycle) -> None:
    secretariat = User.objects.get(email="secretariat@demo.palermo.invalid")
    assert "Demonstration reporting cycle (fictional)" in _html(
        secretariat, reverse("reporting:cycle_list"))
    html = _html(secretariat, reverse("reporting:analysis_cycle", kwargs={"pk": demo.pk}))
    assert BANNER in html
    assert "75 % — 6 of 8 States have submitted." in html  # the response rate, above 0


def test_a_real_secretariat_sees_the_banner_on_every_page_of_the_demo_cycle(
        demo: Cycle, secretariat: User) -> None:
    response = Response.objects.get(cycle=demo, state__code="MEX")
    clarification = ClarificationRequest.objects.get(response=response)
    section = demo.questionnaire_version.sections.order_by("position").first()
    assert section is not None
    question = Answer.objects.filter(response=response).first().question  # type: ignore[union-attr]
    for url in [
        reverse("reporting:cycle_list"),
        reverse("reporting:cycle_detail", kwargs={"pk": demo.pk}),
        reverse("reporting:clarification_list", kwargs={"pk": demo.pk}),
        reverse("reporting:response_detail", kwargs={"pk": response.pk}),
        reverse("reporting:response_section",
                kwargs={"pk": response.pk, "section_pk": section.pk}),
        reverse("reporting:answer_history",
                kwargs={"pk": response.pk, "question_pk": question.pk}),
        reverse("reporting:clarification_detail", kwargs={"pk": clarification.pk}),
        reverse("reporting:clarification_new", kwargs={"pk": response.pk}),
        reverse("reporting:response_reopen", kwargs={"pk": response.pk}),
        reverse("reporting:analysis"),
        reverse("reporting:analysis_cycle", kwargs={"pk": demo.pk}),
        reverse("reporting:analysis_compliance", kwargs={"pk": demo.pk}),
        reverse("reporting:analysis_needs", kwargs={"pk": demo.pk}),
    ]:
        assert BANNER in _html(secretariat, url), url


def test_a_demo_focal_point_sees_its_response_with_the_banner(demo: Cycle) -> None:
    focal_point = User.objects.get(email="focal-point.ind@demo.palermo.invalid")
    response = Response.objects.get(cycle=demo, state__code="IND")
    listed = _html(focal_point, reverse("reporting:response_list"))
    assert BANNER in listed and "Demonstration reporting cycle (fictional)" in listed
    html = _html(focal_point, reverse("reporting:response_detail", kwargs={"pk": response.pk}))
    assert BANNER in html and "In progress" in html
    other = Response.objects.get(cycle=demo, state__code="MEX")
    assert client_for(focal_point).get(
        reverse("reporting:response_detail", kwargs={"pk": other.pk})).status_code == 404


def test_the_report_of_the_demo_cycle_says_it_is_fictional(demo: Cycle) -> None:
    secretariat = User.objects.get(email="secretariat@demo.palermo.invalid")
    response = client_for(secretariat).get(
        reverse("reporting:analysis_report", kwargs={"pk": demo.pk, "fmt": "docx"}),
        {"language": "en"})
    assert response.status_code == 200
    paragraphs = [p.text for p in read_docx(io.BytesIO(response.content)).paragraphs]
    # On the title page: the title, then the subtitle that says so.
    assert "Fictional demonstration data: not the answers of any State." in paragraphs[1]


def test_a_real_cycle_carries_no_banner_and_no_notice(demo: Cycle, secretariat: User) -> None:
    Cycle.objects.filter(pk=demo.pk).update(is_demo=False)
    html = _html(secretariat, reverse("reporting:cycle_detail", kwargs={"pk": demo.pk}))
    assert BANNER not in html
    response = client_for(secretariat).get(
        reverse("reporting:analysis_report", kwargs={"pk": demo.pk, "fmt": "docx"}),
        {"language": "en"})
    text = "\n".join(p.text for p in read_docx(io.BytesIO(response.content)).paragraphs)
    assert "Fictional demonstration" not in text


@override_settings(PALERMO_DEMO_ALLOWED=False)
def test_the_reporting_demo_is_refused_where_demo_data_is(reference_data: None) -> None:
    with pytest.raises(DemoNotAllowed):
        create_reporting_demo()
    assert not Cycle.objects.exists()


def test_the_demonstration_cycle_reminds_nobody(demo: Cycle) -> None:
    """Once its deadline has passed, its States that have not submitted are still reminded of
    nothing: their focal points are fictional addresses."""
    Cycle.objects.filter(pk=demo.pk).update(
        closes_on=timezone.localdate() - dt.timedelta(days=30))
    assert cycle_services.reminders_send_due()["sent"] == 0
    assert mail.outbox == []


def test_the_api_says_the_demonstration_cycle_is_fictional(demo: Cycle) -> None:
    office = client_for(User.objects.get(email="secretariat@demo.palermo.invalid"))
    listed = {row["id"]: row["is_demo"] for row in office.get("/api/v1/cycles").json()}
    assert listed == {demo.pk: True}
    assert office.get(f"/api/v1/cycles/{demo.pk}").json()["is_demo"] is True
