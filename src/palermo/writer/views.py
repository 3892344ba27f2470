"""The request writer's pages: the list of requests, a new request, each step, the overview
with what is missing, sharing and submission. Every page works without JavaScript; htmx saves a
step as it is typed and shows what it still lacks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.guards import second_factor_required
from palermo.reference.models import State

from . import access, forms, services, steps
from .models import Draft, Status


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    """The requests the user may see: theirs, shared with them, and those they review."""
    query = request.GET.get("q", "").strip()[:200]
    drafts = access.drafts_visible_to(request.user).select_related(
        "requested_state", "requesting_state", "author")
    if query:
        drafts = drafts.filter(Q(title__icontains=query)
                               | Q(requested_state__name__icontains=query))
    status = request.GET.get("status", "")
    if status in Status.values:
        drafts = drafts.filter(status=status)
    return _no_store(render(request, "writer/list.html", {
        "drafts": drafts[:200], "query": query, "status": status,
        "statuses": Status.choices,
        "may_write": access.may_write_requests(request.user),
        "is_reviewer": bool(access.roles_of(request.user).reviewer_states
                            or access.roles_of(request.user).reviewer_authorities),
    }))


@login_required
@second_factor_required
def draft_new(request: HttpRequest) -> HttpResponse:
    roles = access.roles_of(request.user)
    states = State.objects.filter(pk__in=roles.states).order_by("code")
    if not roles.states:
        return _no_store(render(request, "writer/no_role.html", status=403))
    initial: dict[str, Any] = {"kind": request.GET.get("kind", "mla")}
    requested = request.GET.get("requested", "").upper()
    if requested:
        initial["requested_state"] = State.objects.filter(code=requested).first()
    form = forms.NewDraftForm(request.POST or None, states=states, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = services.draft_create(
            user=request.user, kind=data["kind"], title=data["title"],
            requesting_state=data["requesting_state"], requested_state=data["requested_state"])
        messages.success(request, _("The request is started. What the directory knows is "
                                    "filled in; check it."))
        return HttpResponseRedirect(reverse("writer:step", args=[draft.pk, "parties"]))
    return _no_store(render(request, "writer/new.html", {"form": form},
                            status=400 if form.errors else 200))


def _step_nav(draft: Draft, current: str) -> dict[str, Any]:
    applicable = steps.applicable_steps(draft)
    ids = [step.identifier for step in applicable]
    index = ids.index(current) if current in ids else 0
    return {
        "steps": applicable,
        "previous_step": ids[index - 1] if index > 0 else None,
        "next_step": ids[index + 1] if index + 1 < len(ids) else None,
    }


def _directory_info(draft: Draft, context: steps.CheckContext) -> dict[str, Any]:
    """What the directory says about sending this request: channels, languages, the urgent
    contact, and a link to the finder for the rest."""
    from urllib.parse import urlencode

    from palermo.directory.models import Channel

    authority = draft.requested_authority
    if draft.requested_state is None:
        return {}
    measure = "mla-f" if draft.kind == "mla" and not draft.measures else (
        draft.measures[0] if draft.kind == "mla" else str(draft.kind))
    query = urlencode({"requesting": draft.requesting_state.code,
                       "requested": draft.requested_state.code, "measure": measure,
                       **({"urgent": "on"} if draft.urgent else {})})
    return {"directory": {
        "authority": authority,
        "channels": [str(Channel(code).label) for code in (authority.channels if authority
                                                             else []) if code in Channel.values],
        "languages": list(context.accepted_language_names),
        "urgent_channel": authority.get_urgent_channel_display() if authority else "",
        "urgent_contact": authority.urgent_contact if authority else "",
        "finder_url": reverse("directory:finder") + "?" + query,
    }}


def _overview(request: HttpRequest, draft: Draft, *, status: int = 200,
              submit_error: bool = False) -> HttpResponse:
    context = steps.check_context(draft, user=request.user)
    lacking = steps.missing(draft, context)
    by_step: dict[str, int] = {}
    for item in lacking:
        by_step[item.step] = by_step.get(item.step, 0) + 1
    return _no_store(render(request, "writer/draft.html", {
        "draft": draft,
        "missing": lacking,
        "warnings": steps.warnings(draft, context),
        "checklist": [text for _key, text in context.checklist],
        "steps": [(step, by_step.get(step.identifier, 0))
                  for step in steps.applicable_steps(draft) if step.identifier != "check"],
        "may_edit": access.may_edit(request.user, draft),
        "may_share": access.may_share(request.user, draft),
        "may_review": access.may_review(request.user, draft),
        "submit_error": submit_error,
        "shared_with": list(draft.shared_with.all()),
        "open_comments": _with_titles(draft.comments.filter(resolved_at__isnull=True)
                                      .select_related("author")),
        "measures": [steps.measure_label(code) for code in draft.measures],
        **_directory_info(draft, context),
        "demo_shown": draft.is_demo or getattr(request.user, "is_demo", False),
    }, status=status))


def _with_titles(comments: Any) -> list[Any]:
    titles = {step.identifier: step.title for step in steps.STEPS}
    found = list(comments)
    for comment in found:
        comment.section_title = titles.get(comment.section, comment.section)
    return found


@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_draft_for_user(request.user, pk)
    return _overview(request, draft)


def _conflict_rows(form: forms.StepForm, current: Draft) -> list[dict[str, Any]]:
    """Field by field: what the user typed, and what is saved now."""
    rows = []
    fields, content = form.changes()
    for name, yours in {**fields, **content}.items():
        theirs = (getattr(current, name) if name in fields
                  else current.content.get(name, ""))
        label = form.fields[name].label if name in form.fields else name
        rows.append({"label": label, "yours": _show(yours), "theirs": _show(theirs),
                     "differs": _show(yours) != _show(theirs)})
    return rows


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_show(item)}" for key, item in value.items())
    return str(value)


def _step_extra(request: HttpRequest, draft: Draft, step: str) -> dict[str, Any]:
    """What a step's form needs from the directory."""
    if step == "parties" and draft.requested_state_id:
        return {"bases": [(basis.instrument.code, _basis_label(basis))
                          for basis in services.legal_bases(draft)]}
    if step == "contact":
        return {"checklist": list(steps.check_context(draft, user=request.user).checklist)}
    return {}


def _basis_label(basis: Any) -> str:
    if basis.available:
        return _("%(instrument)s — both States are parties") % {
            "instrument": basis.instrument.short_name}
    return _("%(instrument)s — Palermo has no record that both States are parties to it "
             "today") % {"instrument": basis.instrument.short_name}


@login_required
@second_factor_required
def draft_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    draft = access.get_draft_for_user(request.user, pk)
    current = steps.get_step(step)
    if current is None or not current.is_applicable(draft):
        raise Http404
    if step == "check":
        return HttpResponseRedirect(draft.get_absolute_url())
    if not access.may_edit(request.user, draft):
        messages.info(request, _("This request cannot be changed now: it is %(status)s.") % {
            "status": draft.get_status_display()})
        return HttpResponseRedirect(draft.get_absolute_url())
    form_class = forms.STEP_FORMS[step]
    extra = _step_extra(request, draft, step)
    is_htmx = request.headers.get("HX-Request") == "true"
    more = "more" in request.POST
    conflict: list[dict[str, Any]] | None = None
    status = 200
    data = request.POST if request.method == "POST" else None
    form = form_class(data, draft=draft, user=request.user, **extra)
    formsets = forms.row_formsets(step, draft, data)
    if request.method == "POST":
        valid = form.is_valid() and all(fs.is_valid() for _k, _l, fs in formsets)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        if valid:
            fields, content = form.changes()
            for key, _label, formset in formsets:
                content[key] = forms.rows_of(key, formset)
            try:
                draft = services.draft_save(draft=draft, user=request.user, version=version,
                                            section=step, fields=fields, content=content,
                                            after_own_autosave=True)
            except services.StaleDraft as stale:
                conflict = _conflict_rows(form, stale.current)
                draft.version = stale.current.version
                status = 409
            except services.NotAllowed as exc:
                raise Http404 from exc
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                if is_htmx:
                    return _saved_fragment(request, draft, step)
                if more:
                    return HttpResponseRedirect(
                        reverse("writer:step", args=[draft.pk, step]) + "?more=1#rows")
                following = _step_nav(draft, step)["next_step"]
                messages.success(request, _("Saved."))
                if "next" not in request.POST:
                    target = reverse("writer:step", args=[draft.pk, step])
                elif following in (None, "check"):
                    target = draft.get_absolute_url()
                else:
                    target = reverse("writer:step", args=[draft.pk, following])
                return HttpResponseRedirect(target)
        else:
            status = 400
        if is_htmx:
            return _saved_fragment(request, draft, step, errors=True, status=200)
    elif request.GET.get("more"):
        formsets = forms.row_formsets(step, draft, None, more=True)
    context = steps.check_context(draft, user=request.user) if step in ("contact", "parties") \
        else steps.CheckContext()
    lacking = current.missing(draft, context)
    return _no_store(render(request, "writer/step.html", {
        "draft": draft, "step": current, "form": form, "formsets": formsets,
        "conflict": conflict, "missing": lacking, "version": draft.version,
        **(_directory_info(draft, context) if step == "parties" else {}),
        "demo_shown": draft.is_demo or getattr(request.user, "is_demo", False),
        "comments": [c for c in draft.comments.filter(section=step, resolved_at__isnull=True)
                     .select_related("author")],
        **_step_nav(draft, step),
    }, status=status))


def _saved_fragment(request: HttpRequest, draft: Draft, step: str, *, errors: bool = False,
                    status: int = 200) -> HttpResponse:
    current = steps.get_step(step)
    assert current is not None
    context = steps.check_context(draft, user=request.user) if step == "contact" else \
        steps.CheckContext()
    return _no_store(render(request, "writer/_saved.html", {
        "draft": draft, "missing": current.missing(draft, context), "errors": errors,
        "version": draft.version,
    }, status=status))


@login_required
def draft_share(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_draft_for_user(request.user, pk)
    if not access.may_share(request.user, draft):
        raise Http404
    queryset = access.colleagues_of(request.user, draft)
    form = forms.ShareForm(request.POST or None, queryset=queryset,
                           initial={"colleagues": list(draft.shared_with.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_share(draft=draft, user=request.user,
                                 colleagues=form.cleaned_data["colleagues"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sharing saved."))
            return HttpResponseRedirect(draft.get_absolute_url())
    return _no_store(render(request, "writer/share.html", {
        "draft": draft, "form": form, "has_colleagues": queryset.exists(),
    }, status=400 if form.errors else 200))


@login_required
@second_factor_required
@require_POST
def draft_submit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_draft_for_user(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.draft_submit(draft=draft, user=request.user, version=version,
                              note=request.POST.get("note", "")[:5000])
    except services.NotAllowed as exc:
        raise Http404 from exc
    except services.Incomplete:
        return _overview(request, draft, status=422, submit_error=True)
    except services.StaleDraft:
        messages.error(request, _("Someone saved the request since you opened this page; "
                                  "nothing was submitted. Check it and submit again."))
        return HttpResponseRedirect(draft.get_absolute_url())
    messages.success(request, _("The request is submitted for review by your central "
                                "authority."))
    return HttpResponseRedirect(draft.get_absolute_url())
