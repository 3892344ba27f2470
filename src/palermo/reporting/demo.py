"""A fictional demonstration reporting cycle, so that reporting and its analysis can be tried at
once with the demo accounts.

One cycle on the shipped UNTOC questionnaire on criminalization, marked ``is_demo`` and titled
as a demonstration in the six languages; its pages carry the demo banner and its report says
that it is fictional. Most demo States submitted fictional answers to every question they were
shown (answers vary from State to State, so that the charts of the analysis show something; one
answer is confidential), one State is still answering (some sections saved), one has not
started, and the demo secretariat asked one State for a clarification, which its demo focal
point answered. Every text answer says it is fictional. A second run creates nothing.

How it is built, and why:

- **The States in scope are the demo States only**, never every party. ``cycle_create`` puts a
  questionnaire to the parties of its instrument on a date, so a demo cycle made by it would
  list real States as not having answered a questionnaire they were never sent. The cycle and
  its responses are therefore created here, as ``cycle_create`` creates them (the cycle checked
  by ``full_clean``, the responses with their history), but for the demo States alone, whether
  or not the shipped participation list (partial) records them as parties.
- **Answers go through the services**: ``section_save`` and ``response_submit`` as the State's
  demo focal point, so that the sections' versions (the tokens of stale saves), the statuses,
  the answers' history and the analysis cache's data token are what answering in the pages
  would leave; the history names the demo focal point as the page's request would.
- **The clarification request is written here**, not by ``clarification_create``: that service
  mails the State's focal points, and the demo's addresses are fictional (``.invalid``), which
  an SMTP server refuses. The reply goes through ``clarification_reply``, which mails no one.
- The cycle is open (its deadline two months after the run), so that the demo focal point of
  the State still answering can go on and submit; like any State that has not submitted, the
  demo States are reminded of the deadline, at their fictional addresses.
- It needs the shipped questionnaires (``palermo setup`` loads them before the demo data):
  without them it creates nothing and says so (:class:`ReportingDemoSkipped`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from palermo.accounts.demo import DEMO_DOMAIN, DEMO_STATES, DemoNotAllowed
from palermo.accounts.models import Membership, User
from palermo.reference.models import State

from .cycles import selectors, services
from .models import (
    ClarificationMessage,
    ClarificationRequest,
    Cycle,
    Question,
    QuestionnaireVersion,
    Response,
    Section,
    TableColumn,
)

QUESTIONNAIRE = "untoc-criminalization"
# The cycle's title in the six languages: data of the demo, like the questionnaires' texts.
TITLE = {
    "ar": "دورة إبلاغ تجريبية (وهمية)",
    "zh-hans": "演示报告周期（虚构）",
    "en": "Demonstration reporting cycle (fictional)",
    "fr": "Cycle de rapports de démonstration (fictif)",
    "ru": "Демонстрационный цикл отчетности (вымышленный)",
    "es": "Ciclo de informes de demostración (ficticio)",
}
# What each demo State has done; the others submitted their response.
IN_PROGRESS = "IND"  # some sections saved, not submitted
NOT_STARTED = "NGA"
CONFIDENTIAL = "FRA"  # submitted, one answer marked confidential
CLARIFIED = "MEX"  # submitted, asked for a clarification, which it answered
SECTIONS_IN_PROGRESS = 2
# Answers to yes/no/partly questions, taken in turn from a place that differs by State.
YES_NO_PARTLY = ["yes", "yes", "partly", "yes", "no", "yes", "partly"]
FICTIONAL = "Fictional demonstration answer"


class ReportingDemoSkipped(Exception):
    """The reporting demo cannot be made here; the message says why and what to do."""


def _fictional_text(state: State) -> str:
    return (f"{FICTIONAL} ({state.code}): invented to show how Palermo presents the answers; "
            "it is not the law or the practice of any State.")


def _cell(column: TableColumn, state: State, turn: int) -> Any:
    if column.type == TableColumn.Type.NUMBER:
        return 2021 + turn % 5 if column.code == "year" else 1 + turn % 4
    if column.type == TableColumn.Type.DATE:
        return dt.date(2021 + turn % 5, 1 + turn % 12, 15).isoformat()
    if column.type == TableColumn.Type.YES_NO:
        return "yes" if turn % 3 else "no"
    return f"{FICTIONAL} ({state.code})"


def _value(question: Question, state: State, turn: int) -> Any:
    """A valid answer to the question, as the section form would store it; None for a file
    question (the demo attaches no file)."""
    kind = question.type
    if kind == Question.Type.YES_NO_PARTLY:
        return YES_NO_PARTLY[turn % len(YES_NO_PARTLY)]
    codes = [choice.code for choice in question.choices.all()]
    if kind == Question.Type.SINGLE and codes:
        return codes[turn % len(codes)]
    if kind == Question.Type.MULTIPLE and codes:
        # The last choice is often the one that excludes the others ("none", "neither").
        usual = codes[:-1] if len(codes) > 2 else codes
        return sorted({usual[turn % len(usual)], usual[(turn + 2) % len(usual)]},
                      key=codes.index)
    if kind == Question.Type.NUMBER:
        return 3 + 2 * (turn % 6)
    if kind == Question.Type.DATE:
        return dt.date(2015 + turn % 10, 1 + turn % 12, 1).isoformat()
    if kind == Question.Type.TABLE:
        return [{column.code: _cell(column, state, turn) for column in question.columns.all()}]
    if kind == Question.Type.TEXT:
        return _fictional_text(state)
    return None


def _answers(sections: list[Section], state: State, index: int) -> dict[int, dict[int, Any]]:
    """The State's answers by section and question id: every question its earlier answers
    show, none that a condition hides."""
    values: dict[int, Any] = {}
    by_section: dict[int, dict[int, Any]] = {}
    turn = index
    for section in sections:
        for question in section.questions.all():
            turn += 1
            shown = selectors.shown_questions(sections, values)
            if question.pk not in shown:
                continue
            value = _value(question, state, turn)
            if value is not None:
                values[question.pk] = value
                by_section.setdefault(section.pk, {})[question.pk] = value
    return by_section


@contextmanager
def _acting_as(user: User) -> Iterator[None]:
    """The history of answers and responses names the person of the page's request
    (simple_history's middleware); outside a request, the demo person who acts is named so."""
    context = HistoricalRecords.context
    had, previous = hasattr(context, "request"), getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if had:
            context.request = previous
        else:
            del context.request


def _answer(response: Response, person: User, sections: list[Section],
            answers: dict[int, dict[int, Any]], confidential: int | None) -> None:
    with _acting_as(person):
        for section in sections:
            values = answers.get(section.pk)
            if not values:
                continue
            services.section_save(
                user=person, response=response, section=section, token=0,
                data=services.SectionInput(
                    values=values,
                    confidential={confidential} if confidential in values else set(),
                    uploads={}, removed_files=set()))


def _focal_points() -> dict[str, User]:
    found: dict[str, User] = {}
    for membership in (Membership.objects
                       .filter(user__is_demo=True, user__is_active=True,
                               role=Membership.Role.FOCAL_POINT, state__code__in=DEMO_STATES)
                       .select_related("user", "state").order_by("user_id")):
        found.setdefault(membership.state.code, membership.user)
    return found


def demo_version() -> QuestionnaireVersion | None:
    """The newest published version of the shipped UNTOC questionnaire on criminalization."""
    return (QuestionnaireVersion.objects
            .filter(questionnaire__code=QUESTIONNAIRE,
                    status=QuestionnaireVersion.Status.PUBLISHED)
            .order_by("-number").first())


@transaction.atomic
def create_reporting_demo() -> int:
    """Create the demo cycle if there is none; return how many demo responses were created."""
    if not settings.PALERMO_DEMO_ALLOWED:
        raise DemoNotAllowed("Demo data is switched off in this installation (PALERMO_DEMO).")
    if Cycle.objects.filter(is_demo=True).exists():
        return 0
    version = demo_version()
    if version is None:
        raise ReportingDemoSkipped(
            "Reporting demo: skipped, the shipped questionnaires are not loaded; run "
            "'palermo load_questionnaires', then 'palermo demo_data' again.")
    secretariat = User.objects.filter(email=f"secretariat@{DEMO_DOMAIN}", is_demo=True).first()
    states = list(State.objects.filter(code__in=DEMO_STATES).order_by("code"))
    if secretariat is None or not states:
        raise ReportingDemoSkipped(
            "Reporting demo: skipped, the demo accounts and States are missing.")
    today = timezone.localdate()
    opens_on = today - dt.timedelta(days=30)
    cycle = Cycle(questionnaire_version=version, title=dict(TITLE), parties_on=opens_on,
                  opens_on=opens_on, closes_on=today + dt.timedelta(days=60),
                  created_by=secretariat, is_demo=True)
    cycle.full_clean()
    cycle.save()
    responses = bulk_create_with_history(
        [Response(state=state, cycle=cycle, questionnaire_version=version) for state in states],
        Response, default_user=secretariat)
    sections = selectors.version_sections(version)
    people = _focal_points()
    for index, response in enumerate(Response.objects.filter(cycle=cycle)
                                     .select_related("state", "cycle", "questionnaire_version")
                                     .order_by("state__code")):
        state = response.state
        person = people.get(state.code)
        if person is None or state.code == NOT_STARTED:
            continue
        answers = _answers(sections, state, index)
        if state.code == IN_PROGRESS:
            _answer(response, person, sections[:SECTIONS_IN_PROGRESS], answers, None)
            continue
        confidential = None
        if state.code == CONFIDENTIAL:
            texts = [question.pk for section in sections for question in section.questions.all()
                     if question.type == Question.Type.TEXT
                     and question.pk in answers.get(section.pk, {})]
            confidential = texts[-1] if texts else None
        _answer(response, person, sections, answers, confidential)
        try:
            with _acting_as(person):
                response = services.response_submit(user=person, response=response)
        except services.MissingAnswers:
            continue  # a question the demo cannot answer (a file): the State is answering
        if state.code == CLARIFIED:
            _clarification(response, secretariat, person, sections, answers)
    return len(responses)


def _clarification(response: Response, secretariat: User, person: User,
                   sections: list[Section], answers: dict[int, dict[int, Any]]) -> None:
    answered = [question for section in sections for question in section.questions.all()
                if question.pk in answers.get(section.pk, {})]
    numbers = [q for q in answered if q.type == Question.Type.NUMBER]
    questions = numbers[:1] or answered[:1]
    request = ClarificationRequest.objects.create(response=response, created_by=secretariat)
    request.questions.set(questions)
    message = ClarificationMessage(
        request=request, author=secretariat,
        text="Fictional demonstration request: please say which law sets the penalty given "
             "in this answer, and since when it is in force.")
    message.full_clean()
    message.save()
    services.clarification_reply(
        user=person, request=request,
        text="Fictional demonstration reply: the penalty is set by article 1 of the demo "
             "criminal code, in force since 2010.")
