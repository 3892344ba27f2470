"""What a user may export, read through the directory's access layer.

The public edition is what anonymous visitors see. The full edition (public and restricted)
is for the people who maintain a State's data: its focal points and editors, and the
secretariat (docs/decisions.md says why practitioners, who read restricted entries one by one
on the pages, get no bulk copy of them).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from palermo.accounts.models import Membership
from palermo.directory import access
from palermo.directory.models import Authority, Designation, OfficeHours
from palermo.reference.models import State

from .formats import Exported, write
from .schema import WEEKDAYS, languages

PUBLIC = "public"
FULL = "full"
EDITING_ROLES = (Membership.Role.FOCAL_POINT, Membership.Role.EDITOR)


class Operator:
    """Whoever runs ``palermo export_directory`` on the server: sees what the secretariat sees."""

    is_authenticated = True
    is_active = True
    is_secretariat = True


def managed_states(user: Any) -> QuerySet[State]:
    """The States whose directory data this user may import and export whole."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return State.objects.none()
    if user.is_secretariat:
        return State.objects.all()
    return State.objects.filter(memberships__user=user, memberships__role__in=EDITING_ROLES)


def may_export_full(user: Any, state: State | None) -> bool:
    """``state`` None means every State, which only the secretariat may take whole."""
    if not access.sees_restricted(user):
        return False
    if user.is_secretariat:
        return True
    return state is not None and managed_states(user).filter(pk=state.pk).exists()


def authority_ref(authority: Authority) -> str:
    key = getattr(authority, "exchange_key", None)
    return key.ref if key is not None else f"A{authority.pk}"


def _localized(instance: Any, name: str) -> dict[str, str]:
    columns = [build_localized_fieldname(name, code) for code in languages()]
    return {column: getattr(instance, column) or "" for column in columns}


def collect(*, user: Any, state: State | None, edition: str) -> Exported:
    """The records of one State (or of every State), in the order of the format."""
    reader = user if edition == FULL and may_export_full(user, state) else None
    authorities_qs = access.authorities_visible_to(reader)
    contacts_qs = access.contacts_visible_to(reader)
    sections_qs = access.profile_sections_visible_to(reader)
    if state is not None:
        authorities_qs = authorities_qs.filter(state=state)
        contacts_qs = contacts_qs.filter(authority__state=state)
        sections_qs = sections_qs.filter(state=state)
    authorities = list(authorities_qs.select_related("state", "exchange_key", "parent",
                                                     "parent__exchange_key")
                       .prefetch_related("accepted_languages").order_by("state__code", "pk"))
    refs = {a.pk: authority_ref(a) for a in authorities}
    records: Exported = []
    for a in authorities:
        parent = a.parent if a.parent and access.authority_is_visible(reader, a.parent) else None
        records.append(("authority", {
            "state": a.state.code, "authority_ref": refs[a.pk],
            "parent_ref": authority_ref(parent) if parent else "", "kind": a.kind,
            **_localized(a, "name"), "acronym": a.acronym, "street_address": a.street_address,
            "postal_address": a.postal_address, "city": a.city, "postal_code": a.postal_code,
            "time_zone": a.time_zone, "website": a.website, "email": a.email, "phone": a.phone,
            "fax": a.fax, "channels": list(a.channels), "originals_required": a.originals_required,
            "urgent_channel": a.urgent_channel, "urgent_contact": a.urgent_contact,
            "accepted_languages": sorted(lang.code for lang in a.accepted_languages.all()),
            "visibility": a.visibility,
        }))
    codes = {a.pk: a.state.code for a in authorities}
    for hours in OfficeHours.objects.filter(authority__in=authorities_qs).order_by(
            "authority_id", "weekday", "opens"):
        records.append(("office_hours", {
            "state": codes[hours.authority_id], "authority_ref": refs[hours.authority_id],
            "weekday": WEEKDAYS[hours.weekday], "opens": hours.opens, "closes": hours.closes,
        }))
    for d in (Designation.objects.filter(authority__in=authorities_qs)
              .select_related("provision__instrument").order_by("authority_id", "pk")):
        records.append(("designation", {
            "state": codes[d.authority_id], "authority_ref": refs[d.authority_id],
            "instrument": d.provision.instrument.code, "provision": d.provision.code,
            "function": d.function, **_localized(d, "scope_note"), "notified_on": d.notified_on,
            "source": d.source,
        }))
    for c in (contacts_qs.filter(authority__in=authorities_qs)
              .select_related("exchange_key").prefetch_related("languages")
              .order_by("authority_id", "pk")):
        key = getattr(c, "exchange_key", None)
        records.append(("contact", {
            "state": codes[c.authority_id], "authority_ref": refs[c.authority_id],
            "contact_ref": key.ref if key is not None else f"C{c.pk}", "name": c.name,
            "position": c.position,
            "languages": sorted(lang.code for lang in c.languages.all()),
            "phone": c.phone, "email": c.email, "visibility": c.visibility,
        }))
    sections = list(sections_qs.select_related("state")
                    .prefetch_related("languages", "checklist", "laws")
                    .order_by("state__code", "measure"))
    for s in sections:
        records.append(("profile_section", {
            "state": s.state.code, "measure": s.measure,
            "untoc_legal_basis": s.untoc_legal_basis, "dual_criminality": s.dual_criminality,
            "languages": sorted(lang.code for lang in s.languages.all()),
            "channels": list(s.channels),
            **{k: v for name in ("summary", "treaties", "alternative_arrangements",
                                 "urgent_procedure", "costs")
               for k, v in _localized(s, name).items()},
            "visibility": s.visibility,
        }))
    for s in sections:
        for item in s.checklist.all():
            records.append(("checklist_item", {"state": s.state.code, "measure": s.measure,
                                               "order": item.position,
                                               **_localized(item, "text")}))
    for s in sections:
        for law in s.laws.all():
            records.append(("law_link", {"state": s.state.code, "measure": s.measure,
                                         "title": law.title, "url": law.url}))
    return records


def export(*, user: Any, state: State | None, edition: str, fmt: str) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of an export."""
    from .formats import FORMATS

    full = edition == FULL and may_export_full(user, state)
    now = timezone.now()
    meta = {"edition": FULL if full else PUBLIC, "exported_at": now.isoformat(timespec="seconds"),
            "state": state.code if state else None}
    data = write(fmt, collect(user=user, state=state, edition=edition), meta)
    content_type, extension = FORMATS[fmt]
    scope = state.code.lower() if state else "all"
    name = f"directory-{scope}-{meta['edition']}-{now:%Y-%m-%d}.{extension}"
    return name, content_type, data
