"""The directory's search page: a GET form, results, facets and pages, without JavaScript."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.core.pagecache import anonymous_page

from . import search as directory_search


@anonymous_page("none")
def search(request: HttpRequest) -> HttpResponse:
    result = directory_search.search(request.user, request.GET)
    return render(request, "directory/search.html", {"result": result})
