"""Downloads of a request as DOCX or PDF, made anew on each download (nothing is stored)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import access, services
from .documents import MIMETYPES, render_request

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _bad_request(message: str) -> HttpResponse:
    response = HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The request in the fixed-text language of ``?language=`` (and ``?second=`` beside it);
    by default those chosen on the draft. ``?second=`` empty, or the same language, prints one
    language only; a language the request cannot be printed in is refused with a message."""
    if fmt not in MIMETYPES:
        raise Http404
    draft = access.get_draft_for_user(request.user, pk)
    language = request.GET.get("language", draft.output_language)
    second = request.GET.get("second", draft.second_output_language)
    choices = ", ".join(f"{code} ({_(str(name))})" for code, name in settings.LANGUAGES)
    if language not in LANGUAGE_CODES:
        return _bad_request(_("The language %(code)s is not one the request can be printed in; "
                              "choose one of %(choices)s.") % {"code": language,
                                                               "choices": choices})
    if second and second not in LANGUAGE_CODES:
        return _bad_request(_("The second language %(code)s is not one the request can be "
                              "printed in; choose one of %(choices)s, or none.")
                            % {"code": second, "choices": choices})
    if second == language:
        second = ""  # the same language twice (the draft page's form allows it) is printed once
    filename, mimetype, data = render_request(draft, fmt=fmt, language=language,
                                              second_language=second, user=request.user)
    services.record_document(draft=draft, user=request.user, filename=filename)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
