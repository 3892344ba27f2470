"""Directory entries for tests, with unique markers planted in every field that can leak."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from palermo.core.models import Visibility
from palermo.directory.models import (
    Authority,
    ChecklistItem,
    ContactPerson,
    Designation,
    Function,
    Measure,
    OfficeHours,
    ProfileSection,
)
from palermo.reference.models import Language, Provision, State


def marked(marker: str) -> dict[str, str]:
    """Every text field of an authority, each carrying the marker."""
    return {
        "name": f"{marker} name", "name_en": f"{marker} name", "name_fr": f"{marker} nom",
        "name_ru": f"{marker} имя", "acronym": marker[:30],
        "street_address": f"{marker} street", "postal_address": f"{marker} box",
        "city": f"{marker}-city", "email": f"{marker.lower()}@example.org",
        "website": f"https://{marker.lower()}.example.org/",
        "urgent_contact": f"{marker} duty officer",
    }


def make_authority(state: State, marker: str, visibility: str, *,
                   provision: tuple[str, str] = ("untoc", "art-18-13"),
                   function: str = Function.RECEIVE_MLA,
                   kind: str = Authority.Kind.CENTRAL) -> Authority:
    authority = Authority(state=state, kind=kind, time_zone="America/Mexico_City",
                          phone="+525555555555", channels=["email", "post"],
                          visibility=visibility, **marked(marker))
    authority.full_clean()
    authority.save()
    authority.accepted_languages.set(Language.objects.filter(code__in=["es", "en"]))
    Designation.objects.create(
        authority=authority, function=function, scope_note=f"{marker} scope",
        source=f"{marker} source",
        provision=Provision.objects.get(instrument__code=provision[0], code=provision[1]),
    )
    OfficeHours.objects.create(authority=authority, weekday=0, opens=dt.time(9),
                               closes=dt.time(17))
    return authority


def make_contact(authority: Authority, marker: str, visibility: str) -> ContactPerson:
    contact = ContactPerson(authority=authority, name=f"{marker} person",
                            position=f"{marker} position", email=f"{marker.lower()}@example.org",
                            phone="+525555550000", visibility=visibility)
    contact.full_clean()
    contact.save()
    return contact


def make_section(state: State, measure: str, marker: str, visibility: str) -> ProfileSection:
    section = ProfileSection(state=state, measure=measure, summary=f"{marker} summary",
                             urgent_procedure=f"{marker} urgent", costs=f"{marker} costs",
                             treaties=f"{marker} treaties", visibility=visibility,
                             untoc_legal_basis=ProfileSection.LegalBasis.YES)
    section.full_clean()
    section.save()
    ChecklistItem.objects.create(section=section, position=1, text=f"{marker} checklist")
    return section


@dataclass
class World:
    public_authority: Authority
    restricted_authority: Authority
    public_contact: ContactPerson
    restricted_contact: ContactPerson
    contact_of_restricted: ContactPerson
    public_section: ProfileSection
    restricted_section: ProfileSection


def make_world(state: State) -> World:
    """State A's entries: what each persona may and may not see."""
    public = make_authority(state, "PUBLICAUTH", Visibility.PUBLIC)
    restricted = make_authority(state, "SECRETAUTH", Visibility.RESTRICTED,
                                provision=("untoc", "art-16-5-a"), function=Function.EXTRADITION,
                                kind=Authority.Kind.COMPETENT)
    return World(
        public_authority=public, restricted_authority=restricted,
        public_contact=make_contact(public, "PUBLICPERSON", Visibility.PUBLIC),
        restricted_contact=make_contact(public, "SECRETPERSON", Visibility.RESTRICTED),
        contact_of_restricted=make_contact(restricted, "SECRETBYPARENT", Visibility.PUBLIC),
        public_section=make_section(state, Measure.MLA, "PUBLICPROFILE", Visibility.PUBLIC),
        restricted_section=make_section(state, Measure.EXTRADITION, "SECRETPROFILE",
                                        Visibility.RESTRICTED),
    )
