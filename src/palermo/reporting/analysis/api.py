"""Questionnaires, reporting cycles and responses through the API (read only).

Everything is read through :mod:`palermo.reporting.access`: published questionnaires are public;
cycles and responses are the secretariat's, and their own State's for its focal points and
the experts they invited; answers follow the same rule, confidential ones included only for
the State's people and the secretariat. What the caller may not see answers 404, like what
does not exist. A response's answers are those its pages show: an answer to a question its
condition hides is left out, as the analysis and its exports leave it out.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from palermo.api.schemas import responses
from palermo.reporting import access
from palermo.reporting.models import (
    Answer,
    Cycle,
    Question,
    QuestionnaireVersion,
    Response,
)

from .schemas import (
    CycleDetailOut,
    CycleOut,
    QuestionnaireOut,
    ResponseDetailOut,
    ResponseOut,
    VersionOut,
)

router = Router(tags=["reporting"])

CODE = r"^[-a-zA-Z0-9_]{1,60}$"
MAX_ID = 2**31 - 1


def _version_ref(version: QuestionnaireVersion) -> dict[str, Any]:
    return {"number": version.number, "status": version.status,
            "published_at": version.published_at}


@router.get("/questionnaires", response=responses(list[QuestionnaireOut]),
            summary="List the questionnaires",
            description="Questionnaires and model forms for supplementary information, with "
                        "the versions the caller may read (published ones; drafts too for the "
                        "secretariat).")
def questionnaire_list(request: HttpRequest) -> Any:
    versions = access.questionnaire_versions_visible_to(request.user).order_by("number")
    return [{"code": q.code, "kind": q.kind, "instrument": q.instrument.code, "title": q.title,
             "versions": [_version_ref(v) for v in q.visible_versions]}
            for q in access.questionnaires_visible_to(request.user)
            .select_related("instrument")
            .prefetch_related(Prefetch("versions", queryset=versions,
                                       to_attr="visible_versions"))]


def _question_out(question: Question) -> dict[str, Any]:
    source = question.depends_on
    return {
        "code": question.code, "type": question.type, "required": question.required,
        "text": question.text, "help": question.help or {},
        "condition": {"question": source.code, "values": question.allowed_values}
        if source is not None else None,
        "citations": [{"article": c.article.number, "paragraph": c.paragraph_number,
                       "subparagraph": c.subparagraph or None, "citation": c.citation}
                      for c in question.citations.all()],
        "choices": [{"code": c.code, "label": c.label} for c in question.choices.all()],
        "columns": [{"code": c.code, "type": c.type, "label": c.label}
                    for c in question.columns.all()],
        "priority_areas": [tag.area for tag in question.tags.all()],
    }


@router.get("/questionnaires/{code}/versions/{number}", response=responses(VersionOut, 404, 422),
            summary="One version of a questionnaire, with its sections and questions",
            description="Every section and question in order, with the provisions each "
                        "question cites, its choices or table columns, its condition and its "
                        "priority areas (decision 3/4).")
def version_detail(request: HttpRequest,
                   code: str = Path(..., pattern=CODE, description="The questionnaire's code."),
                   number: int = Path(..., ge=1, le=MAX_ID,
                                      description="The version's number.")) -> Any:
    version = access.get_version_for_user(request.user, code, number)
    questions = (Question.objects.select_related("depends_on")
                 .prefetch_related("choices", "columns", "tags", "citations__article",
                                   "citations__paragraph").order_by("position", "pk"))
    sections = (version.sections.prefetch_related(Prefetch("questions", queryset=questions))
                .order_by("position", "pk"))
    return {
        "questionnaire": version.questionnaire.code, "number": version.number,
        "status": version.status, "published_at": version.published_at,
        "title": version.title, "introduction": version.introduction or {},
        "sections": [{"code": s.code, "title": s.title,
                      "questions": [_question_out(q) for q in s.questions.all()]}
                     for s in sections],
    }


def _cycle_out(cycle: Cycle) -> dict[str, Any]:
    version = cycle.questionnaire_version
    return {"id": cycle.pk, "title": cycle.title, "questionnaire": version.questionnaire.code,
            "version": version.number, "instrument": version.questionnaire.instrument.code,
            "parties_on": cycle.parties_on, "opens_on": cycle.opens_on,
            "closes_on": cycle.closes_on, "is_demo": cycle.is_demo}


def _cycles(user: Any) -> Any:
    return (access.cycles_visible_to(user)
            .select_related("questionnaire_version__questionnaire__instrument")
            .order_by("-opens_on", "pk"))


@router.get("/cycles", response=responses(list[CycleOut]), summary="List the reporting cycles",
            description="Every cycle for the secretariat; for a State's focal points and "
                        "invited experts, the cycles their State takes part in; none for "
                        "anyone else.")
def cycle_list(request: HttpRequest) -> Any:
    return [_cycle_out(cycle) for cycle in _cycles(request.user)]


@router.get("/cycles/{id}", response=responses(CycleDetailOut, 404, 422),
            summary="One reporting cycle, with the status per State",
            description="The cycle, how many States are in scope and have submitted, and the "
                        "status per State that the caller may see.")
def cycle_detail(request: HttpRequest,
                 id: int = Path(..., ge=1, le=MAX_ID, description="The cycle's number.")) -> Any:
    try:
        cycle = _cycles(request.user).get(pk=id)
    except Cycle.DoesNotExist as exc:
        raise Http404 from exc
    figures = Response.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"), submitted=Count("pk", filter=Q(status=Response.Status.SUBMITTED)))
    statuses = (access.responses_visible_to(request.user).filter(cycle=cycle)
                .select_related("state", "cycle").order_by("state__code"))
    return {**_cycle_out(cycle), "states_in_scope": figures["total"],
            "submitted": figures["submitted"],
            "statuses": [{"state": r.state.code, "status": r.status, "deadline": r.deadline,
                          "submitted_at": r.submitted_at} for r in statuses]}


def _response_out(response: Response) -> dict[str, Any]:
    version = response.questionnaire_version
    return {"id": response.pk, "state": response.state.code,
            "questionnaire": version.questionnaire.code, "version": version.number,
            "cycle": response.cycle_id, "status": response.status,
            "submitted_at": response.submitted_at}


@router.get("/responses", response=responses(list[ResponseOut], 422),
            summary="List the responses the caller may see",
            description="The caller's State's responses (for its focal points and invited "
                        "experts), or every response (for the secretariat); optionally of one "
                        "cycle.")
def response_list(request: HttpRequest,
                  cycle: int | None = Query(None, ge=1, le=MAX_ID,
                                            description="Only the responses of this cycle.")
                  ) -> Any:
    found = (access.responses_visible_to(request.user)
             .select_related("state", "questionnaire_version__questionnaire")
             .order_by("cycle_id", "state__code", "pk"))
    if cycle is not None:
        found = found.filter(cycle_id=cycle)
    return [_response_out(r) for r in found]


def _shown_answers(answers: list[Answer]) -> list[Answer]:
    """The answers whose questions the response's pages show: without a condition, or whose
    condition an answer of the same list meets, that answer's question being shown itself
    (the rule of :func:`palermo.reporting.cycles.selectors.shown_questions`, read from the
    answers and their questions alone).

    An answer given before an earlier answer changed stays stored, so that it comes back if
    that answer changes back; while its question is hidden, the pages neither show it nor
    require it and the analysis and its exports do not count it, so it is not an answer of
    the response here either. A condition is read against the answers given, which are the
    ones the caller sees: whoever sees a response (its State's people, the secretariat)
    sees every answer of it."""
    by_question = {answer.question_id: answer for answer in answers}
    values = {answer.question.code: answer.value for answer in answers}
    known: dict[int, bool] = {}

    def shown(question: Question, depth: int = 0) -> bool:
        if question.pk not in known:
            source = by_question.get(question.depends_on_id or 0)
            known[question.pk] = question.depends_on_id is None or (
                source is not None and depth < 50 and question.is_shown(values)
                and shown(source.question, depth + 1))
        return known[question.pk]

    return [answer for answer in answers if shown(answer.question)]


@router.get("/responses/{id}", response=responses(ResponseDetailOut, 404, 422),
            summary="One response with its answers",
            description="The answers the caller may see: confidential ones only for the "
                        "State's people and the secretariat. An answer to a question that "
                        "its condition hides (an earlier answer does not show it) is left "
                        "out, as on the response's pages: it is neither shown, nor required, "
                        "nor counted while the question is hidden.")
def response_detail(request: HttpRequest,
                    id: int = Path(..., ge=1, le=MAX_ID,
                                   description="The response's number.")) -> Any:
    response = access.get_response_for_user(request.user, id)
    answers = list(access.answers_visible_to(request.user).filter(response=response)
                   .select_related("question__depends_on")
                   .order_by("question__section__position", "question__position", "pk"))
    return {**_response_out(response),
            "answers": [{"question": a.question.code, "value": a.value,
                         "confidential": a.confidential} for a in _shown_answers(answers)]}

