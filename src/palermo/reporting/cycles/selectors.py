"""Reads of cycles and responses: the questions a State sees, progress, what is missing, the
status of a cycle per State, and the reminders that are due.

Every read of a response or an answer goes through ``palermo.reporting.access`` first; these
functions take objects the caller may see.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import ngettext

from palermo.accounts.models import Membership, User
from palermo.reference.models import RegionalGroup
from palermo.reporting import access
from palermo.reporting.models import (
    Answer,
    ClarificationRequest,
    Cycle,
    CycleReminderLog,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseSection,
    Section,
)

# Statuses of a response in the order a cycle page lists them.
STATUSES = [status for status, _label in Response.Status.choices]


# Questions and answers ------------------------------------------------------------------------

def version_sections(version: QuestionnaireVersion) -> list[Section]:
    """The version's sections with their questions and everything a page shows of them."""
    questions = (Question.objects.select_related("depends_on")
                 .prefetch_related("choices", "columns", "citations__article__instrument",
                                   "citations__paragraph")
                 .order_by("position", "pk"))
    return list(version.sections.prefetch_related(Prefetch("questions", queryset=questions))
                .order_by("position", "pk"))


def answers_for(user: Any, response: Response) -> dict[int, Answer]:
    """The answers of the response the user may see, by question id (files included)."""
    return {answer.question_id: answer
            for answer in access.answers_visible_to(user).filter(response=response)
            .prefetch_related("files")}


def is_answered(question: Question, value: Any) -> bool:
    if value is None or value == "" or value == []:
        return False
    if question.type == Question.Type.TABLE:
        return isinstance(value, list) and any(
            any(cell not in (None, "") for cell in row.values())
            for row in value if isinstance(row, dict))
    return True


def answer_values(answers: Mapping[int, Answer]) -> dict[int, Any]:
    return {question_id: answer.value for question_id, answer in answers.items()}


def shown_questions(sections: list[Section], values: Mapping[int, Any]) -> set[int]:
    """Ids of the questions whose conditions are met, given the values of the answers by
    question id. A question whose source is hidden is hidden too: the stale answer of a
    hidden question counts as no answer."""
    shown: set[int] = set()
    by_code: dict[str, Any] = {}
    for section in sections:
        for question in section.questions.all():
            if question.depends_on_id is not None and question.depends_on_id not in shown:
                visible = False
            else:
                visible = question.is_shown(by_code)
            if visible:
                shown.add(question.pk)
                if question.pk in values:
                    by_code[question.code] = values[question.pk]
    return shown


@dataclass
class SectionProgress:
    section: Section
    required: int = 0
    answered_required: int = 0
    answered: int = 0
    shown: int = 0
    missing: list[Question] = field(default_factory=list)
    version: int = 0
    saved_by: Any = None
    saved_at: dt.datetime | None = None

    @property
    def complete(self) -> bool:
        return self.answered_required == self.required


def progress(sections: list[Section], answers: dict[int, Answer],
             saved: dict[int, ResponseSection] | None = None) -> list[SectionProgress]:
    """Per section: visible required questions, how many are answered, what is missing."""
    shown = shown_questions(sections, answer_values(answers))
    rows = []
    for section in sections:
        row = SectionProgress(section=section)
        stored = (saved or {}).get(section.pk)
        if stored is not None:
            row.version, row.saved_by, row.saved_at = (stored.version, stored.updated_by,
                                                       stored.updated_at)
        for question in section.questions.all():
            if question.pk not in shown:
                continue
            row.shown += 1
            answer = answers.get(question.pk)
            done = answer is not None and is_answered(question, answer.value)
            row.answered += done
            if question.required:
                row.required += 1
                row.answered_required += done
                if not done:
                    row.missing.append(question)
        rows.append(row)
    return rows


def saved_sections(response: Response) -> dict[int, ResponseSection]:
    return {rs.section_id: rs for rs in
            ResponseSection.objects.filter(response=response).select_related("updated_by")}


def response_progress(user: Any, response: Response) -> list[SectionProgress]:
    sections = version_sections(response.questionnaire_version)
    return progress(sections, answers_for(user, response), saved_sections(response))


# Lists of responses ---------------------------------------------------------------------------

def responses_of(user: Any) -> QuerySet[Response]:
    """The responses a focal point or an expert works on (the secretariat: none here; it
    reaches responses through the cycles)."""
    if access.is_secretariat(user):
        return Response.objects.none()
    return (access.responses_visible_to(user)
            .select_related("state", "cycle", "questionnaire_version__questionnaire")
            .order_by("-created_at", "pk"))


def supplementary_versions() -> QuerySet[QuestionnaireVersion]:
    """The published model forms for supplementary information, newest version of each."""
    return (QuestionnaireVersion.objects
            .filter(status=QuestionnaireVersion.Status.PUBLISHED,
                    questionnaire__kind=Questionnaire.Kind.SUPPLEMENTARY)
            .select_related("questionnaire__instrument")
            .order_by("questionnaire__code", "-number")
            .distinct())


def supplementary_responses(user: Any) -> QuerySet[Response]:
    """Supplementary information the user sees, newest first (the secretariat: all)."""
    return (access.responses_visible_to(user).filter(cycle__isnull=True)
            .select_related("state", "questionnaire_version__questionnaire")
            .order_by("-updated_at", "pk"))


def latest_supplementary_versions() -> list[QuestionnaireVersion]:
    latest: dict[int, QuestionnaireVersion] = {}
    for version in supplementary_versions():
        latest.setdefault(version.questionnaire_id, version)
    return list(latest.values())


# Cycles ---------------------------------------------------------------------------------------

def publishable_versions() -> QuerySet[QuestionnaireVersion]:
    """Published questionnaire versions a cycle can send."""
    return (QuestionnaireVersion.objects
            .filter(status=QuestionnaireVersion.Status.PUBLISHED,
                    questionnaire__kind=Questionnaire.Kind.QUESTIONNAIRE)
            .select_related("questionnaire")
            .order_by("questionnaire__code", "-number"))


@dataclass
class CycleStatus:
    rows: list[Response]
    counts: dict[str, int]
    total: int
    submitted: int

    @property
    def rate(self) -> int:
        """Response rate, in whole per cent of the States in scope."""
        return round(100 * self.submitted / self.total) if self.total else 0


def cycle_status(user: Any, cycle: Cycle, *, group: RegionalGroup | None = None,
                 status: str = "") -> CycleStatus:
    """Each State's response in the cycle, filtered; the counts and rate of the whole cycle
    (or of the regional group when one is chosen)."""
    responses = (Response.objects.filter(cycle=cycle)
                 .select_related("state", "cycle")
                 .prefetch_related("state__regional_groups"))
    if group is not None:
        responses = responses.filter(state__regional_groups=group)
    everything = list(responses.order_by("state__code"))
    counts = Counter(response.status for response in everything)
    rows = [r for r in everything if not status or r.status == status]
    reminders: dict[int, list[CycleReminderLog]] = {}
    for log in access.reminder_logs_visible_to(user).filter(cycle=cycle).order_by("claimed_at"):
        reminders.setdefault(log.state_id, []).append(log)
    for response in rows:
        response.reminders = reminders.get(response.state_id, [])  # type: ignore[attr-defined]
    return CycleStatus(rows=rows, counts={s: counts.get(s, 0) for s in STATUSES},
                       total=len(everything), submitted=counts.get(Response.Status.SUBMITTED, 0))


def cycle_list(user: Any) -> QuerySet[Cycle]:
    return (access.cycles_visible_to(user)
            .select_related("questionnaire_version__questionnaire")
            .order_by("-opens_on", "pk"))


def cycle_clarifications(user: Any, cycle: Cycle) -> QuerySet[ClarificationRequest]:
    return (access.clarifications_visible_to(user).filter(response__cycle=cycle)
            .select_related("response__state", "created_by")
            .prefetch_related("questions")
            .order_by("status", "-created_at"))


# Reminders ------------------------------------------------------------------------------------

@dataclass
class DueReminder:
    cycle: Cycle
    response: Response
    kind: str
    recipients: list[User]
    deadline: dt.date  # the deadline it is about: the cycle's, or the State's extension


def focal_points_by_state(state_ids: set[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    memberships = (Membership.objects
                   .filter(state_id__in=state_ids, role=Membership.Role.FOCAL_POINT,
                           user__is_active=True)
                   .exclude(user__email="")
                   .select_related("user").order_by("user__email"))
    for membership in memberships:
        people.setdefault(membership.state_id, []).append(membership.user)
    return people


def due_reminders(*, today: dt.date) -> list[DueReminder]:
    """Responses not submitted whose State is due a reminder today, before or after its
    deadline (the State's extension counts), and not yet reminded of that kind for that
    deadline: a State that was reminded after the cycle's deadline and then given an
    extension is reminded before and after the extension too. The demonstration cycle
    (fictional, its focal points at addresses that receive no mail) reminds nobody."""
    candidates = (Response.objects
                  .filter(cycle__isnull=False, cycle__opens_on__lte=today,
                          cycle__is_demo=False)
                  .exclude(status=Response.Status.SUBMITTED)
                  .select_related("cycle", "state", "questionnaire_version__questionnaire"))
    logged = set(CycleReminderLog.objects.filter(
        cycle__in={r.cycle_id for r in candidates}).values_list("cycle_id", "state_id",
                                                                 "deadline", "kind"))
    due: list[tuple[Response, str, dt.date]] = []
    for response in candidates:
        cycle = response.cycle
        assert cycle is not None
        deadline = response.deadline
        key = (cycle.pk, response.state_id, deadline)
        if today > deadline:
            if (today >= deadline + dt.timedelta(days=cycle.remind_days_after)
                    and (*key, "after") not in logged):
                due.append((response, CycleReminderLog.Kind.AFTER, deadline))
        elif (today >= deadline - dt.timedelta(days=cycle.remind_days_before)
                and (*key, "before") not in logged):
            due.append((response, CycleReminderLog.Kind.BEFORE, deadline))
    people = focal_points_by_state({response.state_id for response, _kind, _day in due})
    # A State without a focal point is reminded once it has one.
    return [DueReminder(cycle=response.cycle, response=response, kind=kind,
                        recipients=people[response.state_id], deadline=deadline)
            for response, kind, deadline in due
            if response.cycle is not None and people.get(response.state_id)]


# Showing answers ------------------------------------------------------------------------------

def display_value(question: Question, value: Any) -> str:
    """An answer as a line of text in the active language (conflicts, history)."""
    from .forms import YES_NO_PARTLY_CHOICES

    if not is_answered(question, value):
        return "—"
    if question.type == Question.Type.YES_NO_PARTLY:
        return str(dict(YES_NO_PARTLY_CHOICES).get(value, value))
    if question.has_choices:
        labels = {choice.code: choice.localized_label for choice in question.choices.all()}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if question.type == Question.Type.TABLE:
        columns = {column.code: column.localized_label for column in question.columns.all()}
        return "; ".join(", ".join(f"{columns.get(code, code)}: {cell}"
                                   for code, cell in row.items() if cell not in (None, ""))
                         for row in value if isinstance(row, dict))
    if question.type == Question.Type.FILE:
        count = len(value) if isinstance(value, list) else 0
        return ngettext("%(count)s file", "%(count)s files", count) % {"count": count}
    return str(value)
