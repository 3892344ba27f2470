from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from palermo.accounts.guards import second_factor_required
from palermo.core.pagecache import anonymous_page

from . import selectors, services
from .forms import ParticipationImportForm, StateFilterForm
from .models import Participation


@anonymous_page("day")
def state_list(request: HttpRequest) -> HttpResponse:
    form = StateFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.StateFilter()
    states = selectors.states(filters)
    return render(request, "reference/state_list.html", {
        "form": form, "filters": filters, "states": states,
        "member_count": sum(1 for s in states if s.kind == "member"),
    })


@anonymous_page("day")
def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    state = selectors.state_detail(code)
    return render(request, "reference/state_detail.html", {
        "state": state, "rows": selectors.state_participation(state),
    })


@anonymous_page("day")
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/instrument_list.html", {
        "instruments": selectors.instruments(),
    })


@anonymous_page("day")
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    instrument = selectors.instrument_detail(code)
    return render(request, "reference/instrument_detail.html", {
        "instrument": instrument,
        "provisions": selectors.instrument_provisions(instrument),
        "articles": selectors.instrument_articles(instrument),
        "participation": selectors.instrument_participation(instrument),
    })


@anonymous_page("none")
def article_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    article = selectors.article_detail(code, number)
    previous, following = selectors.neighbours(article)
    return render(request, "reference/article_detail.html", {
        "article": article, "instrument": article.instrument,
        "previous": previous, "following": following,
    })


@anonymous_page("day")
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/source_list.html", {
        "sources": selectors.sources(), "instruments": selectors.instruments(),
    })


def participation_csv(request: HttpRequest, code: str) -> HttpResponse:
    instrument = selectors.instrument_detail(code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participation-{instrument.code}.csv"'
    writer = csv.DictWriter(response, fieldnames=services.COLUMNS)
    writer.writeheader()
    writer.writerows(selectors.participation_rows(instrument))
    return response


@second_factor_required
def participation_import(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_secretariat", False):
        raise Http404
    result = None
    if request.method == "POST":
        form = ParticipationImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = services.participation_import(
                data=form.cleaned_data["file"].read(),
                reason=form.cleaned_data["reason"] or f"import by {request.user}",
            )
            if result.ok:
                messages.success(request, _(
                    "Participation imported: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                ) % {"created": result.created, "updated": result.updated,
                     "unchanged": result.unchanged})
                return redirect("reference:participation_import")
    else:
        form = ParticipationImportForm()
    return render(request, "reference/participation_import.html", {
        "form": form, "result": result, "columns": services.COLUMNS,
        "instruments": selectors.instruments(), "sources": selectors.sources(),
        "actions": Participation.Action.choices,
    })
