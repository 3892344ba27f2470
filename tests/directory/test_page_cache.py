"""The whole-page cache for anonymous visitors: fast, and never stale, personal or restricted."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest
from django.test import Client
from django.utils import timezone

from palermo.core.models import Visibility
from palermo.directory import search
from palermo.directory.models import Authority
from tests.directory.factories import make_authority
from tests.personas import client_for

PAGES = [
    "/en/directory/", "/en/directory/states/mex/", "/en/directory/search/?q=mexique",
    "/en/directory/finder/?requesting=FRA&requested=MEX&measure=mla-f&urgent=on",
    "/en/states/", "/en/states/mex/", "/en/instruments/untoc/",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_second_anonymous_visit_is_served_from_the_cache_unchanged(world, url,
                                                                     django_assert_max_num_queries):
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Palermo-Page-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # the data token, nothing else
        second = client.get(url)
    assert second["X-Palermo-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "en"


@pytest.mark.parametrize("url", [*PAGES[:4], "/en/directory/states/usa/",
                                 "/en/directory/search/?q=mexique&instrument=untoc&group=GRULAC",
                                 "/ar/directory/finder/?requesting=FRA&requested=MEX&measure=extradition"])
def test_an_anonymous_first_visit_renders_with_few_queries(world, url,
                                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(9):  # the data token + at most 8 to render
        assert Client().get(url)["X-Palermo-Page-Cache"] == "miss"


def test_the_authority_page_is_cached_too(world):
    client = Client()
    url = world.public_authority.get_absolute_url()
    assert client.get(url)["X-Palermo-Page-Cache"] == "miss"
    assert client.get(url)["X-Palermo-Page-Cache"] == "hit"


def test_a_change_to_the_data_shows_at_once(world):
    client = Client()
    url = "/en/directory/states/mex/"
    assert "PUBLICAUTH name" in client.get(url).content.decode()
    authority = Authority.objects.get(pk=world.public_authority.pk)
    authority.name_en = "Renamed authority"
    authority.save()
    html = client.get(url).content.decode()
    assert "Renamed authority" in html
    assert "PUBLICAUTH name" not in html


def test_an_authority_made_restricted_disappears_from_the_cached_pages(world):
    client = Client()
    url = "/en/directory/search/?q=publicauth"
    assert "PUBLICAUTH name" in client.get(url).content.decode()
    authority = Authority.objects.get(pk=world.public_authority.pk)
    authority.visibility = Visibility.RESTRICTED
    authority.save()
    assert "PUBLICAUTH name" not in client.get(url).content.decode()
    assert client.get(authority.get_absolute_url()).status_code == 404


def test_a_bulk_reindex_makes_cached_search_results_stale(world):
    client = Client()
    url = "/en/directory/search/?q=bulkrenamed"
    assert "PUBLICAUTH name" not in client.get(url).content.decode()
    Authority.objects.filter(pk=world.public_authority.pk).update(name_en="Bulkrenamed office")
    search.reindex_all()
    assert "Bulkrenamed office" in client.get(url).content.decode()


def test_signed_in_visitors_are_never_served_nor_stored_in_the_cache(world, practitioner_a):
    anonymous = Client()
    url = "/en/directory/states/mex/"
    anonymous.get(url)
    signed_in = client_for(practitioner_a)
    response = signed_in.get(url)
    assert "X-Palermo-Page-Cache" not in response
    html = response.content.decode()
    assert "SECRETAUTH name" in html
    assert practitioner_a.email in html or "Sign out" in html
    # What the practitioner saw was not kept for anyone else.
    again = anonymous.get(url)
    assert again["X-Palermo-Page-Cache"] == "hit"
    assert "SECRETAUTH name" not in again.content.decode()
    assert "Sign out" not in again.content.decode()


def test_a_visitor_with_a_session_cookie_is_not_served_from_the_cache(world):
    Client().get("/en/directory/")
    client = Client()
    client.cookies["sessionid"] = "anything"
    assert "X-Palermo-Page-Cache" not in client.get("/en/directory/")


def test_missing_pages_are_not_cached(world):
    client = Client()
    for _ in range(2):
        response = client.get("/en/directory/states/xyz/")
        assert response.status_code == 404
        assert "X-Palermo-Page-Cache" not in response


def test_the_cached_page_is_sent_gzipped_when_the_browser_accepts_it(world):
    client = Client()
    url = "/en/directory/"
    plain = client.get(url).content
    response = client.get(url, headers={"accept-encoding": "gzip, br"})
    assert response["X-Palermo-Page-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain


def test_each_language_has_its_own_page(world):
    client = Client()
    client.get("/en/directory/")
    french = client.get("/fr/directory/")
    assert french["Content-Language"] == "fr"
    assert 'lang="fr"' in french.content.decode()


def test_the_office_open_now_line_follows_the_clock(world, monkeypatch):
    client = Client()
    url = world.public_authority.get_absolute_url()
    # Monday 10:00 and 18:00 in Mexico City (UTC−6): open, then closed (hours 09:00–17:00).
    monday_open = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: monday_open)
    assert "The office is open now." in client.get(url).content.decode()
    assert client.get(url)["X-Palermo-Page-Cache"] == "hit"
    monkeypatch.setattr(timezone, "now", lambda: monday_open + dt.timedelta(hours=8))
    html = client.get(url).content.decode()
    assert "The office is closed now." in html


def test_a_new_restricted_authority_never_reaches_anonymous_cached_pages(world, secretariat):
    client = Client()
    url = "/en/directory/search/?q=name"
    client.get(url)
    make_authority(world.public_authority.state, "FRESHSECRET", Visibility.RESTRICTED)
    assert "FRESHSECRET" in client_for(secretariat).get(url).content.decode()
    assert "FRESHSECRET" not in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/api/v1/authorities?q=mexique", "/api/v1/authorities.csv",
                                 "/api/v1/states/MEX",
                                 "/api/v1/finder?requesting=FRA&requested=MEX&measure=mla-f"])
def test_anonymous_api_answers_are_cached_with_their_validators(world, url):
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    second = client.get(url)
    assert second["X-Palermo-Page-Cache"] == "hit"
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Cache-Control"):
        assert second[header] == first[header]
    assert set(second["Vary"].split(", ")) == set(first["Vary"].split(", "))
    # A conditional request is answered by the API itself.
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert "X-Palermo-Page-Cache" not in again


def test_api_requests_with_a_token_never_touch_the_cache(world):
    Client().get("/api/v1/authorities")
    response = Client().get("/api/v1/authorities", headers={"authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert "X-Palermo-Page-Cache" not in response
