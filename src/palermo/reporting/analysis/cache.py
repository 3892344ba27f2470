"""The computed figures of the analysis pages, kept in the cache (never the pages themselves:
they carry a CSRF token in the header's sign-out form, and the reader's name).

What keeps it correct (docs/decisions.md):

- **The key holds everything the figures depend on**: the page, the cycle, the filters, the
  reader's scope (the secretariat; a State's people, with the States whose answers they may
  see named and counted; the cycles an overview covers), the language, and two data tokens.
  A confidential answer counted for the secretariat cannot reach anyone else: a State's
  people never share a key with the secretariat, nor with another State's people.
- **Two data tokens**, read in one query: the reference and directory token of
  :mod:`palermo.core.pagecache` (State and regional-group names) and a reporting token, a
  second row of :class:`~palermo.core.models.DataVersion`, replaced whenever a figure may
  change: a cycle saved or deleted, a response created, submitted, reopened or deleted, an
  answer of a submitted response saved or deleted (model signals, connected by the
  reporting app, so that every path is covered: services, admin, loaders, tests). The write
  happens in the same transaction as the change, so a rollback takes it back too. Being
  random, a token never comes back, and every worker process sees a change at once whatever
  the cache backend.
- Entries expire after :data:`TIMEOUT` whatever happens, a bound on any change the signals
  cannot see (a bulk ``update()`` of answers from a shell).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from palermo.core.models import DataVersion

T = TypeVar("T")

REPORTING_ROW = 2  # the DataVersion row of reporting data (row 1: reference and directory)
TIMEOUT = 15 * 60  # seconds
PREFIX = "palermo:analysis:"


def tokens() -> str:
    """The reference and reporting data tokens, in one query; the reporting one is created
    when missing, so that figures are never kept under a token that could come back."""
    rows = dict(DataVersion.objects.filter(pk__in=(DataVersion.SINGLETON, REPORTING_ROW))
                .values_list("pk", "token"))
    if REPORTING_ROW not in rows:
        rows[REPORTING_ROW] = _create_token()
    return f"{rows.get(DataVersion.SINGLETON, '-')}.{rows[REPORTING_ROW]}"


def token_fields() -> dict[str, Subquery]:
    """The two tokens as annotations, so that a query a page makes anyway brings them."""
    def token(pk: int) -> Subquery:
        return Subquery(DataVersion.objects.filter(pk=pk).values("token")[:1])

    return {"reference_token": token(DataVersion.SINGLETON),
            "reporting_token": token(REPORTING_ROW)}


def tokens_of(row: Any) -> str:
    """The tokens a row annotated with :func:`token_fields` brought."""
    return tokens_from(getattr(row, "reference_token", None),
                       getattr(row, "reporting_token", None))


def tokens_from(reference: str | None, reporting: str | None) -> str:
    """The tokens read by :func:`token_fields` (``None`` where a row is missing)."""
    return f"{reference or '-'}.{reporting or _create_token()}"


def _create_token() -> str:
    token = uuid.uuid4().hex
    try:
        with transaction.atomic():
            DataVersion.objects.create(pk=REPORTING_ROW, token=token, changed_at=timezone.now())
    except IntegrityError:  # created by another request in the meantime
        return DataVersion.objects.values_list("token", flat=True).get(pk=REPORTING_ROW)
    return token


def changed() -> None:
    """Record that reporting figures may have changed: every kept figure is now unreachable."""
    token = uuid.uuid4().hex
    now = timezone.now()
    if not DataVersion.objects.filter(pk=REPORTING_ROW).update(token=token, changed_at=now):
        DataVersion.objects.update_or_create(pk=REPORTING_ROW,
                                             defaults={"token": token, "changed_at": now})


def scope_key(scope: Any) -> list[Any]:
    """A :class:`~.selectors.Scope` as plain values: everything that decides what it sees."""
    def ids(states: frozenset[int] | None) -> list[int] | None:
        return None if states is None else sorted(states)

    return [scope.kind, scope.count_confidential, ids(scope.named_states),
            ids(scope.confidential_states)]


def _key(token: str, page: str, parts: list[Any]) -> str:
    raw = json.dumps([page, token, translation.get_language() or "", parts],
                     default=str, sort_keys=True)
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def figures(token: str, page: str, parts: list[Any], compute: Callable[[], T]) -> T:
    """What ``compute`` returns for these key parts, from the cache or computed and kept."""
    key = _key(token, page, parts)
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, TIMEOUT)
    return value


def kept_cycle(pk: int) -> tuple[Any, str | None] | None:
    """A cycle with its questionnaire and instrument, as :func:`keep_cycle` kept it, with the
    reference token it was read under; the caller checks that both still hold."""
    return cache.get(f"{PREFIX}cycle:{pk}")


def keep_cycle(cycle: Any, reference_token: str | None) -> None:
    cache.set(f"{PREFIX}cycle:{cycle.pk}", (cycle, reference_token), TIMEOUT)


def page_figures(token: str, page: str, parts: list[Any],
                 compute: Callable[[], dict[str, Any]], shown: set[str]) -> dict[str, Any]:
    """As :func:`figures` for a page's context, kept in two entries: what the page shows
    (``shown``: the rendered figures and small values), read on every request, and the
    figures as objects, read only if something asks for them (a test, a debugger), since
    reading hundreds of objects back from the cache costs more than rendering the page."""
    key = _key(token, page, parts)
    found = cache.get(key)
    if found is None:
        value = compute()
        light = {name: item for name, item in value.items() if name in shown}
        cache.set_many({key: (light, sorted(value)), key + ":objects": value}, TIMEOUT)
        return value
    light, names = found

    def objects() -> dict[str, Any]:
        value = cache.get(key + ":objects")
        if value is None:
            value = compute()
            cache.set(key + ":objects", value, TIMEOUT)
        return value

    def lazy(name: str) -> Any:
        return SimpleLazyObject(lambda: objects()[name])

    return {**{name: lazy(name) for name in names if name not in light}, **light}


# What replaces the reporting token --------------------------------------------------------

def _response_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # A new response changes the rates; a response leaving "not started" for "in progress"
    # changes no figure (drafts are not counted), so autosaves do not empty the cache.
    if created or instance.status in (instance.Status.SUBMITTED, instance.Status.REOPENED):
        changed()


def _answer_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Only answers of submitted responses are counted or named. The services change them only
    # through a reopening (which replaces the token); a direct save is checked here.
    from palermo.reporting.models import Answer, Response

    if Answer.response.is_cached(instance):
        submitted = instance.response.status == Response.Status.SUBMITTED
    else:
        submitted = Response.objects.filter(pk=instance.response_id,
                                            status=Response.Status.SUBMITTED).exists()
    if submitted:
        changed()


def _any_change(sender: Any, **kwargs: Any) -> None:
    changed()


def connect_signals() -> None:
    """Called by the reporting app when it is ready."""
    from palermo.reporting.models import Answer, Cycle, Response

    uid = "palermo.reporting.analysis.cache"
    post_save.connect(_response_saved, sender=Response, dispatch_uid=f"{uid}.response")
    post_save.connect(_answer_saved, sender=Answer, dispatch_uid=f"{uid}.answer")
    post_save.connect(_any_change, sender=Cycle, dispatch_uid=f"{uid}.cycle")
    for model in (Response, Answer, Cycle):
        post_delete.connect(_any_change, sender=model, dispatch_uid=f"{uid}.{model.__name__}.del")
