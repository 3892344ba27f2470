"""Clarification requests (decision 3/1 g, h): the secretariat asks a State about given
answers of its submitted response; the State replies in a thread."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from palermo.accounts.models import User
from palermo.reporting.models import ClarificationRequest, Cycle, Response
from tests.personas import client_for

from .cycles_world import *  # noqa: F403 - the world's fixtures
from .cycles_world import MARKER, question, save_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_a(cycle: Cycle, focal_point_a: User) -> Response:
    client = client_for(focal_point_a)
    response = Response.objects.get(cycle=cycle, state__code="MEX")
    save_section(client, response, "art-5", {"5-1": "no"})
    save_section(client, response, "cases", {"6-1": "4", "6-4": MARKER},
                 confidential=("6-4",))
    client.post(reverse("reporting:response_submit", kwargs={"pk": response.pk}))
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    return response


def ask(client: Any, response: Response, *codes: str, text: str = "Please explain.") -> Any:
    version = response.questionnaire_version
    return client.post(reverse("reporting:clarification_new", kwargs={"pk": response.pk}), {
        "questions": [question(version, code).pk for code in codes], "text": text})


def test_the_secretariat_asks_the_state_replies_and_the_secretariat_closes(
        submitted_a: Response, secretariat: User, focal_point_a: User, expert_a: User,
        django_capture_on_commit_callbacks: Any) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(client_for(secretariat), submitted_a, "6-1", "6-4",
                    text="Are the 4 convictions of 2024 final?")
    request = ClarificationRequest.objects.get()
    assert asked["Location"] == reverse("reporting:clarification_detail",
                                        kwargs={"pk": request.pk})
    assert [m.to for m in mail.outbox] == [[focal_point_a.email]]
    assert request.status == ClarificationRequest.Status.OPEN

    url = reverse("reporting:clarification_detail", kwargs={"pk": request.pk})
    page = client_for(focal_point_a).get(url).content.decode()
    assert "Are the 4 convictions of 2024 final?" in page
    assert MARKER in page  # the State sees its own confidential answer in question
    client_for(expert_a).post(url, {"text": "Two are final, two under appeal."})
    request.refresh_from_db()
    assert request.status == ClarificationRequest.Status.ANSWERED
    assert list(request.messages.values_list("text", flat=True)) == [
        "Are the 4 convictions of 2024 final?", "Two are final, two under appeal."]

    client_for(secretariat).post(url, {"close": "1"})
    request.refresh_from_db()
    assert request.status == ClarificationRequest.Status.CLOSED
    assert client_for(focal_point_a).post(url, {"text": "One more thing"}).status_code == 403

    listing = client_for(secretariat).get(
        reverse("reporting:clarification_list", kwargs={"pk": submitted_a.cycle_id}))
    assert "Mexico" in listing.content.decode()
    assert "Closed" in listing.content.decode()


def test_only_a_submitted_response_can_be_asked_about(
        response_a: Response, secretariat: User) -> None:
    page = ask(client_for(secretariat), response_a, "6-1")
    assert page.status_code == 403
    assert not ClarificationRequest.objects.exists()


def test_another_state_and_outsiders_see_no_clarification(
        submitted_a: Response, secretariat: User, focal_point_a: User, focal_point_b: User,
        practitioner_a: User) -> None:
    ask(client_for(secretariat), submitted_a, "6-4", text="Question about the difficulties")
    request = ClarificationRequest.objects.get()
    url = reverse("reporting:clarification_detail", kwargs={"pk": request.pk})
    listing = reverse("reporting:clarification_list", kwargs={"pk": submitted_a.cycle_id})
    for user in (None, focal_point_b, practitioner_a):
        client = client_for(user)
        page = client.get(url)
        assert page.status_code in (302, 404)
        assert MARKER.encode() not in page.content
        assert client.post(url, {"text": "Intrusion"}).status_code in (302, 404)
        listed = client.get(listing)
        assert b"Question about the difficulties" not in listed.content
        assert b"Mexico" not in listed.content
    assert request.messages.count() == 1
    # The State asked may not open requests itself.
    assert ask(client_for(focal_point_a), submitted_a, "6-1").status_code == 404
