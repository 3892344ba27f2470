"""An answer to a question that its condition hides (5-2 is shown only when 5-1 is yes or
partly) stays stored, but the response's pages neither show it nor require it: the API, the
exports and the report leave it out too, for the State's focal point and the secretariat
alike; once 5-1 shows 5-2 again, its answer is back everywhere."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document as read_docx
from openpyxl import load_workbook

from palermo.accounts.models import User
from palermo.reporting.models import Cycle, Response
from tests.personas import client_for

from .analysis_world import *  # noqa: F403 - the world's fixtures
from .analysis_world import PUBLIC_TEXT
from .cycles_world import answers_of, save_section

pytestmark = pytest.mark.django_db


def _france(cycle: Cycle) -> Response:
    return Response.objects.get(cycle=cycle, state__code="FRA")


def _api_answers(user: User, response: Response) -> dict[str, Any]:
    found = client_for(user).get(f"/api/v1/responses/{response.pk}")
    assert found.status_code == 200
    return {row["question"]: row["value"] for row in found.json()["answers"]}


def _csv_rows(user: User, cycle: Cycle) -> set[tuple[str, str, str]]:
    """(State code, question code, value as recorded) of each row of the CSV export."""
    found = client_for(user).get(reverse("reporting:analysis_answers",
                                         kwargs={"pk": cycle.pk, "fmt": "csv"}))
    assert found.status_code == 200
    body = b"".join(found.streaming_content).decode()  # type: ignore[attr-defined]
    lines = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    return {(row[0], row[3], row[7]) for row in lines[1:]}


def _xlsx_rows(user: User, cycle: Cycle) -> set[tuple[str, str, str]]:
    found = client_for(user).get(reverse("reporting:analysis_answers",
                                         kwargs={"pk": cycle.pk, "fmt": "xlsx"}))
    assert found.status_code == 200
    sheet = next(iter(load_workbook(io.BytesIO(found.content), read_only=True)))
    return {(str(row[0]), str(row[3]), str(row[7]))
            for row in list(sheet.iter_rows(values_only=True))[1:]}


def _report_counts(user: User, cycle: Cycle) -> dict[str, str]:
    """The figures of question 5-2 in the report (the only table with its choices)."""
    found = client_for(user).get(reverse("reporting:analysis_report",
                                         kwargs={"pk": cycle.pk, "fmt": "docx"}))
    assert found.status_code == 200
    for table in read_docx(io.BytesIO(found.content)).tables:
        rows = {row.cells[0].text: row.cells[-1].text for row in table.rows}
        if "Conduct" in rows:
            return rows
    raise AssertionError("the report has no figures of 5-2")


def _answer_again(secretariat: User, focal_point_b: User, response: Response,
                  first: str) -> None:
    """The secretariat reopens France's response; its focal point answers 5-1 yes, then 5-2
    (which 5-1 = yes shows) "agreement", then saves 5-1 as ``first`` (5-1 = no hides 5-2
    again, and the form then no longer carries it) and submits, all through the pages."""
    reopened = client_for(secretariat).post(
        reverse("reporting:response_reopen", kwargs={"pk": response.pk}),
        {"reason": "Test reopening"})
    assert reopened.status_code == 302
    client = client_for(focal_point_b)
    last = {"5-1": first} if first == "no" else {"5-1": first, "5-2": "agreement"}
    for answers in ({"5-1": "yes"}, {"5-1": "yes", "5-2": "agreement"}, last):
        assert save_section(client, response, "art-5", answers).status_code in (200, 302)
    response.refresh_from_db()
    assert answers_of(response)["5-2"] == "agreement"  # kept, in case 5-1 changes back
    submitted = client.post(reverse("reporting:response_submit", kwargs={"pk": response.pk}))
    assert submitted.status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED


def test_an_answer_hidden_by_a_changed_answer_is_left_out_of_the_api_and_the_exports(
        secretariat: User, focal_point_b: User, world: Cycle) -> None:
    france = _france(world)
    _answer_again(secretariat, focal_point_b, france, "no")
    for person in (focal_point_b, secretariat):
        answers = _api_answers(person, france)
        assert answers["5-1"] == "no"
        assert "5-2" not in answers
        assert answers["6-4"] == PUBLIC_TEXT  # the other answers are all there
        for rows in (_csv_rows(person, world), _xlsx_rows(person, world)):
            assert ("FRA", "5-1", '"no"') in rows
            assert not [row for row in rows if row[:2] == ("FRA", "5-2")]
    # The report counts only Mexico's answer to 5-2 (Mexico answered 5-1 yes).
    figures = _report_counts(secretariat, world)
    assert figures["Answers"] == "1"
    assert figures["Agreement"] == "1 (100 %)" and figures["Conduct"] == "0 (0 %)"


def test_the_answer_is_back_when_the_earlier_answer_shows_its_question(
        secretariat: User, focal_point_b: User, world: Cycle) -> None:
    france = _france(world)
    _answer_again(secretariat, focal_point_b, france, "yes")
    for person in (focal_point_b, secretariat):
        answers = _api_answers(person, france)
        assert answers["5-1"] == "yes" and answers["5-2"] == "agreement"
        for rows in (_csv_rows(person, world), _xlsx_rows(person, world)):
            assert ("FRA", "5-2", '"agreement"') in rows
    figures = _report_counts(secretariat, world)
    assert figures["Answers"] == "2" and figures["Agreement"] == "2 (100 %)"


def test_a_draft_leaves_the_hidden_answer_out_as_its_pages_do(
        secretariat: User, focal_point_b: User, world: Cycle) -> None:
    """While France answers again, the API gives its draft as the form shows it."""
    france = _france(world)
    client_for(secretariat).post(reverse("reporting:response_reopen",
                                         kwargs={"pk": france.pk}), {"reason": "Test"})
    client = client_for(focal_point_b)
    save_section(client, france, "art-5", {"5-1": "partly"})
    save_section(client, france, "art-5", {"5-1": "partly", "5-2": "agreement"})
    assert _api_answers(focal_point_b, france)["5-2"] == "agreement"
    save_section(client, france, "art-5", {"5-1": "no"})
    assert "5-2" not in _api_answers(focal_point_b, france)
    assert "5-2" not in _api_answers(secretariat, france)


def test_the_world_as_planted_gives_no_hidden_answer_to_the_api(
        secretariat: User, focal_point_a: User, world: Cycle) -> None:
    """France's 5-2 was stored while 5-1 is no; Mexico's 5-1 yes shows its own 5-2."""
    assert "5-2" not in _api_answers(secretariat, _france(world))
    mexico = Response.objects.get(cycle=world, state__code="MEX")
    assert _api_answers(focal_point_a, mexico)["5-2"] == "agreement"
