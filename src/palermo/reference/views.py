from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .forms import StateFilterForm


def state_list(request: HttpRequest) -> HttpResponse:
    form = StateFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.StateFilter()
    states = selectors.states(filters)
    return render(request, "reference/state_list.html", {
        "form": form, "filters": filters, "states": states,
        "member_count": sum(1 for s in states if s.kind == "member"),
    })


def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    state = selectors.state_detail(code)
    return render(request, "reference/state_detail.html", {
        "state": state, "rows": selectors.state_participation(state),
    })


def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/instrument_list.html", {
        "instruments": selectors.instruments(),
    })


def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    instrument = selectors.instrument_detail(code)
    return render(request, "reference/instrument_detail.html", {
        "instrument": instrument,
        "provisions": selectors.instrument_provisions(instrument),
        "articles": selectors.instrument_articles(instrument),
        "participation": selectors.instrument_participation(instrument),
    })


def article_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    article = selectors.article_detail(code, number)
    previous, following = selectors.neighbours(article)
    return render(request, "reference/article_detail.html", {
        "article": article, "instrument": article.instrument,
        "previous": previous, "following": following,
    })


def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/source_list.html", {
        "sources": selectors.sources(), "instruments": selectors.instruments(),
    })
