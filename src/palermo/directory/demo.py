"""Fictional directory entries for demonstration and benchmarks.

Every entry is flagged ``is_demo``, its English name begins with "Demo" (the other languages
say "fictional"), its addresses use the reserved ``.invalid`` domain, and pages that show it
carry the fictional-data banner. Demo entries are attached to real States, but they are not
those States' authorities, and the languages they accept are only plausible.

The same code makes the small set of ``python3 dev.py serve`` (eight States, three authorities
each) and the benchmark's world (every State, a hundred authorities each): rows are written
with ``bulk_create``, a few States at a time, together with their history records and their
search index entries. Running it again creates only what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import phonenumbers
from babel.languages import get_official_languages
from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone, translation

from palermo.core import pagecache
from palermo.core.models import Visibility
from palermo.core.timezones import time_zone_for
from palermo.core.validators import validate_e164, validate_time_zone
from palermo.reference.models import Language, Provision, State

from .models import (
    Authority,
    Channel,
    ChecklistItem,
    ContactPerson,
    Designation,
    Function,
    LawLink,
    Measure,
    OfficeHours,
    ProfileSection,
)
from .search.index import index_authorities

DOMAIN = "demo.palermo.invalid"
SOURCE = "Fictional demonstration entry"
HISTORY_REASON = "Fictional demonstration data"
STATE_LANGUAGES = {"MEX": ["es", "en"], "FRA": ["fr"], "NGA": ["en"], "CHN": ["zh", "en"],
                   "RUS": ["ru"], "EGY": ["ar", "en"], "ESP": ["es"], "IND": ["en", "hi"]}
STATES_PER_BATCH = 10  # about 1,000 authorities and their rows in memory at a time
CITIES = ["Demo City", "Demoville", "Port Demo", "Ciudad Demo", "Démoville", "Демоград",
          "مدينة العرض", "示范市", "Demo Heights", "Nova Demo"]
POSITIONS = ["Demo case officer", "Demo duty prosecutor", "Demo liaison officer",
             "Demo head of unit"]
WEEKDAYS = range(5)


@dataclass(frozen=True)
class Template:
    """One kind of demo authority; a State's authorities cycle through the templates."""

    kind: str
    designations: tuple[tuple[str, str, str], ...]  # (instrument, provision, function)
    channels: tuple[str, ...]
    visibility: str
    name: str  # English
    names: dict[str, str] = field(default_factory=dict)  # other languages
    acronym: str = ""


TEMPLATES = [
    Template(Authority.Kind.CENTRAL,
             (("untoc", "art-18-13", Function.RECEIVE_MLA),
              ("uncac", "art-46-13", Function.RECEIVE_MLA),
              ("c1988", "art-7-8", Function.RECEIVE_MLA)),
             (Channel.EMAIL, Channel.POST, Channel.SECURE), Visibility.PUBLIC,
             "Demo Central Authority for Mutual Legal Assistance",
             {"fr": "Autorité centrale fictive pour l’entraide judiciaire",
              "es": "Autoridad central ficticia de asistencia judicial recíproca",
              "ru": "Условный центральный орган по вопросам взаимной правовой помощи",
              "ar": "سلطة مركزية افتراضية للمساعدة القانونية المتبادلة",
              "zh-hans": "司法协助虚构中心当局"}),
    Template(Authority.Kind.COMPETENT, (("untoc", "art-16-5-a", Function.EXTRADITION),),
             (Channel.DIPLOMATIC, Channel.INTERPOL), Visibility.RESTRICTED,
             "Demo Extradition Office",
             {"fr": "Bureau fictif de l’extradition", "es": "Oficina ficticia de extradición",
              "ru": "Условное управление по вопросам выдачи",
              "ar": "مكتب افتراضي لتسليم المطلوبين", "zh-hans": "虚构引渡办公室"}),
    Template(Authority.Kind.COMPETENT,
             (("som", "art-8-6", Function.SEA), ("c1988", "art-17-7", Function.SEA)),
             (Channel.EMAIL, Channel.FAX), Visibility.PUBLIC,
             "Demo Maritime Coordination Centre",
             {"fr": "Centre fictif de coordination maritime",
              "es": "Centro ficticio de coordinación marítima",
              "ru": "Условный центр морской координации", "ar": "مركز افتراضي للتنسيق البحري",
              "zh-hans": "虚构海事协调中心"}),
    # From the fourth authority of a State on (benchmark sizes), the rest of the functions
    # and provisions, with names in some languages only, as real entries often have.
    Template(Authority.Kind.COMPETENT,
             (("untoc", "art-18-13", Function.RECEIVE_MLA),
              ("untoc", "art-18-14", Function.RECEIVE_MLA),
              ("uncac", "art-46-14", Function.RECEIVE_MLA),
              ("c1988", "art-7-9", Function.RECEIVE_MLA)),
             (Channel.EMAIL, Channel.DIRECT), Visibility.PUBLIC,
             "Demo Prosecutor-General’s Office, International Cooperation",
             {"fr": "Parquet général fictif, coopération internationale",
              "es": "Fiscalía General ficticia, cooperación internacional",
              "ru": "Условная генеральная прокуратура, международное сотрудничество"},
             acronym="DPGO"),
    Template(Authority.Kind.COMPETENT, (("untoc", "art-17", Function.TRANSFER),),
             (Channel.POST, Channel.DIPLOMATIC), Visibility.PUBLIC,
             "Demo Office for the Transfer of Sentenced Persons",
             {"fr": "Bureau fictif du transfèrement des personnes condamnées",
              "ar": "مكتب افتراضي لنقل المحكوم عليهم"}),
    Template(Authority.Kind.FOCAL_POINT, (("firearms", "art-13-2", Function.FIREARMS),),
             (Channel.EMAIL, Channel.INTERPOL), Visibility.RESTRICTED,
             "Demo Firearms Focal Point",
             {"es": "Punto de contacto ficticio sobre armas de fuego",
              "ru": "Условный координационный центр по огнестрельному оружию",
              "zh-hans": "虚构枪支联络点"}),
    Template(Authority.Kind.COMPETENT,
             (("untoc", "art-18-13", Function.CONFISCATION),
              ("uncac", "art-46-13", Function.ASSET_RECOVERY)),
             (Channel.EMAIL, Channel.SECURE, Channel.POST), Visibility.PUBLIC,
             "Demo Asset Recovery Office",
             {"fr": "Bureau fictif de recouvrement des avoirs",
              "es": "Oficina ficticia de recuperación de activos",
              "ar": "مكتب افتراضي لاسترداد الموجودات", "zh-hans": "虚构资产追回办公室"},
             acronym="DARO"),
    Template(Authority.Kind.LIAISON, (("uncac", "art-44-6-a", Function.EXTRADITION),),
             (Channel.DIPLOMATIC,), Visibility.RESTRICTED,
             "Demo Liaison Office for Extradition",
             {"ru": "Условное бюро связи по вопросам выдачи",
              "ar": "مكتب اتصال افتراضي لتسليم المطلوبين"}),
    Template(Authority.Kind.COMPETENT, (("untoc", "art-18-13", Function.SEND_MLA),),
             (Channel.EMAIL, Channel.POST), Visibility.RESTRICTED,
             "Demo Ministry of Justice, Outgoing Requests",
             {"fr": "Ministère de la justice fictif, demandes sortantes",
              "es": "Ministerio de Justicia ficticio, solicitudes salientes",
              "zh-hans": "虚构司法部（外发请求）"}),
]

# The measures of a State's demo profile, in order; ``sections`` takes the first ones.
SECTIONS = [(Measure.MLA, Visibility.PUBLIC), (Measure.EXTRADITION, Visibility.RESTRICTED),
            (Measure.TRANSFER, Visibility.PUBLIC), (Measure.CONFISCATION, Visibility.RESTRICTED),
            (Measure.SEA, Visibility.PUBLIC)]
CHECKLIST = ["Fictional: a certified translation of the court order",
             "Fictional: the text of the provisions establishing the offence",
             "Fictional: the name of an official to contact about the request"]


@dataclass
class DirectoryDemoReport:
    authorities: int = 0
    contacts: int = 0
    sections: int = 0
    designations: int = 0
    office_hours: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.authorities or self.contacts or self.sections)


@dataclass(frozen=True)
class _StatePlan:
    """What every demo row of one State shares: checked once, used for all of its rows."""

    state: State
    languages: list[int]
    zone: str
    country_code: int
    digits: int

    def phone(self, serial: int) -> str:
        return _number(self.country_code, self.digits, serial) if self.digits else ""


def _number(country_code: int, digits: int, serial: int) -> str:
    """A fictional number of ``digits`` national digits, always starting with 5."""
    return f"+{country_code}5{serial % 10 ** (digits - 1):0{digits - 1}d}"


@cache
def _check_zone(zone: str) -> None:
    """The model's validator, once per zone: it reads the whole time zone database."""
    validate_time_zone(zone)


def _plan(state: State, languages: dict[str, int]) -> _StatePlan:
    codes = STATE_LANGUAGES.get(state.code) or [
        *get_official_languages(state.iso2, de_facto=True)[:2], "en"]
    spoken = list(dict.fromkeys(languages[c] for c in codes if c in languages))
    zone = time_zone_for(state.iso2)
    _check_zone(zone)
    code = phonenumbers.country_code_for_region(state.iso2) or 1
    digits = 0
    for length in (9, 8, 10, 7):  # possible numbers depend on their length only
        if phonenumbers.is_possible_number(
                phonenumbers.parse(_number(code, length, 1000), None)):
            digits = length
            validate_e164(_number(code, length, 1000))
            break
    return _StatePlan(state=state, languages=spoken, zone=zone, country_code=code,
                      digits=digits)


@transaction.atomic
def create_directory_demo(*, states: Sequence[State], authorities_per_state: int = 3,
                          contacts_per_authority: int = 2,
                          sections_per_state: int = 2) -> DirectoryDemoReport:
    """Complete the demo entries of these States: what is already there is left alone.

    Each State gets ``authorities_per_state`` demo authorities (cycling through
    :data:`TEMPLATES`), each with ``contacts_per_authority`` contact persons, and the first
    ``sections_per_state`` sections of :data:`SECTIONS` in its profile.
    """
    report = DirectoryDemoReport()
    context = _Context.load(contacts_per_authority)
    # bulk_create sends no signals: the cached pages are declared stale once, at the end
    with translation.override("en"), pagecache.changes_deferred():
        for start in range(0, len(states), STATES_PER_BATCH):
            batch = [_plan(state, context.languages) for state in
                     states[start:start + STATES_PER_BATCH]]
            _authorities(batch, authorities_per_state, context, report)
            _contacts(batch, context, report)
            _profiles(batch, sections_per_state, context, report)
        if report.changed:
            pagecache.changed()
    return report


@dataclass
class _Context:
    provisions: dict[tuple[str, str], int]
    languages: dict[str, int]
    contacts: int
    history_date: Any  # the time of this run, as the database stores it

    @classmethod
    def load(cls, contacts: int) -> _Context:
        return cls(
            provisions={(instrument, code): pk for pk, instrument, code in
                        Provision.objects.values_list("pk", "instrument__code", "code")},
            languages=dict(Language.objects.values_list("code", "pk")),
            contacts=contacts,
            history_date=connection.ops.adapt_datetimefield_value(timezone.now()),
        )


# --- authorities, with their languages, office hours and designations ------------------


def _authorities(batch: list[_StatePlan], wanted: int, context: _Context,
                 report: DirectoryDemoReport) -> None:
    existing = Counter(dict(
        Authority.objects.filter(is_demo=True, state__in=[plan.state for plan in batch])
        .order_by().values_list("state_id").annotate(n=Count("pk")).values_list("state_id", "n")
    ))
    new: list[tuple[Authority, _StatePlan, int]] = []
    for plan in batch:
        for ordinal in range(existing[plan.state.pk] + 1, wanted + 1):
            new.append((_authority(plan, ordinal), plan, ordinal))
    if not new:
        return
    created, history = _create_with_history(
        Authority, [authority for authority, _plan, _ordinal in new], context)
    _languages(Authority.accepted_languages,
               {authority.pk: plan.languages for authority, plan, _ordinal in new}, history)
    hours = [row for authority, _plan, ordinal in new for row in _hours(authority, ordinal)]
    _insert(OfficeHours, ["authority_id", "weekday", "opens", "closes"], hours)
    designations = [row for authority, _plan, ordinal in new
                    for row in _designations(authority, ordinal, context)]
    _create_with_history(Designation, designations, context)
    index_authorities([authority.pk for authority in created])
    report.authorities += len(created)
    report.office_hours += len(hours)
    report.designations += len(designations)


def _template(ordinal: int) -> tuple[Template, int]:
    """The template of a State's n-th demo authority, and which copy of it this is."""
    copy, index = divmod(ordinal - 1, len(TEMPLATES))
    return TEMPLATES[index], copy + 1


def _authority(plan: _StatePlan, ordinal: int) -> Authority:
    template, copy = _template(ordinal)
    state = plan.state
    suffix = "" if copy == 1 else f" {copy}"
    slug = f"{state.code.lower()}-{ordinal}"
    serial = 1000 + state.pk * 1000 + ordinal
    city = CITIES[0] if copy == 1 else CITIES[ordinal % len(CITIES)]
    names = {f"name_{lang.replace('-', '_')}": f"{name}{suffix}"
             for lang, name in template.names.items()}
    return Authority(
        state=state, kind=template.kind, name=f"{template.name}{suffix}",
        name_en=f"{template.name}{suffix}", acronym=template.acronym,
        street_address=f"{ordinal} Demonstration Street", postal_address=f"P.O. Box {serial}",
        city=city, postal_code=str(serial), time_zone=plan.zone,
        website=f"https://{slug}.{DOMAIN}/", email=f"office.{slug}@{DOMAIN}",
        phone=plan.phone(serial),
        fax=plan.phone(serial + 500) if Channel.FAX in template.channels and copy > 1 else "",
        channels=list(template.channels), originals_required=template.kind != "central",
        urgent_channel=(Channel.INTERPOL if template.kind == Authority.Kind.COMPETENT
                        else Channel.EMAIL),
        urgent_contact=f"duty.{slug}@{DOMAIN}", visibility=template.visibility, is_demo=True,
        **names,
    )


HOURS = [
    [(day, dt.time(9), dt.time(17)) for day in WEEKDAYS],
    [(day, *span) for day in WEEKDAYS
     for span in ((dt.time(8), dt.time(12, 30)), (dt.time(14), dt.time(18)))],
    [*((day, dt.time(9), dt.time(17)) for day in WEEKDAYS), (5, dt.time(9), dt.time(12))],
]


def _hours(authority: Authority, ordinal: int) -> list[tuple[Any, ...]]:
    """Monday to Friday 9–17; from the second copy on, some split days and Saturdays."""
    copy = _template(ordinal)[1]
    variant = 0 if copy == 1 else ordinal % len(HOURS)
    return [(authority.pk, day, _time(opens), _time(closes))
            for day, opens, closes in HOURS[variant]]


def _time(value: dt.time) -> Any:
    return connection.ops.adapt_timefield_value(value)


def _designations(authority: Authority, ordinal: int, context: _Context) -> list[Designation]:
    template, copy = _template(ordinal)
    return [
        Designation(authority=authority, provision_id=context.provisions[(instrument, code)],
                    function=function, source=SOURCE,
                    notified_on=dt.date(2004 + ordinal % 20, 1 + ordinal % 12, 1)
                    if copy > 1 else None)
        for instrument, code, function in template.designations
        if (instrument, code) in context.provisions
    ]


# --- contact persons ----------------------------------------------------------------------


def _contacts(batch: list[_StatePlan], context: _Context, report: DirectoryDemoReport) -> None:
    """Give every demo authority of these States its contact persons, if it lacks some."""
    plans = {plan.state.pk: plan for plan in batch}
    rows = (Authority.objects.filter(is_demo=True, state__in=list(plans))
            .order_by().annotate(n=Count("contacts")).filter(n__lt=context.contacts)
            .values_list("pk", "state_id", "n"))
    new: list[tuple[ContactPerson, list[int]]] = []
    for authority_id, state_id, existing in rows:
        plan = plans[state_id]
        for number in range(existing + 1, context.contacts + 1):
            slug = f"{plan.state.code.lower()}-{authority_id}-{number}"
            new.append((ContactPerson(
                authority_id=authority_id, name=f"Demo contact {number}",
                position=POSITIONS[(number - 1) % len(POSITIONS)],
                email=f"contact.{slug}@{DOMAIN}",
                phone=plan.phone(authority_id * 10 + number),
                visibility=Visibility.PUBLIC if number == 1 else Visibility.RESTRICTED,
                is_demo=True,
            ), plan.languages))
    if not new:
        return
    created, history = _create_with_history(
        ContactPerson, [contact for contact, _languages in new], context)
    _languages(ContactPerson.languages,
               {contact.pk: languages for contact, languages in new}, history)
    report.contacts += len(created)


# --- State profiles -----------------------------------------------------------------------


def _profiles(batch: list[_StatePlan], wanted: int, context: _Context,
              report: DirectoryDemoReport) -> None:
    plans = {plan.state.pk: plan for plan in batch}
    existing = set(ProfileSection.objects.filter(state__in=list(plans))
                   .values_list("state_id", "measure"))
    new = [(_section(plan.state, measure, visibility), plan)
           for plan in batch for measure, visibility in SECTIONS[:wanted]
           if (plan.state.pk, measure) not in existing]
    if not new:
        return
    created, history = _create_with_history(
        ProfileSection, [section for section, _plan in new], context)
    _languages(ProfileSection.languages,
               {section.pk: plan.languages for section, plan in new}, history)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(section=section, position=position, text=text, text_en=text)
        for section in created for position, text in enumerate(CHECKLIST, start=1)
    )
    LawLink.objects.bulk_create(
        LawLink(section=section, title="Demo Code of Criminal Procedure (fictional)",
                url=f"https://laws.{section.state.code.lower()}.{DOMAIN}/"
                    f"criminal-procedure#{section.measure}")
        for section in created
    )
    report.sections += len(created)


def _section(state: State, measure: str, visibility: str) -> ProfileSection:
    summary = ("Fictional demonstration profile: it shows where a State describes its legal "
               "and procedural requirements.")
    urgent = ("Fictional: urgent requests may be sent in advance by e-mail and confirmed in "
              "writing.")
    return ProfileSection(
        state=state, measure=measure, untoc_legal_basis=ProfileSection.LegalBasis.YES,
        dual_criminality=ProfileSection.DualCriminality.COERCIVE_ONLY,
        channels=[Channel.EMAIL, Channel.POST], summary=summary, summary_en=summary,
        urgent_procedure=urgent, urgent_procedure_en=urgent, visibility=visibility,
        is_demo=True,
    )


# --- bulk writes with history ---------------------------------------------------------------


def _create_with_history(model: type[models.Model], objects: list[Any],
                         context: _Context) -> tuple[list[Any], dict[int, int]]:
    """``bulk_create`` the rows and copy each into a "created" history record, as ``save()``
    would have written it; the database makes the copies.

    Returns the rows, with their primary keys, and the history record of each row's key.
    """
    created = model._default_manager.bulk_create(objects, batch_size=1000)
    history = model.history.model  # type: ignore[attr-defined]
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    pk = quote(model._meta.pk.column)
    history_of: dict[int, int] = {}
    for chunk in _chunks([row.pk for row in created]):
        history_of.update(_execute(  # names from the models, values as parameters
            f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "  # noqa: S608
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {columns}, %s, %s, '+', NULL FROM {quote(model._meta.db_table)} "
            f"WHERE {pk} IN ({', '.join(['%s'] * len(chunk))}) "
            f"RETURNING {pk}, {quote(history._meta.pk.column)}",
            [context.history_date, HISTORY_REASON, *chunk],
        ))
    return created, history_of


def _languages(descriptor: Any, languages: dict[int, list[int]],
               history_of: dict[int, int]) -> None:
    """The languages of new rows, and the same in the history records written with them."""
    m2m = descriptor.field
    through = descriptor.through
    owner, language = m2m.m2m_column_name(), m2m.m2m_reverse_name()
    links = _insert(through, [owner, language],
                    [(pk, language_id) for pk, chosen in languages.items()
                     for language_id in chosen],
                    returning=["id", owner, language])
    history = apps.get_model(m2m.model._meta.app_label,
                             f"Historical{m2m.model.__name__}_{m2m.name}")
    _insert(history, ["id", "history_id", owner, language],
            [(pk, history_of[owner_pk], owner_pk, language_id)
             for pk, owner_pk, language_id in links])


def _insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]],
            returning: list[str] | None = None) -> list[tuple[Any, ...]]:
    """Plain multi-row INSERTs, for the many small rows that need no model instance."""
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    back = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    result: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        with connection.cursor() as cursor:
            cursor.execute(  # names from the models, values as parameters
                f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
                f"{', '.join([marks] * len(chunk))}{back}",
                [value for row in chunk for value in row],
            )
            if returning:
                result.extend(cursor.fetchall())
    return result


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _chunks(pks: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(pks), size):
        yield pks[start:start + size]


def _execute(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
