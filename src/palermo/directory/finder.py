"""The finder: where to send a request, through which channel, in which language, and what it
must contain — in one step, from live directory and participation data.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.reference.citations import format_citation
from palermo.reference.loaders import DATA_DIR
from palermo.reference.models import Instrument, Language, Participation, State
from palermo.reference.treaty_text import parse_treaty, treaty_path

from . import access
from .models import (
    DESIGNATION_RELATED,
    Authority,
    Channel,
    Designation,
    Function,
    Measure,
    ProfileSection,
)

SUBPARAGRAPH = re.compile(r"^([a-z])\)\s*(.+)$")

# Besides the measures of art. 18(3)(a)–(i) ("mla-a" … "mla-i"), the other kinds of request.
OTHER_MEASURES: dict[str, tuple[Promise, str, str]] = {
    # code: (label, function of the authority to address, profile measure)
    "extradition": (_("Extradition"), Function.EXTRADITION, Measure.EXTRADITION),
    "transfer": (_("Transfer of sentenced persons"), Function.TRANSFER, Measure.TRANSFER),
    "confiscation": (_("Freezing, seizure and confiscation (art. 13)"), Function.CONFISCATION,
                     Measure.CONFISCATION),
    "sea": (_("Smuggling of migrants by sea (Protocol, art. 8)"), Function.SEA, Measure.SEA),
}
# Instruments whose provisions on mutual legal assistance, extradition or the sea may apply.
LEGAL_BASES = {
    "mla": ["untoc", "uncac", "c1988"],
    "extradition": ["untoc", "uncac", "c1988"],
    "transfer": ["untoc"],
    "confiscation": ["untoc", "uncac", "c1988"],
    "sea": ["som", "c1988"],
}


@functools.cache
def _treaty(instrument: str) -> dict[tuple[int, int], str]:
    """The paragraphs of an instrument's text as shipped with Palermo (the file the reference
    data are loaded from), read once per process: quoting the treaty costs no query."""
    with (DATA_DIR / "instruments.json").open(encoding="utf-8") as handle:
        files = {row["code"]: row["file"] for row in json.load(handle)["instruments"]}
    if instrument not in files:
        return {}
    text = treaty_path(files[instrument]).read_text(encoding="utf-8")
    return {(article.number, paragraph.number): paragraph.text
            for article in parse_treaty(text) for paragraph in article.paragraphs}


def treaty_items(instrument: str, article: int, paragraph: int) -> list[tuple[str, str]]:
    """The lettered items of a paragraph, in the treaty's own (English) words."""
    text = _treaty(instrument).get((article, paragraph), "")
    return [(m.group(1), m.group(2).rstrip(";. ").removesuffix("; and"))
            for m in (SUBPARAGRAPH.match(line.strip()) for line in text.splitlines()) if m]


def measure_choices() -> list[tuple[str, str]]:
    mla = [(f"mla-{letter}", f"{letter}) {text}") for letter, text in treaty_items("untoc", 18, 3)]
    return mla + [(code, str(label)) for code, (label, *_rest) in OTHER_MEASURES.items()]


def kind_of(measure: str) -> str:
    return "mla" if measure.startswith("mla-") else measure


@dataclass
class LegalBasis:
    instrument: Instrument
    requesting_since: dt.date | None
    requested_since: dt.date | None

    @property
    def available(self) -> bool:
        return self.requesting_since is not None and self.requested_since is not None


@dataclass
class FinderAnswer:
    requesting: State
    requested: State
    measure: str
    measure_label: str
    urgent: bool
    authorities: list[Authority]
    channels: list[str]
    languages: list[Language]
    urgent_channel: str
    urgent_contact: str
    legal_bases: list[LegalBasis]
    treaty_contents: list[tuple[str, str]]
    contents_citation: str
    checklist: list[str]
    section: ProfileSection | None
    missing: list[str] = field(default_factory=list)
    shows_demo: bool = False


def legal_bases_on(codes: list[str], requesting: State, requested: State,
                   today: dt.date) -> list[LegalBasis]:
    """The instruments that may apply, each with the date each State became a party (if so)."""

    def since(state: State) -> Subquery:
        return Subquery(Participation.objects.filter(
            instrument=OuterRef("pk"), state=state, consent_on__isnull=False,
            consent_on__lte=today).order_by().values("consent_on")[:1])

    instruments = {i.code: i for i in Instrument.objects.filter(code__in=codes).annotate(
        requesting_since=since(requesting), requested_since=since(requested))}
    return [LegalBasis(instruments[code], instruments[code].requesting_since,
                       instruments[code].requested_since) for code in codes if code in instruments]


def find(*, user: Any, requesting: State, requested: State, measure: str, urgent: bool,
         measure_label: str = "", with_designations: bool = True) -> FinderAnswer:
    """The answer; ``with_designations=False`` leaves the authorities' designations unread
    (the page does not show them; the API does)."""
    kind = kind_of(measure)
    function = Function.RECEIVE_MLA if kind == "mla" else OTHER_MEASURES[kind][1]
    profile_measure = Measure.MLA if kind == "mla" else OTHER_MEASURES[kind][2]
    today = timezone.localdate()
    authorities = _authorities(user, requested, function, with_designations)
    section = (
        access.profile_sections_visible_to(user)
        .filter(state=requested, measure=profile_measure)
        .prefetch_related("languages", "checklist").first()
    )
    bases = legal_bases_on(LEGAL_BASES[kind], requesting, requested, today)
    first = authorities[0] if authorities else None
    languages = _languages(authorities, section)
    answer = FinderAnswer(
        requesting=requesting, requested=requested, measure=measure,
        measure_label=measure_label or dict(measure_choices()).get(measure, measure),
        urgent=urgent,
        authorities=authorities,
        channels=[str(Channel(c).label) for c in (first.channels if first else [])],
        languages=languages,
        urgent_channel=first.get_urgent_channel_display() if first else "",
        urgent_contact=first.urgent_contact if first else "",
        legal_bases=bases,
        treaty_contents=treaty_items("untoc", 18, 15) if kind == "mla" else [],
        contents_citation=format_citation(18, 15) if kind == "mla" else "",
        checklist=[item.text for item in section.checklist.all()] if section else [],
        section=section,
        shows_demo=any(a.is_demo for a in authorities) or bool(section and section.is_demo),
    )
    answer.missing = _missing(answer)
    return answer


def _authorities(user: Any, state: State, function: str,
                 with_designations: bool) -> list[Authority]:
    designated = (
        access.authorities_visible_to(user)
        .filter(state=state, designations__function=function).distinct()
        .select_related("state").prefetch_related("accepted_languages")
    )
    if with_designations:
        designated = designated.prefetch_related(Prefetch(
            "designations", queryset=Designation.objects.select_related(*DESIGNATION_RELATED)))
    order: dict[str, int] = {Authority.Kind.CENTRAL.value: 0, Authority.Kind.COMPETENT.value: 1}
    return sorted(designated, key=lambda a: (order.get(a.kind, 2), a.pk))


def _languages(authorities: list[Authority], section: ProfileSection | None) -> list[Language]:
    seen: dict[str, Language] = {}
    for authority in authorities[:1]:
        for language in authority.accepted_languages.all():
            seen.setdefault(language.code, language)
    if section is not None:
        for language in section.languages.all():
            seen.setdefault(language.code, language)
    return list(seen.values())


def _missing(answer: FinderAnswer) -> list[str]:
    missing: list[Promise] = []
    if not answer.authorities:
        missing.append(_("No authority of the requested State is designated for this in the "
                         "directory (or none that you may see)."))
    if not answer.languages:
        missing.append(_("The languages the requested State accepts are not recorded."))
    if answer.section is None:
        missing.append(_("The requested State has not published its requirements for this "
                         "measure (or not for you)."))
    if not any(basis.available for basis in answer.legal_bases):
        missing.append(_("Palermo has no record that both States are parties to an instrument "
                         "that applies; participation may simply not be recorded yet."))
    if answer.urgent and answer.authorities and not answer.urgent_contact:
        missing.append(_("No contact for urgent requests is recorded."))
    return [str(message) for message in missing]
