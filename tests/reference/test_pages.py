"""The public reference pages, as a visitor sees them."""

from __future__ import annotations

import csv
import io

import pytest

from palermo.reference.models import State

pytestmark = pytest.mark.usefixtures("reference_data")

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
PAGES = [
    "/{lang}/",
    "/{lang}/states/",
    "/{lang}/states/?group=AFR",
    "/{lang}/states/?instrument=untoc&status=party",
    "/{lang}/states/?instrument=untoc&status=unknown",
    "/{lang}/states/mex/",
    "/{lang}/instruments/",
    "/{lang}/instruments/untoc/",
    "/{lang}/instruments/uncac/articles/46/",
    "/{lang}/sources/",
    "/{lang}/account/sign-in/",
]


def test_the_root_redirects_to_the_visitors_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_served_in_every_language(client, django_assert_max_num_queries,
                                                 page, language):
    with django_assert_max_num_queries(10):
        response = client.get(page.format(lang=language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    for other in LANGUAGES:
        assert f'hreflang="{other}"' in html


def test_the_states_index_lists_all_193_member_states(client):
    html = client.get("/en/states/").content.decode()
    for state in State.objects.filter(kind=State.Kind.MEMBER):
        assert f">{state.name_en}</a>" in html.replace("&#x27;", "'"), state.code
    assert "193 Member States" in html


def test_the_states_index_is_sorted_by_name_in_the_language(client):
    html = client.get("/fr/states/").content.decode()
    assert html.index("Afghanistan") < html.index("Allemagne") < html.index("Zimbabwe")
    assert html.index("Équateur") < html.index("Érythrée") < html.index("Espagne")


def test_the_states_index_filters_by_regional_group(client):
    html = client.get("/en/states/?group=AFR").content.decode()
    assert "Nigeria" in html
    assert "France" not in html
    assert "54 Member States" in html


def test_the_states_index_filters_by_participation(client):
    html = client.get("/en/states/?instrument=untoc&status=party").content.decode()
    assert "Afghanistan" in html
    assert "Sept. 24, 2003" in html
    assert "Zimbabwe" not in html


@pytest.mark.parametrize("query", [
    "?group=XXX", "?instrument=nope", "?status=party", "?status=%00", "?group=" + "A" * 5000,
])
def test_bad_filters_get_a_clear_message_not_an_error(client, query):
    response = client.get("/es/states/" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html
    assert "193" in html


def test_a_bad_filter_is_explained_in_the_users_language(client):
    html = client.get("/fr/states/?status=party").content.decode()
    assert "Choisissez un instrument" in html


def test_a_state_page_shows_its_participation_and_says_what_is_not_known(client):
    html = client.get("/en/states/afg/").content.decode()
    assert "<h1>Afghanistan</h1>" in html
    assert "Sept. 24, 2003" in html
    assert "UNTC-EN-2024-05-04" in html
    assert "not known" in html
    assert "Asia-Pacific States" in html
    assert "أفغانستان" in html


def test_the_untoc_page_lists_its_parties_with_dates_count_and_source(client):
    html = client.get("/en/instruments/untoc/").content.decode()
    assert "192 parties and 147 signatories as at May 4, 2024" in html
    assert "43 parties and" in html
    assert "Afghanistan" in html and "Sept. 24, 2003" in html
    assert "#source-UNTC-EN-2024-05-04" in html
    assert "not complete" in html
    assert "art. 18(13)" in html


def test_an_instrument_without_recorded_parties_says_not_known(client):
    html = client.get("/en/instruments/uncac/").content.decode()
    assert "Official count:</strong>\n    \n      not known" in html or "not known" in html
    assert "0 parties" in html


def test_an_article_page_has_addressable_paragraphs(client):
    html = client.get("/en/instruments/untoc/articles/18/").content.decode()
    assert 'id="p13"' in html
    assert "designate a central authority" in html
    assert 'href="/en/instruments/untoc/articles/17/"' in html
    assert 'href="/en/instruments/untoc/articles/19/"' in html


def test_the_sources_page_cites_every_source(client):
    html = client.get("/en/sources/").content.decode()
    for tag in ("UNTC-EN-2024-05-04", "NL-Trb-2007-70", "CLDR", "UNTERM", "NL-treaty-texts"):
        assert f'id="source-{tag}"' in html


@pytest.mark.parametrize("url", [
    "/en/states/xyz/", "/en/instruments/nope/", "/en/instruments/untoc/articles/99/",
    "/en/instruments/untoc/articles/0/",
])
def test_missing_things_answer_404_in_the_site_layout(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_participation_downloads_as_csv_in_the_import_format(client):
    response = client.get("/en/instruments/untoc/participation.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 43
    afghanistan = next(row for row in rows if row["state"] == "AFG")
    assert afghanistan == {
        "state": "AFG", "instrument": "untoc", "signature_date": "2000-12-14",
        "consent_date": "2003-09-24", "action": "r", "source": "UNTC-EN-2024-05-04", "note": "",
    }


def test_html_in_names_is_escaped(client):
    state = State.objects.get(code="MEX")
    state.name_en = "<script>alert(1)</script>"
    state.save()
    html = client.get("/en/states/mex/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_health_check_answers(client):
    response = client.get("/healthz")
    assert response.json()["status"] == "ok"


def test_pages_are_compressed_for_slow_connections(client):
    response = client.get("/en/states/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 15_000


@pytest.mark.parametrize(("language", "citation"), [
    ("en", "art. 18(13)"), ("fr", "art. 18, par. 13"), ("ru", "ст. 18, п. 13"),
    ("ar", "المادة 18، الفقرة 13"), ("zh-hans", "第18条第13款"),
])
def test_provisions_are_cited_in_the_readers_language(client, language, citation):
    html = client.get(f"/{language}/instruments/untoc/").content.decode()
    assert citation in html
