"""Bad input gets a clear JSON answer, never a server error."""

from __future__ import annotations

import pytest

from tests.personas import client_for

REFUSED = [
    "/api/v1/authorities?page=0",
    "/api/v1/authorities?page=-1",
    "/api/v1/authorities?page=two",
    "/api/v1/authorities?page=1.5",
    "/api/v1/authorities?page_size=0",
    "/api/v1/authorities?page_size=101",
    "/api/v1/authorities?page_size=1000",
    "/api/v1/authorities?state=MEXICO",
    "/api/v1/authorities?state=M3X",
    "/api/v1/authorities?state=",
    "/api/v1/authorities?state=xyz",
    "/api/v1/authorities?instrument=untoc%00",
    "/api/v1/authorities?instrument=no-such-treaty",
    "/api/v1/authorities?function=everything",
    "/api/v1/authorities?group=NOWHERE",
    "/api/v1/authorities?language=xx",
    "/api/v1/authorities?language=english",
    "/api/v1/authorities?q=",
    "/api/v1/authorities?q=a%00b",
    "/api/v1/authorities?q=" + "x" * 201,
    "/api/v1/authorities.csv?page_size=5&state=xyz",
    "/api/v1/authorities.csv?function=%FF",
    "/api/v1/authorities/0",
    "/api/v1/authorities/-3",
    "/api/v1/authorities/abc",
    "/api/v1/authorities/99999999999999999999999",
    "/api/v1/states/M%00X",
    "/api/v1/states/MEXICO",
    "/api/v1/states/M%00X/profile",
    "/api/v1/states/%D0%9C%D0%95%D0%A5/participation",
    "/api/v1/instruments/un%00toc",
    "/api/v1/instruments/" + "u" * 21,
]


@pytest.mark.parametrize("url", REFUSED)
def test_bad_input_answers_422_with_the_offending_parameter(world, practitioner_a, url):
    for user in (None, practitioner_a):
        response = client_for(user).get(url)
        assert response.status_code == 422, (url, response.content)
        problems = response.json()["detail"]
        assert problems and all(problem["msg"] and problem["loc"] for problem in problems)


def test_unknown_codes_are_named_in_the_answer(world, client):
    response = client.get("/api/v1/authorities?state=xyz&instrument=nope&group=nowhere"
                          "&language=zz")
    assert response.status_code == 422
    assert {tuple(problem["loc"]) for problem in response.json()["detail"]} == {
        ("query", "state"), ("query", "instrument"), ("query", "group"), ("query", "language")}


def test_known_codes_that_match_nothing_give_an_empty_list(world, client):
    body = client.get("/api/v1/authorities?state=fra&group=afr&language=de").json()
    assert body["count"] == 0 and body["results"] == []


def test_a_page_far_past_the_end_is_empty(world, client):
    body = client.get("/api/v1/authorities?page=99999999999999999999999999").json()
    assert body["results"] == [] and body["count"] == 1


@pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/authorities/1/contacts"])
def test_unknown_addresses_answer_404(db, client, url):
    assert client.get(url).status_code == 404
