"""Writes to the directory: every change to an entry goes through here.

Each function takes the user, checks that they may edit the entry's State
(:func:`palermo.directory.access.may_edit_state`, and :func:`palermo.accounts.guards.may_change`
for the second factor), validates the entry whole (``full_clean``), and applies it in one
transaction with an audited history record naming the user.

Lost updates are refused, never silently applied. A form carries the version of the entry it
was opened with; an update first claims the row with a conditional
``UPDATE … SET version = version + 1 WHERE pk = … AND version = …``. When someone else saved
since, no row matches, nothing is written, and :class:`StaleEntry` carries the current entry.
Designations and resources have no version number: their last-updated time is the token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.guards import may_change
from palermo.core.models import VersionedModel
from palermo.reference.models import State

from . import access
from .models import Authority, ContactPerson, Designation, ProfileSection, Resource

CHANGE_REASON_LENGTH = 100


class EditNotAllowed(Exception):
    """The user may not change this entry (pages answer 404, as for what does not exist)."""


class StaleEntry(Exception):
    """Someone else saved the entry since the form was opened; nothing was written."""

    def __init__(self, current: models.Model | None) -> None:
        super().__init__("stale")
        self.current = current  # the entry as saved now; None when it was deleted


def state_of(instance: models.Model) -> State | None:
    """The State an entry belongs to; None for resources (the secretariat's)."""
    if isinstance(instance, (Authority, ProfileSection)):
        return instance.state
    if isinstance(instance, (ContactPerson, Designation)):
        return instance.authority.state
    return None


def check_may_edit(user: Any, state: State | None) -> None:
    if not access.may_edit_state(user, state) or not may_change(user):
        raise EditNotAllowed


def version_token(instance: models.Model) -> str:
    """What a form carries to detect a stale save."""
    if isinstance(instance, VersionedModel):
        return str(instance.version)
    updated: dt.datetime = instance.updated_at  # type: ignore[attr-defined]
    return updated.isoformat()


def _claim(instance: models.Model, token: str) -> bool:
    """Conditionally mark the row as changed; False when it changed since ``token``."""
    model = type(instance)
    if isinstance(instance, VersionedModel):
        try:
            version = int(token)
        except (TypeError, ValueError):
            return False
        claimed = model._default_manager.filter(pk=instance.pk, version=version).update(
            version=F("version") + 1)
        if claimed:
            instance.version = version + 1
        return bool(claimed)
    try:
        updated = dt.datetime.fromisoformat(token)
    except (TypeError, ValueError):
        return False
    return bool(model._default_manager.filter(pk=instance.pk, updated_at=updated).update(
        updated_at=timezone.now()))


def _current(instance: models.Model) -> models.Model | None:
    return type(instance)._default_manager.filter(pk=instance.pk).first()


def _has_history(instance: models.Model) -> bool:
    return hasattr(instance._meta, "simple_history_manager_attribute")


def _validate_children(instance: models.Model,
                       children: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Any]:
    """Build and validate the rows of each child table; errors name the row."""
    built: list[Any] = []
    for related_name, rows in children.items():
        relation = getattr(type(instance), related_name).rel
        child_model, parent_field = relation.related_model, relation.field.name
        for number, row in enumerate(rows, start=1):
            child = child_model(**row)
            try:
                child.full_clean(exclude=[parent_field])
            except ValidationError as error:
                messages = "; ".join(str(m) for m in error.messages)
                raise ValidationError(
                    _("%(table)s, row %(row)d: %(errors)s") % {
                        "table": child_model._meta.verbose_name_plural, "row": number,
                        "errors": messages}) from error
            built.append((related_name, parent_field, child))
    return built


@transaction.atomic
def entry_save(*, user: Any, instance: models.Model, token: str | None = None,
               m2m: Mapping[str, Iterable[Any]] | None = None,
               children: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
               reason: str = "") -> models.Model:
    """Create (no pk) or update (pk and ``token``) an entry, its many-to-many values and the
    rows of its child tables (replaced whole), as one audited change.

    Raises :class:`EditNotAllowed`, :class:`ValidationError` or :class:`StaleEntry`; in each
    case nothing is written.
    """
    created = instance.pk is None
    if not created:
        saved = _current(instance)
        if saved is None:
            raise StaleEntry(None)
        check_may_edit(user, state_of(saved))  # the State it belongs to now …
    check_may_edit(user, state_of(instance))  # … and the one it would belong to
    instance.full_clean()
    built = _validate_children(instance, children or {})
    if not created and not _claim(instance, token or ""):
        raise StaleEntry(_current(instance))
    instance._history_user = user  # type: ignore[attr-defined]
    instance._change_reason = (  # type: ignore[attr-defined]
        reason or (_("Created") if created else _("Edited")))[:CHANGE_REASON_LENGTH]
    # The history gets one record per change, written when everything is in place.
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        if created:
            instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(list(values))
        for related_name in (children or {}):
            getattr(instance, related_name).all().delete()
        for _related_name, parent_field, child in built:
            setattr(child, parent_field, instance)
            child.save()
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]
    if created:
        post_save.send(sender=type(instance), instance=instance, created=True,
                       update_fields=None, raw=False, using=instance._state.db)
    else:
        instance.save()
    return instance


@transaction.atomic
def entry_delete(*, user: Any, instance: models.Model, token: str) -> None:
    """Delete an entry (and, by cascade, what hangs from it), refusing a stale delete."""
    saved = _current(instance)
    if saved is None:
        raise StaleEntry(None)
    check_may_edit(user, state_of(saved))
    if not _claim(instance, token):
        raise StaleEntry(_current(instance))
    instance._history_user = user  # type: ignore[attr-defined]
    instance._change_reason = _("Deleted")  # type: ignore[attr-defined]
    instance.delete()


def revertible_values(record: Any, fields: Sequence[str]) -> dict[str, Any]:
    """The values of ``fields`` (the editable ones) in a historical record."""
    values: dict[str, Any] = {}
    for name in fields:
        field = record.instance_type._meta.get_field(name)
        values[field.attname] = getattr(record, field.attname)
    return values


def revertible_m2m(record: Any, names: Sequence[str]) -> dict[str, list[int]]:
    result: dict[str, list[int]] = {}
    for name in names:
        target = record.instance_type._meta.get_field(name).related_model._meta.model_name
        result[name] = [getattr(row, f"{target}_id") for row in getattr(record, name).all()]
    return result


@transaction.atomic
def entry_revert(*, user: Any, instance: models.Model, record: Any, token: str,
                 fields: Sequence[str], m2m: Sequence[str] = ()) -> models.Model:
    """Put an entry back as it was in a historical record: a new, audited change.

    Refused like any other save when someone changed the entry since ``token``.
    """
    if record.instance_type is not type(instance) or record.pk is None or \
            getattr(record, instance._meta.pk.attname) != instance.pk:
        raise EditNotAllowed
    for attname, value in revertible_values(record, fields).items():
        setattr(instance, attname, value)
    moment = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
    return entry_save(
        user=user, instance=instance, token=token, m2m=revertible_m2m(record, m2m),
        reason=_("Reverted to the version of %(date)s") % {"date": moment})


# Named entry points, for readers who look for "the service that creates an authority".

def authority_save(*, user: Any, authority: Authority, token: str | None = None,
                   accepted_languages: Iterable[Any] = (),
                   office_hours: Sequence[Mapping[str, Any]] = ()) -> Authority:
    entry_save(user=user, instance=authority, token=token,
               m2m={"accepted_languages": accepted_languages},
               children={"office_hours": office_hours})
    return authority


def contact_save(*, user: Any, contact: ContactPerson, token: str | None = None,
                 languages: Iterable[Any] = ()) -> ContactPerson:
    entry_save(user=user, instance=contact, token=token, m2m={"languages": languages})
    return contact


def designation_save(*, user: Any, designation: Designation,
                     token: str | None = None) -> Designation:
    entry_save(user=user, instance=designation, token=token)
    return designation


def profile_section_save(*, user: Any, section: ProfileSection, token: str | None = None,
                         languages: Iterable[Any] = (),
                         checklist: Sequence[Mapping[str, Any]] = (),
                         laws: Sequence[Mapping[str, Any]] = ()) -> ProfileSection:
    entry_save(user=user, instance=section, token=token, m2m={"languages": languages},
               children={"checklist": checklist, "laws": laws})
    return section


def resource_save(*, user: Any, resource: Resource, token: str | None = None,
                  languages: Iterable[Any] = (), instruments: Iterable[Any] = ()) -> Resource:
    entry_save(user=user, instance=resource, token=token,
               m2m={"languages": languages, "instruments": instruments})
    return resource
