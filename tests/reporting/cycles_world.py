"""A small world for tests of cycles and answering: a published UNTOC questionnaire of two
sections built with the models, a cycle open to its parties (Mexico and France among them),
and the people who answer. Every person is a fictional test account."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import User
from palermo.reference.models import Article, Instrument, Participation, Source, State
from palermo.reporting.cycles import services
from palermo.reporting.models import (
    Cycle,
    Question,
    QuestionCitation,
    QuestionnaireVersion,
    Response,
    ResponseContributor,
    Section,
    TableColumn,
)
from tests.personas import make_person

from .factories import draft_version, texts

MARKER = "CONFIDENTIAL-MARKER-7Q2"


def build_version(code: str = "cycle-untoc") -> QuestionnaireVersion:
    """Section art-5: 5-1 (yes/no/partly, required), 5-2 (choice, required, shown when 5-1 is
    yes or partly). Section cases: 6-1 (number, required), 6-2 (table), 6-3 (file), 6-4 (text).
    """
    version = draft_version(code)
    cases = Section.objects.create(questionnaire_version=version, position=2, code="cases",
                                   title=texts("Cases"))
    Question.objects.create(section=cases, position=1, code="6-1", type=Question.Type.NUMBER,
                            required=True, text=texts("How many convictions?"))
    table = Question.objects.create(section=cases, position=2, code="6-2",
                                    type=Question.Type.TABLE, text=texts("One row per case"))
    TableColumn.objects.create(question=table, position=1, code="year",
                               type=TableColumn.Type.NUMBER, label=texts("Year"))
    TableColumn.objects.create(question=table, position=2, code="summary",
                               label=texts("Summary"))
    Question.objects.create(section=cases, position=3, code="6-3", type=Question.Type.FILE,
                            text=texts("The law, as a file"))
    Question.objects.create(section=cases, position=4, code="6-4", type=Question.Type.TEXT,
                            text=texts("Difficulties met"),
                            help=texts("Say what technical assistance would help."))
    article = Article.objects.get(instrument__code="untoc", number=5)
    for item in cases.questions.all():
        QuestionCitation.objects.create(question=item, article=article)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


def make_parties(*codes: str, on: dt.date = dt.date(2003, 1, 1)) -> None:
    """Record the States as parties to UNTOC (the shipped list is partial and may lack them);
    the dates are test records, not the treaty record."""
    untoc = Instrument.objects.get(code="untoc")
    for code in codes:
        Participation.objects.update_or_create(
            state=State.objects.get(code=code), instrument=untoc,
            defaults={"consent_on": on, "action": Participation.Action.RATIFICATION,
                      "source": Source.objects.first()})


@pytest.fixture
def version(reference_data: None) -> QuestionnaireVersion:
    make_parties("MEX", "FRA")
    return build_version()


def open_cycle(version: QuestionnaireVersion, user: User, *, closes_on: dt.date) -> Cycle:
    return services.cycle_create(
        user=user, version=version, title=texts("First cycle"),
        parties_on=dt.date(2025, 1, 1), opens_on=closes_on - dt.timedelta(days=90),
        closes_on=closes_on, remind_days_before=14, remind_days_after=7)


@pytest.fixture
def cycle(version: QuestionnaireVersion, secretariat: User) -> Cycle:
    return open_cycle(version, secretariat,
                      closes_on=timezone.localdate() + dt.timedelta(days=60))


@pytest.fixture
def response_a(cycle: Cycle, state_a: Any) -> Response:
    return Response.objects.get(cycle=cycle, state=state_a)


@pytest.fixture
def response_b(cycle: Cycle, state_b: Any) -> Response:
    return Response.objects.get(cycle=cycle, state=state_b)


@pytest.fixture
def expert_a(response_a: Response, focal_point_a: User) -> User:
    expert = make_person("expert-a@example.org")
    ResponseContributor.objects.create(response=response_a, user=expert,
                                       invited_by=focal_point_a)
    return expert


@pytest.fixture
def expert_a2(response_a: Response, focal_point_a: User) -> User:
    expert = make_person("expert-a2@example.org")
    ResponseContributor.objects.create(response=response_a, user=expert,
                                       invited_by=focal_point_a)
    return expert


def question(version: QuestionnaireVersion, code: str) -> Question:
    return Question.objects.get(questionnaire_version=version, code=code)


def section(version: QuestionnaireVersion, code: str) -> Section:
    return Section.objects.get(questionnaire_version=version, code=code)


def section_url(response: Response, code: str) -> str:
    return reverse("reporting:response_section",
                   kwargs={"pk": response.pk,
                           "section_pk": section(response.questionnaire_version, code).pk})


def detail_url(response: Response) -> str:
    return reverse("reporting:response_detail", kwargs={"pk": response.pk})


def version_on_page(page: Any) -> int:
    match = re.search(rb'name="version" value="(\d+)"', page.content)
    assert match, "the form carries no version"
    return int(match.group(1))


def save_section(client: Client, response: Response, code: str, answers: dict[str, Any], *,
                 version: int | None = None, confidential: tuple[str, ...] = (),
                 extra: dict[str, Any] | None = None, **headers: Any) -> Any:
    """Post a section form: ``answers`` by question code; the version read from the page
    unless given."""
    url = section_url(response, code)
    if version is None:
        version = version_on_page(client.get(url))
    data: dict[str, Any] = {"version": version}
    for question_code, value in answers.items():
        pk = question(response.questionnaire_version, question_code).pk
        data[f"q{pk}"] = value
        if question_code in confidential:
            data[f"q{pk}-confidential"] = "on"
    data.update(extra or {})
    return client.post(url, data, headers=headers or None)


def answers_of(response: Response) -> dict[str, Any]:
    return {a.question.code: a.value for a in response.answers.select_related("question")}
