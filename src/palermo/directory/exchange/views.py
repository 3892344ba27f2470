"""Export and import pages: thin, the work is in :mod:`.exporter` and :mod:`.importer`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.accounts.guards import second_factor_required
from palermo.reference.models import State

from . import exporter, importer
from .forms import ALL, ExportForm, ImportForm
from .schema import RECORD_TYPES


def export(request: HttpRequest) -> HttpResponse:
    states = list(State.objects.order_by("code"))
    form = ExportForm(request.GET if "format" in request.GET else None, user=request.user,
                      states=states)
    if form.is_valid():
        name, content_type, data = exporter.export(
            user=request.user, state=form.chosen_state(),
            edition=form.cleaned_data["edition"], fmt=form.cleaned_data["format"])
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "directory/exchange/export.html", {
        "form": form, "may_import": exporter.managed_states(request.user).exists(),
    })


@second_factor_required
def import_view(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None,
                      user=request.user)
    if not form.states:
        raise Http404
    chosen = request.POST.get("state", "") if posted else ""
    if chosen and chosen not in form.states and chosen != ALL:
        raise Http404  # another State's import answers like a page that does not exist
    result = None
    if posted and form.is_valid():
        result = importer.import_file(
            data=form.cleaned_data["file"].read(), fmt=form.file_format(), user=request.user,
            state=form.chosen_state(), dry_run=form.cleaned_data["check_only"],
            reason=form.cleaned_data["reason"] or f"import by {request.user}")
    return render(request, "directory/exchange/import.html", {
        "form": form, "result": result,
        "counts": [(RECORD_TYPES[name].name, result.counts[name])
                   for name in RECORD_TYPES if name in result.counts] if result else [],
    })
