"""Keep the index current: what changes an authority's document reindexes that authority.

Connected by :func:`palermo.directory.search.connect_signals`, from the app's ``ready()``.
Raw saves (``loaddata``) are skipped: run ``palermo reindex_directory`` after loading fixtures.
Writes that bypass signals (``QuerySet.update``, raw SQL) need the same.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from palermo.directory.models import Authority, Designation
from palermo.reference.models import Instrument, State

from .index import forget, schedule


def _authority_saved(sender: Any, instance: Authority, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        schedule([instance.pk])


def _authority_deleted(sender: Any, instance: Authority, **kwargs: Any) -> None:
    forget([instance.pk])


def _designation_saved(sender: Any, instance: Designation, raw: bool = False,
                       **kwargs: Any) -> None:
    if not raw:
        schedule([instance.authority_id])


def _deletes_authorities(origin: Any) -> bool:
    if isinstance(origin, Authority):
        return True
    return isinstance(origin, QuerySet) and issubclass(origin.model, Authority)


def _designation_deleted(sender: Any, instance: Designation, origin: Any = None,
                         **kwargs: Any) -> None:
    # When the authority itself is being deleted, its designations go first: reindexing it
    # then would write an entry for a row about to disappear.
    if not _deletes_authorities(origin):
        schedule([instance.authority_id])


def _languages_changed(sender: Any, instance: Any, action: str, reverse: bool,
                       pk_set: set[int] | None, **kwargs: Any) -> None:
    # The document does not hold the languages today (the language facet reads them live);
    # this keeps the promise that any change to an authority refreshes its entry.
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        schedule([instance.pk])
    elif pk_set:
        schedule(pk_set)


def _state_saved(sender: Any, instance: State, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        schedule(Authority.objects.filter(state=instance).values_list("pk", flat=True))


def _instrument_saved(sender: Any, instance: Instrument, raw: bool = False,
                      **kwargs: Any) -> None:
    if not raw:
        schedule(Designation.objects.filter(provision__instrument=instance)
                 .values_list("authority_id", flat=True).distinct())


def connect() -> None:
    uid = "palermo.directory.search."
    post_save.connect(_authority_saved, sender=Authority, dispatch_uid=uid + "authority")
    post_delete.connect(_authority_deleted, sender=Authority,
                        dispatch_uid=uid + "authority_deleted")
    post_save.connect(_designation_saved, sender=Designation, dispatch_uid=uid + "designation")
    post_delete.connect(_designation_deleted, sender=Designation,
                        dispatch_uid=uid + "designation_deleted")
    m2m_changed.connect(_languages_changed, sender=Authority.accepted_languages.through,
                        dispatch_uid=uid + "languages")
    post_save.connect(_state_saved, sender=State, dispatch_uid=uid + "state")
    post_save.connect(_instrument_saved, sender=Instrument, dispatch_uid=uid + "instrument")
