"""Pages of reporting cycles (the secretariat's), answering (the State's focal points and the
experts they invite), clarification requests and supplementary information.

Objects come through ``palermo.reporting.access``: what a user may not see is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from palermo.accounts import selectors as account_selectors
from palermo.accounts.access import focal_point_state_ids
from palermo.accounts.guards import may_change, second_factor_required
from palermo.accounts.models import Invitation
from palermo.reference.models import State
from palermo.reporting import access
from palermo.reporting.models import (
    Answer,
    AnswerFile,
    Cycle,
    Question,
    QuestionnaireVersion,
    Response,
    ResponseContributor,
    Section,
)

from . import forms, selectors, services


def _secretariat(request: HttpRequest) -> Any:
    if not access.is_secretariat(request.user):
        raise Http404
    return request.user


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _demo_shown(request: HttpRequest, *cycles: Cycle | None) -> bool:
    """The demo banner: for a demo account, as on every page, and on every page that shows
    the fictional demo cycle (``palermo.reporting.demo``) or its responses."""
    return getattr(request.user, "is_demo", False) or any(
        cycle is not None and cycle.is_demo for cycle in cycles)


# Cycles ---------------------------------------------------------------------------------------

def cycle_list(request: HttpRequest) -> HttpResponse:
    user = _secretariat(request)
    cycles = list(selectors.cycle_list(user))
    return render(request, "reporting/cycles/cycle_list.html", {
        "cycles": cycles, "may_create": may_change(user),
        "supplementary": selectors.supplementary_responses(user),
        "status_labels": dict(Response.Status.choices),
        "demo_shown": _demo_shown(request, *cycles)})


@second_factor_required
def cycle_new(request: HttpRequest) -> HttpResponse:
    user = _secretariat(request)
    form = forms.CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_create(
                user=user, version=data["questionnaire_version"], title=form.titles(),
                parties_on=data["parties_on"], opens_on=data["opens_on"],
                closes_on=data["closes_on"], remind_days_before=data["remind_days_before"],
                remind_days_after=data["remind_days_after"])
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            count = cycle.responses.count()
            messages.success(request, ngettext(
                "The cycle was opened for %(count)s State.",
                "The cycle was opened for %(count)s States.", count) % {"count": count})
            return HttpResponseRedirect(reverse("reporting:cycle_detail",
                                                kwargs={"pk": cycle.pk}))
    return render(request, "reporting/cycles/cycle_form.html", {"form": form})


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _secretariat(request)
    cycle = access.get_cycle_for_user(user, pk)
    filters = forms.CycleFilterForm(request.GET or None)
    group = status = None
    if filters.is_valid():
        group, status = filters.cleaned_data["group"], filters.cleaned_data["status"]
    return render(request, "reporting/cycles/cycle_detail.html", {
        "cycle": cycle, "filters": filters,
        "status": selectors.cycle_status(user, cycle, group=group, status=status or ""),
        "status_labels": dict(Response.Status.choices), "may_change": may_change(user),
        "demo_shown": _demo_shown(request, cycle),
    })


@second_factor_required
@require_POST
def response_extend(request: HttpRequest, pk: int) -> HttpResponse:
    user = _secretariat(request)
    response = access.get_response_for_user(user, pk)
    if response.cycle_id is None:
        raise Http404
    form = forms.ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.response_extend(user=user, response=response,
                                     until=form.cleaned_data["until"])
        except ValidationError as error:
            messages.error(request, " ".join(_errors(error)))
        else:
            messages.success(request, _("The deadline of %(state)s was changed.") % {
                "state": response.state.name})
    else:
        messages.error(request, _("Give a valid date."))
    return HttpResponseRedirect(reverse("reporting:cycle_detail",
                                        kwargs={"pk": response.cycle_id}))


@second_factor_required
def response_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = _secretariat(request)
    response = access.get_response_for_user(user, pk)
    if not access.may_reopen_response(user, response):
        raise PermissionDenied
    form = forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.response_reopen(user=user, response=response,
                                 reason=form.cleaned_data["reason"])
        messages.success(request, _("The response of %(state)s was reopened.") % {
            "state": response.state.name})
        return HttpResponseRedirect(reverse("reporting:response_detail",
                                            kwargs={"pk": response.pk}))
    return render(request, "reporting/cycles/reopen.html", {
        "response": response, "form": form, "demo_shown": _demo_shown(request, response.cycle)})


# Responses ------------------------------------------------------------------------------------

def response_list(request: HttpRequest) -> HttpResponse:
    """A focal point's or expert's responses, and the supplementary forms a focal point can
    start."""
    user: Any = request.user
    if not user.is_authenticated:
        raise Http404
    states = State.objects.filter(pk__in=focal_point_state_ids(user)).order_by("code")
    responses = list(selectors.responses_of(user))
    return render(request, "reporting/cycles/response_list.html", {
        "responses": responses, "states": states,
        "demo_shown": _demo_shown(request, *(response.cycle for response in responses)),
        "supplementary": selectors.latest_supplementary_versions() if states else [],
        "status_labels": dict(Response.Status.choices),
    })


@second_factor_required
@require_POST
def supplementary_start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    try:
        state_id = int(request.POST.get("state", ""))
        version = selectors.supplementary_versions().get(pk=int(request.POST.get("version", "")))
    except (ValueError, QuestionnaireVersion.DoesNotExist) as exc:
        raise Http404 from exc
    if state_id not in focal_point_state_ids(user):
        raise Http404
    response = services.supplementary_start(user=user, state_id=state_id, version=version)
    return HttpResponseRedirect(reverse("reporting:response_detail", kwargs={"pk": response.pk}))


def _detail_context(request: HttpRequest, response: Response) -> dict[str, Any]:
    user: Any = request.user
    may_invite = access.may_invite_contributors(user, response)
    return {
        "response": response, "progress": selectors.response_progress(user, response),
        "may_edit": access.may_edit_response(user, response),
        "may_submit": access.may_submit_response(user, response),
        "may_reopen": access.may_reopen_response(user, response),
        "may_ask": (access.may_ask_clarification(user, response)
                    and response.status == Response.Status.SUBMITTED),
        "may_invite": may_invite,
        "contributors": (ResponseContributor.objects.filter(response=response)
                         .select_related("user", "invited_by") if may_invite else []),
        "expert_invitations": (account_selectors.pending_expert_invitations(response)
                               if may_invite else []),
        "invite_form": forms.InviteForm(),
        "clarifications": access.clarifications_visible_to(user).filter(response=response)
        .order_by("-created_at"),
        "status_labels": dict(Response.Status.choices),
        "status_history": _status_history(response),
        "demo_shown": _demo_shown(request, response.cycle),
    }


def _status_history(response: Response) -> list[Any]:
    """The changes of the response's status, oldest first, with the reasons given."""
    records = list(response.history.select_related("history_user").order_by("history_date"))
    changes = []
    previous = None
    for record in records:
        if record.status != previous:
            changes.append(record)
            previous = record.status
    return changes


def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.get_response_for_user(request.user, pk)
    return render(request, "reporting/cycles/response_detail.html",
                  _detail_context(request, response))


@second_factor_required
@require_POST
def response_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    response = access.get_response_for_user(user, pk)
    if not access.may_submit_response(user, response):
        raise PermissionDenied
    try:
        services.response_submit(user=user, response=response)
    except services.MissingAnswers as missing:
        context = _detail_context(request, response)
        context["missing"] = missing.sections
        return render(request, "reporting/cycles/response_detail.html", context, status=400)
    messages.success(request, _("The response was submitted."))
    return HttpResponseRedirect(reverse("reporting:response_detail", kwargs={"pk": pk}))


@second_factor_required
@require_POST
def response_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    response = access.get_response_for_user(user, pk)
    if not access.may_invite_contributors(user, response):
        raise PermissionDenied
    form = forms.InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid e-mail address."))
    else:
        try:
            invited = services.contributor_invite(
                user=user, response=response, email=form.cleaned_data["email"],
                language=form.cleaned_data["language"] or None)
        except ValidationError as error:
            messages.error(request, " ".join(_errors(error)))
        else:
            if isinstance(invited, Invitation):
                messages.success(request, _(
                    "%(email)s has no Palermo account yet: an invitation to create one and "
                    "answer this response is saved, and its mail is on its way; the list below "
                    "shows when it has gone.") % {"email": invited.email})
            else:
                messages.success(request, _("%(name)s can now answer this response.") % {
                    "name": invited.user.get_full_name() or invited.user.email})
    return HttpResponseRedirect(reverse("reporting:response_detail", kwargs={"pk": pk}))


def _expert_invitation(request: HttpRequest, pk: int, invitation_pk: int
                       ) -> tuple[Any, Invitation]:
    """The focal point and an expert invitation to a response of its State: 404 for who does
    not see the response, 403 for who sees it but may not invite, then 404 for an invitation
    that is not of this response."""
    user: Any = request.user
    response = access.get_response_for_user(user, pk)
    if not access.may_invite_contributors(user, response):
        raise PermissionDenied
    invitation = account_selectors.expert_invitation_of(response, invitation_pk)
    if invitation is None:
        raise Http404
    return user, invitation


@second_factor_required
@require_POST
def expert_invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    user, invitation = _expert_invitation(request, pk, invitation_pk)
    try:
        services.expert_invitation_revoke(user=user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, _("The invitation to %(email)s is revoked; its link no longer "
                                    "works.") % {"email": invitation.email})
    return HttpResponseRedirect(reverse("reporting:response_detail", kwargs={"pk": pk}))


@second_factor_required
@require_POST
def expert_invitation_send_again(request: HttpRequest, pk: int,
                                 invitation_pk: int) -> HttpResponse:
    user, invitation = _expert_invitation(request, pk, invitation_pk)
    try:
        services.expert_invitation_send_again(user=user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, _("The invitation to %(email)s will be mailed again, with a "
                                    "new link.") % {"email": invitation.email})
    return HttpResponseRedirect(reverse("reporting:response_detail", kwargs={"pk": pk}))


@second_factor_required
@require_POST
def contributor_remove(request: HttpRequest, pk: int, contributor_pk: int) -> HttpResponse:
    user: Any = request.user
    response = access.get_response_for_user(user, pk)
    try:
        contributor = response.contributors.get(pk=contributor_pk)
    except ResponseContributor.DoesNotExist as exc:
        raise Http404 from exc
    services.contributor_remove(user=user, contributor=contributor)
    return HttpResponseRedirect(reverse("reporting:response_detail", kwargs={"pk": pk}))


# A section of a response ----------------------------------------------------------------------

@dataclass
class ConflictRow:
    label: str
    yours: str
    theirs: str

    @property
    def differs(self) -> bool:
        return self.yours != self.theirs


def _conflict(form: forms.SectionForm, answers: dict[int, Answer]) -> list[ConflictRow]:
    """Each shown question: the value in the refused form and the value saved now."""
    mine = form.section_input().values
    rows = []
    for question in form.questions:
        saved = answers.get(question.pk)
        theirs = selectors.display_value(question, saved.value if saved else None)
        yours = (theirs if question.type == Question.Type.FILE
                 else selectors.display_value(question, mine.get(question.pk)))
        rows.append(ConflictRow(question.code + " " + question.localized_text, yours, theirs))
    return rows


def _section_of(response: Response, section_pk: int) -> tuple[list[Section], Section]:
    sections = selectors.version_sections(response.questionnaire_version)
    for section in sections:
        if section.pk == section_pk:
            return sections, section
    raise Http404


@second_factor_required
def response_section(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    user: Any = request.user
    response = access.get_response_for_user(user, pk)
    sections, section = _section_of(response, section_pk)
    answers = selectors.answers_for(user, response)
    shown = selectors.shown_questions(sections, selectors.answer_values(answers))
    questions = [q for q in section.questions.all() if q.pk in shown]
    saved = selectors.saved_sections(response).get(section.pk)
    token = saved.version if saved else 0
    editable = access.may_edit_response(user, response)
    conflict: list[ConflictRow] | None = None
    add_row = request.GET.get("add_row", "")
    form = forms.SectionForm(initial={"version": token}, questions=questions, answers=answers,
                             add_row_to=int(add_row) if add_row.isdigit() else None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = forms.SectionForm(request.POST, request.FILES, questions=questions,
                                 answers=answers)
        if form.is_valid():
            data = form.section_input()
            try:
                stored = services.section_save(
                    user=user, response=response, section=section,
                    token=form.cleaned_data["version"], data=data)
            except services.StaleSection as stale:
                answers = selectors.answers_for(user, response)
                conflict = _conflict(form, answers)
                current = stale.current.version if stale.current else 0
                if _is_htmx(request):
                    return render(request, "reporting/cycles/_saved.html",
                                  {"stale": True, "version": token})
                kept = request.POST.copy()
                kept["version"] = str(current)
                form = forms.SectionForm(kept, questions=questions, answers=answers)
                form.is_valid()
            else:
                # Files attached or removed, or questions shown or hidden: the page changes.
                changed = bool(data.uploads or data.removed_files)
                return _saved(request, response, section, sections, shown, stored.version,
                              changed=changed)
        elif _is_htmx(request):
            return render(request, "reporting/cycles/_saved.html",
                          {"invalid": True, "version": token})
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    index = [s.pk for s in sections].index(section.pk)
    return render(request, "reporting/cycles/section.html", {
        "response": response, "section": section, "form": form, "blocks": form.bind_blocks(),
        "editable": editable, "conflict": conflict, "saved": saved,
        "previous": sections[index - 1] if index > 0 else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
        "max_megabytes": round(forms.max_file_bytes() / (1024 * 1024), 1),
        "demo_shown": _demo_shown(request, response.cycle),
    }, status=409 if conflict else 200)


def _saved(request: HttpRequest, response: Response, section: Section, sections: list[Section],
           shown_before: set[int], version: int, *, changed: bool) -> HttpResponse:
    user: Any = request.user
    shown_now = selectors.shown_questions(
        sections, selectors.answer_values(selectors.answers_for(user, response)))
    url = reverse("reporting:response_section",
                  kwargs={"pk": response.pk, "section_pk": section.pk})
    if _is_htmx(request):
        page = render(request, "reporting/cycles/_saved.html", {"version": version})
        if changed or shown_now != shown_before:
            page["HX-Refresh"] = "true"
        return page
    add_row = request.POST.get("add_row", "")
    if add_row.isdigit():
        return HttpResponseRedirect(f"{url}?add_row={add_row}#q{add_row}")
    messages.success(request, _("Saved."))
    return HttpResponseRedirect(url)


def answer_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A file attached to an answer, to those who see the answer."""
    user: Any = request.user
    response = access.get_response_for_user(user, pk)
    try:
        attached = AnswerFile.objects.get(
            pk=file_pk, answer__in=access.answers_visible_to(user).filter(response=response))
    except AnswerFile.DoesNotExist as exc:
        raise Http404 from exc
    return FileResponse(attached.file.open("rb"), as_attachment=True, filename=attached.name,
                        content_type=attached.content_type or "application/octet-stream")


def answer_history(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Every saved value of one answer, newest first, with who saved it."""
    user: Any = request.user
    response = access.get_response_for_user(user, pk)
    try:
        question = (Question.objects.prefetch_related("choices", "columns")
                    .get(pk=question_pk,
                         questionnaire_version_id=response.questionnaire_version_id))
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    records = (access.answer_history_visible_to(user)
               .filter(response_id=response.pk, question_id=question.pk)
               .select_related("history_user").order_by("-history_date", "-history_id"))
    return render(request, "reporting/cycles/answer_history.html", {
        "response": response, "question": question,
        "records": [(record, selectors.display_value(question, record.value))
                    for record in records],
        "demo_shown": _demo_shown(request, response.cycle),
    })


# Clarification requests -----------------------------------------------------------------------

def clarification_list(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    cycle = access.get_cycle_for_user(user, pk)
    return render(request, "reporting/cycles/clarification_list.html", {
        "cycle": cycle, "requests": selectors.cycle_clarifications(user, cycle),
        "demo_shown": _demo_shown(request, cycle),
    })


@second_factor_required
def clarification_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _secretariat(request)
    response = access.get_response_for_user(user, pk)
    if not (access.may_ask_clarification(user, response)
            and response.status == Response.Status.SUBMITTED):
        raise PermissionDenied
    form = forms.ClarificationForm(request.POST or None, response=response)
    if request.method == "POST" and form.is_valid():
        try:
            clarification = services.clarification_create(
                user=user, response=response, questions=list(form.cleaned_data["questions"]),
                text=form.cleaned_data["text"])
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The clarification request was sent to the State."))
            return HttpResponseRedirect(reverse("reporting:clarification_detail",
                                                kwargs={"pk": clarification.pk}))
    return render(request, "reporting/cycles/clarification_form.html", {
        "response": response, "form": form, "demo_shown": _demo_shown(request, response.cycle)})


@second_factor_required
def clarification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    clarification = access.get_clarification_for_user(user, pk)
    form = forms.ReplyForm(request.POST or None)
    if request.method == "POST":
        if not access.may_reply_clarification(user, clarification):
            raise PermissionDenied
        if "close" in request.POST:
            services.clarification_close(user=user, request=clarification)
            return HttpResponseRedirect(request.path)
        if form.is_valid():
            services.clarification_reply(user=user, request=clarification,
                                         text=form.cleaned_data["text"])
            messages.success(request, _("Your message was added."))
            return HttpResponseRedirect(request.path)
    response = clarification.response
    questions = list(clarification.questions.prefetch_related("choices", "columns")
                     .order_by("section__position", "position"))
    answers = {a.question_id: a for a in access.answers_visible_to(user).filter(
        response=response, question__in=questions)}
    return render(request, "reporting/cycles/clarification_detail.html", {
        "clarification": clarification, "response": response, "form": form,
        "answers": [(q, selectors.display_value(q, answers[q.pk].value if q.pk in answers
                                                else None)) for q in questions],
        "thread": clarification.messages.select_related("author"),
        "may_reply": access.may_reply_clarification(user, clarification),
        "may_close": access.is_secretariat(user) and clarification.status != "closed",
        "status_labels": dict(clarification.Status.choices),
        "demo_shown": _demo_shown(request, response.cycle),
    })
