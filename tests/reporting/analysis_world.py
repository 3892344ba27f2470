"""A small world for tests of the analysis of a cycle: a UNTOC questionnaire with a condition,
cited provisions and questions tagged with priority areas; a cycle to Mexico (State A), France
(State B) and Brazil; answers planted directly. Every person is a fictional test account and
every answer fictional."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from palermo.accounts.models import Membership, User
from palermo.reference.models import Article, State
from palermo.reporting.models import (
    Answer,
    Cycle,
    PriorityArea,
    Question,
    QuestionCitation,
    QuestionnaireVersion,
    QuestionTag,
    Response,
    Section,
)
from tests.personas import make_person

from .cycles_world import make_parties, open_cycle
from .factories import draft_version, texts

MARKER = "CONFIDENTIAL-ANALYSIS-MARKER-9X4"
PUBLIC_TEXT = "Lack of trained investigators (fictional answer)"


def build_version() -> QuestionnaireVersion:
    """art-5: 5-1 (yes/no/partly, art. 5(1)(a)), 5-2 (choice, shown when 5-1 is yes or
    partly). needs: 6-1 (number), 6-4 (text, criminalization and training), 6-5 (yes/no/partly,
    art. 5(1)(a), training)."""
    version = draft_version("analysis-untoc")
    needs = Section.objects.create(questionnaire_version=version, position=2, code="needs",
                                   title=texts("Difficulties and needs"))
    Question.objects.create(section=needs, position=1, code="6-1", type=Question.Type.NUMBER,
                            text=texts("How many convictions?"))
    text = Question.objects.create(section=needs, position=2, code="6-4",
                                   type=Question.Type.TEXT, text=texts("Difficulties met"))
    QuestionTag.objects.create(question=text, area=PriorityArea.CRIMINALIZATION)
    QuestionTag.objects.create(question=text, area=PriorityArea.TRAINING)
    need = Question.objects.create(section=needs, position=3, code="6-5",
                                   type=Question.Type.YES_NO_PARTLY,
                                   text=texts("Does your State need technical assistance?"))
    QuestionTag.objects.create(question=need, area=PriorityArea.TRAINING)
    article = Article.objects.get(instrument__code="untoc", number=5)
    QuestionCitation.objects.create(question=need, article=article,
                                    paragraph=article.paragraphs.get(number=1), subparagraph="a")
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


def answer(response: Response, code: str, value: Any, *, confidential: bool = False) -> Answer:
    question = Question.objects.get(questionnaire_version=response.questionnaire_version,
                                    code=code)
    return Answer.objects.create(response=response, question=question, value=value,
                                 confidential=confidential)


def submit(response: Response) -> None:
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at"])


@pytest.fixture
def practitioner_b(reference_data: None) -> User:
    return make_person("practitioner-b@example.org", state="FRA",
                       role=Membership.Role.PRACTITIONER)


@pytest.fixture
def world(reference_data: None, secretariat: User) -> Cycle:
    """A submitted (confidential marker in 6-4, confidential yes in 6-5; hidden-free), B
    submitted (5-2 answered though hidden by 5-1 = no), Brazil still drafting."""
    make_parties("MEX", "FRA", "BRA")
    version = build_version()
    cycle = open_cycle(version, secretariat,
                       closes_on=timezone.localdate() + dt.timedelta(days=30))
    a = Response.objects.get(cycle=cycle, state__code="MEX")
    b = Response.objects.get(cycle=cycle, state__code="FRA")
    c = Response.objects.get(cycle=cycle, state__code="BRA")
    answer(a, "5-1", "yes")
    answer(a, "5-2", "agreement")
    answer(a, "6-1", 12)
    answer(a, "6-4", f"{MARKER} (fictional)", confidential=True)
    answer(a, "6-5", "yes", confidential=True)
    submit(a)
    answer(b, "5-1", "no")
    answer(b, "5-2", "conduct")  # hidden by 5-1 = no: never counted
    answer(b, "6-1", 3)
    answer(b, "6-4", PUBLIC_TEXT)
    answer(b, "6-5", "no")
    submit(b)
    answer(c, "5-1", "partly")
    c.status = Response.Status.IN_PROGRESS
    c.save(update_fields=["status"])
    return cycle


def state(code: str) -> State:
    return State.objects.get(code=code)
