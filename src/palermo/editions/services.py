"""Writes of printed editions: ordering one, and writing it (in a task or, for one State, at
once). The reader of the edition decides what goes in: an anonymous visitor for a public
edition, the person who ordered it for a restricted one.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from palermo.core.pagecache import current_token
from palermo.directory import access
from palermo.documents import render_docx, render_pdf

from .builder import edition_document, gather
from .models import Edition

logger = logging.getLogger(__name__)


def reader_of(edition: Edition) -> Any:
    """Whose view of the directory the edition prints."""
    if not edition.restricted:
        return AnonymousUser()
    return edition.requested_by


@transaction.atomic
def edition_request(*, user: Any, scope: str, scope_code: str, language: str,
                    restricted: bool) -> tuple[Edition, bool]:
    """An edition of the directory as it is now: an existing one when the same edition was
    already made from the same data (so repeated orders cost nothing), else a new one.
    Returns (edition, whether it is new)."""
    if restricted and not access.sees_restricted(user):
        raise PermissionDenied(_("Only signed-in practitioners, focal points and the "
                                 "secretariat may order the restricted edition."))
    token = current_token()
    existing = (Edition.objects
                .filter(scope=scope, scope_code=scope_code, language=language,
                        restricted=restricted, data_version=token)
                .exclude(status=Edition.Status.FAILED).first())
    if existing is not None:
        return existing, False
    edition = Edition(
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        scope=scope, scope_code=scope_code, language=language, restricted=restricted,
        data_version=token,
    )
    edition.full_clean()
    edition.save()
    return edition, True


def edition_enqueue(edition: Edition) -> None:
    """Write the edition in the background, once the order is committed."""
    from .tasks import build_edition

    pk = str(edition.pk)
    transaction.on_commit(lambda: build_edition.enqueue(pk))


def _file_stem(edition: Edition) -> str:
    kind = "restricted" if edition.restricted else "public"
    scope = (edition.scope_code or "all").lower()
    return f"palermo-directory-{scope}-{edition.language}-{kind}-{timezone.now():%Y%m%d}"


def edition_build(edition_id: str) -> Edition:
    """Write the DOCX and the PDF, telling the record how many States are written."""
    edition = Edition.objects.select_related("requested_by").get(pk=edition_id)
    if edition.status == Edition.Status.DONE:
        return edition  # a task run twice writes once
    edition.status = Edition.Status.RUNNING
    edition.started_at = timezone.now()
    edition.save(update_fields=["status", "started_at"])
    reader = reader_of(edition)
    if edition.restricted and not access.sees_restricted(reader):
        return _fail(edition, Edition.READER_GONE)
    try:
        with translation.override(edition.language):
            entries = gather(reader, edition.scope, edition.scope_code)
            edition.states_total = len(entries)
            edition.save(update_fields=["states_total"])
            document = edition_document(edition, entries)
            docx_data = render_docx(document)

            def progress(done: int) -> None:
                Edition.objects.filter(pk=edition.pk).update(states_done=done)

            pdf = render_pdf(document, progress=progress)
        stem = _file_stem(edition)
        edition.docx.save(f"{stem}.docx", ContentFile(docx_data), save=False)
        edition.pdf.save(f"{stem}.pdf", ContentFile(pdf.data), save=False)
    except Exception:
        logger.exception("Printed edition %s could not be written", edition.pk)
        return _fail(edition, Edition.FAILED)
    edition.missing_characters = "".join(sorted(pdf.missing))[:500]
    edition.states_done = edition.states_total
    edition.status = Edition.Status.DONE
    edition.finished_at = timezone.now()
    edition.save()
    return edition


def _fail(edition: Edition, reason: str) -> Edition:
    edition.status = Edition.Status.FAILED
    edition.error = reason
    edition.finished_at = timezone.now()
    edition.save(update_fields=["status", "error", "finished_at"])
    return edition
