"""Writes of reporting cycles and responses: cycles and their States, extensions, reopening,
saving a section of answers (refusing stale saves), submitting, inviting experts (who has no
account, by an invitation to create one), clarification requests, supplementary information
and reminders.

Callers have fetched the objects through the access layer; each service checks again that the
user may do what it does (PermissionDenied otherwise).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from palermo.accounts import services as account_services
from palermo.accounts.access import focal_point_state_ids
from palermo.accounts.guards import may_change
from palermo.accounts.models import Invitation, User
from palermo.reporting import access
from palermo.reporting.models import (
    Answer,
    AnswerFile,
    ClarificationMessage,
    ClarificationRequest,
    Cycle,
    CycleReminderLog,
    Question,
    QuestionnaireVersion,
    Response,
    ResponseContributor,
    ResponseSection,
    Section,
)

from . import mail, selectors

logger = logging.getLogger(__name__)


class AnswerRace(Exception):
    """An answer was created by another request between reading and writing it."""


class StaleSection(Exception):
    """Someone saved the section since the form was opened; nothing was written."""

    def __init__(self, current: ResponseSection | None) -> None:
        super().__init__("stale")
        self.current = current


class MissingAnswers(Exception):
    """Required questions that are shown but not answered; nothing was submitted."""

    def __init__(self, missing: list[selectors.SectionProgress]) -> None:
        super().__init__("missing")
        self.sections = [row for row in missing if row.missing]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Cycles ---------------------------------------------------------------------------------------

@transaction.atomic
def cycle_create(*, user: Any, version: QuestionnaireVersion, title: dict[str, str],
                 parties_on: dt.date, opens_on: dt.date, closes_on: dt.date,
                 remind_days_before: int, remind_days_after: int) -> Cycle:
    """A cycle, and one response (not started) for each State party on ``parties_on``."""
    _require(access.manages_cycles(user) and may_change(user))
    cycle = Cycle(questionnaire_version=version, title=title, parties_on=parties_on,
                  opens_on=opens_on, closes_on=closes_on, remind_days_before=remind_days_before,
                  remind_days_after=remind_days_after, created_by=user)
    cycle.full_clean()
    cycle.save()
    bulk_create_with_history([
        Response(state=state, cycle=cycle, questionnaire_version=version)
        for state in cycle.parties_in_scope().order_by("code")
    ], Response, default_user=user)
    return cycle


def _locked(response: Response) -> Response:
    return Response.objects.select_for_update().get(pk=response.pk)


@transaction.atomic
def response_extend(*, user: Any, response: Response, until: dt.date | None) -> Response:
    """Extend (or, with None, withdraw the extension of) one State's deadline."""
    _require(access.manages_cycles(user) and may_change(user)
             and response.cycle_id is not None)
    response = _locked(response)
    assert response.cycle is not None
    if until is not None and until < response.cycle.closes_on:
        raise ValidationError({"until": _("An extension cannot end before the cycle's "
                                          "deadline.")})
    response.extended_until = until
    response.version += 1
    response.save(update_fields=["extended_until", "version", "updated_at"])
    return response


@transaction.atomic
def response_reopen(*, user: Any, response: Response, reason: str) -> Response:
    """Let the State change a submitted response again; the reason goes into its history."""
    response = _locked(response)
    _require(access.may_reopen_response(user, response))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the response is reopened.")})
    response.status = Response.Status.REOPENED
    response.reopened_at = timezone.now()
    response.reopened_by = user
    response.version += 1
    response._change_reason = reason[:100]  # type: ignore[attr-defined]
    response.save(update_fields=["status", "reopened_at", "reopened_by", "version",
                                 "updated_at"])
    return response


# Answering ------------------------------------------------------------------------------------

@dataclass
class SectionInput:
    """What a section form gives: the values of the questions it showed, by question id."""

    values: Mapping[int, Any]
    confidential: set[int]
    uploads: Mapping[int, Sequence[UploadedFile]]
    removed_files: set[int]


def _claim_section(*, user: Any, response: Response, section: Section,
                   token: int) -> ResponseSection:
    """Move the section's version from ``token`` to the next, or refuse a stale save."""
    now = timezone.now()
    current = ResponseSection.objects.filter(response=response, section=section).first()
    if current is None:
        if token != 0:
            raise StaleSection(None)
        try:
            with transaction.atomic():
                return ResponseSection.objects.create(response=response, section=section,
                                                      updated_by=user)
        except IntegrityError as exc:  # created by someone else in the meantime
            raise StaleSection(ResponseSection.objects.get(response=response,
                                                           section=section)) from exc
    claimed = ResponseSection.objects.filter(pk=current.pk, version=token).update(
        version=token + 1, updated_by=user, updated_at=now)
    if not claimed and current.version == token + 1 and current.updated_by_id == user.pk:
        # The one save since the form was opened is this person's own autosave of the same
        # form (a change, then Save pressed before the autosave's answer came back): not a
        # conflict with anyone.
        token += 1
        claimed = ResponseSection.objects.filter(pk=current.pk, version=token).update(
            version=token + 1, updated_by=user, updated_at=now)
    if not claimed:
        current.refresh_from_db()
        raise StaleSection(current)
    current.refresh_from_db()
    return current


@transaction.atomic
def section_save(*, user: Any, response: Response, section: Section, token: int,
                 data: SectionInput) -> ResponseSection:
    """Save the answers a section form showed, all at once, if nobody saved the section
    since ``token``. Answers of questions the form did not show (hidden by a condition) are
    kept as they are, and count for nothing while hidden."""
    response = _locked(response)  # a submission at the same moment waits, or wins
    _require(access.may_edit_response(user, response)
             and section.questionnaire_version_id == response.questionnaire_version_id)
    saved = _claim_section(user=user, response=response, section=section, token=token)
    questions = {q.pk: q for q in section.questions.all()}
    unknown = set(data.values) - set(questions)
    if unknown:
        raise ValidationError(_("The form shows questions of another section."))
    existing = {a.question_id: a for a in Answer.objects.filter(response=response)}
    values = {**selectors.answer_values(existing), **data.values}
    shown = selectors.shown_questions(
        selectors.version_sections(response.questionnaire_version), values)
    for question_id, value in data.values.items():
        if question_id not in shown:  # hidden by an answer of this save: left as it was
            continue
        try:
            _save_answer(user=user, response=response, question=questions[question_id],
                         answer=existing.get(question_id), value=value,
                         confidential=question_id in data.confidential,
                         uploads=data.uploads.get(question_id, ()),
                         removed_files=data.removed_files)
        except AnswerRace as exc:
            # Another save of this section (an autosave sent as Save was pressed) wrote the
            # same answer at the same moment: nothing of this one is kept, and the person sees
            # both versions, as for any stale save.
            raise StaleSection(ResponseSection.objects.filter(
                response=response, section=section).first()) from exc
    if response.status == Response.Status.NOT_STARTED:
        response.status = Response.Status.IN_PROGRESS
        response.version += 1
        response.save(update_fields=["status", "version", "updated_at"])
    return saved


def _save_answer(*, user: Any, response: Response, question: Question, answer: Answer | None,
                 value: Any, confidential: bool, uploads: Sequence[UploadedFile],
                 removed_files: set[int]) -> None:
    if question.type == Question.Type.FILE:
        value = _save_files(user=user, response=response, question=question, answer=answer,
                            uploads=uploads, removed_files=removed_files)
        if answer is None and value:
            answer = Answer.objects.get(response=response, question=question)
    if answer is None:
        # Read again: the same person's autosave of this form, sent as they pressed Save,
        # may have created it since the answers were read.
        answer = Answer.objects.filter(response=response, question=question).first()
    if answer is None:
        if selectors.is_answered(question, value) or confidential:
            answer = Answer(response=response, question=question, value=value,
                            confidential=confidential, updated_by=user)
            answer.full_clean(validate_unique=False)
            try:
                with transaction.atomic():
                    answer.save()
            except IntegrityError as exc:  # created at this very moment by another request
                raise AnswerRace from exc
        return
    if answer.value == value and answer.confidential == confidential:
        return
    answer.value = value
    answer.confidential = confidential
    answer.updated_by = user
    answer.version += 1
    answer.save()


def _save_files(*, user: Any, response: Response, question: Question, answer: Answer | None,
                uploads: Sequence[UploadedFile], removed_files: set[int]) -> list[int]:
    """Attach the uploads, drop the files ticked for removal; the ids of the files kept."""
    if answer is None and not uploads:
        return []
    if answer is None:
        answer = Answer.objects.create(response=response, question=question, value=[],
                                       updated_by=user)
    AnswerFile.objects.filter(answer=answer, pk__in=removed_files).delete()
    for upload in uploads:
        AnswerFile.objects.create(answer=answer, file=upload, name=(upload.name or "file")[:200],
                                  content_type=(upload.content_type or "")[:100],
                                  size=upload.size or 0, uploaded_by=user)
    return list(AnswerFile.objects.filter(answer=answer).order_by("pk")
                .values_list("pk", flat=True))


@transaction.atomic
def response_submit(*, user: Any, response: Response) -> Response:
    """Submit the response if every shown required question is answered; otherwise raise
    :class:`MissingAnswers` with what is missing, section by section."""
    response = _locked(response)
    _require(access.may_submit_response(user, response))
    rows = selectors.response_progress(user, response)
    if any(row.missing for row in rows):
        raise MissingAnswers(rows)
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = user
    response.version += 1
    response.save(update_fields=["status", "submitted_at", "submitted_by", "version",
                                 "updated_at"])
    return response


@transaction.atomic
def contributor_invite(*, user: Any, response: Response, email: str,
                       language: str | None = None) -> ResponseContributor | Invitation:
    """Let the person at ``email`` answer the response with the focal point. Who has an
    account becomes a contributor at once and is told by mail; who has none gets an
    invitation (mailed in ``language``, by default the inviter's), and becomes a contributor
    on accepting it — never a member of the State."""
    _require(access.may_invite_contributors(user, response))
    email = User.objects.normalize_email(email).strip()
    expert = User.objects.filter(email__iexact=email).first()
    if expert is None:
        return account_services.expert_invitation_create(
            email=email, response=response, invited_by=user,
            language=language or translation.get_language() or settings.LANGUAGE_CODE)
    if not expert.is_active:
        raise ValidationError({"email": _(
            "The Palermo account with this address is deactivated. Ask the secretariat.")})
    if expert.pk == user.pk or access.is_state_person(expert, response):
        raise ValidationError({"email": _("This person can already answer this response.")})
    contributor = ResponseContributor(response=response, user=expert, invited_by=user)
    contributor.full_clean()
    contributor.save()
    transaction.on_commit(lambda: mail.send_contributor_invited(
        response=response, user=expert, invited_by=user))
    return contributor


@transaction.atomic
def expert_invitation_revoke(*, user: Any, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation of an expert: its link no longer works."""
    assert invitation.response is not None  # the model's constraint
    _require(access.may_invite_contributors(user, invitation.response))
    return account_services.invitation_revoke(invitation=invitation, by=user)


@transaction.atomic
def expert_invitation_send_again(*, user: Any, invitation: Invitation) -> Invitation:
    """Queue again the mail of a pending expert invitation whose mail has not gone."""
    assert invitation.response is not None  # the model's constraint
    _require(access.may_invite_contributors(user, invitation.response))
    return account_services.invitation_send_again(invitation=invitation, by=user)


@transaction.atomic
def contributor_remove(*, user: Any, contributor: ResponseContributor) -> None:
    _require(access.may_invite_contributors(user, contributor.response))
    contributor.delete()


# Supplementary information --------------------------------------------------------------------

@transaction.atomic
def supplementary_start(*, user: Any, state_id: int,
                        version: QuestionnaireVersion) -> Response:
    """A new voluntary submission of supplementary information by a focal point's State."""
    _require(state_id in focal_point_state_ids(user) and may_change(user))
    response = Response(state_id=state_id, questionnaire_version=version, cycle=None)
    response.full_clean()
    response.save()
    return response


# Clarification requests -----------------------------------------------------------------------

def _message(request: ClarificationRequest, *, user: Any, text: str) -> ClarificationMessage:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")})
    message = ClarificationMessage(request=request, author=user, text=text)
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def clarification_create(*, user: Any, response: Response, questions: Sequence[Question],
                         text: str) -> ClarificationRequest:
    """Ask the State about given answers of its submitted response; its focal points are
    told by mail."""
    _require(access.may_ask_clarification(user, response))
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(_("Clarifications are asked about a submitted response."))
    if not questions:
        raise ValidationError({"questions": _("Choose the answers to clarify.")})
    if any(q.questionnaire_version_id != response.questionnaire_version_id for q in questions):
        raise ValidationError({"questions": _("These questions are not in the response.")})
    request = ClarificationRequest.objects.create(response=response, created_by=user)
    request.questions.set(questions)
    _message(request, user=user, text=text)
    people = selectors.focal_points_by_state({response.state_id}).get(response.state_id, [])

    def tell_the_state() -> None:
        for person in people:
            mail.send_clarification_asked(request=request, user=person)

    transaction.on_commit(tell_the_state)
    return request


@transaction.atomic
def clarification_reply(*, user: Any, request: ClarificationRequest,
                        text: str) -> ClarificationMessage:
    """A message in the thread: from the State it answers the request; from the secretariat
    it opens it again."""
    request = ClarificationRequest.objects.select_for_update().select_related(
        "response").get(pk=request.pk)
    _require(access.may_reply_clarification(user, request))
    message = _message(request, user=user, text=text)
    status = (ClarificationRequest.Status.OPEN if access.is_secretariat(user)
              else ClarificationRequest.Status.ANSWERED)
    request.status = status
    request.save(update_fields=["status", "updated_at"])
    return message


@transaction.atomic
def clarification_close(*, user: Any, request: ClarificationRequest) -> ClarificationRequest:
    _require(access.is_secretariat(user) and may_change(user))
    request.status = ClarificationRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at", "updated_at"])
    return request


# Reminders ------------------------------------------------------------------------------------

def reminders_send_due(*, today: dt.date | None = None) -> dict[str, int]:
    """Send the reminders due today; safe to run in several workers at once."""
    today = today or timezone.localdate()
    return reminders_send(selectors.due_reminders(today=today))


def reminders_send(due: list[selectors.DueReminder]) -> dict[str, int]:
    counts = {"sent": 0, "failed": 0, "claimed_elsewhere": 0}
    for reminder in due:
        log = _claim_reminder(reminder)
        if log is None:
            counts["claimed_elsewhere"] += 1
            continue
        sent, failed = _deliver(log, reminder)
        counts["sent"] += sent
        counts["failed"] += failed
    return counts


def _claim_reminder(reminder: selectors.DueReminder) -> CycleReminderLog | None:
    """Log the reminder before sending it: the unique constraint on (cycle, State, deadline,
    kind, number) lets exactly one run insert it; another gets an IntegrityError and sends
    nothing."""
    try:
        with transaction.atomic():
            return CycleReminderLog.objects.create(
                cycle=reminder.cycle, state=reminder.response.state, kind=reminder.kind,
                deadline=reminder.deadline, sequence=1,
                recipients=[user.email for user in reminder.recipients])
    except IntegrityError:
        logger.info("The %s reminder of cycle %s for %s was claimed by another run.",
                    reminder.kind, reminder.cycle.pk, reminder.response.state.code)
        return None


def _deliver(log: CycleReminderLog, reminder: selectors.DueReminder) -> tuple[int, int]:
    sent = failed = 0
    errors = []
    for user in reminder.recipients:
        try:
            mail.send_reminder(log=log, response=reminder.response, user=user)
        except Exception as exc:  # one failed address must not stop the others
            logger.exception("Reminder mail to %s failed.", user.email)
            errors.append(f"{user.email}: {exc}"[:500])
            failed += 1
        else:
            sent += 1
    log.sent_at = timezone.now() if sent else None
    log.error = "\n".join(errors)
    log.save(update_fields=["sent_at", "error"])
    return sent, failed
