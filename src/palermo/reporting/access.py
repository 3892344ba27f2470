"""Who sees which questionnaire, response and answer, and who may change them.

- The secretariat sees every questionnaire version, response and answer, and alone manages
  questionnaires (builds drafts, publishes) and reopens submitted responses.
- A State's focal points see all of their State's responses; an expert a focal point invited
  (:class:`ResponseContributor`) sees the responses he or she was invited to. These are "the
  State's people" for a response: they see its confidential answers too.
- Everyone else sees no response and no answer. Confidential answers are, moreover, filtered
  out for anyone who is not one of the State's people or the secretariat, so that a channel
  that shows answers more widely (analytics, reports) cannot leak them by mistake.
- Published questionnaire versions are documents of the Conference: anyone may read them;
  drafts only the secretariat.

What a user may not see answers exactly like what does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from palermo.accounts.access import focal_point_state_ids
from palermo.accounts.guards import may_change
from palermo.accounts.models import Membership

from .models import (
    Answer,
    ClarificationRequest,
    Cycle,
    CycleReminderLog,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseContributor,
)


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_secretariat(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_secretariat)


def manages_questionnaires(user: Any) -> bool:
    """The secretariat builds, publishes and versions questionnaires."""
    return is_secretariat(user)


def contributed_response_ids(user: Any) -> set[int]:
    """The responses this user was invited to as an expert (cached for the request)."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_palermo_contributed_responses", None)
    if cached is None:
        cached = set(ResponseContributor.objects.filter(user=user)
                     .values_list("response_id", flat=True))
        user._palermo_contributed_responses = cached
    return set(cached)


# Questionnaires -------------------------------------------------------------------------------

def questionnaire_versions_visible_to(user: Any) -> QuerySet[QuestionnaireVersion]:
    qs = QuestionnaireVersion.objects.all()
    if is_secretariat(user):
        return qs
    return qs.filter(status=QuestionnaireVersion.Status.PUBLISHED)


def questionnaires_visible_to(user: Any) -> QuerySet[Questionnaire]:
    """Questionnaires with a version this user may read."""
    qs = Questionnaire.objects.all()
    if is_secretariat(user):
        return qs
    return qs.filter(versions__status=QuestionnaireVersion.Status.PUBLISHED).distinct()


def get_questionnaire_for_user(user: Any, code: str) -> Questionnaire:
    try:
        return questionnaires_visible_to(user).select_related("instrument").get(code=code)
    except Questionnaire.DoesNotExist as exc:
        raise Http404 from exc


def get_version_for_user(user: Any, code: str, number: int) -> QuestionnaireVersion:
    try:
        return (questionnaire_versions_visible_to(user)
                .select_related("questionnaire__instrument")
                .get(questionnaire__code=code, number=number))
    except QuestionnaireVersion.DoesNotExist as exc:
        raise Http404 from exc


def may_edit_version(user: Any, version: QuestionnaireVersion) -> bool:
    """The secretariat, with its second factor, on a draft."""
    return (manages_questionnaires(user) and may_change(user)
            and version.status == QuestionnaireVersion.Status.DRAFT)


# Responses ------------------------------------------------------------------------------------

def _state_people_q(user: Any, prefix: str = "") -> Q:
    """Rows (of responses, or of models reached through ``prefix``) of the user's States as
    a focal point, or of the responses the user was invited to.

    Who the person is (the States of their focal-point memberships, the responses they were
    invited to: the same rows as :func:`focal_point_state_ids` and
    :func:`contributed_response_ids` read) is read by the query itself, as two subqueries,
    rather than by two queries before it: pages read on every request save two round trips.
    """
    focal = (Membership.objects.filter(user=user, role=Membership.Role.FOCAL_POINT)
             .values("state_id"))
    invited = ResponseContributor.objects.filter(user=user).values("response_id")
    return Q(**{f"{prefix}state_id__in": focal}) | Q(**{f"{prefix}pk__in": invited})


def responses_visible_to(user: Any) -> QuerySet[Response]:
    qs = Response.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_secretariat:
        return qs
    return qs.filter(_state_people_q(user))


def get_response_for_user(user: Any, pk: int) -> Response:
    try:
        return (responses_visible_to(user)
                .select_related("state", "cycle", "questionnaire_version__questionnaire")
                .get(pk=pk))
    except Response.DoesNotExist as exc:
        raise Http404 from exc


def is_state_person(user: Any, response: Response) -> bool:
    """A focal point of the response's State, or an expert invited to the response."""
    if not _signed_in(user):
        return False
    return (response.state_id in focal_point_state_ids(user)
            or response.pk in contributed_response_ids(user))


def may_see_confidential(user: Any, response: Response) -> bool:
    return is_secretariat(user) or is_state_person(user, response)


def may_edit_response(user: Any, response: Response) -> bool:
    """The State's people answer, while the response is not submitted (the secretariat
    reads but does not answer for a State)."""
    return (is_state_person(user, response) and may_change(user)
            and response.status != Response.Status.SUBMITTED)


def may_submit_response(user: Any, response: Response) -> bool:
    """A focal point of the State submits its response."""
    return (_signed_in(user) and response.state_id in focal_point_state_ids(user)
            and may_change(user) and response.status != Response.Status.SUBMITTED)


def may_invite_contributors(user: Any, response: Response) -> bool:
    """A focal point of the State invites experts to its response."""
    return (_signed_in(user) and response.state_id in focal_point_state_ids(user)
            and may_change(user))


def may_reopen_response(user: Any, response: Response) -> bool:
    return (is_secretariat(user) and may_change(user)
            and response.status == Response.Status.SUBMITTED)


def contributors_visible_to(user: Any) -> QuerySet[ResponseContributor]:
    return ResponseContributor.objects.filter(response__in=responses_visible_to(user))


# Answers --------------------------------------------------------------------------------------

def answers_visible_to(user: Any) -> QuerySet[Answer]:
    """Answers of the responses the user sees; confidential ones only to the State's people
    and the secretariat."""
    if not _signed_in(user):
        return Answer.objects.none()
    if user.is_secretariat:
        return Answer.objects.all()
    qs = Answer.objects.filter(response__in=responses_visible_to(user))
    return qs.filter(Q(confidential=False) | _state_people_q(user, "response__"))


def answer_history_visible_to(user: Any) -> QuerySet[Any]:
    """Past values of the answers the user sees. A record of an answer that was ever
    confidential counts as confidential."""
    history = Answer.history.model.objects.all()
    if not _signed_in(user):
        return history.none()
    if user.is_secretariat:
        return history
    qs = history.filter(response_id__in=responses_visible_to(user).values("pk"))
    people = (Q(response_id__in=Response.objects.filter(_state_people_q(user)).values("pk")))
    ever_confidential = Answer.history.filter(
        confidential=True).values("id")
    return qs.filter(people | ~Q(id__in=ever_confidential))


# Cycles, clarifications and reminders ---------------------------------------------------------

def cycles_visible_to(user: Any) -> QuerySet[Cycle]:
    """The secretariat sees every cycle; others the cycles of the responses they see."""
    qs = Cycle.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_secretariat:
        return qs
    return qs.filter(pk__in=responses_visible_to(user).filter(cycle__isnull=False)
                     .values("cycle_id"))


def get_cycle_for_user(user: Any, pk: int) -> Cycle:
    try:
        return (cycles_visible_to(user)
                .select_related("questionnaire_version__questionnaire__instrument").get(pk=pk))
    except Cycle.DoesNotExist as exc:
        raise Http404 from exc


def manages_cycles(user: Any) -> bool:
    return is_secretariat(user)


def clarifications_visible_to(user: Any) -> QuerySet[ClarificationRequest]:
    return ClarificationRequest.objects.filter(response__in=responses_visible_to(user))


def get_clarification_for_user(user: Any, pk: int) -> ClarificationRequest:
    try:
        return clarifications_visible_to(user).select_related("response__state").get(pk=pk)
    except ClarificationRequest.DoesNotExist as exc:
        raise Http404 from exc


def may_ask_clarification(user: Any, response: Response) -> bool:
    return is_secretariat(user) and may_change(user)


def may_reply_clarification(user: Any, request: ClarificationRequest) -> bool:
    """The secretariat, and the State's people, while the request is not closed."""
    return (request.status != ClarificationRequest.Status.CLOSED and may_change(user)
            and (is_secretariat(user) or is_state_person(user, request.response)))


def reminder_logs_visible_to(user: Any) -> QuerySet[CycleReminderLog]:
    if not is_secretariat(user):
        return CycleReminderLog.objects.none()
    return CycleReminderLog.objects.all()
