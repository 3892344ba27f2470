"""The API's reference data: States, instruments, participation."""

from __future__ import annotations

from typing import get_args

import pytest

from palermo.api import schemas
from palermo.core.models import Visibility
from palermo.directory.models import Authority, Channel, Function, Measure, ProfileSection
from palermo.reference.models import Instrument, Participation, Provision, State

SIX = ["ar", "zh-hans", "en", "fr", "ru", "es"]


def test_states_lists_every_state_with_codes_kind_groups_and_six_names(client, reference_data):
    states = client.get("/api/v1/states").json()
    assert len(states) == State.objects.count()
    assert [s["code"] for s in states] == sorted(s["code"] for s in states)
    mexico = next(s for s in states if s["code"] == "MEX")
    assert mexico["iso2"] == "MX" and mexico["iso_numeric"] == "484"
    assert mexico["kind"] == "member"
    assert list(mexico["name"]) == SIX
    assert mexico["name"]["es"] == "México" and mexico["name"]["zh-hans"] == "墨西哥"
    assert [g["code"] for g in mexico["regional_groups"]] == ["GRULAC"]
    assert list(mexico["regional_groups"][0]["name"]) == SIX
    turkiye = next(s for s in states if s["code"] == "TUR")
    assert {g["code"] for g in turkiye["regional_groups"]} == {"APG", "WEOG"}
    eu = next(s for s in states if s["code"] == "EU")
    assert eu["kind"] == "reio" and eu["regional_groups"] == []


def test_a_state_is_found_by_its_code_in_any_case(client, reference_data):
    assert client.get("/api/v1/states/mex").json()["code"] == "MEX"
    assert client.get("/api/v1/states/MEX").json()["name"]["fr"] == "Mexique"
    assert client.get("/api/v1/states/eu").json()["kind"] == "reio"


def test_an_unknown_state_answers_404_with_the_common_body(client, reference_data):
    response = client.get("/api/v1/states/xyz")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.get("/api/v1/states/xyz/participation").json() == {"detail": "Not found."}


def test_participation_has_a_row_per_instrument_with_its_source(client, reference_data):
    record = (Participation.objects.filter(instrument__code="untoc", consent_on__isnull=False)
              .select_related("state", "source").first())
    assert record is not None
    body = client.get(f"/api/v1/states/{record.state.code.lower()}/participation").json()
    assert body["state"]["code"] == record.state.code
    rows = {row["instrument"]["code"]: row for row in body["instruments"]}
    assert list(rows) == list(Instrument.objects.values_list("code", flat=True))
    untoc = rows["untoc"]
    assert untoc["status"] == "party"
    assert untoc["consent_on"] == record.consent_on.isoformat()
    assert untoc["action"] == record.action
    assert untoc["source"]["tag"] == record.source.tag
    unrecorded = [row for code, row in rows.items()
                  if not Participation.objects.filter(state=record.state,
                                                      instrument__code=code).exists()]
    assert unrecorded and all(row["status"] == "unknown" and row["source"] is None
                              for row in unrecorded)


def test_instruments_list_gives_recorded_and_official_counts(client, reference_data):
    instruments = client.get("/api/v1/instruments").json()
    assert [i["code"] for i in instruments] == ["untoc", "tip", "som", "firearms", "uncac",
                                                "c1988"]
    untoc = instruments[0]
    assert untoc["abbreviation"]["en"] == "UNTOC" and list(untoc["name"]) == SIX
    assert untoc["official_parties"] == Instrument.objects.get(code="untoc").official_parties
    assert untoc["recorded_parties"] == Participation.objects.filter(
        instrument__code="untoc", consent_on__isnull=False).count()
    assert instruments[1]["supplements"] == "untoc"


def test_an_instrument_lists_its_provisions(client, reference_data):
    body = client.get("/api/v1/instruments/untoc").json()
    codes = [p["code"] for p in body["provisions"]]
    assert codes == list(Provision.objects.filter(instrument__code="untoc")
                         .values_list("code", flat=True))
    central = next(p for p in body["provisions"] if p["code"] == "art-18-13")
    assert central["citation"] == "art. 18(13)" and central["article"] == 18
    assert central["paragraph"] == 13 and central["subject"] == "central_authority"
    assert list(central["title"]) == SIX
    assert body["text_source"]["tag"]
    assert "recorded_parties" in body and "official_parties" in body
    assert client.get("/api/v1/instruments/UNTOC").json()["code"] == "untoc"
    assert client.get("/api/v1/instruments/nothing").status_code == 404


@pytest.mark.parametrize(("literal", "choices"), [
    (schemas.StateKind, State.Kind.values),
    (schemas.AuthorityKind, Authority.Kind.values),
    (schemas.FunctionCode, Function.values),
    (schemas.ChannelCode, Channel.values),
    (schemas.MeasureCode, Measure.values),
    (schemas.VisibilityCode, Visibility.values),
    (schemas.LegalBasisCode, [v for v in ProfileSection.LegalBasis.values if v]),
    (schemas.DualCriminalityCode, [v for v in ProfileSection.DualCriminality.values if v]),
    (schemas.ParticipationAction, Participation.Action.values),
    (schemas.ProvisionSubject, Provision.Subject.values),
])
def test_the_schema_lists_the_same_codes_as_the_models(literal, choices):
    assert list(get_args(literal)) == list(choices)
