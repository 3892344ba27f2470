"""The history of directory entries: who changed what and when, field by field, and revert."""

from __future__ import annotations

from palermo.directory.models import Authority
from palermo.reference.models import Language
from tests.directory.test_editing import edit_url, form_data
from tests.personas import client_for


def history_url(authority: Authority) -> str:
    return edit_url(authority) + "history/"


def test_the_history_shows_who_changed_which_field_from_what_to_what(world, focal_point_a,
                                                                     editor_a):
    authority = world.public_authority
    client = client_for(focal_point_a)
    data = form_data(client, edit_url(authority))
    data.update(name_ar="السلطة المركزية", visibility="restricted",
                accepted_languages=[str(Language.objects.get(code="fr").pk)])
    assert client.post(edit_url(authority), data).status_code == 302
    other = client_for(editor_a)
    data = form_data(other, edit_url(authority))
    data["city"] = "Oaxaca"
    assert other.post(edit_url(authority), data).status_code == 302

    page = client.get(history_url(authority)).content.decode()
    page = page[page.index('<ol class="history"'):]
    latest, earlier = page.index("editor-a"), page.index("focal-a")
    assert latest < earlier  # newest first
    focal_change = page[earlier:page.index("</table>", earlier)]
    assert "Name (Arabic)" in focal_change and "السلطة المركزية" in focal_change
    assert "Visibility" in focal_change and "Public" in focal_change
    assert "Restricted" in focal_change
    assert "Languages accepted for requests" in focal_change and "French" in focal_change
    assert "City" not in focal_change
    editor_change = page[latest:page.index("</table>", latest)]
    assert "PUBLICAUTH-city" in editor_change and "Oaxaca" in editor_change
    assert "Name (Arabic)" not in editor_change
    assert "Channels" not in editor_change  # unchanged, whatever order the boxes send
    # In French, the labels are French.
    french = client.get(history_url(authority).replace("/en/", "/fr/")).content.decode()
    assert "Nom (Arabe)" in french


def test_revert_is_a_new_audited_change_and_is_refused_when_stale(world, focal_point_a,
                                                                 secretariat):
    authority = world.public_authority
    client = client_for(focal_point_a)
    first = authority.history.order_by("history_date", "history_id").last()
    data = form_data(client, edit_url(authority))
    data.update(name_en="Renamed authority", accepted_languages=[])
    assert client.post(edit_url(authority), data).status_code == 302
    authority.refresh_from_db()
    assert authority.name_en == "Renamed authority" and authority.version == 2

    revert = f"{history_url(authority)}{first.history_id}/revert/"
    # Someone opened the history at version 2; the secretariat then saves version 3.
    stale_token = "2"
    secretariat_client = client_for(secretariat)
    data = form_data(secretariat_client, edit_url(authority))
    data["acronym"] = "CA"
    assert secretariat_client.post(edit_url(authority), data).status_code == 302
    response = client.post(revert, {"version": stale_token})
    assert response.status_code == 409
    assert "nothing was reverted" in response.content.decode()
    authority.refresh_from_db()
    assert authority.name_en == "Renamed authority" and authority.version == 3

    response = client.post(revert, {"version": "3"})
    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.name_en == "PUBLICAUTH name" and authority.version == 4
    assert authority.acronym == "PUBLICAUTH"  # the whole entry as it was then
    assert sorted(authority.accepted_languages.values_list("code", flat=True)) == ["en", "es"]
    latest = authority.history.latest()
    assert latest.history_user == focal_point_a
    assert latest.history_change_reason.startswith("Reverted to the version of")
    page = client.get(history_url(authority)).content.decode()
    assert "Reverted to the version of" in page
    public = client_for(None).get(f"/en/directory/authorities/{authority.pk}/").content.decode()
    assert "PUBLICAUTH name" in public and "Renamed authority" not in public


def test_revert_cannot_borrow_a_record_of_another_entry(world, focal_point_a):
    client = client_for(focal_point_a)
    other = world.restricted_authority.history.earliest()
    response = client.post(f"{history_url(world.public_authority)}{other.history_id}/revert/",
                           {"version": "1"})
    assert response.status_code == 404
    assert client.get(f"{history_url(world.public_authority)}{other.history_id}/revert/"
                      ).status_code == 405


def test_contact_and_profile_histories(world, focal_point_a):
    client = client_for(focal_point_a)
    contact = world.restricted_contact
    url = f"/en/directory/manage/mex/contact/{contact.pk}/"
    data = form_data(client, url)
    data["visibility"] = "public"
    assert client.post(url, data).status_code == 302
    page = client.get(url + "history/").content.decode()
    assert "Visibility" in page and "Restricted" in page and "Public" in page
    section = world.public_section
    url = f"/en/directory/manage/mex/profile/{section.pk}/"
    data = form_data(client, url)
    data["costs_ru"] = "Расходы несёт запрашиваемое государство"
    assert client.post(url, data).status_code == 302
    page = client.get(url + "history/").content.decode()
    assert "Costs (Russian)" in page and "Расходы несёт запрашиваемое государство" in page
