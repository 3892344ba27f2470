"""Conditional requests and caching headers for every API answer.

Every answer varies with the session cookie and the API token (who asks decides what is
visible), so each carries ``Vary: Cookie, Authorization``; answers to signed-in people and to
tokens are ``private``. Each successful answer has an ETag built from the visitor's visibility
class (public or restricted), the address, and either a cheap validator computed before the
work is done (the authorities list and its CSV export) or a hash of the body. A request whose
``If-None-Match`` names the ETag gets ``304 Not Modified``.

``Last-Modified`` is sent where the data carry dates, but ``If-Modified-Since`` is not
evaluated: deleting an entry, or making it restricted, does not move the latest date of what
remains, so a date alone could answer 304 to a stale copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from palermo.directory import access

# Change when the shape of the answers changes, so that cached copies are not reused.
FORMAT = "1"


def insider(request: HttpRequest) -> bool:
    return access.sees_restricted(request.user)


def make_etag(request: HttpRequest, *parts: object) -> str:
    text = "\x1f".join([
        FORMAT, "restricted" if insider(request) else "public", request.get_full_path(),
        *(str(part) for part in parts),
    ])
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def set_validators(response: HttpResponseBase, etag: str,
                   last_modified: dt.datetime | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())


def not_modified(request: HttpRequest, etag: str,
                 last_modified: dt.datetime | None = None) -> HttpResponseBase | None:
    """A 304 (or, for a failed If-Match, a 412) answer, or None when the work must be done."""
    answer = get_conditional_response(request, etag=etag)
    if answer is not None:
        set_validators(answer, etag, last_modified)
    return answer


def finish(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Headers that every API answer carries, whatever its status."""
    patch_vary_headers(response, ["Cookie", "Authorization"])
    private = insider(request) or "Authorization" in request.headers
    response["Cache-Control"] = "private, no-cache" if private else "no-cache"
    return response


def conditional(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wraps each operation's finished answer (``api.add_decorator(..., mode="view")``)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = run(request, *args, **kwargs)
        if (response.status_code == 200 and isinstance(response, HttpResponse)
                and not response.has_header("ETag")):
            etag = make_etag(request, hashlib.sha256(response.content).hexdigest())
            response["ETag"] = etag
            answer = not_modified(request, etag)
            if answer is not None:
                if response.has_header("Last-Modified"):
                    answer["Last-Modified"] = response["Last-Modified"]
                response = answer
        return finish(request, response)

    return wrapper
