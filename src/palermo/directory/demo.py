"""Fictional directory entries for demonstration and benchmarks.

Every entry is flagged ``is_demo``, its name begins with "Demo", its addresses use the reserved
``.invalid`` domain, and pages that show it carry the fictional-data banner. Demo entries are
attached to real States, but they are not those States' authorities.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import phonenumbers
from django.db import transaction

from palermo.core.models import Visibility
from palermo.core.timezones import time_zone_for
from palermo.reference.models import Language, Provision, State

from . import search
from .models import (
    Authority,
    Channel,
    ChecklistItem,
    ContactPerson,
    Designation,
    Function,
    Measure,
    OfficeHours,
    ProfileSection,
)

DOMAIN = "demo.palermo.invalid"
STATE_LANGUAGES = {"MEX": ["es", "en"], "FRA": ["fr"], "NGA": ["en"], "CHN": ["zh", "en"],
                   "RUS": ["ru"], "EGY": ["ar", "en"], "ESP": ["es"], "IND": ["en", "hi"]}

# (kind, function, provision codes, channels, visibility, English name, names in other languages)
TEMPLATES = [
    (Authority.Kind.CENTRAL, Function.RECEIVE_MLA,
     [("untoc", "art-18-13"), ("uncac", "art-46-13"), ("c1988", "art-7-8")],
     [Channel.EMAIL, Channel.POST, Channel.SECURE], Visibility.PUBLIC,
     "Demo Central Authority for Mutual Legal Assistance",
     {"fr": "Autorité centrale fictive pour l’entraide judiciaire",
      "es": "Autoridad central ficticia de asistencia judicial recíproca",
      "ru": "Условный центральный орган по вопросам взаимной правовой помощи",
      "ar": "سلطة مركزية افتراضية للمساعدة القانونية المتبادلة",
      "zh-hans": "司法协助虚构中心当局"}),
    (Authority.Kind.COMPETENT, Function.EXTRADITION, [("untoc", "art-16-5-a")],
     [Channel.DIPLOMATIC, Channel.INTERPOL], Visibility.RESTRICTED,
     "Demo Extradition Office",
     {"fr": "Bureau fictif de l’extradition", "es": "Oficina ficticia de extradición",
      "ru": "Условное управление по вопросам выдачи", "ar": "مكتب افتراضي لتسليم المطلوبين",
      "zh-hans": "虚构引渡办公室"}),
    (Authority.Kind.COMPETENT, Function.SEA, [("som", "art-8-6"), ("c1988", "art-17-7")],
     [Channel.EMAIL, Channel.FAX], Visibility.PUBLIC,
     "Demo Maritime Coordination Centre",
     {"fr": "Centre fictif de coordination maritime",
      "es": "Centro ficticio de coordinación marítima",
      "ru": "Условный центр морской координации", "ar": "مركز افتراضي للتنسيق البحري",
      "zh-hans": "虚构海事协调中心"}),
]


@dataclass
class DirectoryDemoReport:
    authorities: int = 0
    contacts: int = 0
    sections: int = 0


def demo_phone(state: State, serial: int) -> str:
    """A well-formed number for the State's country code; fictional, like everything here."""
    code = phonenumbers.country_code_for_region(state.iso2) or 1
    for length in (9, 8, 10, 7):
        candidate = f"+{code}{str(serial).rjust(length, '5')[-length:]}"
        if phonenumbers.is_possible_number(phonenumbers.parse(candidate, None)):
            return candidate
    return ""


@transaction.atomic
def create_directory_demo(*, states: list[State], per_state: int = 1,
                          contacts_per_authority: int = 2) -> DirectoryDemoReport:
    """Create demo entries for the States that have none yet; ``per_state`` sets of them."""
    with search.indexing_deferred():  # index each new authority once, at the end
        return _create(states, per_state, contacts_per_authority)


def _create(states: list[State], per_state: int, contacts_per_authority: int,
            ) -> DirectoryDemoReport:
    report = DirectoryDemoReport()
    provisions = {(p.instrument.code, p.code): p
                  for p in Provision.objects.select_related("instrument")}
    languages = {language.code: language for language in Language.objects.all()}
    done = set(Authority.objects.filter(is_demo=True).values_list("state_id", flat=True))
    serial = itertools.count(1000)
    for state in states:
        if state.pk in done:
            continue
        spoken = [languages[c] for c in STATE_LANGUAGES.get(state.code, ["en"]) if c in languages]
        zone = time_zone_for(state.iso2)
        for copy in range(1, per_state + 1):
            for template in TEMPLATES:
                authority = _demo_authority(state, copy, template, zone, next(serial))
                authority.accepted_languages.set(spoken)
                _demo_details(authority, template, provisions, spoken, contacts_per_authority,
                              serial)
                report.authorities += 1
                report.contacts += contacts_per_authority
        report.sections += _demo_profile(state, spoken)
    return report


def _demo_authority(state: State, copy: int, template: tuple, zone: str,
                    serial: int) -> Authority:
    kind, _function, _provisions, channels, visibility, name_en, names = template
    suffix = "" if copy == 1 else f" {copy}"
    slug = f"{state.code.lower()}-{serial}"
    values = {f"name_{lang.replace('-', '_')}": f"{name}{suffix}" for lang, name in names.items()}
    authority = Authority(
        state=state, kind=kind, name=f"{name_en}{suffix}", name_en=f"{name_en}{suffix}",
        street_address=f"{serial} Demonstration Street", city="Demo City",
        postal_code=str(serial), time_zone=zone, website=f"https://{slug}.{DOMAIN}/",
        email=f"office.{slug}@{DOMAIN}", phone=demo_phone(state, serial), channels=channels,
        originals_required=kind == Authority.Kind.COMPETENT,
        urgent_channel=Channel.INTERPOL if kind == Authority.Kind.COMPETENT else Channel.EMAIL,
        urgent_contact=f"duty.{slug}@{DOMAIN}", visibility=visibility, is_demo=True, **values,
    )
    authority.full_clean()
    authority.save()
    return authority


def _demo_details(authority: Authority, template: tuple, provisions: dict,
                  spoken: list[Language], contacts: int, serial: itertools.count) -> None:
    _kind, function, provision_codes, *_rest = template
    for key in provision_codes:
        if key in provisions:
            Designation.objects.create(authority=authority, provision=provisions[key],
                                       function=function,
                                       source="Fictional demonstration entry")
    OfficeHours.objects.bulk_create(
        OfficeHours(authority=authority, weekday=day, opens=dt.time(9), closes=dt.time(17))
        for day in range(5)
    )
    for number in range(1, contacts + 1):
        slug = f"{authority.state.code.lower()}-{next(serial)}"
        contact = ContactPerson.objects.create(
            authority=authority, name=f"Demo contact {number}", position="Demo case officer",
            email=f"contact.{slug}@{DOMAIN}", phone=demo_phone(authority.state, next(serial)),
            visibility=Visibility.PUBLIC if number == 1 else Visibility.RESTRICTED,
            is_demo=True,
        )
        contact.languages.set(spoken)


def _demo_profile(state: State, spoken: list[Language]) -> int:
    created = 0
    for measure, visibility in ((Measure.MLA, Visibility.PUBLIC),
                                (Measure.EXTRADITION, Visibility.RESTRICTED)):
        section, was_created = ProfileSection.objects.get_or_create(
            state=state, measure=measure,
            defaults={
                "untoc_legal_basis": ProfileSection.LegalBasis.YES,
                "dual_criminality": ProfileSection.DualCriminality.COERCIVE_ONLY,
                "channels": [Channel.EMAIL, Channel.POST],
                "summary": "Fictional demonstration profile: it shows where a State describes "
                           "its legal and procedural requirements.",
                "urgent_procedure": "Fictional: urgent requests may be sent in advance by "
                                    "e-mail and confirmed in writing.",
                "visibility": visibility, "is_demo": True,
            },
        )
        if was_created:
            section.languages.set(spoken)
            ChecklistItem.objects.create(
                section=section, position=1,
                text="Fictional: a certified translation of the court order")
            created += 1
    return created
