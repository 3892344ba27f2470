"""The leak matrix: every directory channel × every persona × public and restricted entries.

Restricted markers (SECRET…) must appear for signed-in practitioners, focal points of any State
and the secretariat, and nowhere for anonymous visitors; public markers (PUBLIC…) for everyone.
A new channel is not done until it is listed here.
"""

from __future__ import annotations

import pytest

from palermo.editions.services import edition_build, edition_request
from tests.editions.readers import docx_text, pdf_text
from tests.personas import client_for

SECRET = ["SECRETAUTH", "SECRETPERSON", "SECRETBYPARENT", "SECRETPROFILE"]
EXPORT = "/en/directory/exchange/export/?state=MEX"


def channels(world) -> dict[str, tuple[str, list[str], list[str]]]:
    """name → (url, public markers it shows, restricted markers it shows to insiders)."""
    public = world.public_authority.pk
    restricted = world.restricted_authority.pk
    return {
        "directory home": ("/en/directory/", [], []),
        "state page": ("/en/directory/states/mex/", ["PUBLICAUTH", "PUBLICPROFILE"],
                       ["SECRETAUTH", "SECRETPROFILE"]),
        "state page in French": ("/fr/directory/states/mex/", ["PUBLICAUTH nom"],
                                 ["SECRETAUTH nom"]),
        "public authority page": (f"/en/directory/authorities/{public}/",
                                  ["PUBLICAUTH", "PUBLICPERSON"], ["SECRETPERSON"]),
        "restricted authority page": (f"/en/directory/authorities/{restricted}/", [],
                                      ["SECRETAUTH", "SECRETBYPARENT"]),
        "public authority vCard": (f"/en/directory/authorities/{public}.vcf", ["PUBLICAUTH"], []),
        "restricted authority vCard": (f"/en/directory/authorities/{restricted}.vcf", [],
                                       ["SECRETAUTH"]),
        "reference State page": ("/en/states/mex/", [], []),
        "not found page": ("/en/directory/authorities/999999/", [], []),
        "API authorities list": ("/api/v1/authorities?state=mex", ["PUBLICAUTH"],
                                 ["SECRETAUTH"]),
        "API authorities list by text": ("/api/v1/authorities?q=auth%20name", ["PUBLICAUTH"],
                                         ["SECRETAUTH"]),
        "API public authority": (f"/api/v1/authorities/{public}",
                                 ["PUBLICAUTH", "PUBLICPERSON"], ["SECRETPERSON"]),
        "API restricted authority": (f"/api/v1/authorities/{restricted}", [],
                                     ["SECRETAUTH", "SECRETBYPARENT"]),
        "API State profile": ("/api/v1/states/mex/profile", ["PUBLICPROFILE"],
                              ["SECRETPROFILE"]),
        "API CSV export": ("/api/v1/authorities.csv?state=mex", ["PUBLICAUTH"],
                           ["SECRETAUTH"]),
        "API not found": ("/api/v1/authorities/999999", [], []),
        "API list by q with facets": ("/api/v1/authorities?q=mexique", ["PUBLICAUTH"],
                                      ["SECRETAUTH"]),
        "API list: only the restricted authority matches q": (
            "/api/v1/authorities?q=ecretauth", [], ["SECRETAUTH"]),
        "API list: facets that select the restricted authority": (
            "/api/v1/authorities?q=mexique&function=extradition&group=GRULAC&instrument=untoc",
            [], ["SECRETAUTH"]),
        "API CSV export by q": ("/api/v1/authorities.csv?q=mexique&language=es", ["PUBLICAUTH"],
                                ["SECRETAUTH"]),
        "API finder": ("/api/v1/finder?requesting=FRA&requested=MEX&measure=mla-f&urgent=true",
                       ["PUBLICAUTH", "PUBLICPROFILE"], []),
        "API finder, restricted authority and profile": (
            "/api/v1/finder?requesting=FRA&requested=MEX&measure=extradition", [],
            ["SECRETAUTH", "SECRETPROFILE"]),
        # The search page echoes its query, so no query names a restricted marker whole.
        "search: the State's name": ("/en/directory/search/?q=Mexique", ["PUBLICAUTH"],
                                     ["SECRETAUTH"]),
        "search: only the restricted authority matches": (
            "/en/directory/search/?q=ecretauth", [], ["SECRETAUTH"]),
        "search: the restricted authority's function": (
            "/en/directory/search/?q=extradition", [], ["SECRETAUTH"]),
        "search: facets that select the restricted authority": (
            "/en/directory/search/?function=extradition&group=GRULAC&instrument=untoc", [],
            ["SECRETAUTH"]),
        "search: everything, with facet counts": ("/en/directory/search/", ["PUBLICAUTH"],
                                                  ["SECRETAUTH"]),
        "search in French": ("/fr/directory/search/?q=mexique&language=es", ["PUBLICAUTH nom"],
                             ["SECRETAUTH nom"]),
        "exchange: public CSV export": (f"{EXPORT}&format=csv&edition=public",
                                        ["PUBLICAUTH", "PUBLICPERSON"], []),
        "exchange: public JSON export": (f"{EXPORT}&format=json&edition=public",
                                         ["PUBLICAUTH", "PUBLICPROFILE"], []),
        # Secretariat only (tests/freshness: 404 for the others); dates and States, no entry.
        "freshness dashboard": ("/en/freshness/dashboard/?group=GRULAC", [], []),
        "freshness staleness CSV": ("/en/freshness/dashboard/staleness.csv", [], []),
        "freshness coverage CSV": ("/en/freshness/dashboard/coverage.csv", [], []),
        "freshness pending invitations CSV": ("/en/freshness/dashboard/invitations.csv", [], []),
        "freshness history CSV": ("/en/freshness/dashboard/history.csv", [], []),
    }


CHANNEL_NAMES = [
    "directory home", "state page", "state page in French", "public authority page",
    "restricted authority page", "public authority vCard", "restricted authority vCard",
    "reference State page", "not found page", "API authorities list",
    "API authorities list by text", "API public authority", "API restricted authority",
    "API State profile", "API CSV export", "API not found",
    "API list by q with facets", "API list: only the restricted authority matches q",
    "API list: facets that select the restricted authority", "API CSV export by q",
    "API finder", "API finder, restricted authority and profile",
    "search: the State's name", "search: only the restricted authority matches",
    "search: the restricted authority's function",
    "search: facets that select the restricted authority", "search: everything, with facet counts",
    "search in French",
    "exchange: public CSV export", "exchange: public JSON export",
    "freshness dashboard", "freshness staleness CSV", "freshness coverage CSV",
    "freshness pending invitations CSV", "freshness history CSV",
]


@pytest.mark.parametrize("channel", CHANNEL_NAMES)
def test_restricted_entries_reach_exactly_who_may_see_them(world, persona, channel):
    name, user = persona
    url, public_markers, restricted_markers = channels(world)[channel]
    response = client_for(user).get(url)
    body = response.content.decode()
    insider = name != "anonymous"
    for marker in public_markers:
        assert marker in body, f"{channel}: {marker} missing for {name}"
    for marker in restricted_markers:
        assert (marker in body) == insider, f"{channel}: {marker} wrong for {name}"
    if not insider:
        for marker in SECRET:
            assert marker not in body, f"{channel}: {marker} leaked to {name}"
        assert "secret" not in body.lower().replace("secretar", ""), channel


@pytest.mark.parametrize("suffix", ["/", ".vcf"])
def test_a_restricted_authority_answers_like_a_missing_one(world, client, suffix):
    restricted = client.get(f"/en/directory/authorities/{world.restricted_authority.pk}{suffix}")
    missing = client.get(f"/en/directory/authorities/999999{suffix}")
    assert restricted.status_code == missing.status_code == 404

    def normalize(response, pk: int) -> str:
        return response.content.decode().replace(f"/authorities/{pk}{suffix}", "/authorities/N")

    assert normalize(restricted, world.restricted_authority.pk) == normalize(missing, 999999)


def test_coverage_counts_only_what_the_visitor_may_see(world, client, secretariat):
    def extradition_row(html: str) -> str:
        start = html.index("art. 16(5)(a)")
        return html[start:html.index("</tr>", start)]

    anonymous_row = extradition_row(client.get("/en/directory/").content.decode())
    insider_row = extradition_row(client_for(secretariat).get("/en/directory/").content.decode())
    assert "<td>0</td>" in anonymous_row and "<td>1</td>" not in anonymous_row
    assert "<td>1</td>" in insider_row


@pytest.mark.parametrize("kind", ["public", "restricted"])
def test_printed_editions_hold_restricted_entries_only_in_the_restricted_edition(
        world, persona, kind, secretariat, settings, tmp_path):
    """Printed editions (their PDF and DOCX text, and their pages): the public edition holds no
    restricted marker for anyone; the restricted one holds them all and reaches insiders only."""
    settings.MEDIA_ROOT = tmp_path
    edition, _new = edition_request(user=secretariat, scope="state", scope_code="MEX",
                                    language="en", restricted=kind == "restricted")
    edition_build(str(edition.pk))
    name, user = persona
    client = client_for(user)
    shown = kind == "public" or name != "anonymous"
    for path, read in [("edition.pdf", pdf_text), ("edition.docx", docx_text), ("", None)]:
        response = client.get(f"/en/editions/{edition.pk}/{path}")
        assert response.status_code == (200 if shown else 404), (path, name)
        if not shown or read is None:
            body = response.content.decode() if read is None else ""
            assert "SECRET" not in body and "PUBLICAUTH" not in body
            continue
        text = read(b"".join(response.streaming_content))
        assert "PUBLICAUTH name" in text and "PUBLICPERSON person" in text, path
        for marker in SECRET:
            assert (marker in text) == (kind == "restricted"), f"{path}: {marker} for {name}"
        if kind == "public":
            assert "secret" not in text.lower().replace("secretar", ""), path


# The full edition of an export (public and restricted entries) is a bulk copy: only the State's
# focal points and editors and the secretariat get it; everyone else gets the public edition's
# refusal, and no restricted marker, whatever they may read on the pages.
EXPORT_INSIDERS = {"focal_point_a", "secretariat"}


def _text(response) -> str:
    """An export's text; a spreadsheet's cells, one per line (a page's HTML when refused)."""
    if not response.get("Content-Type", "").startswith("application/vnd.openxml"):
        return response.content.decode()
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(str(cell) for sheet in workbook.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_the_full_export_reaches_only_the_states_own_people(world, persona, fmt):
    name, user = persona
    body = _text(client_for(user).get(f"{EXPORT}&format={fmt}&edition=full"))
    for marker in SECRET:
        assert (marker in body) == (name in EXPORT_INSIDERS), f"export {fmt}: {marker}, {name}"
    if name in EXPORT_INSIDERS:
        assert "PUBLICAUTH" in body
    else:
        assert "secret" not in body.lower().replace("secretar", ""), name


API_CHANNELS = [name for name in CHANNEL_NAMES if name.startswith("API ")]


@pytest.mark.parametrize("channel", API_CHANNELS)
def test_a_token_reaches_exactly_what_its_owners_session_reaches(world, persona, channel):
    """The API with a personal token (no session): each persona's own token; the anonymous
    persona has none, and a wrong token is refused (401) without a marker of either kind."""
    from django.test import Client

    from palermo.api.services import token_create

    name, user = persona
    url, public_markers, restricted_markers = channels(world)[channel]
    secret = token_create(user=user, name="leak matrix")[1] if user else "palermo_" + "0" * 43
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = response.content.decode()
    if user is None:
        assert response.status_code == 401, channel
        assert "SECRET" not in body and "PUBLIC" not in body, channel
        return
    for marker in [*public_markers, *restricted_markers]:
        assert marker in body, f"{channel}: {marker} missing for {name}'s token"


# Editing pages and histories: only for those who may edit State A (its focal point and the
# secretariat); everyone else, practitioners included, gets 404 and no marker of either kind.
EDITORS_OF_A = {"focal_point_a", "secretariat"}


def editing_channels(world) -> dict[str, tuple[str, list[str]]]:
    """name → (url, markers it shows to those who may edit State A)."""
    base = "/en/directory/manage/mex"
    public, restricted = world.public_authority.pk, world.restricted_authority.pk
    return {
        "manage the State": (f"{base}/", ["PUBLICAUTH", "SECRETAUTH", "SECRETPERSON",
                                          "SECRETBYPARENT"]),
        "edit a public authority": (f"{base}/authority/{public}/", ["PUBLICAUTH"]),
        "edit a restricted authority": (f"{base}/authority/{restricted}/", ["SECRETAUTH"]),
        "history of a public authority": (f"{base}/authority/{public}/history/",
                                          ["PUBLICAUTH"]),
        "history of a restricted authority": (f"{base}/authority/{restricted}/history/",
                                              ["SECRETAUTH"]),
        "delete a restricted authority": (f"{base}/authority/{restricted}/delete/",
                                          ["SECRETAUTH"]),
        "edit a restricted contact": (f"{base}/contact/{world.restricted_contact.pk}/",
                                      ["SECRETPERSON"]),
        "history of a restricted contact": (
            f"{base}/contact/{world.restricted_contact.pk}/history/", ["SECRETPERSON"]),
        "history of a contact of a restricted authority": (
            f"{base}/contact/{world.contact_of_restricted.pk}/history/", ["SECRETBYPARENT"]),
        "edit a restricted profile section": (
            f"{base}/profile/{world.restricted_section.pk}/", ["SECRETPROFILE"]),
        "history of a restricted profile section": (
            f"{base}/profile/{world.restricted_section.pk}/history/", ["SECRETPROFILE"]),
        "history of a restricted designation": (
            f"{base}/designation/{world.restricted_authority.designations.get().pk}/history/",
            ["SECRETAUTH"]),
        # The forms for new entries list the State's authorities, restricted ones too.
        "new contact person": (f"{base}/contact/new/", ["PUBLICAUTH", "SECRETAUTH"]),
        "new designation": (f"{base}/designation/new/", ["PUBLICAUTH", "SECRETAUTH"]),
        "new authority": (f"{base}/authority/new/", ["PUBLICAUTH", "SECRETAUTH"]),
    }


EDITING_CHANNEL_NAMES = [
    "manage the State", "edit a public authority", "edit a restricted authority",
    "history of a public authority", "history of a restricted authority",
    "delete a restricted authority", "edit a restricted contact",
    "history of a restricted contact", "history of a contact of a restricted authority",
    "edit a restricted profile section", "history of a restricted profile section",
    "history of a restricted designation", "new contact person", "new designation",
    "new authority",
]


@pytest.mark.parametrize("channel", EDITING_CHANNEL_NAMES)
def test_editing_pages_and_histories_reach_only_the_states_editors(world, persona, channel):
    name, user = persona
    url, markers = editing_channels(world)[channel]
    response = client_for(user).get(url)
    body = response.content.decode()
    if name in EDITORS_OF_A:
        assert response.status_code == 200, channel
        for marker in markers:
            assert marker in body, f"{channel}: {marker} missing for {name}"
    else:
        assert response.status_code == 404, f"{channel}: {name}"
        assert "SECRET" not in body and "PUBLICAUTH" not in body, f"{channel}: {name}"


def test_a_public_entry_once_restricted_keeps_its_past_from_those_who_may_not_edit(
        world, focal_point_a, practitioner_a, focal_point_b):
    """The history of a public entry holds values from when it was restricted: it is shown only
    to those who may edit the State (docs/decisions.md)."""
    from palermo.directory import services
    from palermo.directory.models import Authority

    authority = Authority.objects.get(pk=world.restricted_authority.pk)
    authority.visibility = "public"
    authority.name_en = "NOW PUBLIC name"
    services.entry_save(user=focal_point_a, instance=authority, token="1")
    url = f"/en/directory/manage/mex/authority/{authority.pk}/history/"
    for outsider in (None, practitioner_a, focal_point_b):
        response = client_for(outsider).get(url)
        assert response.status_code == 404
        assert "SECRETAUTH" not in response.content.decode()
    assert "SECRETAUTH name" in client_for(focal_point_a).get(url).content.decode()
    public_page = client_for(None).get(f"/en/directory/authorities/{authority.pk}/")
    assert "NOW PUBLIC name" in public_page.content.decode()
    assert "SECRETAUTH name" not in public_page.content.decode()
