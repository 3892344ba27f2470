"""Request drafts through the API (``/api/v1/requests``): read, write, check, review and
print them.

Every operation needs someone signed in (the session, or a personal API token); an anonymous
request answers 401. A draft the caller may not see answers exactly like one that does not
exist (404); one they may see but not change in that way answers 403 saying why. Writes carry
the draft's ``version``: when someone saved since, nothing is written and the answer is 409
with the draft as it is now. With the session cookie, writes need Django's CSRF token (the
``X-CSRFToken`` header), as forms do; with a token they do not.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie

from palermo.accounts.guards import may_change
from palermo.api.auth import BearerToken
from palermo.api.auth import Session as SessionScheme
from palermo.api.schemas import ErrorOut, TokenRefusedOut, ValidationErrorOut
from palermo.directory import access as directory_access
from palermo.reference.models import Instrument, Language, State

from . import access, services, steps
from .models import Draft, ReviewComment
from .schemas import (
    ApproveIn,
    CommentIn,
    CommentOut,
    CompletenessOut,
    DocumentFormat,
    DraftCreateIn,
    DraftOut,
    DraftPage,
    DraftUpdateIn,
    ForbiddenOut,
    KindCode,
    OutputLanguage,
    ReturnIn,
    StaleOut,
    StatusCode,
    SubmitIn,
    TranslationIn,
)

MAX_PAGE_SIZE = 100


class Session(APIKeyCookie):
    """The session cookie of someone signed in on the site. The same scheme as the rest of
    the API's (so the class keeps its name), but an anonymous request is refused (401), and
    a write checks the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)
        scheme: Any = SessionScheme.openapi_security_schema
        self.openapi_security_schema = scheme

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # refused as anonymous (401), before any CSRF check
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


router = Router(tags=["requests"], auth=[BearerToken(), Session()])

ID = Path(..., ge=1, le=2**63 - 1, description="The request's number.")
FMT = Path(..., description="docx (editable) or pdf.")


def answers(ok: Any, *errors: int, get: bool = False) -> dict[int, Any]:
    known: dict[int, Any] = {403: ForbiddenOut, 404: ErrorOut, 409: StaleOut,
                             422: ValidationErrorOut}
    found: dict[int, Any] = {200: ok, 401: TokenRefusedOut}
    if get:
        found[304] = None
    found.update({code: known[code] for code in errors})
    return found


# --- helpers ---------------------------------------------------------------------------------


def _forbidden(message: str) -> HttpError:
    return HttpError(403, message)


def _may_change(user: Any) -> None:
    if not may_change(user):
        raise _forbidden(gettext(
            "Your role lets you change data in Palermo, so your account must be protected by a "
            "second factor first. Set up an authenticator app on your account's page."))


def _invalid(loc: list[str], message: str, value: Any = None, kind: str = "invalid") -> Any:
    return NinjaValidationError([{"type": kind, "loc": loc, "msg": message, "input": value}])


def _from_django(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return NinjaValidationError([
            {"type": "invalid", "loc": ["body", name], "msg": message}
            for name, messages in error.message_dict.items() for message in messages])
    return NinjaValidationError([{"type": "invalid", "loc": ["body"], "msg": message}
                                 for message in error.messages])


def _stale(request: HttpRequest, current: Draft) -> Status:
    fresh = access.get_draft_for_user(request.user, current.pk)
    return Status(409, {"detail": gettext("Someone saved this request since you read it; "
                                          "nothing was written. Here it is as saved now."),
                        "current": draft_out(fresh)})


def person_out(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "name": str(user)}


def draft_item(draft: Draft) -> dict[str, Any]:
    return {
        "id": draft.pk, "kind": draft.kind, "title": draft.title, "status": draft.status,
        "translation_status": draft.translation_status, "version": draft.version,
        "urgent": draft.urgent, "needed_by": draft.needed_by,
        "author": person_out(draft.author), "requesting_state": draft.requesting_state.code,
        "requested_state": draft.requested_state.code if draft.requested_state else None,
        "updated_at": draft.updated_at,
    }


def draft_out(draft: Draft) -> dict[str, Any]:
    return {
        **draft_item(draft),
        "requesting_authority": draft.requesting_authority_id,
        "central_authority": draft.central_authority_id,
        "requested_authority": draft.requested_authority_id,
        "measures": list(draft.measures), "legal_bases": list(draft.legal_bases),
        "drafting_language": draft.drafting_language.code if draft.drafting_language else None,
        "output_language": draft.output_language,
        "second_output_language": draft.second_output_language or None,
        "content": draft.content if isinstance(draft.content, dict) else {},
        "created_at": draft.created_at,
    }


def _state(code: str, loc: str) -> State:
    state = State.objects.filter(code=code.upper()).first()
    if state is None:
        raise _invalid(["body", loc], gettext("No State has this code."), code, "unknown_code")
    return state


def _fields(user: Any, payload: DraftUpdateIn) -> dict[str, Any]:
    """The model fields sent, as the service takes them (codes and numbers resolved)."""
    sent = payload.model_fields_set - {"version", "section", "content"}
    fields: dict[str, Any] = {}
    for name in sent:
        value = getattr(payload, name)
        if name == "requested_state":
            fields[name] = _state(value, name) if value else None
        elif name in ("requesting_authority", "central_authority", "requested_authority"):
            authority = (directory_access.authorities_visible_to(user).filter(pk=value).first()
                         if value else None)
            if value and authority is None:
                raise _invalid(["body", name], gettext("No authority has this number."),
                               value, "unknown_id")
            fields[name] = authority
        elif name == "drafting_language":
            language = Language.objects.filter(code=value).first() if value else None
            if value and language is None:
                raise _invalid(["body", name], gettext("No language has this code."), value,
                               "unknown_code")
            fields[name] = language
        elif name == "legal_bases":
            codes = list(dict.fromkeys(value or []))
            known = set(Instrument.objects.filter(code__in=codes).values_list("code", flat=True))
            if set(codes) - known:
                raise _invalid(["body", name], gettext("No instrument has this code."),
                               sorted(set(codes) - known), "unknown_code")
            fields[name] = codes
        elif name in ("title", "kind", "output_language") and value is None:
            raise _invalid(["body", name], gettext("This field cannot be empty."), None)
        elif name == "urgent":
            fields[name] = bool(value)
        elif name in ("measures",):
            fields[name] = list(dict.fromkeys(value or []))
        else:
            fields[name] = value if value is not None else ("" if name.endswith("language")
                                                            else None)
    return fields


# --- drafts ----------------------------------------------------------------------------------


class DraftFilters(Schema):
    status: StatusCode | None = Field(None, description="Only requests with this status.")
    kind: KindCode | None = Field(None, description="Only requests of this kind.")
    page: int = Field(1, ge=1, le=2**31 - 1, description="Page number, from 1. Past the last "
                                                          "page the results are empty.")
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE, description="Results per page, at most "
                                                                   "100.")


def _listed(user: Any, filters: DraftFilters) -> QuerySet[Draft]:
    drafts = access.drafts_visible_to(user)
    if filters.status:
        drafts = drafts.filter(status=filters.status)
    if filters.kind:
        drafts = drafts.filter(kind=filters.kind)
    return drafts


@router.get(
    "/requests", response=answers(DraftPage, 422, get=True), summary="List requests",
    description="The requests you may see: those you write, those colleagues of your "
                "authority share with you, and, once submitted, those you review for your "
                "central authority. Most recently changed first, a page at a time "
                "(`page`, `page_size` ≤ 100). Nobody else sees them, not the secretariat, "
                "not focal points.",
)
def draft_list(request: HttpRequest, filters: Query[DraftFilters]) -> Any:
    drafts = _listed(request.user, filters)
    count = drafts.count()
    pages = math.ceil(count / filters.page_size)
    results: list[dict[str, Any]] = []
    if filters.page <= pages:
        start = (filters.page - 1) * filters.page_size
        rows = (drafts.select_related("author", "requesting_state", "requested_state")
                .order_by("-updated_at", "-pk")[start:start + filters.page_size])
        results = [draft_item(draft) for draft in rows]
    return {"count": count, "page": filters.page, "pages": pages, "results": results}


@router.post(
    "/requests", response=answers(DraftOut, 403, 422), summary="Start a request",
    description="A new draft, prefilled from your membership (the requesting authority, the "
                "central authority) and, when the requested State is given, from the "
                "directory (its authority, the legal bases in force today, a language it "
                "accepts). You must have a role for the requesting State.",
)
def draft_create(request: HttpRequest, payload: DraftCreateIn) -> Any:
    user = request.user
    _may_change(user)
    requesting = (_state(payload.requesting_state, "requesting_state")
                  if payload.requesting_state else services.default_requesting_state(user))
    if requesting is None:
        raise _forbidden(gettext("You have no role for a State, so you cannot write requests "
                                 "from one."))
    requested = (_state(payload.requested_state, "requested_state")
                 if payload.requested_state else None)
    try:
        draft = services.draft_create(
            user=user, kind=payload.kind, title=payload.title, requesting_state=requesting,
            requested_state=requested, urgent=payload.urgent, needed_by=payload.needed_by)
    except services.NotAllowed as exc:
        raise _forbidden(gettext("You have no role for this State, so you cannot write "
                                 "requests from it.")) from exc
    except DjangoValidationError as error:
        raise _from_django(error) from error
    return draft_out(access.get_draft_for_user(user, draft.pk))


@router.get(
    "/requests/{id}", response=answers(DraftOut, 404, 422, get=True), summary="One request",
    description="A request with everything it says. A request you may not see answers "
                "exactly like one that does not exist: 404 `{\"detail\": \"Not found.\"}`.",
)
def draft_detail(request: HttpRequest, id: int = ID) -> Any:
    return draft_out(access.get_draft_for_user(request.user, id))


@router.patch(
    "/requests/{id}", response=answers(DraftOut, 403, 404, 409, 422),
    summary="Save a request",
    description="Change the fields sent (the others are kept) and merge the `content` keys "
                "sent into those saved. Only its author and the colleagues it is shared with "
                "may, while it is a draft or returned for changes (403 otherwise). Send the "
                "`version` you read: if someone saved since, nothing is written and the answer "
                "is 409 with the request as saved now.",
)
def draft_update(request: HttpRequest, payload: DraftUpdateIn, id: int = ID) -> Any:
    user = request.user
    draft = access.get_draft_for_user(user, id)
    if not access.may_edit(user, draft):
        raise _forbidden(gettext("Only its author and the colleagues it is shared with may "
                                 "change this request, and only while it is a draft or "
                                 "returned for changes."))
    _may_change(user)
    fields = _fields(user, payload)
    content = payload.content.model_dump(exclude_unset=True) if payload.content else {}
    try:
        saved = services.draft_save(draft=draft, user=user, version=payload.version,
                                    section=payload.section or "", fields=fields,
                                    content=content)
    except services.StaleDraft as stale:
        return _stale(request, stale.current)
    except services.NotAllowed as exc:
        raise _forbidden(gettext("You may not change this request.")) from exc
    except DjangoValidationError as error:
        raise _from_django(error) from error
    return draft_out(access.get_draft_for_user(user, saved.pk))


@router.get(
    "/requests/{id}/completeness", response=answers(CompletenessOut, 404, 422, get=True),
    summary="What a request lacks",
    description="Each element that art. 18(15) (or, for other requests, arts. 13, 16 and 17) "
                "and the requested State's own checklist require and the request does not "
                "contain yet, with the step where it is written; and warnings, such as a "
                "language the requested State does not accept.",
)
def draft_completeness(request: HttpRequest, id: int = ID) -> Any:
    draft = access.get_draft_for_user(request.user, id)
    missing, warnings = services.completeness(draft, user=request.user)
    return {"complete": not missing, "missing": [missing_out(item) for item in missing],
            "warnings": warnings}


def missing_out(item: steps.Missing) -> dict[str, str]:
    return {"step": item.step, "label": item.label, "citation": item.citation,
            "field": item.field}


@router.post(
    "/requests/{id}/submit", response=answers(DraftOut, 403, 404, 409, 422),
    summary="Submit a request for review",
    description="Send the request to the reviewers of its central authority, who are told "
                "by mail. A request that lacks anything cannot be submitted: the answer is 422 "
                "with one entry per missing element (`type` \"missing_element\", `msg` what is "
                "missing, `step`, `citation`, `field`).",
)
def draft_submit(request: HttpRequest, payload: SubmitIn, id: int = ID) -> Any:
    user = request.user
    draft = access.get_draft_for_user(user, id)
    if not access.may_edit(user, draft):
        raise _forbidden(gettext("Only its author and the colleagues it is shared with may "
                                 "submit this request, and only while it is a draft or "
                                 "returned for changes."))
    _may_change(user)
    try:
        submitted = services.draft_submit(draft=draft, user=user, version=payload.version,
                                          note=payload.note)
    except services.StaleDraft as stale:
        return _stale(request, stale.current)
    except services.NotAllowed as exc:
        raise _forbidden(gettext("You may not submit this request.")) from exc
    except services.Incomplete as lacking:
        raise incomplete(lacking) from lacking
    return draft_out(access.get_draft_for_user(user, submitted.pk))


def incomplete(lacking: services.Incomplete) -> Any:
    return NinjaValidationError([
        {"type": "missing_element", "loc": ["content", item.field or item.step],
         "msg": item.label, **missing_out(item)} for item in lacking.missing])


# --- review ----------------------------------------------------------------------------------


def _reviewer(request: HttpRequest, id: int) -> Draft:
    draft = access.get_draft_for_user(request.user, id)
    if not access.is_reviewer(request.user, draft):
        raise _forbidden(gettext("Only the reviewers of its central authority review this "
                                 "request."))
    _may_change(request.user)
    return draft


def _review(request: HttpRequest, draft: Draft, version: int, run: Any) -> Any:
    if version != draft.version:
        return _stale(request, draft)
    try:
        result = run()
    except services.StaleDraft as stale:
        return _stale(request, stale.current)
    except services.NotAllowed as exc:
        raise _forbidden(gettext("This request is not awaiting review.")) from exc
    except services.Incomplete as lacking:
        raise incomplete(lacking) from lacking
    except DjangoValidationError as error:
        raise _from_django(error) from error
    return result


def comment_out(comment: ReviewComment) -> dict[str, Any]:
    return {"id": comment.pk, "section": comment.section, "author": person_out(comment.author),
            "text": comment.text, "created_at": comment.created_at,
            "resolved_at": comment.resolved_at}


@router.get(
    "/requests/{id}/comments", response=answers(list[CommentOut], 404, 422, get=True),
    summary="A request's review comments",
    description="The reviewers' comments on the request's sections, oldest first; "
                "`resolved_at` is set once the request is approved.",
)
def comment_list(request: HttpRequest, id: int = ID) -> Any:
    draft = access.get_draft_for_user(request.user, id)
    return [comment_out(comment) for comment in
            draft.comments.select_related("author").order_by("created_at", "pk")]


@router.post(
    "/requests/{id}/comments", response=answers(CommentOut, 403, 404, 409, 422),
    summary="Comment on a section",
    description="A reviewer's comment on one section (step) of a request awaiting review.",
)
def comment_create(request: HttpRequest, payload: CommentIn, id: int = ID) -> Any:
    draft = _reviewer(request, id)
    result = _review(request, draft, payload.version, lambda: services.review_comment(
        draft=draft, user=request.user, section=payload.section, text=payload.text))
    return result if isinstance(result, Status) else comment_out(result)


@router.post(
    "/requests/{id}/return", response=answers(DraftOut, 403, 404, 409, 422),
    summary="Return a request for changes",
    description="A reviewer sends the request back to its author, who is told by mail. Say "
                "what must change in `note`, or in comments on the sections first.",
)
def review_return(request: HttpRequest, payload: ReturnIn, id: int = ID) -> Any:
    draft = _reviewer(request, id)
    result = _review(request, draft, payload.version, lambda: services.review_return(
        draft=draft, user=request.user, version=payload.version, note=payload.note))
    if isinstance(result, Status):
        return result
    return draft_out(access.get_draft_for_user(request.user, id))


@router.post(
    "/requests/{id}/approve", response=answers(DraftOut, 403, 404, 409, 422),
    summary="Approve a request",
    description="A reviewer approves the request for sending, recording the state of its "
                "translation; its author is told by mail. A request that lacks anything "
                "cannot be approved (422, one entry per missing element).",
)
def review_approve(request: HttpRequest, payload: ApproveIn, id: int = ID) -> Any:
    draft = _reviewer(request, id)
    result = _review(request, draft, payload.version, lambda: services.review_approve(
        draft=draft, user=request.user, version=payload.version, note=payload.note,
        translation_status=payload.translation_status))
    if isinstance(result, Status):
        return result
    return draft_out(access.get_draft_for_user(request.user, id))


@router.put(
    "/requests/{id}/translation", response=answers(DraftOut, 403, 404, 409, 422),
    summary="Record the translation status",
    description="Its writers (while they may change it) and its reviewers (once submitted) "
                "record where its translation stands.",
)
def translation_set(request: HttpRequest, payload: TranslationIn, id: int = ID) -> Any:
    user = request.user
    draft = access.get_draft_for_user(user, id)
    if not access.may_set_translation(user, draft):
        raise _forbidden(gettext("Only its writers, while they may change it, and its "
                                 "reviewers record the translation status of this request."))
    _may_change(user)
    result = _review(request, draft, payload.version, lambda: services.translation_set(
        draft=draft, user=user, version=payload.version, status=payload.translation_status))
    if isinstance(result, Status):
        return result
    return draft_out(access.get_draft_for_user(user, id))


# --- documents -------------------------------------------------------------------------------

MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf"}


class DocumentQuery(Schema):
    language: OutputLanguage | None = Field(
        None, description="Language of the fixed text; by default the one chosen on the "
                          "request.")
    second_language: OutputLanguage | None = Field(
        None, description="A second language printed side by side; by default the one chosen "
                          "on the request, if any.")
    single: bool = Field(False, description="Print one language only, even if the request "
                                            "names a second one.")


@router.get(
    "/requests/{id}/document.{fmt}", response=answers(None, 404, 422, get=True),
    summary="The request as DOCX or PDF",
    description="The request in the form of a formal request, made anew from what it says "
                "now: the fixed text in the language chosen (and optionally a second one side "
                "by side), the text as written, and a checklist annex. Recorded in the "
                "request's history.",
    openapi_extra={"responses": {200: {
        "description": "The document.",
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}
                    for mimetype in MIMETYPES.values()},
    }}},
)
def document(request: HttpRequest, query: Query[DocumentQuery], id: int = ID,
             fmt: DocumentFormat = FMT) -> Any:
    from .documents import render_request

    draft = access.get_draft_for_user(request.user, id)
    language = query.language or draft.output_language
    second = "" if query.single else (query.second_language or draft.second_output_language)
    if second == language:
        second = ""
    filename, mimetype, data = render_request(draft, fmt=fmt, language=language,
                                              second_language=second, user=request.user)
    services.record_document(draft=draft, user=request.user, filename=filename)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
