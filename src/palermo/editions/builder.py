"""What goes into a printed edition, read through the directory's access layer.

The reader of a public edition is an anonymous visitor; the reader of a restricted edition is
the person who ordered it. Whatever either may not see on the directory's pages is not in their
edition: every query below starts from :mod:`palermo.directory.access`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from palermo.core.models import Visibility
from palermo.core.validators import format_phone
from palermo.directory import access
from palermo.directory.models import (
    Authority,
    Channel,
    ContactPerson,
    Designation,
    Measure,
    OfficeHours,
    ProfileSection,
)
from palermo.documents import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValueTable,
    Paragraph,
    Span,
    Text,
)
from palermo.reference.models import Language, Provision, RegionalGroup, State
from palermo.reference.selectors import sort_key

from .models import Edition


@dataclass
class StateEntry:
    state: State
    authorities: list[Authority]
    sections: list[ProfileSection]
    last_updated: dt.datetime | None


def states_in_scope(scope: str, code: str) -> QuerySet[State]:
    states = State.objects.all()
    if scope == Edition.Scope.STATE:
        return states.filter(code=code)
    if scope == Edition.Scope.GROUP:
        return states.filter(regional_groups__code=code)
    return states


@dataclass
class _Contact:
    """A contact person as the edition prints it."""

    name: str
    position: str
    email: str
    phone: str
    visibility: str
    updated_at: dt.datetime
    languages: list[Language]


@dataclass
class _Designation:
    provision: Provision
    function: str
    scope_note: str
    notified_on: dt.date | None


def gather(viewer: Any, scope: str, code: str) -> list[StateEntry]:
    """The States of the scope with what ``viewer`` may see of them, in thirteen queries.

    Authorities are read as models; what hangs from them (designations, languages, office
    hours, contact persons), hundreds of thousands of rows for the whole directory, as plain
    values grouped by authority (``edition_…`` attributes and ``visible_contacts``): model
    instances for them took most of the reading time.
    """
    states = {state.pk: state for state in states_in_scope(scope, code)}
    visible = access.authorities_visible_to(viewer).filter(state_id__in=states)
    visible_ids = visible.values("pk")
    languages = {language.pk: language for language in Language.objects.all()}
    language_order = {pk: index for index, pk in enumerate(languages)}

    def languages_of(through: Any, owner: str, owners: Any) -> dict[int, list[Language]]:
        grouped: dict[int, list[Language]] = defaultdict(list)
        for owner_id, language_id in (through.objects.filter(**{f"{owner}__in": owners})
                                      .values_list(f"{owner}_id", "language_id")):
            grouped[owner_id].append(languages[language_id])
        for items in grouped.values():
            items.sort(key=lambda language: language_order[language.pk])
        return grouped

    accepted = languages_of(Authority.accepted_languages.through, "authority", visible_ids)
    provisions = {provision.pk: provision for provision in Provision.objects.select_related(
        "instrument", "article", "paragraph")}
    designations: dict[int, list[_Designation]] = defaultdict(list)
    for authority_id, provision_id, function, scope_note, notified_on in (
            Designation.objects.filter(authority__in=visible_ids)
            .order_by("authority_id", "provision__instrument__position", "provision__position",
                      "function")
            .values_list("authority_id", "provision_id", "function", "scope_note",
                         "notified_on")):
        designations[authority_id].append(
            _Designation(provisions[provision_id], function, scope_note, notified_on))
    hours: dict[int, list[tuple[int, dt.time, dt.time]]] = defaultdict(list)
    for authority_id, weekday, opens, closes in (
            OfficeHours.objects.filter(authority__in=visible_ids)
            .order_by("authority_id", "weekday", "opens")
            .values_list("authority_id", "weekday", "opens", "closes")):
        hours[authority_id].append((weekday, opens, closes))
    contact_rows = (access.contacts_visible_to(viewer).filter(authority__in=visible_ids)
                    .order_by("authority_id", "name")
                    .values_list("pk", "authority_id", "name", "position", "email", "phone",
                                 "visibility", "updated_at"))
    spoken = languages_of(ContactPerson.languages.through, "contactperson",
                          contact_rows.values("pk"))
    contacts: dict[int, list[_Contact]] = defaultdict(list)
    for pk, authority_id, name, position, email, phone, visibility, updated_at in contact_rows:
        contacts[authority_id].append(_Contact(name, position, email, phone, visibility,
                                               updated_at, spoken.get(pk, [])))
    by_state: dict[int, list[Authority]] = defaultdict(list)
    for authority in visible:
        pk = authority.pk
        authority.edition_languages = accepted.get(pk, [])  # type: ignore[attr-defined]
        authority.edition_designations = designations.get(pk, [])  # type: ignore[attr-defined]
        authority.edition_hours = hours.get(pk, [])  # type: ignore[attr-defined]
        authority.visible_contacts = contacts.get(pk, [])  # type: ignore[attr-defined]
        by_state[authority.state_id].append(authority)
    sections = (access.profile_sections_visible_to(viewer).filter(state_id__in=states)
                .prefetch_related("languages", "checklist", "laws"))
    sections_by_state: dict[int, list[ProfileSection]] = defaultdict(list)
    for section in sections:
        sections_by_state[section.state_id].append(section)
    entries = []
    for state_id, state in states.items():
        state_authorities = sorted(by_state.get(state_id, []),
                                   key=lambda a: (Authority.Kind.values.index(a.kind),
                                                  sort_key(a.name)))
        state_sections = sorted(sections_by_state.get(state_id, []),
                                key=lambda s: Measure.values.index(s.measure))
        if not state_authorities and not state_sections and scope != Edition.Scope.STATE:
            continue
        dates = [e.updated_at for e in [*state_authorities, *state_sections]]
        dates += [c.updated_at for a in state_authorities
                  for c in getattr(a, "visible_contacts", [])]
        entries.append(StateEntry(state=state, authorities=state_authorities,
                                  sections=state_sections,
                                  last_updated=max(dates) if dates else None))
    return sorted(entries, key=lambda entry: sort_key(entry.state.name))


def scope_label(scope: str, code: str) -> str:
    if scope == Edition.Scope.STATE:
        state = State.objects.filter(code=code).first()
        return state.name if state else code
    if scope == Edition.Scope.GROUP:
        group = RegionalGroup.objects.filter(code=code).first()
        return group.name if group else code
    return _("All States")


def _localized(obj: Any, field: str, lang: str) -> Text:
    """A translated field in the edition's language, or its English fallback marked so."""
    value = getattr(obj, field) or ""
    own = getattr(obj, build_localized_fieldname(field, lang), "") if lang != "en" else value
    return value if own else Span(value, "en")


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return _("not known")
    if isinstance(value, dt.datetime):
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


class _AuthorityWriter:
    """The blocks of each authority. Labels, choices, dates and times are the same for many
    authorities: each is translated or formatted once per edition, not once per use."""

    def __init__(self, lang: str, names: dict[int, Text]) -> None:
        self.lang = lang
        self.names = names
        self.kinds = _choices(Authority, "kind")
        self.functions = _choices(Designation, "function")
        self.weekdays = _choices(OfficeHours, "weekday")
        self.urgent_channels = _choices(Authority, "urgent_channel")
        self.channels = {str(value): str(label) for value, label in Channel.choices}
        self.restricted = _("Restricted")
        self.demo = _("Fictional demo entry")
        self.designations = _("Designations")
        self.no_designation = _("No designation is recorded.")
        self.notified = _("Notified: %(date)s")
        self.street_address = _("Street address")
        self.postal_address = _("Postal address")
        self.email = _("E-mail")
        self.telephone = _("Telephone")
        self.fax = _("Fax")
        self.website = _("Website")
        self.originals = _("Electronic copies must be followed by the originals.")
        self.channels_accepted = _("Channels accepted")
        self.not_stated = _("Not stated")
        self.languages_accepted = _("Languages accepted for requests")
        self.urgent = _("Urgent requests")
        self.at_all_hours = _("At all hours: %(contact)s")
        self.office_hours = _("Office hours")
        self.time_zone = _("Time zone: %(zone)s")
        self.part_of = _("Part of")
        self.contact_persons = _("Contact persons")
        self.speaks = _("Speaks: %(languages)s")
        self.dates: dict[dt.date | None, str] = {}
        self.times: dict[dt.time, str] = {}
        self.provisions: dict[tuple[int, str], str] = {}
        self.phones: dict[str, str] = {}

    def date(self, value: dt.date | None) -> str:
        known = self.dates.get(value)
        if known is None:
            known = self.dates[value] = _date(value)
        return known

    def time(self, value: dt.time) -> str:
        known = self.times.get(value)
        if known is None:
            known = self.times[value] = formats.time_format(value, "TIME_FORMAT")
        return known

    def designation(self, designation: _Designation) -> str:
        key = (designation.provision.pk, designation.function)
        head = self.provisions.get(key)
        if head is None:
            provision = designation.provision
            head = self.provisions[key] = (
                f"{provision.instrument.short_name}, {provision.localized_citation} — "
                f"{self.functions.get(designation.function, designation.function)}")
        return _lines(head, designation.scope_note,
                      self.notified % {"date": self.date(designation.notified_on)}
                      if designation.notified_on else "")

    def restricted_mark(self, obj: Any) -> str:
        return self.restricted if obj.visibility == Visibility.RESTRICTED else ""

    def blocks(self, authority: Authority) -> list[Block]:
        lang = self.lang
        heading: list[Span | str] = []
        name = _localized(authority, "name", lang)
        heading.extend([name] if isinstance(name, str | Span) else list(name))
        if authority.acronym:
            heading.append(f" ({authority.acronym})")
        facts = [self.kinds.get(authority.kind, authority.kind),
                 self.restricted_mark(authority)]
        if authority.is_demo:
            facts.append(self.demo)
        rows: list[tuple[Text, Text]] = []
        designations = [self.designation(d)
                        for d in authority.edition_designations]  # type: ignore[attr-defined]
        rows.append((self.designations, "\n".join(designations) or self.no_designation))
        if authority.street_address:
            rows.append((self.street_address, _lines(
                authority.street_address, f"{authority.postal_code} {authority.city}".strip())))
        if authority.postal_address:
            rows.append((self.postal_address, authority.postal_address))
        if authority.email:
            rows.append((self.email, authority.email))
        if authority.phone:
            rows.append((self.telephone, format_phone(authority.phone)))
        if authority.fax:
            rows.append((self.fax, format_phone(authority.fax)))
        if authority.website:
            rows.append((self.website, authority.website))
        channels = "; ".join(self.channels.get(code, code) for code in authority.channels)
        if authority.originals_required:
            channels += ". " + self.originals
        rows.append((self.channels_accepted, channels or self.not_stated))
        rows.append((self.languages_accepted,
                     ", ".join(language.name
                               for language in authority.edition_languages)  # type: ignore[attr-defined]
                     or self.not_stated))
        if authority.urgent_channel or authority.urgent_contact:
            urgent = self.urgent_channels.get(authority.urgent_channel,
                                              authority.urgent_channel)
            if authority.urgent_contact:
                urgent = _lines(urgent, self.at_all_hours
                                % {"contact": authority.urgent_contact})
            rows.append((self.urgent, urgent))
        hours = authority.edition_hours  # type: ignore[attr-defined]
        if hours:
            rows.append((self.office_hours, _lines(
                *(f"{self.weekdays.get(weekday, weekday)} {self.time(opens)}–"
                  f"{self.time(closes)}" for weekday, opens, closes in hours),
                self.time_zone % {"zone": authority.time_zone})))
        if authority.parent_id in self.names:
            rows.append((self.part_of, self.names[authority.parent_id]))
        blocks: list[Block] = [
            Heading(heading, 2),
            Paragraph(" · ".join(fact for fact in facts if fact), small=True),
            KeyValueTable(rows),
        ]
        contacts: list[_Contact] = authority.visible_contacts  # type: ignore[attr-defined]
        if contacts:
            blocks.append(Heading(self.contact_persons, 3, in_toc=False))
            rows = []
            for contact in contacts:
                languages = contact.languages
                rows.append((contact.name, _lines(
                    contact.position, contact.email, format_phone(contact.phone),
                    self.speaks % {"languages": ", ".join(
                        language.name for language in languages)} if languages else "",
                    self.restricted_mark(contact))))
            blocks.append(KeyValueTable(rows))
        return blocks


def _choices(model: Any, field: str) -> dict[Any, str]:
    """A field's choices with their labels in the active language (as ``get_FOO_display``)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _section_blocks(section: ProfileSection, lang: str) -> list[Block]:
    title = section.get_measure_display()
    if section.visibility == Visibility.RESTRICTED:
        title = f"{title} ({_('Restricted')})"
    rows: list[tuple[Text, Text]] = [
        (_("The Convention as legal basis"), section.get_untoc_legal_basis_display()),
        (_("Dual criminality"), section.get_dual_criminality_display()),
        (_("Languages accepted"), ", ".join(language.name for language in section.languages.all())
         or _("Not stated")),
    ]
    if section.channels:
        rows.append((_("Channels"), "; ".join(str(Channel(c).label) for c in section.channels)))
    for field, label in [("summary", _("Legal and procedural requirements")),
                         ("urgent_procedure", _("Urgent procedure")),
                         ("treaties", _("Bilateral and regional treaties")),
                         ("alternative_arrangements", _("Alternative arrangements")),
                         ("costs", _("Costs"))]:
        if getattr(section, field):
            rows.append((label, _localized(section, field, lang)))
    checklist = [_localized(item, "text", lang) for item in section.checklist.all()]
    laws = [_lines(law.title, law.url) for law in section.laws.all()]
    if laws:
        rows.append((_("National laws"), "\n".join(laws)))
    rows.append((_("Last updated"), _date(section.updated_at)))
    blocks: list[Block] = [Heading(title, 3, in_toc=False), KeyValueTable(rows)]
    if checklist:
        blocks.append(Paragraph(_("A request must also contain:")))
        blocks.append(BulletList(checklist))
    return blocks


def edition_document(edition: Edition, entries: list[StateEntry]) -> Document:
    """The edition as a document, in the edition's language (call inside its translation)."""
    lang = edition.language
    assert translation.get_language() == lang
    kind = _("Restricted edition") if edition.restricted else _("Public edition")
    today = (edition.started_at or edition.created_at).date()
    names: dict[int, Text] = {a.pk: _localized(a, "name", lang)
                              for entry in entries for a in entry.authorities}
    blocks: list[Block] = []
    if edition.restricted:
        blocks.append(Paragraph(_(
            "This edition contains restricted entries. Share it only with practitioners and "
            "authorities entitled to see them.")))
    else:
        blocks.append(Paragraph(_(
            "This edition contains the public entries of the directory. Signed-in "
            "practitioners, focal points and the secretariat may see more entries.")))
    if any(a.is_demo for entry in entries for a in entry.authorities) or any(
            s.is_demo for entry in entries for s in entry.sections):
        blocks.append(Paragraph(_(
            "Entries marked as fictional are demonstration data, not real authorities."),
            small=True))
    if not entries:
        blocks.append(Paragraph(_("No State in this edition has an entry you may see.")))
    writer = _AuthorityWriter(lang, names)
    for entry in entries:
        blocks.append(Heading(entry.state.name, 1))
        blocks.append(Paragraph(_("Last updated: %(date)s") % {"date": _date(entry.last_updated)},
                                small=True))
        if not entry.authorities:
            blocks.append(Paragraph(_("No authority is listed for this State, "
                                      "or none that this edition may show.")))
        for authority in entry.authorities:
            blocks.extend(writer.blocks(authority))
        if entry.sections:
            blocks.append(Heading(_("What a request to this State needs"), 2))
            for section in entry.sections:
                blocks.extend(_section_blocks(section, lang))
    title = _("Directory of competent national authorities")
    scope = scope_label(edition.scope, edition.scope_code)
    return Document(
        title=title,
        language=lang,
        subtitle=f"{kind} — {scope}",
        header=f"Palermo · {title}",
        footer=kind,
        edition_date=today,
        edition_label=_("Edition of %(date)s") % {"date": _date(today)},
        page_label=_("Page %(page)s of %(pages)s") % {"page": "{page}", "pages": "{pages}"},
        toc_title=_("Contents"),
        toc_depth=2 if edition.scope == Edition.Scope.STATE else 1,
        author="Palermo",
        blocks=blocks,
    )
