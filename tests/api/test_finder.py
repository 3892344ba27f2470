"""The finder endpoint: the finder page's answer as data, with the page's visibility."""

from __future__ import annotations

import datetime as dt

import pytest

from palermo.directory.models import Authority, Channel
from palermo.reference.models import Participation, Source
from tests.personas import client_for

URL = "/api/v1/finder"


@pytest.fixture
def both_parties(world, state_b):
    """Mexico and France as UNTOC parties (test records with a test source)."""
    source = Source.objects.create(tag="test-source", title="Test records")
    for state in (world.public_authority.state, state_b):
        Participation.objects.update_or_create(
            state=state, instrument__code="untoc",
            defaults={"instrument_id": 1, "consent_on": dt.date(2003, 3, 4), "action": "r",
                      "source": source},
        )
    Authority.objects.filter(pk=world.public_authority.pk).update(
        urgent_channel=Channel.INTERPOL)
    return world


def ask(client, **params):
    return client.get(URL, {"requesting": "FRA", "requested": "MEX", "measure": "mla-f",
                            **params})


def test_an_urgent_request_for_bank_records_gets_authority_channel_languages_and_contents(
        both_parties, practitioner_a):
    response = ask(client_for(practitioner_a), urgent="true")
    assert response.status_code == 200
    body = response.json()
    assert body["requesting"]["code"] == "FRA" and body["requested"]["code"] == "MEX"
    assert body["urgent"] is True
    measure = body["measure"]
    assert measure["code"] == "mla-f" and measure["kind"] == "mla"
    assert measure["treaty_citation"] == "art. 18(3)(f)"
    assert "bank, financial, corporate or business records" in measure["treaty_text"]
    assert measure["label"]["en"] == "Mutual legal assistance"
    assert measure["label"]["fr"] == "Entraide judiciaire"
    first = body["authorities"][0]
    assert first["name"]["en"] == "PUBLICAUTH name" and first["kind"] == "central"
    assert first["designations"][0]["citation"] == "art. 18(13)"
    assert body["channels"] == ["email", "post"]
    assert body["urgent_channel"] == "interpol"
    assert body["urgent_contact"] == "PUBLICAUTH duty officer"
    assert [language["code"] for language in body["languages"]] == ["en", "es"]
    untoc = body["legal_bases"][0]
    assert untoc["instrument"]["code"] == "untoc" and untoc["available"] is True
    assert untoc["status"] == "both_parties"
    assert untoc["requesting_party_since"] == "2003-03-04"
    contents = body["contents"]
    assert contents["citation"] == "art. 18(15)" and contents["language"] == "en"
    assert [item["letter"] for item in contents["items"]] == ["a", "b", "c", "d", "e", "f"]
    assert contents["items"][0]["text"] == "The identity of the authority making the request"
    assert body["checklist"] == [{"position": 1, "text": {
        "ar": None, "zh-hans": None, "en": "PUBLICPROFILE checklist", "fr": None, "ru": None,
        "es": None}}]
    assert body["profile"]["untoc_legal_basis"] == "yes"
    assert body["profile"]["treaties"]["en"] == "PUBLICPROFILE treaties"
    assert body["missing"] == []


def test_the_answer_matches_the_finder_page(both_parties, client):
    api = ask(client, measure="extradition").json()
    page = client.get("/en/directory/finder/", {"requesting": "FRA", "requested": "MEX",
                                                "measure": "extradition"}).content.decode()
    assert api["authorities"] == [] and "No authority found." in page
    for sentence in api["missing"]:
        assert sentence["en"] in page


def test_the_finder_says_what_the_directory_does_not_know_in_six_languages(reference_data,
                                                                             client):
    body = ask(client, requested="NGA").json()
    assert body["authorities"] == [] and body["profile"] is None and body["languages"] == []
    english = [sentence["en"] for sentence in body["missing"]]
    assert english[0].startswith("No authority of the requested State is designated")
    assert any("has not published its requirements" in sentence for sentence in english)
    assert all(set(sentence) == {"ar", "zh-hans", "en", "fr", "ru", "es"}
               for sentence in body["missing"])
    assert body["missing"][0]["fr"] != body["missing"][0]["en"]
    assert {basis["status"] for basis in body["legal_bases"]} <= {
        "neither_recorded", "requested_not_recorded", "requesting_not_recorded"}


def test_a_requested_state_that_is_not_a_party_is_said(both_parties, client):
    Participation.objects.filter(state__code="MEX").delete()
    untoc = ask(client).json()["legal_bases"][0]
    assert untoc["available"] is False and untoc["status"] == "requested_not_recorded"
    assert untoc["requested_party_since"] is None


def test_other_measures_have_no_treaty_list_of_contents(both_parties, client):
    body = ask(client, measure="sea").json()
    assert body["contents"] is None and body["measure"]["treaty_text"] is None
    assert body["measure"]["kind"] == "sea"
    assert [basis["instrument"]["code"] for basis in body["legal_bases"]] == ["som", "c1988"]


def test_the_finder_never_shows_restricted_entries_to_anonymous_visitors(both_parties, client,
                                                                         secretariat):
    anonymous = ask(client, measure="extradition")
    assert "SECRET" not in anonymous.content.decode()
    assert anonymous.json()["profile"] is None
    insider = ask(client_for(secretariat), measure="extradition").json()
    assert insider["authorities"][0]["name"]["en"] == "SECRETAUTH name"
    assert insider["checklist"][0]["text"]["en"] == "SECRETPROFILE checklist"


@pytest.mark.parametrize(("params", "where", "message"), [
    ({"requesting": "ZZZ"}, "requesting", "No State has this code."),
    ({"requested": "xyz"}, "requested", "No State has this code."),
    ({"requested": "FRA"}, "requested",
     "The requested State must differ from the requesting State."),
    ({"requested": "fra"}, "requested",
     "The requested State must differ from the requesting State."),
    ({"measure": "mla-z"}, "measure", "No measure has this code."),
    ({"measure": "everything"}, "measure", "No measure has this code."),
    ({"measure": "mla"}, "measure", "No measure has this code."),
    ({"measure": "mla-f-g"}, "measure", "No measure has this code."),
    ({"measure": ""}, "measure", "String should match pattern"),
    ({"requesting": "x" * 5000}, "requesting", "String should match pattern"),
    ({"requesting": "M\x00X"}, "requesting", "String should match pattern"),
    ({"urgent": "perhaps"}, "urgent", "Input should be a valid boolean"),
])
def test_bad_choices_answer_422_naming_the_parameter(reference_data, client, params, where,
                                                     message):
    response = ask(client, **params)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert [problem["loc"] for problem in problems] == [["query", where]]
    assert problems[0]["msg"].startswith(message)


def test_missing_parameters_are_named(reference_data, client):
    response = client.get(URL)
    assert response.status_code == 422
    assert {problem["loc"][-1] for problem in response.json()["detail"]} == {
        "requesting", "requested", "measure"}


def test_codes_in_any_case_are_read(both_parties, client):
    body = ask(client, requesting="fra", requested="mex", measure="MLA-F").json()
    assert body["measure"]["code"] == "mla-f" and body["requested"]["code"] == "MEX"
