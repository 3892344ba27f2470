"""The finder: where to send a request, through which channel, in which language, on which legal
basis, and what it must contain — the answer of the finder page
(:func:`palermo.directory.finder.find`), as data.

Visibility is the page's: the authorities and the profile section come through the access
layer, for the session's user or the token's owner.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from palermo.directory import finder
from palermo.directory.models import Authority, Measure
from palermo.reference.models import State

from .directory import channels, language_out
from .reference import STATE_CODE, state_ref
from .schemas import (
    LANGUAGE_CODES,
    FinderOut,
    Names,
    blank_to_none,
    names,
    responses,
)

router = Router(tags=["finder"])

MEASURE = re.compile(r"mla-[a-z]|" + "|".join(finder.OTHER_MEASURES))
MEASURE_HELP = (
    "What is requested: `mla-a` … `mla-i`, the types of mutual legal assistance of art. 18(3)"
    "(a)–(i) of the Convention (for example `mla-f`, bank, financial, corporate or business "
    "records), or `extradition`, `transfer` (of sentenced persons), `confiscation` "
    "(freezing, seizure and confiscation, art. 13) or `sea` (smuggling of migrants by sea, "
    "Protocol art. 8)."
)


class FinderQuery(Schema):
    requesting: str = Field(..., pattern=STATE_CODE,
                            description="The State that makes the request: ISO 3166-1 alpha-3 "
                                        "code (EU for the European Union), any case.")
    requested: str = Field(..., pattern=STATE_CODE,
                           description="The State asked for assistance, as `requesting`; it "
                                       "must differ from it.")
    measure: str = Field(..., pattern=r"^[A-Za-z-]{1,20}$", description=MEASURE_HELP)
    urgent: bool = Field(False, description="An urgent request: the answer adds the channel "
                                            "and the contact for urgent requests.")


def in_six_languages(text: Any) -> Names:
    """A translatable (lazy) text in the six languages."""
    values = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            values[language] = str(text)
    return Names(**values)  # type: ignore[typeddict-item]


def missing_out(answer: finder.FinderAnswer) -> list[Names]:
    """What the directory does not know, each sentence in the six languages: the finder's own
    sentences (:func:`palermo.directory.finder._missing`), said once per language."""
    said: dict[str, list[str]] = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            said[language] = finder._missing(answer)
    return [Names(**{language: said[language][index]  # type: ignore[typeddict-item]
                     for language in LANGUAGE_CODES})
            for index in range(len(answer.missing))]


def problem(name: str, message: str, value: str) -> dict[str, Any]:
    return {"type": "unknown_code", "loc": ["query", name], "msg": message, "input": value}


def read_query(query: FinderQuery) -> tuple[State, State, str, str]:
    """The two States, the measure and its treaty words; 422 naming each bad parameter."""
    codes = {query.requesting.upper(), query.requested.upper()}
    states = {state.code: state for state in State.objects.filter(code__in=codes)}
    errors = [problem(name, gettext("No State has this code."), value)
              for name, value in (("requesting", query.requesting),
                                  ("requested", query.requested))
              if value.upper() not in states]
    measure = query.measure.lower()
    words = ""
    if MEASURE.fullmatch(measure) and measure.startswith("mla-"):
        items = dict(finder.treaty_items("untoc", 18, 3))
        words = items.get(measure.removeprefix("mla-"), "")
    if not MEASURE.fullmatch(measure) or (measure.startswith("mla-") and not words):
        errors.append(problem("measure", gettext(
            "No measure has this code. Use mla-a to mla-i (art. 18(3)(a)–(i)), extradition, "
            "transfer, confiscation or sea."), query.measure))
    if not errors and query.requesting.upper() == query.requested.upper():
        errors.append(problem("requested", gettext(
            "The requested State must differ from the requesting State."), query.requested))
    if errors:
        raise ValidationError(errors)
    return states[query.requesting.upper()], states[query.requested.upper()], measure, words


def authority_out(authority: Authority) -> dict[str, Any]:
    return {
        "id": authority.pk, "kind": authority.kind, "name": names(authority, "name"),
        "acronym": blank_to_none(authority.acronym), "city": blank_to_none(authority.city),
        "street_address": blank_to_none(authority.street_address),
        "postal_address": blank_to_none(authority.postal_address),
        "website": blank_to_none(authority.website), "email": blank_to_none(authority.email),
        "phone": blank_to_none(authority.phone), "fax": blank_to_none(authority.fax),
        "channels": channels(authority.channels),
        "originals_required": authority.originals_required,
        "urgent_channel": blank_to_none(authority.urgent_channel),
        "urgent_contact": blank_to_none(authority.urgent_contact),
        "languages": [language_out(language) for language in authority.accepted_languages.all()],
        "designations": [
            {"instrument": d.provision.instrument.code, "provision": d.provision.code,
             "citation": d.provision.citation, "function": d.function}
            for d in authority.designations.all()
        ],
        "visibility": authority.visibility, "is_demo": authority.is_demo,
        "updated_at": authority.updated_at,
    }


def basis_status(basis: finder.LegalBasis) -> str:
    if basis.available:
        return "both_parties"
    if basis.requesting_since:
        return "requested_not_recorded"
    if basis.requested_since:
        return "requesting_not_recorded"
    return "neither_recorded"


def answer_out(answer: finder.FinderAnswer, words: str) -> dict[str, Any]:
    kind = finder.kind_of(answer.measure)
    first = answer.authorities[0] if answer.authorities else None
    section = answer.section
    return {
        "requesting": state_ref(answer.requesting), "requested": state_ref(answer.requested),
        "measure": {
            "code": answer.measure,
            "kind": Measure.MLA.value if kind == "mla" else finder.OTHER_MEASURES[kind][2],
            "label": in_six_languages(Measure.MLA.label if kind == "mla"
                                      else finder.OTHER_MEASURES[kind][0]),
            "treaty_citation": f"art. 18(3)({answer.measure[-1]})" if kind == "mla" else None,
            "treaty_text": words or None,
        },
        "urgent": answer.urgent,
        "authorities": [authority_out(authority) for authority in answer.authorities],
        "channels": channels(first.channels) if first else [],
        "originals_required": first.originals_required if first else None,
        "urgent_channel": blank_to_none(first.urgent_channel) if first else None,
        "urgent_contact": blank_to_none(first.urgent_contact) if first else None,
        "languages": [language_out(language) for language in answer.languages],
        "legal_bases": [
            {"instrument": {"code": basis.instrument.code,
                            "abbreviation": names(basis.instrument, "abbreviation")},
             "status": basis_status(basis), "available": basis.available,
             "requesting_party_since": basis.requesting_since,
             "requested_party_since": basis.requested_since}
            for basis in answer.legal_bases
        ],
        "profile": None if section is None else {
            "untoc_legal_basis": blank_to_none(section.untoc_legal_basis),
            "dual_criminality": blank_to_none(section.dual_criminality),
            "treaties": names(section, "treaties"), "summary": names(section, "summary"),
            "urgent_procedure": names(section, "urgent_procedure"),
            "costs": names(section, "costs"),
            "visibility": section.visibility, "is_demo": section.is_demo,
            "updated_at": section.updated_at,
        },
        "contents": {
            "citation": "art. 18(15)", "language": "en",
            "items": [{"letter": letter, "text": text}
                      for letter, text in answer.treaty_contents],
        } if answer.treaty_contents else None,
        "checklist": [{"position": item.position, "text": names(item, "text")}
                      for item in section.checklist.all()] if section else [],
        "missing": missing_out(answer),
        "shows_demo": answer.shows_demo,
    }


@router.get(
    "/finder", response=responses(FinderOut, 422), summary="Where to send a request",
    description=(
        "The finder page's answer, as data: for a request from one State to another, the "
        "authority to address (first; others designated for the same function follow), the "
        "channels it accepts and its channel and contact for urgent requests, the languages "
        "accepted, the legal bases (each instrument that may apply, and whether both States are "
        "recorded as parties on today's date; the requested State's bilateral and regional "
        "treaties are in `profile.treaties`), what the request must contain (for mutual legal "
        "assistance art. 18(15)(a)–(f) in the Convention's own English words, then the "
        "requested State's own checklist), and what the directory does not know yet "
        "(`missing`, sentences in the six languages).\n\n"
        "Visibility is the page's: anonymous requests see public authorities and profile "
        "sections only; practitioners, focal points and the secretariat (session or API token) "
        "also see restricted ones. A State code that names no State, a measure that does not "
        "exist or the same State on both sides answers 422 naming the parameter."
    ),
)
def finder_answer(request: HttpRequest, query: Query[FinderQuery]) -> Any:
    requesting, requested, measure, words = read_query(query)
    answer = finder.find(user=request.user, requesting=requesting, requested=requested,
                         measure=measure, urgent=query.urgent,
                         measure_label=words or measure)
    return answer_out(answer, words)
