"""Reads of the directory. Every query starts from the access layer."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from palermo.reference.models import Instrument, Participation, Provision, State
from palermo.reference.selectors import sort_key

from . import access
from .models import (
    DESIGNATION_RELATED,
    Authority,
    ContactPerson,
    Designation,
    Function,
    Measure,
    OfficeHours,
    ProfileSection,
    Resource,
)


@dataclass
class ProvisionCoverage:
    provision: Provision
    parties: int  # recorded parties to the instrument
    designating: int  # States with at least one visible designation under it
    designated_parties: int  # recorded parties among them


@dataclass
class InstrumentCoverage:
    instrument: Instrument
    provisions: list[ProvisionCoverage] = field(default_factory=list)


def coverage(user: Any) -> list[InstrumentCoverage]:
    """Decision 3/2 h: which parties have designated authorities, per provision."""
    authorities = access.authorities_visible_to(user)
    designations = Designation.objects.filter(authority__in=authorities).distinct()
    designating: dict[int, set[int]] = defaultdict(set)
    for provision_id, state_id in designations.values_list("provision_id",
                                                            "authority__state_id"):
        designating[provision_id].add(state_id)
    parties: dict[int, set[int]] = defaultdict(set)
    for instrument_id, party_id in Participation.objects.filter(
            consent_on__isnull=False).values_list("instrument_id", "state_id"):
        parties[instrument_id].add(party_id)
    result: dict[int, InstrumentCoverage] = {}
    for provision in Provision.objects.select_related(
            "instrument", "article__instrument", "paragraph"):
        entry = result.setdefault(provision.instrument_id,
                                  InstrumentCoverage(provision.instrument))
        states = designating.get(provision.pk, set())
        instrument_parties = parties.get(provision.instrument_id, set())
        entry.provisions.append(ProvisionCoverage(
            provision=provision, parties=len(instrument_parties), designating=len(states),
            designated_parties=len(states & instrument_parties),
        ))
    return [entry for entry in result.values() if entry.provisions]


def recently_updated_states(user: Any, limit: int = 10) -> list[dict[str, Any]]:
    rows = (
        access.authorities_visible_to(user).values("state_id")
        .annotate(updated=Max("updated_at")).order_by("-updated")[:limit]
    )
    states = State.objects.in_bulk([row["state_id"] for row in rows])
    return [{"state": states[row["state_id"]], "updated": row["updated"]} for row in rows]


def directory_counts(user: Any) -> dict[str, int]:
    counts = access.authorities_visible_to(user).aggregate(
        authorities=Count("pk"), states=Count("state", distinct=True))
    return {"authorities": counts["authorities"], "states": counts["states"]}


@dataclass
class StateDirectory:
    state: State
    sections: list[ProfileSection]
    groups: list[tuple[Any, list[Authority]]]  # (label of the function or "", authorities)
    last_updated: dt.datetime | None
    shows_demo: bool


def state_directory(user: Any, code: str) -> StateDirectory:
    from palermo.freshness.models import Confirmation  # freshness reads this module

    def last_confirmed(state_ref: str) -> Subquery:
        # Shown by freshness's include on the page: read with the State, not after it.
        return Subquery(Confirmation.objects.filter(state=OuterRef(state_ref))
                        .order_by("-confirmed_at").values("confirmed_at")[:1])

    latest_contact = (
        access.contacts_visible_to(user).filter(authority=OuterRef("pk")).order_by()
        .values("authority").annotate(latest=Max("updated_at")).values("latest")
    )
    # The State comes with its authorities when it has some (one query fewer), else alone.
    authorities = list(
        access.authorities_visible_to(user).filter(state__code=code.upper())
        .select_related("state")
        .annotate(contacts_updated=Subquery(latest_contact),
                  state_last_confirmed=last_confirmed("state_id"))
        .prefetch_related(
            "accepted_languages",
            Prefetch("designations",
                     queryset=Designation.objects.select_related(*DESIGNATION_RELATED)),
        )
    )
    if authorities:
        state = authorities[0].state
        state.last_confirmed_at = authorities[0].state_last_confirmed  # type: ignore[attr-defined]
    else:
        found = (State.objects.filter(code=code.upper())
                 .annotate(last_confirmed_at=last_confirmed("pk")).first())
        if found is None:
            raise Http404
        state = found
    sections = sorted(
        access.profile_sections_visible_to(user).filter(state=state)
        .prefetch_related("languages", "checklist", "laws"),
        key=lambda section: Measure.values.index(section.measure),
    )
    by_function: dict[str, list[Authority]] = defaultdict(list)
    for authority in authorities:
        functions = {d.function for d in authority.designations.all()} or {""}
        for function in functions:
            by_function[function].append(authority)
    order = [*Function.values, ""]
    groups = [
        (Function(function).label if function else "",
         sorted(by_function[function], key=lambda a: sort_key(a.name)))
        for function in order if function in by_function
    ]
    dates = [entry.updated_at for entry in [*sections, *authorities]]
    dates += [a.contacts_updated for a in authorities if a.contacts_updated is not None]
    return StateDirectory(
        state=state, sections=sections, groups=groups,
        last_updated=max(dates) if dates else None,
        shows_demo=any(s.is_demo for s in sections) or any(a.is_demo for a in authorities),
    )


@dataclass
class AuthorityDetail:
    authority: Authority
    parent: Authority | None
    children: list[Authority]
    designations: list[Designation]
    contacts: list[ContactPerson]
    office_hours: list[OfficeHours]
    last_updated: dt.datetime
    local_time: dt.datetime
    open_now: bool | None


def is_open(hours: list[OfficeHours], moment: dt.datetime) -> bool | None:
    """Whether the office is open at this local moment; None when no hours are known."""
    if not hours:
        return None
    now = moment.time()
    return any(h.weekday == moment.weekday() and h.opens <= now < h.closes for h in hours)


def authority_detail(user: Any, pk: int) -> AuthorityDetail:
    authority = access.get_authority_for_user(user, pk,
                                              prefetch=("accepted_languages", "office_hours"))
    parent = authority.parent
    if parent is not None and not access.authority_is_visible(user, parent):
        parent = None
    children = list(access.authorities_visible_to(user).filter(parent=authority))
    designations = list(
        Designation.objects.filter(authority=authority).select_related(*DESIGNATION_RELATED)
    )
    contacts = list(
        access.contacts_visible_to(user).filter(authority=authority)
        .prefetch_related("languages")
    )
    hours = list(authority.office_hours.all())
    local = timezone.now().astimezone(zoneinfo.ZoneInfo(authority.time_zone))
    dates = [authority.updated_at, *(c.updated_at for c in contacts),
             *(d.updated_at for d in designations)]
    return AuthorityDetail(
        authority=authority, parent=parent, children=children, designations=designations,
        contacts=contacts, office_hours=hours, last_updated=max(dates), local_time=local,
        open_now=is_open(hours, local),
    )



@dataclass
class ResourceEntry:
    resource: Resource
    title_lang: str  # "" when the title is in the current language, else "en" (the fallback)


@dataclass
class ResourceGroup:
    kind: str
    label: str
    entries: list[ResourceEntry]


def resources_by_kind() -> list[ResourceGroup]:
    """The useful resources (decision 3/2 g(iv)), grouped by kind in the order of the choices.

    Public reference data: three queries whatever the number of resources.
    """
    own_title = build_localized_fieldname("title", translation.get_language() or "en")
    by_kind: dict[str, list[ResourceEntry]] = defaultdict(list)
    for resource in Resource.objects.prefetch_related("languages", "instruments"):
        title_lang = "" if getattr(resource, own_title, "") else "en"
        by_kind[resource.kind].append(ResourceEntry(resource=resource, title_lang=title_lang))
    return [ResourceGroup(kind=kind.value, label=str(kind.label), entries=by_kind[kind.value])
            for kind in Resource.Kind if by_kind[kind.value]]
