"""Writes to request drafts: every change goes through here.

Each function takes the acting user, checks with :mod:`palermo.writer.access` that they may
do it (and :func:`palermo.accounts.guards.may_change` for the second factor of reviewers),
validates the draft whole and applies the change in one transaction, with an
:class:`~palermo.writer.models.Event` for the request's history and a historical record of
the draft; submission, return and approval queue their mails (:mod:`.notifications`) for
after the commit. A save carries the version the form was opened with; when someone else saved
since, nothing is written and :class:`StaleDraft` carries the draft as saved now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.guards import may_change
from palermo.directory import access as directory_access
from palermo.directory.models import Authority
from palermo.reference.models import Language, State

from . import access, notifications, steps
from .models import Draft, Event, Kind, ReviewComment, Status, TranslationStatus

# The columns a step's form may set; everything else a step writes goes into ``content``.
DRAFT_FIELDS = (
    "kind", "title", "requested_state", "urgent", "needed_by", "requesting_authority",
    "central_authority", "requested_authority", "legal_bases", "drafting_language",
    "output_language", "second_output_language", "measures",
)


class NotAllowed(Exception):
    """The user may not do this (pages answer 404 or 403)."""


class StaleDraft(Exception):
    """Someone else saved the draft since the form was opened; nothing was written."""

    def __init__(self, current: Draft) -> None:
        super().__init__("stale")
        self.current = current


class Incomplete(Exception):
    """The request lacks elements; nothing was changed."""

    def __init__(self, missing: list[steps.Missing]) -> None:
        super().__init__("incomplete")
        self.missing = missing


def _log(draft: Draft, user: Any, action: str, *, section: str = "", note: str = "") -> Event:
    return Event.objects.create(draft=draft, actor=user, action=action, section=section,
                                note=note, version=draft.version)


def _history_reason(draft: Draft, user: Any, reason: str) -> None:
    draft._history_user = user  # type: ignore[attr-defined]
    draft._change_reason = reason[:100]  # type: ignore[attr-defined]


def default_requesting_state(user: Any) -> State | None:
    roles = access.roles_of(user)
    return State.objects.filter(pk__in=roles.states).order_by("code").first()


def _central_authority(user: Any, state: State) -> Authority | None:
    return (directory_access.authorities_visible_to(user)
            .filter(state=state, kind=Authority.Kind.CENTRAL).order_by("pk").first())


@transaction.atomic
def draft_create(*, user: Any, kind: str, title: str, requesting_state: State,
                 requested_state: State | None = None, urgent: bool = False,
                 needed_by: dt.date | None = None) -> Draft:
    """Start a request, prefilled from the user's membership and the directory."""
    roles = access.roles_of(user)
    if requesting_state.pk not in roles.states:
        raise NotAllowed
    membership_authority = (
        Authority.objects.filter(pk__in=roles.authorities, state=requesting_state)
        .order_by("pk").first())
    draft = Draft(
        kind=kind, title=title, author=user, requesting_state=requesting_state,
        requesting_authority=membership_authority,
        central_authority=_central_authority(user, requesting_state),
        requested_state=requested_state, urgent=urgent, needed_by=needed_by,
        output_language=getattr(user, "language", "") or "en",
    )
    if requested_state is not None:
        prefill_from_directory(draft, user=user)
    draft.full_clean()
    _history_reason(draft, user, "created")
    draft.save()
    _log(draft, user, Event.Action.CREATED)
    return draft


def prefill_from_directory(draft: Draft, *, user: Any) -> None:
    """Fill what the directory knows and the user has not chosen yet: the requested
    authority, the legal bases available on the date of drafting, the drafting language."""
    if draft.requested_state is None:
        return
    from palermo.directory.finder import find

    measure = "mla-i" if draft.kind == Kind.MLA else str(draft.kind)
    answer = find(user=user, requesting=draft.requesting_state, requested=draft.requested_state,
                  measure=measure, urgent=draft.urgent, with_designations=False)
    if draft.requested_authority_id is None and answer.authorities:
        draft.requested_authority = answer.authorities[0]
    if not draft.legal_bases:
        draft.legal_bases = [basis.instrument.code for basis in answer.legal_bases
                             if basis.available]
    if draft.drafting_language_id is None:
        # The language the practitioner writes in (their own), not one the requested State
        # accepts: the check warns when the two differ, and a translation is then recorded.
        own = (getattr(user, "language", "") or draft.output_language or "en").split("-")[0]
        draft.drafting_language = Language.objects.filter(code=own).first()


def legal_bases(draft: Draft) -> list[Any]:
    """The instruments that may found the request, each saying whether both States are parties
    on the date of drafting (``palermo.directory.finder.LegalBasis``)."""
    if draft.requested_state is None:
        return []
    from palermo.directory.finder import LEGAL_BASES, legal_bases_on

    return legal_bases_on(LEGAL_BASES[str(draft.kind)], draft.requesting_state,
                          draft.requested_state, timezone.localdate())


def _own_autosave_since(draft: Draft, user: Any, version: int) -> bool:
    """Whether the one save since ``version`` was this person's own, of the same draft: their
    autosave, answered after they had already pressed Save. That is no conflict with anyone."""
    saves = list(Event.objects.filter(draft=draft, version__gt=version).values_list(
        "actor_id", "action", "version"))
    return saves == [(user.pk, Event.Action.SAVED, version + 1)]


def _claim(draft: Draft, version: int) -> bool:
    return bool(Draft.objects.filter(pk=draft.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()))


@transaction.atomic
def draft_save(*, draft: Draft, user: Any, version: int, section: str,
               fields: Mapping[str, Any] | None = None,
               content: Mapping[str, Any] | None = None,
               after_own_autosave: bool = False) -> Draft:
    """Save one step: model ``fields`` and ``content`` keys (merged into the content).

    ``after_own_autosave`` (the step pages, which autosave as the person types): when the one
    save since ``version`` was this person's own, the save follows it instead of being refused.
    """
    if not access.may_edit(user, draft):
        raise NotAllowed
    unknown = set(fields or {}) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not draft fields: {sorted(unknown)}")
    for name, value in (fields or {}).items():
        setattr(draft, name, value)
    merged = dict(draft.content) if isinstance(draft.content, dict) else {}
    merged.update(content or {})
    draft.content = merged
    if fields and "requested_state" in fields and draft.requested_authority is not None \
            and draft.requested_authority.state_id != draft.requested_state_id:
        draft.requested_authority = None
    if fields and "requested_state" in fields:
        prefill_from_directory(draft, user=user)
    draft.full_clean()
    if not _claim(draft, version):
        if not (after_own_autosave and _own_autosave_since(draft, user, version)):
            raise StaleDraft(Draft.objects.get(pk=draft.pk))
        version += 1
        if not _claim(draft, version):
            raise StaleDraft(Draft.objects.get(pk=draft.pk))
    draft.version = version + 1
    _history_reason(draft, user, f"saved {section}")
    draft.save()
    _log(draft, user, Event.Action.SAVED, section=section)
    return draft


@transaction.atomic
def draft_share(*, draft: Draft, user: Any, colleagues: Iterable[Any]) -> Draft:
    """Share with exactly these colleagues (people at the requesting authority)."""
    if not access.may_share(user, draft):
        raise NotAllowed
    chosen = list(colleagues)
    allowed = set(access.colleagues_of(user, draft).values_list("pk", flat=True))
    outside = [person for person in chosen if person.pk not in allowed]
    if outside:
        raise ValidationError(_("A draft can only be shared with colleagues at the authority "
                                "making the request."))
    before = set(draft.shared_with.values_list("pk", flat=True))
    draft.shared_with.set(chosen)
    after = {person.pk for person in chosen}
    if before != after:
        names = ", ".join(str(person) for person in chosen) or _("nobody")
        _log(draft, user, Event.Action.SHARED, note=_("Shared with: %(names)s") % {
            "names": names})
    return draft


def completeness(draft: Draft, *, user: Any) -> tuple[list[steps.Missing], list[str]]:
    context = steps.check_context(draft, user=user)
    return steps.missing(draft, context), steps.warnings(draft, context)


def _transition(draft: Draft, *, version: int, status: str) -> None:
    if not _claim(draft, version):
        raise StaleDraft(Draft.objects.get(pk=draft.pk))
    draft.version = version + 1
    draft.status = status


@transaction.atomic
def draft_submit(*, draft: Draft, user: Any, version: int, note: str = "") -> Draft:
    """Mark the request ready and send it to the central authority's reviewers. A request
    that lacks anything cannot be submitted; :class:`Incomplete` names what is missing."""
    if not access.may_edit(user, draft):
        raise NotAllowed
    lacking, _warnings = completeness(draft, user=user)
    if lacking:
        raise Incomplete(lacking)
    _transition(draft, version=version, status=Status.IN_REVIEW)
    _history_reason(draft, user, "submitted")
    draft.save()
    notifications.queue(_log(draft, user, Event.Action.SUBMITTED, note=note))
    return draft


def _check_reviewer(draft: Draft, user: Any) -> None:
    if not access.may_review(user, draft) or not may_change(user):
        raise NotAllowed


@transaction.atomic
def review_comment(*, draft: Draft, user: Any, section: str, text: str) -> ReviewComment:
    """A reviewer's comment on one section, while the request is under review."""
    _check_reviewer(draft, user)
    if section not in steps.STEP_IDS:
        raise ValidationError({"section": _("Choose a section of the request.")})
    comment = ReviewComment(draft=draft, section=section, author=user, text=text.strip())
    comment.full_clean()
    comment.save()
    _log(draft, user, Event.Action.COMMENTED, section=section, note=comment.text)
    return comment


@transaction.atomic
def review_return(*, draft: Draft, user: Any, version: int, note: str) -> Draft:
    """Send the request back to its author for changes, saying why."""
    _check_reviewer(draft, user)
    if not note.strip() and not draft.comments.filter(resolved_at__isnull=True).exists():
        raise ValidationError({"note": _("Say what must change, here or in comments on the "
                                         "sections.")})
    _transition(draft, version=version, status=Status.RETURNED)
    _history_reason(draft, user, "returned")
    draft.save()
    notifications.queue(_log(draft, user, Event.Action.RETURNED, note=note.strip()))
    return draft


@transaction.atomic
def review_approve(*, draft: Draft, user: Any, version: int, note: str = "",
                   translation_status: str | None = None) -> Draft:
    """Approve the request for sending, recording the state of its translation."""
    _check_reviewer(draft, user)
    lacking, _warnings = completeness(draft, user=user)
    if lacking:
        raise Incomplete(lacking)
    _transition(draft, version=version, status=Status.APPROVED)
    if translation_status is not None:
        if translation_status not in TranslationStatus.values:
            raise ValidationError({"translation_status": _("Choose a translation status.")})
        draft.translation_status = translation_status
    _history_reason(draft, user, "approved")
    draft.save()
    draft.comments.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(),
                                                           resolved_by=user)
    notifications.queue(_log(draft, user, Event.Action.APPROVED, note=note.strip()))
    return draft


@transaction.atomic
def translation_set(*, draft: Draft, user: Any, version: int, status: str) -> Draft:
    """Record the state of the request's translation (its writers or its reviewers)."""
    if status not in TranslationStatus.values:
        raise ValidationError({"translation_status": _("Choose a translation status.")})
    writer = access.may_edit(user, draft)
    reviewer = access.is_reviewer(user, draft) and draft.status in access.REVIEWABLE \
        and may_change(user)
    if not (writer or reviewer):
        raise NotAllowed
    _transition(draft, version=version, status=draft.status)
    draft.translation_status = status
    _history_reason(draft, user, "translation")
    draft.save()
    _log(draft, user, Event.Action.TRANSLATION, note=str(TranslationStatus(status).label))
    return draft


def record_document(*, draft: Draft, user: Any, filename: str) -> None:
    """A DOCX or PDF of the request was produced (it is not stored: it is made anew)."""
    _log(draft, user, Event.Action.DOCUMENT, note=filename)

