"""Reference data: States, instruments and participation. Public for everyone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from palermo.reference import selectors
from palermo.reference.models import Instrument, Participation, Provision, Source, State

from .schemas import (
    InstrumentDetailOut,
    InstrumentOut,
    StateOut,
    StateParticipationOut,
    blank_to_none,
    names,
    responses,
)

router = Router(tags=["reference"])

STATE_CODE = r"^[A-Za-z]{2,3}$"
INSTRUMENT_CODE = r"^[A-Za-z0-9-]{1,20}$"
STATE_CODE_HELP = "ISO 3166-1 alpha-3 code (EU for the European Union), in any case."
INSTRUMENT_CODE_HELP = "untoc, tip, som, firearms, uncac or c1988."

def state_ref(state: State) -> dict[str, Any]:
    return {"code": state.code, "name": names(state, "name")}


def state_out(state: State) -> dict[str, Any]:
    return {
        **state_ref(state), "iso2": state.iso2, "iso_numeric": blank_to_none(state.iso_numeric),
        "kind": state.kind,
        "regional_groups": [{"code": group.code, "name": names(group, "name")}
                            for group in state.regional_groups.all()],
    }


def source_out(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {"tag": source.tag, "title": source.title, "url": blank_to_none(source.url),
            "as_at": source.as_at}


def instrument_out(instrument: Instrument) -> dict[str, Any]:
    return {
        "code": instrument.code, "name": names(instrument, "name"),
        "short_name": names(instrument, "short_name"),
        "abbreviation": names(instrument, "abbreviation"),
        "supplements": instrument.parent.code if instrument.parent else None,
        "adopted_on": instrument.adopted_on,
        "entry_into_force_on": instrument.entry_into_force_on,
        "depositary_reference": blank_to_none(instrument.depositary_reference),
        "status_url": blank_to_none(instrument.status_url),
        "recorded_parties": instrument.recorded_parties,  # type: ignore[attr-defined]
        "recorded_signatories": instrument.recorded_signatories,  # type: ignore[attr-defined]
        "official_parties": instrument.official_parties,
        "official_signatories": instrument.official_signatories,
        "official_count_as_at": instrument.official_count_as_at,
    }


def provision_out(provision: Provision) -> dict[str, Any]:
    return {
        "code": provision.code, "subject": provision.subject,
        "title": names(provision, "title"), "article": provision.article.number,
        "paragraph": provision.paragraph.number if provision.paragraph else None,
        "subparagraph": blank_to_none(provision.subparagraph),
        "citation": provision.citation,
    }


def participation_row(instrument: Instrument, record: Participation | None) -> dict[str, Any]:
    status = "unknown"
    if record is not None:
        status = "party" if record.is_party else "signatory"
    return {
        "instrument": {"code": instrument.code,
                       "abbreviation": names(instrument, "abbreviation")},
        "status": status,
        "signed_on": record.signed_on if record else None,
        "consent_on": record.consent_on if record else None,
        "action": blank_to_none(record.action) if record else None,
        "source": source_out(record.source) if record else None,
        "note": blank_to_none(record.note) if record else None,
    }


@router.get(
    "/states", response=responses(list[StateOut]), summary="List the States",
    description="Every State and other participant (the European Union as a regional economic "
                "integration organization), ordered by code, with kind, regional groups and "
                "names in the six languages.",
)
def state_list(request: HttpRequest) -> Any:
    return [state_out(state) for state in
            State.objects.prefetch_related("regional_groups").order_by("code")]


@router.get(
    "/states/{code}", response=responses(StateOut, 404, 422), summary="One State",
    description="A State by its code. An unknown code answers 404.",
)
def state_detail(
    request: HttpRequest,
    code: str = Path(..., pattern=STATE_CODE, description=STATE_CODE_HELP),
) -> Any:
    return state_out(selectors.state_detail(code))


@router.get(
    "/states/{code}/participation", response=responses(StateParticipationOut, 404, 422),
    summary="A State's participation in the instruments",
    description="One row per instrument, in the usual order: signature and consent to be "
                "bound as recorded, with the source. `status` is `unknown` where nothing is "
                "recorded, which is not a statement that the State is not a party.",
)
def state_participation(
    request: HttpRequest,
    code: str = Path(..., pattern=STATE_CODE, description=STATE_CODE_HELP),
) -> Any:
    state = selectors.state_detail(code)
    return {
        "state": state_ref(state),
        "instruments": [participation_row(row["instrument"], row["record"])
                        for row in selectors.state_participation(state)],
    }


@router.get(
    "/instruments", response=responses(list[InstrumentOut]),
    summary="List the instruments",
    description="The Convention, its three Protocols, UNCAC and the 1988 Convention, with the "
                "number of parties and signatories recorded here and the official counts "
                "published by the depositary.",
)
def instrument_list(request: HttpRequest) -> Any:
    return [instrument_out(instrument) for instrument in selectors.instruments()]


@router.get(
    "/instruments/{code}", response=responses(InstrumentDetailOut, 404, 422),
    summary="One instrument, with its provisions",
    description="An instrument by its code, with the provisions under which States designate "
                "authorities or notify facts, the recorded and the official counts of parties, "
                "and the sources. An unknown code answers 404.",
)
def instrument_detail(
    request: HttpRequest,
    code: str = Path(..., pattern=INSTRUMENT_CODE, description=INSTRUMENT_CODE_HELP),
) -> Any:
    instrument = selectors.instrument_detail(code.lower())
    return {
        **instrument_out(instrument),
        "official_count_source": source_out(instrument.official_count_source),
        "text_source": source_out(instrument.text_source),
        "provisions": [provision_out(provision)
                       for provision in selectors.instrument_provisions(instrument)],
    }
