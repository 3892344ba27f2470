"""ETag, Last-Modified, Vary and 304 answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.http import http_date

from palermo.directory.models import Authority, ProfileSection
from tests.personas import client_for

ENDPOINTS = [
    "/api/v1/states", "/api/v1/states/mex", "/api/v1/states/mex/participation",
    "/api/v1/instruments", "/api/v1/instruments/untoc", "/api/v1/authorities",
    "/api/v1/authorities?state=mex&page_size=1", "/api/v1/authorities.csv",
    "/api/v1/authorities/{public}", "/api/v1/states/mex/profile",
    "/api/v1/authorities?q=mexique&function=receive_mla",
    "/api/v1/finder?requesting=FRA&requested=MEX&measure=mla-f&urgent=true",
    "/api/v1/finder?requesting=FRA&requested=MEX&measure=extradition",
]


def url_for(template: str, world) -> str:
    return template.format(public=world.public_authority.pk)


@pytest.mark.parametrize("template", ENDPOINTS)
def test_a_matching_if_none_match_answers_304(world, practitioner_a, template):
    for client in (client_for(None), client_for(practitioner_a)):
        url = url_for(template, world)
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"].startswith('"')
        assert "Cookie" in first["Vary"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == first["ETag"]
        assert "Cookie" in again["Vary"]
        assert again["Cache-Control"] == first["Cache-Control"]
        other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
        assert other.status_code == 200


@pytest.mark.parametrize("template", ENDPOINTS)
def test_the_etag_differs_between_anonymous_and_insiders(world, secretariat, template):
    url = url_for(template, world)
    anonymous = client_for(None).get(url)
    insider = client_for(secretariat).get(url)
    assert anonymous["ETag"] != insider["ETag"]
    assert client_for(None).get(url, HTTP_IF_NONE_MATCH=insider["ETag"]).status_code == 200
    assert client_for(secretariat).get(
        url, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 200


def test_answers_to_insiders_are_private(world, practitioner_a):
    assert client_for(None).get("/api/v1/authorities")["Cache-Control"] == "no-cache"
    insider = client_for(practitioner_a).get("/api/v1/authorities")
    assert insider["Cache-Control"] == "private, no-cache"


def test_the_list_etag_moves_when_a_listed_authority_changes(world, client):
    before = client.get("/api/v1/authorities")["ETag"]
    authority = world.public_authority
    authority.name_en = "PUBLICAUTH renamed"
    authority.save()
    after = client.get("/api/v1/authorities", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before


def test_the_list_etag_moves_when_an_authority_is_deleted(world, secretariat):
    client = client_for(secretariat)
    before = client.get("/api/v1/authorities")["ETag"]
    Authority.objects.filter(pk=world.public_authority.pk).delete()
    assert client.get("/api/v1/authorities", HTTP_IF_NONE_MATCH=before).status_code == 200


def test_the_anonymous_etag_ignores_changes_to_restricted_entries(world, client):
    """Else the ETag would tell anonymous visitors that something hidden changed."""
    list_before = client.get("/api/v1/authorities")["ETag"]
    profile_before = client.get("/api/v1/states/mex/profile")["ETag"]
    authority = world.restricted_authority
    authority.name_en = "SECRETAUTH renamed"
    authority.save()
    section = world.restricted_section
    section.summary_en = "SECRETPROFILE renamed"
    section.save()
    assert client.get("/api/v1/authorities")["ETag"] == list_before
    assert client.get("/api/v1/states/mex/profile")["ETag"] == profile_before


def test_the_detail_etag_moves_when_a_contact_changes(world, practitioner_a):
    client = client_for(practitioner_a)
    url = f"/api/v1/authorities/{world.public_authority.pk}"
    before = client.get(url)["ETag"]
    contact = world.restricted_contact
    contact.position = "SECRETPERSON promoted"
    contact.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200


def test_last_modified_is_the_latest_visible_change(world, client):
    long_ago = timezone.now() - dt.timedelta(days=400)
    recently = timezone.now() - dt.timedelta(days=2)
    Authority.objects.update(updated_at=long_ago)
    Authority.objects.filter(pk=world.public_authority.pk).update(updated_at=recently)
    Authority.objects.filter(pk=world.restricted_authority.pk).update(updated_at=timezone.now())
    world.public_authority.designations.update(updated_at=long_ago)
    world.restricted_authority.designations.update(updated_at=long_ago)
    ProfileSection.objects.filter(pk=world.public_section.pk).update(updated_at=recently)
    expected = http_date(recently.timestamp())
    assert client.get("/api/v1/authorities")["Last-Modified"] == expected
    assert client.get("/api/v1/authorities.csv")["Last-Modified"] == expected
    assert client.get("/api/v1/states/mex/profile")["Last-Modified"] == expected


def test_if_modified_since_alone_never_answers_304(world, client):
    """A deletion does not move the latest date, so a date alone cannot prove freshness."""
    response = client.get("/api/v1/authorities",
                          HTTP_IF_MODIFIED_SINCE=http_date(timezone.now().timestamp() + 3600))
    assert response.status_code == 200


def test_a_compressed_answer_revalidates_with_its_weak_etag(world, client):
    first = client.get("/api/v1/states", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"].startswith('W/"')
    again = client.get("/api/v1/states", HTTP_ACCEPT_ENCODING="gzip",
                       HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_errors_vary_on_the_cookie_too(world, client):
    response = client.get(f"/api/v1/authorities/{world.restricted_authority.pk}")
    assert response.status_code == 404
    assert "Cookie" in response["Vary"]
    assert not response.has_header("ETag")
