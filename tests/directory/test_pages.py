"""The directory pages, as practitioners use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from palermo.directory.models import Authority, OfficeHours
from palermo.directory.selectors import is_open
from tests.personas import client_for


@pytest.mark.parametrize("url", [
    "/{lang}/directory/", "/{lang}/directory/states/mex/", "/{lang}/directory/states/fra/",
])
@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_directory_pages_run_a_bounded_number_of_queries(world, secretariat, url, language,
                                                         django_assert_max_num_queries):
    client = client_for(secretariat)
    with django_assert_max_num_queries(10):  # session, user + 8
        response = client.get(url.format(lang=language))
    assert response.status_code == 200


def test_the_authority_page_runs_a_bounded_number_of_queries(world, practitioner_a,
                                                             django_assert_max_num_queries):
    client = client_for(practitioner_a)
    with django_assert_max_num_queries(10):  # session, user, membership + 7
        response = client.get(world.public_authority.get_absolute_url())
    assert response.status_code == 200


def test_the_state_page_groups_authorities_by_function_and_shows_the_profile(world, secretariat):
    html = client_for(secretariat).get("/en/directory/states/mex/").content.decode()
    mla = html.index("Receive and execute requests for mutual legal assistance")
    extradition = html.index("<h3 id=\"function-2\">Extradition</h3>")
    assert mla < html.index("PUBLICAUTH name") < extradition < html.index("SECRETAUTH name")
    assert html.index("PUBLICPROFILE summary") < html.index("SECRETPROFILE summary")
    assert "PUBLICPROFILE checklist" in html
    assert "Last updated" in html


def test_the_authority_page_shows_how_to_reach_it(world, client):
    html = client.get(world.public_authority.get_absolute_url()).content.decode()
    assert "+52 55 5555 5555" in html
    assert "E-mail; Post" in html
    assert "Spanish" in html and "English" in html
    assert "Local time:" in html and "America/Mexico_City" in html
    assert "art. 18(13)" in html and "PUBLICAUTH scope" in html


def test_the_authority_page_is_in_the_users_language(world, client):
    url = f"/fr/directory/authorities/{world.public_authority.pk}/"
    html = client.get(url).content.decode()
    assert "PUBLICAUTH nom" in html
    assert "espagnol" in html


@pytest.mark.parametrize(("moment", "expected"), [
    (dt.datetime(2026, 12, 7, 10, 0), True),  # a Monday, 10:00
    (dt.datetime(2026, 12, 7, 17, 0), False),  # closing time
    (dt.datetime(2026, 12, 8, 10, 0), False),  # Tuesday: no hours that day
])
def test_the_office_is_open_only_within_its_hours(world, moment, expected):
    hours = list(OfficeHours.objects.filter(authority=world.public_authority))
    assert is_open(hours, moment) is expected
    assert is_open([], moment) is None


def test_the_vcard_opens_as_a_contact(world, client):
    response = client.get(f"/en/directory/authorities/{world.public_authority.pk}.vcf")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "FN:PUBLICAUTH name\r\n" in text
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:+525555555555\r\n" in text
    assert "TZ:America/Mexico_City\r\n" in text
    assert text.endswith("END:VCARD\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_state_without_entries_says_so(reference_data, client):
    html = client.get("/en/directory/states/fra/").content.decode()
    assert "No authority is listed for this State" in html
    assert "has not published a profile" in html


def test_an_unknown_state_is_not_found(reference_data, client):
    assert client.get("/en/directory/states/zzz/").status_code == 404


def test_demo_entries_carry_the_fictional_banner(reference_data, client):
    call_command("demo_data", verbosity=0)
    authority = Authority.objects.filter(is_demo=True, visibility="public").first()
    html = client.get(authority.get_absolute_url()).content.decode()
    assert 'class="demo-banner"' in html
    state_html = client.get(f"/en/directory/states/{authority.state.code.lower()}/").content
    assert b'class="demo-banner"' in state_html


def test_real_states_without_demo_entries_have_no_banner(world, client):
    assert b'class="demo-banner"' not in client.get("/en/directory/states/mex/").content


@pytest.mark.parametrize("url", [
    "/en/admin/directory/authority/", "/en/admin/directory/authority/{pk}/change/",
    "/en/admin/directory/authority/{pk}/history/", "/en/admin/directory/profilesection/",
])
def test_the_secretariat_manages_the_directory_in_the_admin(world, secretariat, url):
    response = client_for(secretariat).get(url.format(pk=world.restricted_authority.pk))
    assert response.status_code == 200


def test_state_roles_do_not_reach_the_directory_admin(world, focal_point_a):
    response = client_for(focal_point_a).get("/en/admin/directory/authority/")
    assert response.status_code == 302
