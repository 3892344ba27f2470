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

from django.db.models import Prefetch, QuerySet
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
from palermo.reference.models import RegionalGroup, State
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


def gather(viewer: Any, scope: str, code: str) -> list[StateEntry]:
    """The States of the scope with what ``viewer`` may see of them: seven queries in all."""
    states = {state.pk: state for state in states_in_scope(scope, code)}
    authorities = (
        access.authorities_visible_to(viewer).filter(state_id__in=states)
        .prefetch_related(
            "accepted_languages", "office_hours",
            Prefetch("designations", queryset=Designation.objects.select_related(
                "provision__instrument", "provision__article", "provision__paragraph")),
            Prefetch("contacts", to_attr="visible_contacts",
                     queryset=access.contacts_visible_to(viewer).prefetch_related("languages")),
        )
    )
    sections = (access.profile_sections_visible_to(viewer).filter(state_id__in=states)
                .prefetch_related("languages", "checklist", "laws"))
    by_state: dict[int, list[Authority]] = defaultdict(list)
    for authority in authorities:
        by_state[authority.state_id].append(authority)
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


def _restricted(obj: Any) -> str:
    return _("Restricted") if obj.visibility == Visibility.RESTRICTED else ""


def _authority_blocks(authority: Authority, lang: str, names: dict[int, Text]) -> list[Block]:
    heading: list[Span | str] = []
    name = _localized(authority, "name", lang)
    heading.extend([name] if isinstance(name, str | Span) else list(name))
    if authority.acronym:
        heading.append(f" ({authority.acronym})")
    facts = [authority.get_kind_display(), _restricted(authority)]
    if authority.is_demo:
        facts.append(_("Fictional demo entry"))
    rows: list[tuple[Text, Text]] = []
    designations = [
        _lines(f"{d.provision.instrument.short_name}, {d.provision.localized_citation} — "
               f"{d.get_function_display()}", d.scope_note,
               _("Notified: %(date)s") % {"date": _date(d.notified_on)} if d.notified_on
               else "")
        for d in authority.designations.all()
    ]
    rows.append((_("Designations"), "\n".join(designations) or _("No designation is recorded.")))
    if authority.street_address:
        rows.append((_("Street address"), _lines(
            authority.street_address, f"{authority.postal_code} {authority.city}".strip())))
    if authority.postal_address:
        rows.append((_("Postal address"), authority.postal_address))
    if authority.email:
        rows.append((_("E-mail"), authority.email))
    if authority.phone:
        rows.append((_("Telephone"), format_phone(authority.phone)))
    if authority.fax:
        rows.append((_("Fax"), format_phone(authority.fax)))
    if authority.website:
        rows.append((_("Website"), authority.website))
    channels = "; ".join(str(Channel(code).label) for code in authority.channels)
    if authority.originals_required:
        channels += ". " + _("Electronic copies must be followed by the originals.")
    rows.append((_("Channels accepted"), channels or _("Not stated")))
    rows.append((_("Languages accepted for requests"),
                 ", ".join(lang_.name for lang_ in authority.accepted_languages.all())
                 or _("Not stated")))
    if authority.urgent_channel or authority.urgent_contact:
        urgent = authority.get_urgent_channel_display()
        if authority.urgent_contact:
            urgent = _lines(urgent, _("At all hours: %(contact)s")
                            % {"contact": authority.urgent_contact})
        rows.append((_("Urgent requests"), urgent))
    hours = list(authority.office_hours.all())
    if hours:
        rows.append((_("Office hours"), _lines(
            *(f"{h.get_weekday_display()} {formats.time_format(h.opens, 'TIME_FORMAT')}–"
              f"{formats.time_format(h.closes, 'TIME_FORMAT')}" for h in hours),
            _("Time zone: %(zone)s") % {"zone": authority.time_zone})))
    if authority.parent_id in names:
        rows.append((_("Part of"), names[authority.parent_id]))
    blocks: list[Block] = [
        Heading(heading, 2),
        Paragraph(" · ".join(fact for fact in facts if fact), small=True),
        KeyValueTable(rows),
    ]
    contacts: list[ContactPerson] = authority.visible_contacts  # type: ignore[attr-defined]
    if contacts:
        blocks.append(Heading(_("Contact persons"), 3, in_toc=False))
        blocks.append(KeyValueTable([
            (contact.name, _lines(
                contact.position, contact.email, format_phone(contact.phone),
                _("Speaks: %(languages)s") % {"languages": ", ".join(
                    language.name for language in contact.languages.all())}
                if contact.languages.all() else "",
                _restricted(contact)))
            for contact in contacts
        ]))
    return blocks


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
    for entry in entries:
        blocks.append(Heading(entry.state.name, 1))
        blocks.append(Paragraph(_("Last updated: %(date)s") % {"date": _date(entry.last_updated)},
                                small=True))
        if not entry.authorities:
            blocks.append(Paragraph(_("No authority is listed for this State, "
                                      "or none that this edition may show.")))
        for authority in entry.authorities:
            blocks.extend(_authority_blocks(authority, lang, names))
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
