"""Review by the central authority (decision 3/2 k, l), and the request's history.

The review page shows the request section by section to whoever may see it; its reviewers
(while it awaits review) also get a comment form per section and the two decisions, return
for changes or approve. Its author and colleagues see the same page read-only: actions they
may not take answer 403. Every form carries the version the page was opened with; an action
on a request that changed since answers 409, says so and changes nothing. Whoever may not see
the request gets 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from palermo.accounts.guards import second_factor_required

from . import access, history, services, steps
from .models import Draft, Event, ReviewComment, TranslationStatus

# --- forms ---------------------------------------------------------------------------------


class VersionForm(forms.Form):
    """Each form of the page has its own prefix for its fields' ids (one page, many forms)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class CommentForm(VersionForm):
    section = forms.ChoiceField(widget=forms.HiddenInput)
    text = forms.CharField(label=gettext_lazy("Comment on this section"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, draft: Draft, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        step = (data.get("section") if data is not None
                else kwargs.get("initial", {}).get("section", ""))
        kwargs.setdefault("auto_id", f"comment-{step}-%s")
        super().__init__(*args, **kwargs)
        section: Any = self.fields["section"]
        section.choices = [(step.identifier, step.title)
                           for step in steps.applicable_steps(draft)]


class ReturnForm(VersionForm):
    id_prefix = "return"
    note = forms.CharField(
        label=gettext_lazy("What must change"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Sent to the author with your comments on the sections."))


class ApproveForm(VersionForm):
    id_prefix = "approve"
    translation_status = forms.ChoiceField(label=gettext_lazy("Translation"),
                                           choices=TranslationStatus.choices)
    note = forms.CharField(label=gettext_lazy("Note for the author (optional)"),
                           max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class TranslationForm(VersionForm):
    id_prefix = "translation"
    translation_status = forms.ChoiceField(label=gettext_lazy("Translation"),
                                           choices=TranslationStatus.choices)


# --- the review page -----------------------------------------------------------------------


@dataclass
class SectionView:
    section: history.Section
    comments: list[ReviewComment]
    form: CommentForm | None = None


@dataclass
class Bound:
    """Forms bound to what was posted, shown again with their errors."""

    comment: CommentForm | None = None
    return_form: ReturnForm | None = None
    approve: ApproveForm | None = None
    translation: TranslationForm | None = None
    errors: list[str] = field(default_factory=list)
    missing: list[steps.Missing] = field(default_factory=list)


def comments_by_section(draft: Draft, *, open_only: bool = False) -> dict[str, list[ReviewComment]]:
    """The draft's review comments grouped by section, oldest first (one query)."""
    comments = draft.comments.select_related("author", "resolved_by").order_by("created_at", "pk")
    if open_only:
        comments = comments.filter(resolved_at__isnull=True)
    grouped: dict[str, list[ReviewComment]] = {}
    for comment in comments:
        grouped.setdefault(comment.section, []).append(comment)
    return grouped


def _review_page(request: HttpRequest, draft: Draft, *, bound: Bound | None = None,
                 stale: bool = False, status: int = 200) -> HttpResponse:
    bound = bound or Bound()
    user = request.user
    reviewing = access.may_review(user, draft)
    grouped = comments_by_section(draft)
    initial = {"version": draft.version}
    section_views = []
    for section in history.sections(draft, user=user):
        form = None
        if reviewing:
            form = (bound.comment if bound.comment is not None
                    and bound.comment.data.get("section") == section.step
                    else CommentForm(draft=draft, initial={**initial, "section": section.step}))
        section_views.append(SectionView(section, grouped.pop(section.step, []), form))
    missing, warnings = services.completeness(draft, user=user)
    return render(request, "writer/review/review.html", {
        "draft": draft, "sections": section_views,
        "other_comments": [c for comments in grouped.values() for c in comments],
        "missing": bound.missing or missing, "warnings": warnings,
        "reviewing": reviewing, "stale": stale, "errors": bound.errors,
        "return_form": (bound.return_form or ReturnForm(initial=initial)) if reviewing else None,
        "approve_form": (bound.approve or ApproveForm(initial={
            **initial, "translation_status": draft.translation_status})) if reviewing else None,
        "translation_form": (bound.translation or TranslationForm(initial={
            **initial, "translation_status": draft.translation_status}))
        if access.may_set_translation(user, draft) else None,
    }, status=status)


@login_required
@second_factor_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The request section by section; for its reviewers, comments and the decision."""
    draft = access.get_draft_for_user(request.user, pk)
    return _review_page(request, draft)


def _act(request: HttpRequest, pk: int, form_class: type[VersionForm], *,
         allowed: Callable[[Any, Draft], bool], run: Callable[[Draft, dict[str, Any]], Any],
         bind: Callable[[Bound, Any], None], done: str) -> HttpResponse:
    """Check, bind, call the service, and answer; one path for every action of the page."""
    draft = access.get_draft_for_user(request.user, pk)
    if not allowed(request.user, draft):
        raise PermissionDenied
    form: Any = (CommentForm(request.POST, draft=draft) if form_class is CommentForm
                 else form_class(request.POST))
    bound = Bound()
    bind(bound, form)
    if not form.is_valid():
        return _review_page(request, draft, bound=bound, status=422)
    if form.cleaned_data["version"] != draft.version:
        return _review_page(request, draft, stale=True, status=409)
    try:
        run(draft, form.cleaned_data)
    except services.StaleDraft:
        current = access.get_draft_for_user(request.user, pk)
        return _review_page(request, current, stale=True, status=409)
    except services.NotAllowed as exc:
        raise PermissionDenied from exc
    except services.Incomplete as lacking:
        bound.errors.append(_("The request still lacks the elements listed below; it cannot "
                              "be approved until they are written."))
        bound.missing = lacking.missing
        return _review_page(request, draft, bound=bound, status=422)
    except ValidationError as error:
        _form_errors(form, error)
        return _review_page(request, draft, bound=bound, status=422)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("writer:review", kwargs={"pk": draft.pk}))


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@require_POST
@login_required
@second_factor_required
def review_comment(request: HttpRequest, pk: int) -> HttpResponse:
    def run(draft: Draft, data: dict[str, Any]) -> None:
        services.review_comment(draft=draft, user=request.user, section=data["section"],
                                text=data["text"])

    def bind(bound: Bound, form: Any) -> None:
        bound.comment = form

    return _act(request, pk, CommentForm, allowed=access.is_reviewer, run=run, bind=bind,
                done=_("Your comment was added."))


@require_POST
@login_required
@second_factor_required
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    def run(draft: Draft, data: dict[str, Any]) -> None:
        services.review_return(draft=draft, user=request.user, version=data["version"],
                               note=data["note"])

    def bind(bound: Bound, form: Any) -> None:
        bound.return_form = form

    return _act(request, pk, ReturnForm, allowed=access.is_reviewer, run=run, bind=bind,
                done=_("The request was returned to its author for changes."))


@require_POST
@login_required
@second_factor_required
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def run(draft: Draft, data: dict[str, Any]) -> None:
        services.review_approve(draft=draft, user=request.user, version=data["version"],
                                note=data["note"],
                                translation_status=data["translation_status"])

    def bind(bound: Bound, form: Any) -> None:
        bound.approve = form

    return _act(request, pk, ApproveForm, allowed=access.is_reviewer, run=run, bind=bind,
                done=_("The request was approved."))


@require_POST
@login_required
@second_factor_required
def translation(request: HttpRequest, pk: int) -> HttpResponse:
    def run(draft: Draft, data: dict[str, Any]) -> None:
        services.translation_set(draft=draft, user=request.user, version=data["version"],
                                 status=data["translation_status"])

    def bind(bound: Bound, form: Any) -> None:
        bound.translation = form

    return _act(request, pk, TranslationForm, allowed=access.may_set_translation, run=run,
                bind=bind, done=_("The translation status was recorded."))


# --- the author's view of the comments ------------------------------------------------------


@dataclass
class CommentGroup:
    step: str
    title: str
    comments: list[ReviewComment]


def open_comment_groups(draft: Draft) -> list[CommentGroup]:
    """The comments not yet resolved, by section in the order of the steps (one query)."""
    grouped = comments_by_section(draft, open_only=True)
    order = {identifier: index for index, identifier in enumerate(steps.STEP_IDS)}
    return [CommentGroup(step, history.step_title(step), comments)
            for step, comments in sorted(grouped.items(),
                                         key=lambda item: order.get(item[0], len(order)))]


@login_required
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """The open review comments, each section with a link to its step. htmx asks for the
    fragment alone (to place it in the draft page); without JavaScript it is a page."""
    draft = access.get_draft_for_user(request.user, pk)
    template = ("writer/review/_comments.html" if request.headers.get("HX-Request")
                else "writer/review/comments.html")
    return render(request, template, {"draft": draft, "groups": open_comment_groups(draft)})


# --- the reviewer's queue ------------------------------------------------------------------


def awaiting_review(user: Any) -> QuerySet[Draft]:
    """The requests awaiting this reviewer's review: urgent first, then the most recently
    submitted."""
    return (access.drafts_awaiting_review(user)
            .annotate(submitted_at=Max("events__at",
                                       filter=Q(events__action=Event.Action.SUBMITTED)))
            .select_related("author", "requested_state", "requesting_authority")
            .order_by("-urgent", "-submitted_at", "-pk"))


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    roles = access.roles_of(request.user)
    if not (roles.reviewer_states or roles.reviewer_authorities):
        raise Http404
    return render(request, "writer/review/queue.html",
                  {"drafts": awaiting_review(request.user)})


# --- the request's history -----------------------------------------------------------------


@login_required
def draft_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what and when, and each version with what changed in it."""
    draft = access.get_draft_for_user(request.user, pk)
    return render(request, "writer/review/history.html", {
        "draft": draft, "events": history.events(draft),
        "versions": history.versions(draft, user=request.user),
    })
