"""The finder: one step from two States and a measure to where, how, in which language, and what."""

from __future__ import annotations

import datetime as dt

import pytest

from palermo.reference.models import Participation, Source, State
from tests.personas import client_for

URL = "/en/directory/finder/"


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
    return world


def ask(client, **params):
    query = {"requesting": "FRA", "requested": "MEX", "measure": "mla-f", **params}
    return client.get(URL, query).content.decode()


def test_an_urgent_request_for_bank_records_gets_authority_channel_languages_and_checklist(
        both_parties, practitioner_a):
    html = ask(client_for(practitioner_a), urgent="on")
    assert "PUBLICAUTH name" in html
    assert "E-mail; Post" in html
    assert "Spanish" in html and "English" in html
    assert "PUBLICAUTH duty officer" in html
    assert "INTERPOL (art. 18(13))" in html
    assert "both States are parties." in html
    assert "The identity of the authority making the request" in html
    assert "The purpose for which the evidence, information or action is sought" in html
    assert "PUBLICPROFILE checklist" in html
    assert "bank, financial, corporate or business records" in html


def test_the_finder_says_what_the_directory_does_not_know(reference_data, client):
    html = ask(client, requested="NGA", requesting="FRA")
    assert "What the directory does not know yet" in html
    assert "No authority of the requested State is designated" in html
    assert "has not published its requirements" in html
    assert "no record that either State is a party." in html


def test_the_finder_never_shows_restricted_entries_to_anonymous_visitors(both_parties, client,
                                                                         secretariat):
    anonymous = ask(client, measure="extradition")
    assert "SECRETAUTH" not in anonymous and "SECRETPROFILE" not in anonymous
    insider = ask(client_for(secretariat), measure="extradition")
    assert "SECRETAUTH name" in insider and "SECRETPROFILE checklist" in insider


@pytest.mark.parametrize("params", [
    {"requested": "FRA"},
    {"requested": "ZZZ"},
    {"measure": "mla-z"},
    {"measure": ""},
    {"requesting": "x" * 5000},
])
def test_bad_choices_are_explained_and_never_fail(reference_data, client, params):
    response = client.get(URL, {"requesting": "FRA", "requested": "MEX", "measure": "mla-f",
                                **params})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_the_finder_form_works_in_arabic(both_parties, client):
    html = client.get("/ar/directory/finder/", {"requesting": "FRA", "requested": "MEX",
                                                "measure": "mla-f"}).content.decode()
    assert 'dir="rtl"' in html
    assert 'lang="en" dir="ltr"' in html  # the treaty's words, quoted in English
    assert State.objects.get(code="MEX").name_ar in html


def test_the_finder_runs_a_bounded_number_of_queries(both_parties, practitioner_a,
                                                     django_assert_max_num_queries):
    client = client_for(practitioner_a)
    with django_assert_max_num_queries(10):  # session, user, membership + 7
        ask(client, urgent="on")
