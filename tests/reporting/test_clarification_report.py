"""The report on the information States parties provided in reply to individual requests for
clarification (decision 3/1 h): the secretariat's, in the six languages, as DOCX and PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document as read_docx

from palermo.accounts.models import User
from palermo.reference.selectors import sort_key
from palermo.reporting.cycles import services
from palermo.reporting.models import Cycle, Question, Response, ResponseContributor
from tests.editions.readers import docx_text, pdf_text
from tests.personas import client_for, make_person

from .analysis_world import *  # noqa: F403 - the world's fixtures
from .analysis_world import state

pytestmark = pytest.mark.django_db

ASKED_A = "Which training is planned for investigators? (test question)"
REPLY_A = "Two courses in 2027, for forty investigators (test reply)"
ASKED_B = "How many of the three convictions are final? (test question)"
TITLE = ("Report on the information provided by States parties in response to individual "
         "requests for clarification")


def _question(cycle: Cycle, code: str) -> Question:
    return Question.objects.get(questionnaire_version=cycle.questionnaire_version, code=code)


@pytest.fixture
def asked(world: Cycle, secretariat: User, focal_point_a: User) -> Cycle:
    """Mexico was asked about 6-4 and 6-5 and replied; France was asked about 6-1 and has not
    replied yet."""
    mexico = Response.objects.get(cycle=world, state__code="MEX")
    france = Response.objects.get(cycle=world, state__code="FRA")
    request = services.clarification_create(
        user=secretariat, response=mexico,
        questions=[_question(world, "6-4"), _question(world, "6-5")], text=ASKED_A)
    services.clarification_reply(user=focal_point_a, request=request, text=REPLY_A)
    services.clarification_create(user=secretariat, response=france,
                                  questions=[_question(world, "6-1")], text=ASKED_B)
    return world


def url(cycle: Cycle, fmt: str = "docx") -> str:
    return reverse("reporting:analysis_clarification_report", kwargs={"pk": cycle.pk, "fmt": fmt})


def _pairs(data: bytes) -> list[tuple[str, str]]:
    """The rows of the document's tables: (key, value)."""
    document = read_docx(io.BytesIO(data))
    return [(row.cells[0].text, row.cells[-1].text) for table in document.tables
            for row in table.rows]


def _table_rows(data: bytes) -> dict[str, str]:
    return dict(_pairs(data))


def _state_headings(data: bytes) -> list[str]:
    return [p.text for p in read_docx(io.BytesIO(data)).paragraphs
            if p.style is not None and p.style.name == "Heading 1"][1:]  # after the summary


def test_the_report_holds_each_request_its_questions_and_the_thread(
        asked: Cycle, secretariat: User) -> None:
    response = client_for(secretariat).get(url(asked), {"language": "en"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
    assert f"palermo-cycle-{asked.pk}-clarifications-en.docx" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    text = docx_text(response.content)
    assert TITLE in text and "First cycle" in text
    assert "decision 3/1" in text and "paragraph (g)" in text and "paragraph (h)" in text
    assert "Mexico" in text and "France" in text
    assert "6-4 — Difficulties met" in text and "6-1 — How many convictions?" in text
    assert "6-5 — Does your State need technical assistance? (art. 5(1)(a))" in text
    assert ASKED_A in text and REPLY_A in text and ASKED_B in text
    assert text.count("No reply yet.") == 1  # France's, not Mexico's
    rows = _table_rows(response.content)
    assert rows["Requests made"] == "2"
    assert rows["Answered by the State, not yet closed"] == "1"
    assert rows["Closed by the secretariat"] == "0"
    assert rows["Still open"] == "1"
    assert rows["States concerned"] == "2"
    assert rows["Status"] in {"Answered", "Open"}
    # The thread names who wrote: the secretariat or the State, never a person.
    authors = {value: key for key, value in _pairs(response.content)
               if value in (ASKED_A, REPLY_A, ASKED_B)}
    assert authors[ASKED_A].startswith("Secretariat, ")
    assert authors[ASKED_B].startswith("Secretariat, ")
    assert authors[REPLY_A].startswith("Mexico, ")
    assert "focal-a" not in text and "secretariat@" not in text
    assert "Test questionnaire — " in text  # the questionnaire, then its instrument
    assert _state_headings(response.content) == ["France", "Mexico"]


def test_a_closed_request_is_counted_and_says_when(asked: Cycle, secretariat: User) -> None:
    request = Response.objects.get(cycle=asked, state__code="MEX").clarifications.get()
    services.clarification_close(user=secretariat, request=request)
    rows = _table_rows(client_for(secretariat).get(url(asked)).content)
    assert rows["Closed by the secretariat"] == "1"
    assert rows["Answered by the State, not yet closed"] == "0"
    assert "Closed on" in rows


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_report_is_written_in_the_language_asked_for(
        asked: Cycle, secretariat: User, language: str) -> None:
    response = client_for(secretariat).get(url(asked), {"language": language})
    assert response.status_code == 200
    assert f"-clarifications-{language}.docx" in response["Content-Disposition"]
    text = docx_text(response.content)
    with translation.override(language):
        assert gettext(TITLE) in text
        assert gettext("No reply yet.") in text
        mexico = state("MEX").name
    assert f"Difficulties met [{language}]" in text  # the questionnaire in that language
    assert mexico in text
    # The secretariat's and the State's own words, as they wrote them.
    assert ASKED_A in text and REPLY_A in text and ASKED_B in text


def test_states_are_ordered_by_their_name_in_the_reports_language(
        asked: Cycle, secretariat: User) -> None:
    response = client_for(secretariat).get(url(asked), {"language": "zh-hans"})
    with translation.override("zh-hans"):
        names = sorted([state("MEX").name, state("FRA").name], key=sort_key)
    assert _state_headings(response.content) == names


def test_the_pdf_holds_the_reply(asked: Cycle, secretariat: User) -> None:
    response = client_for(secretariat).get(url(asked, "pdf"), {"language": "en"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(pdf_text(response.content).split())
    assert REPLY_A in text and "No reply yet." in text


def test_the_report_of_the_demo_cycle_says_it_is_fictional(asked: Cycle,
                                                             secretariat: User) -> None:
    Cycle.objects.filter(pk=asked.pk).update(is_demo=True)
    response = client_for(secretariat).get(url(asked), {"language": "en"})
    paragraphs = [p.text for p in read_docx(io.BytesIO(response.content)).paragraphs]
    assert "Fictional demonstration data: not the answers of any State." in paragraphs[1]


def test_only_the_secretariat_gets_the_report(
        asked: Cycle, focal_point_a: User, focal_point_b: User, practitioner_a: User) -> None:
    expert = make_person("expert-report@example.org")
    ResponseContributor.objects.create(
        response=Response.objects.get(cycle=asked, state__code="MEX"), user=expert,
        invited_by=focal_point_a)
    for person in (focal_point_a, focal_point_b, expert, practitioner_a, None):
        for fmt in ("docx", "pdf"):
            response = client_for(person).get(url(asked, fmt))
            assert response.status_code == 404, (person, fmt)
            assert REPLY_A.encode() not in response.content


def test_unknown_formats_and_languages_answer_404(asked: Cycle, secretariat: User) -> None:
    client = client_for(secretariat)
    assert client.get(url(asked, "odt")).status_code == 404
    assert client.get(url(asked), {"language": "xx"}).status_code == 404
    missing = reverse("reporting:analysis_clarification_report",
                      kwargs={"pk": 999999, "fmt": "docx"})
    assert client.get(missing).status_code == 404


def test_the_secretariat_finds_the_report_where_it_reads_the_requests_and_the_analysis(
        asked: Cycle, secretariat: User, focal_point_a: User) -> None:
    link = url(asked)
    for name in ("reporting:clarification_list", "reporting:analysis_cycle"):
        page = reverse(name, kwargs={"pk": asked.pk})
        assert link in client_for(secretariat).get(page).content.decode(), name
        shown = client_for(focal_point_a).get(page)
        assert shown.status_code == 200 and link not in shown.content.decode(), name
