from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import EditionForm
from .models import Edition

REFRESH_SECONDS = 3
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@require_http_methods(["GET", "POST"])
def order(request: HttpRequest) -> HttpResponse:
    """Order an edition. One State is written at once; more are written in the background."""
    if request.method == "POST":
        form = EditionForm(request.POST, user=request.user)
        if form.is_valid():
            edition, created = services.edition_request(user=request.user, **form.order())
            if created and edition.scope == Edition.Scope.STATE:
                services.edition_build(str(edition.pk))
            elif created:
                services.edition_enqueue(edition)
            return redirect("editions:status", pk=edition.pk)
    else:
        form = EditionForm(user=request.user, initial={"language": get_language()})
    return render(request, "editions/order.html", {
        "form": form, "editions": selectors.recent_editions(request.user),
    })


def _with_refresh(response: HttpResponse, edition: Edition) -> HttpResponse:
    if edition.pending:
        # Reloads the page without JavaScript until the edition is ready.
        response["Refresh"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def status(request: HttpRequest, pk: str) -> HttpResponse:
    edition = selectors.get_edition_for_user(request.user, pk)
    response = render(request, "editions/status.html", {"edition": edition})
    return _with_refresh(response, edition)


def progress(request: HttpRequest, pk: str) -> HttpResponse:
    """The progress part of the status page, for htmx to poll."""
    edition = selectors.get_edition_for_user(request.user, pk)
    response = render(request, "editions/_progress.html", {"edition": edition})
    response["Cache-Control"] = "private, no-store"
    return response


def download(request: HttpRequest, pk: str, fmt: str) -> FileResponse:
    edition = selectors.get_edition_for_user(request.user, pk)
    stored = edition.docx if fmt == "docx" else edition.pdf if fmt == "pdf" else None
    if edition.status != Edition.Status.DONE or not stored:
        raise Http404
    name = stored.name.rsplit("/", 1)[-1]
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name,
                            content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "private, no-store"
    return response
