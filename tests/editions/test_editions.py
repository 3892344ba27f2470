"""Printed editions of the directory: ordered on a page, written at once or by the worker,
downloaded as DOCX and PDF by those who may read them."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import formats, translation
from django_tasks_db.models import DBTaskResult

from palermo.core.models import Visibility
from palermo.directory.models import Authority, Measure, OfficeHours
from palermo.editions.models import Edition
from palermo.editions.services import edition_build, edition_request
from palermo.reference.models import Language
from tests.directory.factories import make_authority, make_contact, make_section
from tests.editions.readers import docx_text, pdf_text, squeeze
from tests.personas import client_for

ARABIC_NAME = "السلطة المركزية للمساعدة القانونية"
CHINESE_NAME = "中央机关司法协助"
RUSSIAN_NAME = "Центральный орган"


@pytest.fixture
def named_world(world):
    authority = world.public_authority
    authority.name_ar = ARABIC_NAME
    authority.name_zh_hans = CHINESE_NAME
    authority.name_ru = RUSSIAN_NAME
    authority.save()
    return world


def order(client, **data):
    payload = {"scope": "state", "state": "MEX", "group": "", "language": "en",
               "edition": "public", **data}
    return client.post("/en/editions/", payload)


def edition_of(response) -> Edition:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.search(r"/editions/([0-9a-f-]{36})/", response["Location"])
    assert match
    return Edition.objects.get(pk=match.group(1))


@pytest.mark.parametrize(("language", "name", "state"), [
    ("ar", ARABIC_NAME, "المكسيك"), ("zh-hans", CHINESE_NAME, "墨西哥"),
    ("ru", RUSSIAN_NAME, "Мексика"), ("en", "PUBLICAUTH name", "Mexico"),
    ("fr", "PUBLICAUTH nom", "Mexique"), ("es", "PUBLICAUTH name", "México"),
])
def test_one_state_is_printed_at_once_in_each_language(named_world, client, language, name,
                                                       state):
    edition = edition_of(order(client, language=language))
    assert edition.status == Edition.Status.DONE and edition.states_total == 1
    page = client.get(f"/{language}/editions/{edition.pk}/")
    assert page.status_code == 200 and "Refresh" not in page
    body = page.content.decode()
    assert f"/editions/{edition.pk}/edition.pdf" in body
    pdf = client.get(f"/{language}/editions/{edition.pk}/edition.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = pdf_text(b"".join(pdf.streaming_content))
    words = name.split()
    assert all(word in text for word in words) or squeeze(name) in squeeze(text)
    assert state in text
    document = client.get(f"/{language}/editions/{edition.pk}/edition.docx")
    assert document["Content-Type"].startswith("application/vnd.openxmlformats")
    word_text = docx_text(b"".join(document.streaming_content))
    assert name in word_text and state in word_text
    assert "PUBLICPROFILE summary" in word_text
    assert "SECRET" not in word_text and "SECRET" not in text


def test_the_whole_directory_is_printed_by_the_worker(named_world, client, run_worker,
                                                      django_capture_on_commit_callbacks):
    make_authority(named_world.public_authority.state.__class__.objects.get(code="FRA"),
                   "FRANCEAUTH", Visibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        response = order(client, scope="all", state="", language="fr")
    edition = edition_of(response)
    assert edition.status == Edition.Status.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    waiting = client.get(f"/fr/editions/{edition.pk}/")
    assert waiting["Refresh"] == "3"  # reloads without JavaScript
    body = waiting.content.decode()
    assert f'hx-get="/fr/editions/{edition.pk}/progress/"' in body
    assert f'href="/fr/editions/{edition.pk}/"' in body  # reload link
    assert client.get(f"/fr/editions/{edition.pk}/edition.pdf").status_code == 404

    run_worker()

    edition.refresh_from_db()
    assert edition.status == Edition.Status.DONE
    assert (edition.states_done, edition.states_total) == (2, 2)
    fragment = client.get(f"/fr/editions/{edition.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment and "edition.pdf" in fragment
    text = pdf_text(b"".join(client.get(f"/fr/editions/{edition.pk}/edition.pdf")
                             .streaming_content))
    assert "Mexique" in text and "France" in text
    assert "PUBLICAUTH nom" in text and "FRANCEAUTH nom" in text
    assert "SECRET" not in text
    # The table of contents lists the States, in French.
    contents = text.split("Mexique")[0]
    assert "France" in contents


def test_a_regional_group_holds_its_states_only(named_world, client, run_worker,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        edition = edition_of(order(client, scope="group", state="", group="WEOG"))
    run_worker()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DONE and edition.states_total == 0
    text = pdf_text(b"".join(client.get(f"/en/editions/{edition.pk}/edition.pdf")
                             .streaming_content))
    assert "PUBLICAUTH" not in text and "Western European" in text
    page = client.get(f"/en/editions/{edition.pk}/").content.decode()
    assert "Western European and other States" in page


def test_restricted_edition_is_for_insiders_only(named_world, client, practitioner_a):
    refused = order(client, edition="restricted")
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not Edition.objects.exists()

    insider = client_for(practitioner_a)
    edition = edition_of(order(insider, edition="restricted"))
    assert edition.restricted and edition.requested_by == practitioner_a
    text = pdf_text(b"".join(insider.get(f"/en/editions/{edition.pk}/edition.pdf")
                             .streaming_content))
    assert "SECRETAUTH name" in text and "SECRETPERSON person" in text
    assert "SECRETPROFILE summary" in text
    for url in [f"/en/editions/{edition.pk}/", f"/en/editions/{edition.pk}/progress/",
                f"/en/editions/{edition.pk}/edition.pdf",
                f"/en/editions/{edition.pk}/edition.docx"]:
        missing = url.replace(str(edition.pk), str(uuid.uuid4()))
        hidden, absent = client.get(url), client.get(missing)
        assert hidden.status_code == absent.status_code == 404
    # An insider's public edition is the anonymous visitor's.
    public = edition_of(order(insider))
    assert not public.restricted
    text = pdf_text(b"".join(client.get(f"/en/editions/{public.pk}/edition.pdf")
                             .streaming_content))
    assert "PUBLICAUTH" in text and "SECRET" not in text


def test_a_restricted_edition_fails_when_its_reader_may_no_longer_see_it(named_world,
                                                                         practitioner_a,
                                                                         secretariat):
    edition, _created = edition_request(user=practitioner_a, scope="all", scope_code="",
                                        language="en", restricted=True)
    practitioner_a.memberships.all().delete()
    practitioner_a._palermo_sees_restricted = None
    edition = edition_build(str(edition.pk))
    assert edition.status == Edition.Status.FAILED and not edition.pdf
    page = client_for(secretariat).get(f"/en/editions/{edition.pk}/").content.decode()
    assert "The person who ordered this edition may no longer see" in page


def test_the_same_order_on_the_same_data_is_written_once(named_world, client):
    first = edition_of(order(client))
    assert edition_of(order(client)) == first
    assert edition_of(order(client, language="ar")) != first
    named_world.public_authority.city = "Guadalajara"
    named_world.public_authority.save()  # the data changed: a new edition
    assert edition_of(order(client)) != first


@pytest.mark.parametrize("data", [
    {"state": "XXX"}, {"state": ""}, {"scope": "group", "group": ""},
    {"scope": "group", "group": "NOPE"}, {"language": "de"}, {"scope": "planet"},
    {"edition": "secret"}, {"state": "M" * 5000},
])
def test_bad_orders_are_refused_with_a_message(named_world, client, data):
    response = order(client, **data)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Edition.objects.exists()


@pytest.mark.parametrize("path", ["not-a-uuid/", f"{uuid.uuid4()}/", "not-a-uuid/edition.pdf",
                                  f"{uuid.uuid4()}/edition.docx"])
def test_unknown_editions_are_not_found(db, client, path):
    assert client.get(f"/en/editions/{path}").status_code == 404


def test_order_page_offers_the_restricted_edition_to_insiders(named_world, client,
                                                              focal_point_b,
                                                              django_assert_max_num_queries):
    page = client.get("/ar/editions/").content.decode()
    assert 'value="restricted"' not in page and 'dir="rtl"' in page
    insider = client_for(focal_point_b)
    insider.get("/en/editions/")
    with django_assert_max_num_queries(8):
        page = insider.get("/en/editions/").content.decode()
    assert 'value="restricted"' in page
    edition = edition_of(order(insider, edition="restricted"))
    listed = insider.get("/en/editions/").content.decode()
    assert f"/editions/{edition.pk}/" in listed and "Mexico" in listed
    assert f"/editions/{edition.pk}/" not in client.get("/en/editions/").content.decode()
    with django_assert_max_num_queries(8):
        assert insider.get(f"/en/editions/{edition.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        response = insider.get(f"/en/editions/{edition.pk}/edition.pdf")
        b"".join(response.streaming_content)


def test_directory_home_links_to_the_printed_edition(db, client):
    assert 'href="/en/editions/"' in client.get("/en/directory/").content.decode()


def test_measures_of_the_profile_are_printed(named_world, client):
    make_section(named_world.public_authority.state, Measure.TRANSFER, "TRANSFERPROFILE",
                 Visibility.PUBLIC)
    edition = edition_of(order(client))
    text = docx_text(b"".join(client.get(f"/en/editions/{edition.pk}/edition.docx")
                              .streaming_content))
    assert "Transfer of sentenced persons" in text and "TRANSFERPROFILE checklist" in text
    assert Authority.objects.count() == 2


def test_every_detail_of_an_authority_is_printed(named_world, practitioner_a):
    authority = named_world.public_authority
    authority.parent = named_world.restricted_authority
    authority.urgent_channel = "email"
    authority.save()
    designation = authority.designations.get()
    designation.notified_on = dt.date(2024, 5, 6)
    designation.save()
    OfficeHours.objects.create(authority=authority, weekday=2, opens=dt.time(10),
                               closes=dt.time(12, 30))
    named_world.public_contact.languages.set(Language.objects.filter(code__in=["fr", "ar"]))
    edition, _new = edition_request(user=practitioner_a, scope="state", scope_code="MEX",
                                    language="en", restricted=True)
    edition = edition_build(str(edition.pk))
    assert edition.status == Edition.Status.DONE
    with translation.override("en"):
        provision = designation.provision
        hours = [f"{h.get_weekday_display()} {formats.time_format(h.opens, 'TIME_FORMAT')}–"
                 f"{formats.time_format(h.closes, 'TIME_FORMAT')}"
                 for h in authority.office_hours.all()]
        expected = [
            f"{provision.instrument.short_name}, {provision.localized_citation} — "
            f"{designation.get_function_display()}", "PUBLICAUTH scope",
            f"Notified: {formats.date_format(dt.date(2024, 5, 6), 'DATE_FORMAT')}",
            *hours, "Time zone: America/Mexico_City",
            ", ".join(language.name for language in authority.accepted_languages.all()),
            f"{authority.get_urgent_channel_display()}",
            "At all hours: PUBLICAUTH duty officer",
            "Speaks: " + ", ".join(language.name for language in
                                   named_world.public_contact.languages.all()),
            "PUBLICPERSON position", "publicperson@example.org", "SECRETPERSON person",
            "SECRETBYPARENT person", "Part of", "SECRETAUTH name",
            "Central authority", "Fictional demo entry" if authority.is_demo else "Restricted",
        ]
    assert len(hours) == 2
    word_text = docx_text(edition.docx.read())
    printed = squeeze(pdf_text(edition.pdf.read()))
    for text in expected:
        assert text in word_text, text
        assert squeeze(text) in printed, text
    assert word_text.index("PUBLICPERSON person") < word_text.index("SECRETPERSON person")


def test_reading_an_edition_does_not_grow_with_the_directory(named_world, client, practitioner_a,
                                                             django_assert_max_num_queries):
    state = named_world.public_authority.state
    for number in range(6):
        extra = make_authority(state, f"EXTRA{number}", Visibility.PUBLIC)
        make_contact(extra, f"EXTRAPERSON{number}", Visibility.PUBLIC)
    edition, _new = edition_request(user=practitioner_a, scope="all", scope_code="",
                                    language="en", restricted=True)
    with django_assert_max_num_queries(19):
        edition = edition_build(str(edition.pk))
    assert edition.status == Edition.Status.DONE
    word_text = docx_text(edition.docx.read())
    for number in range(6):
        assert f"EXTRA{number} name" in word_text and f"EXTRAPERSON{number} person" in word_text
