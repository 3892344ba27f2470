"""The API's directory: authorities, their contacts, State profiles and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from palermo.api.directory import CSV_COLUMNS
from palermo.core.models import Visibility
from palermo.directory.models import Function, LawLink
from palermo.reference.models import Language
from tests.directory.factories import make_authority
from tests.personas import client_for

SIX = ["ar", "zh-hans", "en", "fr", "ru", "es"]


def names_of(body: dict) -> list[str]:
    return [item["name"]["en"] for item in body["results"]]


@pytest.fixture
def french(state_b):
    """A public authority of State B, designated under the 1988 Convention, speaking French."""
    authority = make_authority(state_b, "FRENCHAUTH", Visibility.PUBLIC,
                               provision=("c1988", "art-7-8"), function=Function.SEND_MLA)
    authority.accepted_languages.set(Language.objects.filter(code="fr"))
    return authority


def test_anonymous_visitors_list_public_authorities_only(world, client):
    body = client.get("/api/v1/authorities").json()
    assert names_of(body) == ["PUBLICAUTH name"]
    assert body["count"] == 1 and body["page"] == 1 and body["pages"] == 1


@pytest.mark.parametrize("insider", ["practitioner_a", "focal_point_b", "secretariat"])
def test_insiders_list_restricted_authorities_too(world, insider, request):
    body = client_for(request.getfixturevalue(insider)).get("/api/v1/authorities").json()
    assert sorted(names_of(body)) == ["PUBLICAUTH name", "SECRETAUTH name"]
    restricted = next(item for item in body["results"] if item["id"] ==
                      world.restricted_authority.pk)
    assert restricted["visibility"] == "restricted"


def test_a_list_item_carries_state_names_designations_and_languages(world, client):
    item = client.get("/api/v1/authorities").json()["results"][0]
    assert item["id"] == world.public_authority.pk
    assert item["state"]["code"] == "MEX" and list(item["state"]["name"]) == SIX
    assert item["kind"] == "central"
    assert item["designations"] == [
        {"instrument": "untoc", "provision": "art-18-13", "function": "receive_mla"}]
    assert [language["code"] for language in item["languages"]] == ["en", "es"]
    assert item["languages"][1]["name"]["fr"] == "espagnol"
    assert item["is_demo"] is False


def test_names_come_in_the_six_languages_with_null_where_none_is_recorded(world, client):
    name = client.get("/api/v1/authorities").json()["results"][0]["name"]
    assert name == {"ar": None, "zh-hans": None, "en": "PUBLICAUTH name",
                    "fr": "PUBLICAUTH nom", "ru": "PUBLICAUTH имя", "es": None}
    detail = client.get(f"/api/v1/authorities/{world.public_authority.pk}").json()
    assert detail["name"] == name
    assert list(detail["designations"][0]["scope_note"]) == SIX


@pytest.mark.parametrize(("query", "expected"), [
    ("state=mex", ["PUBLICAUTH name"]),
    ("state=MEX", ["PUBLICAUTH name"]),
    ("state=fra", ["FRENCHAUTH name"]),
    ("instrument=c1988", ["FRENCHAUTH name"]),
    ("instrument=UNTOC", ["PUBLICAUTH name"]),
    ("function=send_mla", ["FRENCHAUTH name"]),
    ("group=grulac", ["PUBLICAUTH name"]),
    ("group=WEOG", ["FRENCHAUTH name"]),
    ("group=afr", []),
    ("language=fr", ["FRENCHAUTH name"]),
    ("language=ES", ["PUBLICAUTH name"]),
    ("language=de", []),
    ("q=frenchauth", ["FRENCHAUTH name"]),
    ("state=fra&language=es", []),
    ("instrument=untoc&function=receive_mla", ["PUBLICAUTH name"]),
    ("instrument=c1988&function=receive_mla", []),
])
def test_the_list_filters(world, french, client, query, expected):
    body = client.get(f"/api/v1/authorities?{query}").json()
    assert sorted(names_of(body)) == expected
    assert body["count"] == len(expected)


def test_filters_never_reveal_restricted_authorities(world, client, practitioner_a):
    query = "/api/v1/authorities?instrument=untoc&function=extradition"
    assert client.get(query).json()["count"] == 0
    assert names_of(client_for(practitioner_a).get(query).json()) == ["SECRETAUTH name"]
    assert client.get("/api/v1/authorities?q=secret").json()["count"] == 0


@pytest.mark.parametrize("q", ["Mexique", "Мексика", "墨西哥", "mexico", "MÉXICO", "México",
                               "publicauth nom", "PUBLICAUTH имя", "publicauth-city",
                               "mexico central authority"])
def test_q_finds_by_names_in_every_language_city_state_and_kind(world, french, client, q):
    for accept_language in ("en", "fr", "zh-hans"):
        response = client.get("/api/v1/authorities", {"q": q},
                              HTTP_ACCEPT_LANGUAGE=accept_language)
        assert names_of(response.json()) == ["PUBLICAUTH name"], (q, accept_language)


def test_q_finds_by_function_in_another_language(world, french, client):
    # "Envoi des demandes d'entraide judiciaire": the French label of send_mla
    body = client.get("/api/v1/authorities", {"q": "envoi entraide"}).json()
    assert names_of(body) == ["FRENCHAUTH name"]


def test_every_word_of_q_must_match(world, french, client):
    assert client.get("/api/v1/authorities", {"q": "mexique frenchauth"}).json()["count"] == 0


@pytest.mark.parametrize("q", ['"', "NEAR(a b)", "*", "-", "a OR b", "x" * 200,
                               "مكسيك 墨西哥 Mexique", "'; DROP TABLE directory_authority; --"])
def test_any_search_text_gets_an_answer(world, client, q):
    response = client.get("/api/v1/authorities", {"q": q})
    assert response.status_code in (200, 422), q
    if response.status_code == 200:
        assert response.json()["count"] >= 0
    else:
        assert response.json()["detail"][0]["loc"] == ["query", "q"]


@pytest.mark.parametrize("q", ["***", " ", "--", "\u200b"])
def test_q_without_a_letter_or_digit_is_refused_with_a_message(world, client, q):
    response = client.get("/api/v1/authorities", {"q": q})
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["query", "q"]
    assert problem["msg"] == "Type at least one letter or digit to search."
    french = client.get("/api/v1/authorities", {"q": q}, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["detail"][0]["msg"] != problem["msg"]


SAME_AS_SEARCH = [
    {"q": "mexique"}, {"q": "auth"}, {"function": "send_mla"}, {"instrument": "c1988"},
    {"group": "WEOG"}, {"language": "fr"}, {"q": "name", "language": "es"},
    {"instrument": "untoc", "function": "extradition"}, {"q": "zzz"},
]


@pytest.mark.parametrize("params", SAME_AS_SEARCH)
@pytest.mark.parametrize("persona_name", ["anonymous", "focal_point_b"])
def test_the_list_finds_what_the_search_page_finds(world, french, request, persona_name, params):
    from palermo.directory.search import search

    user = None if persona_name == "anonymous" else request.getfixturevalue(persona_name)
    body = client_for(user).get("/api/v1/authorities", params).json()
    page = search(user, params)
    assert sorted(item["id"] for item in body["results"]) == sorted(
        hit.authority.pk for hit in page.hits)
    assert body["count"] == page.total
    assert {facet: {row["code"]: row["count"] for row in rows}
            for facet, rows in body["facets"].items() if rows} == {
        facet.param: {option.code: option.count for option in facet.options}
        for facet in page.facets}


def test_facets_count_only_what_the_visitor_may_see(world, french, client, practitioner_a):
    def counts(body: dict, facet: str) -> dict[str, int]:
        return {row["code"]: row["count"] for row in body["facets"][facet]}

    anonymous = client.get("/api/v1/authorities").json()
    insider = client_for(practitioner_a).get("/api/v1/authorities").json()
    assert counts(anonymous, "function") == {"receive_mla": 1, "send_mla": 1}
    assert counts(insider, "function") == {"receive_mla": 1, "extradition": 1, "send_mla": 1}
    assert counts(anonymous, "group") == {"GRULAC": 1, "WEOG": 1}
    assert counts(insider, "group") == {"GRULAC": 2, "WEOG": 1}
    assert counts(anonymous, "instrument") == {"untoc": 1, "c1988": 1}
    assert counts(insider, "language") == {"en": 2, "es": 2, "fr": 1}
    assert list(counts(insider, "language")) == ["en", "es", "fr"]
    restricted_only = client.get("/api/v1/authorities?function=extradition").json()
    assert restricted_only["count"] == 0
    assert restricted_only["facets"] == {"instrument": [], "function": [], "group": [],
                                         "language": []}


def test_facets_carry_names_in_the_six_languages(world, client):
    facets = client.get("/api/v1/authorities").json()["facets"]
    function = facets["function"][0]
    assert function["code"] == "receive_mla" and list(function["name"]) == SIX
    assert function["name"]["en"] == (
        "Receive and execute requests for mutual legal assistance")
    assert function["name"]["fr"] != function["name"]["en"]
    group = facets["group"][0]
    assert group["code"] == "GRULAC" and group["name"]["en"] == (
        "Latin American and Caribbean States")
    language = {row["code"]: row for row in facets["language"]}
    assert language["es"]["name"]["fr"] == "espagnol"
    assert facets["instrument"][0]["name"]["en"]


def test_facets_narrow_like_the_search(world, french, client):
    facets = client.get("/api/v1/authorities?q=auth").json()["facets"]
    for facet, rows in facets.items():
        for row in rows:
            narrowed = client.get("/api/v1/authorities",
                                  {"q": "auth", facet: row["code"]}).json()
            assert narrowed["count"] == row["count"], (facet, row["code"])


def test_pages_split_the_list(state_a, client):
    for number in range(5):
        make_authority(state_a, f"PAGED{number}", Visibility.PUBLIC)
    first = client.get("/api/v1/authorities?page_size=2").json()
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    pages = [client.get(f"/api/v1/authorities?page_size=2&page={page}").json()
             for page in (1, 2, 3)]
    seen = [name for page in pages for name in names_of(page)]
    assert sorted(seen) == [f"PAGED{n} name" for n in range(5)]
    assert len(pages[2]["results"]) == 1
    beyond = client.get("/api/v1/authorities?page_size=2&page=4").json()
    assert beyond["results"] == [] and beyond["count"] == 5 and beyond["page"] == 4


def test_an_empty_list_has_no_pages(reference_data, client):
    body = client.get("/api/v1/authorities").json()
    assert body == {"count": 0, "page": 1, "pages": 0, "results": [], "facets": {
        "instrument": [], "function": [], "group": [], "language": []}}


def test_an_authority_shows_how_to_reach_it(world, client):
    body = client.get(f"/api/v1/authorities/{world.public_authority.pk}").json()
    assert body["state"]["code"] == "MEX"
    assert body["phone"] == "+525555555555" and body["email"] == "publicauth@example.org"
    assert body["channels"] == ["email", "post"]
    assert body["time_zone"] == "America/Mexico_City"
    assert body["office_hours"] == [{"weekday": 0, "opens": "09:00", "closes": "17:00"}]
    assert [language["code"] for language in body["languages"]] == ["en", "es"]
    designation = body["designations"][0]
    assert designation["citation"] == "art. 18(13)" and designation["function"] == "receive_mla"
    assert designation["scope_note"]["en"] == "PUBLICAUTH scope"
    assert [c["name"] for c in body["contacts"]] == ["PUBLICPERSON person"]
    assert body["urgent_contact"] == "PUBLICAUTH duty officer"
    assert body["version"] == 1 and body["visibility"] == "public"


def test_insiders_see_restricted_contacts_with_their_languages(world, practitioner_a):
    world.restricted_contact.languages.set(Language.objects.filter(code__in=["fr", "ar"]))
    body = client_for(practitioner_a).get(
        f"/api/v1/authorities/{world.public_authority.pk}").json()
    contacts = {c["name"]: c for c in body["contacts"]}
    assert sorted(contacts) == ["PUBLICPERSON person", "SECRETPERSON person"]
    secret = contacts["SECRETPERSON person"]
    assert secret["visibility"] == "restricted"
    assert [language["code"] for language in secret["languages"]] == ["ar", "fr"]
    assert secret["languages"][1]["name"]["ru"] == "французский"
    assert contacts["PUBLICPERSON person"]["languages"] == []


def test_a_restricted_authority_answers_exactly_like_a_missing_one(world, client):
    restricted = client.get(f"/api/v1/authorities/{world.restricted_authority.pk}")
    missing = client.get("/api/v1/authorities/999999")
    assert restricted.status_code == missing.status_code == 404
    assert restricted.content == missing.content == b'{"detail":"Not found."}'
    assert dict(restricted.headers) == dict(missing.headers)


def test_a_state_profile_lists_the_visible_sections(world, client, practitioner_a):
    LawLink.objects.create(section=world.public_section, title="Ley de extradición",
                           url="https://example.org/ley")
    public = client.get("/api/v1/states/mex/profile").json()
    assert public["state"]["code"] == "MEX"
    assert [s["measure"] for s in public["sections"]] == ["mla"]
    section = public["sections"][0]
    assert section["summary"]["en"] == "PUBLICPROFILE summary"
    assert section["checklist"] == [{"position": 1, "text": {
        "ar": None, "zh-hans": None, "en": "PUBLICPROFILE checklist", "fr": None, "ru": None,
        "es": None}}]
    assert section["laws"] == [{"title": "Ley de extradición", "url": "https://example.org/ley"}]
    assert section["untoc_legal_basis"] == "yes" and section["dual_criminality"] is None
    insider = client_for(practitioner_a).get("/api/v1/states/MEX/profile").json()
    assert [s["measure"] for s in insider["sections"]] == ["mla", "extradition"]


def test_a_state_without_sections_has_an_empty_profile(world, client):
    assert client.get("/api/v1/states/fra/profile").json()["sections"] == []
    assert client.get("/api/v1/states/xyz/profile").json() == {"detail": "Not found."}


def csv_rows(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/api/v1/authorities.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    assert reader.fieldnames == CSV_COLUMNS
    return list(reader)


def test_the_csv_export_has_the_documented_columns_and_the_filtered_rows(world, french,
                                                                          client):
    rows = csv_rows(client)
    assert [row["name_en"] for row in rows] == ["FRENCHAUTH name", "PUBLICAUTH name"]
    public = rows[1]
    assert public["state"] == "MEX" and public["kind"] == "central"
    assert public["name_fr"] == "PUBLICAUTH nom" and public["name_ar"] == ""
    assert public["channels"] == "email;post" and public["languages"] == "en;es"
    assert public["designations"] == "untoc:art-18-13:receive_mla"
    assert public["phone"] == "+525555555555" and public["visibility"] == "public"
    assert public["is_demo"] == "false" and public["updated_at"].endswith("+00:00")
    assert [row["name_en"] for row in csv_rows(client, "?state=fra")] == ["FRENCHAUTH name"]


def test_the_csv_export_lists_restricted_authorities_for_insiders_only(world, client,
                                                                       focal_point_b):
    assert len(csv_rows(client)) == 1
    assert len(csv_rows(client_for(focal_point_b))) == 2


def test_the_csv_export_keeps_spreadsheets_from_running_formulas(world, client):
    authority = world.public_authority
    authority.name_en = "=HYPERLINK(\"http://evil.example\")"
    authority.city = "@SUM(A1)"
    authority.save()
    row = csv_rows(client)[0]
    assert row["name_en"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["city"] == "'@SUM(A1)"
    assert row["phone"] == "+525555555555"


def test_reading_needs_no_csrf_token(world, practitioner_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner_a)
    assert client.get("/api/v1/authorities").status_code == 200
    assert client.get(f"/api/v1/authorities/{world.restricted_authority.pk}").status_code == 200


def test_writing_is_not_offered(world, practitioner_a):
    client = client_for(practitioner_a)
    assert client.post("/api/v1/authorities").status_code == 405
    assert client.delete(f"/api/v1/authorities/{world.public_authority.pk}").status_code == 405


def test_a_state_profile_covers_every_measure_in_order(world, secretariat):
    from palermo.directory.models import Measure
    from tests.directory.factories import make_section

    for measure in (Measure.SEA, Measure.TRANSFER, Measure.CONFISCATION):
        make_section(world.public_authority.state, measure, f"PROFILE{measure}",
                     Visibility.PUBLIC)
    section = world.public_section
    section.languages.set(Language.objects.filter(code__in=["es", "en"]))
    section.channels = ["diplomatic", "email"]
    section.dual_criminality = "coercive"
    section.alternative_arrangements_en = "Reciprocity"
    section.save()
    body = client_for(secretariat).get("/api/v1/states/mex/profile").json()
    assert [s["measure"] for s in body["sections"]] == [
        "mla", "extradition", "transfer", "confiscation", "sea"]
    mla = body["sections"][0]
    assert set(mla) == {
        "measure", "untoc_legal_basis", "dual_criminality", "languages", "channels", "summary",
        "treaties", "alternative_arrangements", "urgent_procedure", "costs", "checklist", "laws",
        "visibility", "is_demo", "updated_at"}
    assert mla["channels"] == ["diplomatic", "email"] and mla["dual_criminality"] == "coercive"
    assert sorted(language["code"] for language in mla["languages"]) == ["en", "es"]
    assert mla["alternative_arrangements"]["en"] == "Reciprocity"
    assert mla["urgent_procedure"]["en"] == "PUBLICPROFILE urgent"
    assert mla["costs"]["en"] == "PUBLICPROFILE costs"
    assert body["sections"][4]["summary"]["en"] == "PROFILEsea summary"
