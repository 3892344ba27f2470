"""Whole-page cache for anonymous visitors, correct by construction.

Most directory traffic is anonymous and reads public data that changes a few times a day, so the
finished page (both plain and gzipped) is kept in the cache and served without rendering again.

What keeps it correct:

- **Only anonymous, message-free requests** are served from or stored in the cache: no session
  cookie and no messages cookie. Anonymous visitors see public data only, so nothing restricted
  can ever be stored, and nothing personal (a name in the header, a CSRF token, a message) is
  stored either: a response that set a cookie, used a CSRF token or is not a plain 200 is not
  kept.
- **A data token** (:class:`~palermo.core.models.DataVersion`), a random value replaced on every
  change to the reference or directory data (model signals, and :func:`changed` for bulk writes
  that bypass them), is part of every key: a change makes every earlier page unreachable at
  once, in every worker process, whatever the cache backend. Being random rather than a counter,
  a value can never come back after a rolled-back transaction.
- **Time**: a view says what time its page depends on (``"day"`` for "parties on today's date",
  ``"minute"`` for "the office is open now"), and that bucket is part of the key too.

Reading the token costs one indexed query per request; a cached page needs nothing else.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .models import DataVersion

WATCHED_APPS = frozenset({"reference", "directory"})
# Public data of other apps: the questionnaires (published versions are public). Answers and
# responses are not cached for anyone, so their frequent saves do not empty the cache.
WATCHED_MODELS = frozenset({
    ("reporting", name) for name in ("questionnaire", "questionnaireversion", "section",
                                     "question", "choice", "tablecolumn", "questioncitation",
                                     "questiontag")})
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "ETag",
                "Last-Modified", "Cache-Control", "Vary")
MIN_GZIP_BYTES = 200  # as GZipMiddleware: smaller bodies grow when compressed
Bucket = Literal["none", "day", "minute"]


class _Deferred(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.pending = False


_deferred = _Deferred()


def current_token() -> str:
    token = DataVersion.objects.filter(pk=DataVersion.SINGLETON).values_list(
        "token", flat=True).first()
    return token or "-"


def changed() -> None:
    """Record that the reference or directory data changed: every cached page is now stale.

    Inside :func:`changes_deferred` the change is recorded once, when the block ends.
    """
    if _deferred.depth:
        _deferred.pending = True
        return
    token = uuid.uuid4().hex
    updated = DataVersion.objects.filter(pk=DataVersion.SINGLETON).update(
        token=token, changed_at=timezone.now())
    if not updated:
        DataVersion.objects.update_or_create(
            pk=DataVersion.SINGLETON, defaults={"token": token, "changed_at": timezone.now()})


@contextmanager
def changes_deferred() -> Iterator[None]:
    """Collect the changes of a bulk write (a load, an import) and record them once."""
    _deferred.depth += 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if not _deferred.depth and _deferred.pending:
            _deferred.pending = False
            changed()


def _on_change(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or (meta.app_label not in WATCHED_APPS
                        and (meta.app_label, meta.model_name) not in WATCHED_MODELS):
        return
    if sender.__name__.startswith("Historical"):  # django-simple-history's audit rows
        return
    action = kwargs.get("action")
    if action is not None and not str(action).startswith("post_"):
        return  # m2m_changed fires pre_ and post_ actions: count the change once
    changed()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"palermo.pagecache.{signal!r}")


def _enabled() -> bool:
    return bool(getattr(settings, "PALERMO_PAGE_CACHE", True))


def cacheable_request(request: HttpRequest) -> bool:
    """Anonymous, without a session, pending messages or a token, asking to read."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    # A token decides who asks; a conditional request is answered by the view (304).
    return not any(header in request.META for header in (
        "HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE"))


def _bucket(kind: Bucket) -> str:
    if kind == "none":
        return ""
    now = timezone.now()
    return now.strftime("%Y%m%d") if kind == "day" else now.strftime("%Y%m%d%H%M")


def _key(request: HttpRequest, name: str, bucket: Bucket) -> str:
    raw = "\x1f".join([
        name, request.path, request.META.get("QUERY_STRING", ""), get_language() or "",
        current_token(), _bucket(bucket),
    ])
    return "palermo:page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def _build(entry: dict[str, Any], request: HttpRequest) -> HttpResponse:
    use_gzip = entry["gzip"] is not None and _accepts_gzip(request)
    response = HttpResponse(entry["gzip"] if use_gzip else entry["body"], status=200)
    for header, value in entry["headers"].items():
        response[header] = value
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    if entry["gzip"] is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Palermo-Page-Cache"] = "hit"
    return response


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


View = Callable[..., HttpResponse]


def anonymous_page(bucket: Bucket = "none", timeout: int = 3600) -> Callable[[View], View]:
    """Serve this view's page to anonymous visitors from the cache (see the module's docstring).

    ``bucket`` names the time the page depends on; ``timeout`` bounds how long an entry lives
    even when nothing changes.
    """

    def decorator(view: View) -> View:
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _enabled() or not cacheable_request(request):
                return view(request, *args, **kwargs)
            cache = caches["default"]
            key = _key(request, name, bucket)
            entry = cache.get(key)
            if entry is not None:
                return _build(entry, request)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if _storable(request, response):
                body = bytes(response.content)
                headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
                compressed = (gzip.compress(body, compresslevel=6, mtime=0)
                              if len(body) >= MIN_GZIP_BYTES else None)
                cache.set(key, {"body": body, "gzip": compressed, "headers": headers}, timeout)
                response["X-Palermo-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator
