"""Editing the directory: forms, services, permissions, stale saves and the second factor."""

from __future__ import annotations

from typing import Any

import pytest

from palermo.directory.models import Authority
from tests.personas import client_for


def form_data(client, url: str) -> dict[str, Any]:
    """What the browser would send back unchanged from the form on ``url``."""
    import re
    from html import unescape

    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    form = html[html.index('<form method="post" class="edit-form"'):]
    form = form[:form.index("</form>")]
    data: dict[str, Any] = {}
    for match in re.finditer(r"<input([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        name = attrs.get("name")
        if not name or attrs.get("type") == "submit":
            continue
        if attrs.get("type") in ("checkbox", "radio"):
            if "checked" in match.group(1):
                data.setdefault(name, [])
                data[name].append(unescape(attrs.get("value", "on")))
            continue
        data[name] = unescape(attrs.get("value", ""))
    for match in re.finditer(r"<textarea([^>]*)>(.*?)</textarea>", form, re.S):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        data[attrs["name"]] = unescape(match.group(2)).lstrip("\n")
    for match in re.finditer(r"<select([^>]*)>(.*?)</select>", form, re.S):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        if "multiple" in match.group(1):
            data[attrs["name"]] = [unescape(v) for v in chosen]
        elif chosen:
            data[attrs["name"]] = unescape(chosen[0])
        else:
            first = re.search(r'<option value="([^"]*)"', match.group(2))
            data[attrs["name"]] = unescape(first.group(1)) if first else ""
    return data


def edit_url(authority: Authority) -> str:
    return f"/en/directory/manage/{authority.state.code.lower()}/authority/{authority.pk}/"


def test_a_focal_point_edits_an_authority_name_in_arabic(world, focal_point_a):
    client = client_for(focal_point_a)
    authority = world.public_authority
    data = form_data(client, edit_url(authority))
    data["name_ar"] = "السلطة المركزية"
    response = client.post(edit_url(authority), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    authority.refresh_from_db()
    assert authority.name_ar == "السلطة المركزية"
    assert authority.version == 2
    record = authority.history.latest()
    assert record.history_user == focal_point_a
    page = client_for(None).get(f"/ar/directory/authorities/{authority.pk}/").content.decode()
    assert "السلطة المركزية" in page


def url_of(entry, action: str = "") -> str:
    kinds = {"Authority": "authority", "ContactPerson": "contact", "Designation": "designation",
             "ProfileSection": "profile"}
    kind = kinds[type(entry).__name__]
    state = entry.state if hasattr(entry, "state") else entry.authority.state
    url = f"/en/directory/manage/{state.code.lower()}/{kind}/{entry.pk}/"
    return url + (f"{action}/" if action else "")


def test_two_editors_save_the_same_authority_and_the_second_is_shown_both_versions(
        world, focal_point_a, editor_a):
    authority = world.public_authority
    first, second = client_for(focal_point_a), client_for(editor_a)
    first_data, second_data = form_data(first, edit_url(authority)), form_data(
        second, edit_url(authority))
    first_data["name_fr"] = "Autorité centrale (première)"
    assert first.post(edit_url(authority), first_data).status_code == 302

    second_data["name_fr"] = "Autorité centrale (seconde)"
    second_data["city"] = "Guadalajara"
    response = second.post(edit_url(authority), second_data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this entry after you opened it" in page
    conflict = page[page.index('class="conflict"'):page.index("</section>")]
    assert "Autorité centrale (première)" in conflict  # the saved version
    assert "Autorité centrale (seconde)" in conflict  # theirs, as typed
    assert "Name (French)" in conflict
    authority.refresh_from_db()
    assert authority.name_fr == "Autorité centrale (première)"  # nothing overwritten
    assert authority.city == "PUBLICAUTH-city"
    assert authority.version == 2
    # The form keeps what the second editor typed, now based on the current version …
    kept = form_from_html(page)
    assert kept["name_fr"] == "Autorité centrale (seconde)"
    assert kept["city"] == "Guadalajara"
    assert kept["version"] == "2"
    # … and saving it again puts it on top of the current version, as a new change.
    assert second.post(edit_url(authority), kept).status_code == 302
    authority.refresh_from_db()
    assert (authority.name_fr, authority.city, authority.version) == (
        "Autorité centrale (seconde)", "Guadalajara", 3)
    assert [r.history_user for r in authority.history.order_by("history_date")][-2:] == [
        focal_point_a, editor_a]


def form_from_html(page: str) -> dict[str, Any]:
    class Fake:
        def get(self, url):
            class R:
                status_code = 200
                content = page.encode()
            return R()
    return form_data(Fake(), "")


def test_a_stale_save_through_the_service_writes_nothing(world, focal_point_a):
    from palermo.directory import services

    authority = Authority.objects.get(pk=world.public_authority.pk)
    records = authority.history.count()
    authority.city = "Monterrey"
    services.entry_save(user=focal_point_a, instance=authority, token="1")
    stale = Authority.objects.get(pk=authority.pk)
    stale.city = "Puebla"
    with pytest.raises(services.StaleEntry) as raised:
        services.entry_save(user=focal_point_a, instance=stale, token="1")
    assert raised.value.current.city == "Monterrey"
    assert Authority.objects.get(pk=authority.pk).city == "Monterrey"
    assert authority.history.count() == records + 1  # one record per change


def test_invalid_input_is_refused_with_messages_in_the_users_language(world, focal_point_a):
    client = client_for(focal_point_a)
    authority = world.public_authority
    url = edit_url(authority).replace("/en/", "/fr/")
    data = form_data(client, url)
    data.update(email="not an address", phone="12", time_zone="Mars/Olympus", name_en="")
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in page
    assert "n’est pas un fuseau horaire" in page and "n’est pas un numéro de téléphone" in page
    assert "Ce champ est obligatoire." in page
    authority.refresh_from_db()
    assert authority.email == "publicauth@example.org" and authority.version == 1


def test_html_typed_into_a_name_is_shown_as_text(world, focal_point_a):
    client = client_for(focal_point_a)
    authority = world.public_authority
    data = form_data(client, edit_url(authority))
    data["name_es"] = "<script>alert(1)</script>Autoridad"
    assert client.post(edit_url(authority), data).status_code == 302
    page = client.get(f"/es/directory/authorities/{authority.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Autoridad" in page
    assert "<script>alert(1)" not in page


def test_office_hours_are_edited_as_rows(world, focal_point_a):
    client = client_for(focal_point_a)
    authority = world.public_authority
    data = form_data(client, edit_url(authority))
    assert data["office_hours-TOTAL_FORMS"] == "3"  # one row and two empty ones
    data.update({"office_hours-1-weekday": "4", "office_hours-1-opens": "10:00",
                 "office_hours-1-closes": "14:00", "office_hours-0-DELETE": ["on"]})
    assert client.post(edit_url(authority), data).status_code == 302
    hours = list(authority.office_hours.values_list("weekday", "opens", "closes"))
    assert [(w, o.hour, c.hour) for w, o, c in hours] == [(4, 10, 14)]

    data = form_data(client, edit_url(authority))
    data.update({"office_hours-1-weekday": "1", "office_hours-1-opens": "18:00",
                 "office_hours-1-closes": "09:00"})
    response = client.post(edit_url(authority), data)
    assert "The office must close after it opens." in response.content.decode()
    assert authority.office_hours.count() == 1


def test_a_focal_point_creates_an_authority_with_channels_and_languages(world, focal_point_a):
    client = client_for(focal_point_a)
    url = "/en/directory/manage/mex/authority/new/"
    data = form_data(client, url)
    data.update(kind="competent", name_en="Fiscalía Especializada", name_es="Fiscalía",
                time_zone="America/Mexico_City", channels=["email", "secure"],
                accepted_languages=[str(pk) for pk in __import__(
                    "palermo.reference.models", fromlist=["Language"]).Language.objects.filter(
                    code__in=["es", "en"]).values_list("pk", flat=True)],
                visibility="restricted")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Authority.objects.get(name_en="Fiscalía Especializada")
    assert created.state.code == "MEX" and created.channels == ["email", "secure"]
    assert sorted(created.accepted_languages.values_list("code", flat=True)) == ["en", "es"]
    record = created.history.get()
    assert record.history_type == "+" and record.history_user == focal_point_a
    assert sorted(language.language.code for language in record.accepted_languages.all()) == [
        "en", "es"]
    # Restricted: not on the public State page, on the practitioners' one.
    assert "Fiscalía Especializada" not in client_for(None).get(
        "/en/directory/states/mex/").content.decode()


def test_contacts_designations_and_profile_sections_are_edited(world, focal_point_a):
    from palermo.directory.models import ContactPerson, Designation, ProfileSection
    from palermo.reference.models import Provision

    client = client_for(focal_point_a)
    authority = world.public_authority
    # A contact person, restricted.
    url = f"/en/directory/manage/mex/contact/new/?authority={authority.pk}"
    data = form_data(client, url)
    assert data["authority"] == str(authority.pk)
    data.update(name="María López", email="maria@example.org", phone="+525512345678",
                visibility="restricted")
    assert client.post(url, data).status_code == 302
    contact = ContactPerson.objects.get(name="María López")
    assert contact.visibility == "restricted" and contact.authority == authority
    # A designation.
    url = f"/en/directory/manage/mex/designation/new/?authority={authority.pk}"
    data = form_data(client, url)
    provision = Provision.objects.get(instrument__code="untoc", code="art-16-5-a")
    data.update(provision=str(provision.pk), function="extradition",
                scope_note_ar="نطاق", notified_on="2004-05-06")
    assert client.post(url, data).status_code == 302
    designation = Designation.objects.get(authority=authority, provision=provision)
    assert designation.scope_note_ar == "نطاق"
    # The same designation twice is refused, with a message.
    response = client.post(url, data)
    assert response.status_code == 200 and "already exists" in response.content.decode()
    # A designation is edited with its last-updated time as version, and deleted.
    data = form_data(client, url_of(designation))
    data["source"] = "C.N.123.2004.TREATIES"
    assert client.post(url_of(designation), data).status_code == 302
    designation.refresh_from_db()
    assert designation.source == "C.N.123.2004.TREATIES"
    stale_delete = {"version": data["version"]}  # the version before the edit
    assert client.post(url_of(designation, "delete"), stale_delete).status_code == 409
    assert Designation.objects.filter(pk=designation.pk).exists()
    fresh = form_data(client, url_of(designation))["version"]
    assert client.post(url_of(designation, "delete"), {"version": fresh}).status_code == 302
    assert not Designation.objects.filter(pk=designation.pk).exists()
    # A profile section with its checklist and laws.
    url = "/en/directory/manage/mex/profile/new/?measure=transfer"
    data = form_data(client, url)
    assert data["measure"] == "transfer"
    data.update({"summary_en": "Requests go through the central authority.",
                 "summary_zh_hans": "请求通过中央机关提出。", "visibility": "public",
                 "checklist-0-position": "1", "checklist-0-text_en": "The sentence",
                 "checklist-0-text_fr": "Le jugement",
                 "laws-0-title": "Ley de Ejecución", "laws-0-url": "https://example.org/ley"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    section = ProfileSection.objects.get(state__code="MEX", measure="transfer")
    assert section.summary_zh_hans == "请求通过中央机关提出。"
    assert [item.text_fr for item in section.checklist.all()] == ["Le jugement"]
    assert [law.url for law in section.laws.all()] == ["https://example.org/ley"]
    page = client_for(None).get("/zh-hans/directory/states/mex/").content.decode()
    assert "请求通过中央机关提出。" in page
    # A law without a valid address is refused; nothing changes.
    data = form_data(client, url_of(section))
    data["laws-0-url"] = "not a link"
    response = client.post(url_of(section), data)
    assert response.status_code == 200 and "Enter a valid URL." in response.content.decode()
    assert [law.url for law in section.laws.all()] == ["https://example.org/ley"]


def test_only_the_secretariat_edits_resources(world, secretariat, focal_point_a):
    from palermo.directory.models import Resource

    url = "/en/directory/manage/resources/new/"
    assert client_for(focal_point_a).get(url).status_code == 404
    assert client_for(focal_point_a).get("/en/directory/manage/resources/").status_code == 404
    client = client_for(secretariat)
    data = form_data(client, url)
    data.update(title_en="Model Law on Mutual Assistance", title_ru="Типовой закон",
                kind="model_law", url="https://example.org/model-law", year="2007")
    assert client.post(url, data).status_code == 302
    resource = Resource.objects.get(title_en="Model Law on Mutual Assistance")
    edit = f"/en/directory/manage/resources/{resource.pk}/"
    data = form_data(client, edit)
    data["year"] = "2099x"
    response = client.post(edit, data)
    assert response.status_code == 200 and "Enter a whole number." in response.content.decode()
    assert client_for(focal_point_a).get(edit).status_code == 404
    assert client_for(focal_point_a).post(edit, data).status_code == 404
    delete = edit + "delete/"
    token = form_data(client, edit)["version"]
    assert client_for(focal_point_a).post(delete, {"version": token}).status_code == 404
    assert client.post(delete, {"version": token}).status_code == 302
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_an_edit_reaches_the_cached_public_page_and_the_search(world, focal_point_a):
    from django.core.cache import cache

    cache.clear()
    anonymous = client_for(None)
    page_url = f"/en/directory/authorities/{world.public_authority.pk}/"
    assert "Procuraduría Renombrada" not in anonymous.get(page_url).content.decode()
    assert anonymous.get(page_url)["X-Palermo-Page-Cache"] == "hit"
    client = client_for(focal_point_a)
    data = form_data(client, edit_url(world.public_authority))
    data["name_en"] = "Procuraduría Renombrada"
    assert client.post(edit_url(world.public_authority), data).status_code == 302
    assert "Procuraduría Renombrada" in anonymous.get(page_url).content.decode()
    found = anonymous.get("/en/directory/search/?q=procuraduria+renombrada").content.decode()
    assert "Procuraduría Renombrada" in found


def test_an_authority_is_deleted_with_what_hangs_from_it_and_the_deletion_is_audited(
        world, focal_point_a):
    from palermo.directory.models import ContactPerson

    client = client_for(focal_point_a)
    authority = world.public_authority
    url = edit_url(authority) + "delete/"
    page = client.get(url).content.decode()
    assert "will be removed from the directory" in page
    assert client.post(url, {"version": "1"}).status_code == 302
    assert not Authority.objects.filter(pk=authority.pk).exists()
    assert not ContactPerson.objects.filter(authority_id=authority.pk).exists()
    deleted = Authority.history.filter(id=authority.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == focal_point_a
    assert client.get(edit_url(authority)).status_code == 404


def test_bad_versions_and_bad_addresses_never_answer_500(world, focal_point_a):
    client = client_for(focal_point_a)
    authority = world.public_authority
    data = form_data(client, edit_url(authority))
    data["version"] = "not-a-number"
    assert client.post(edit_url(authority), data).status_code == 409  # treated as stale
    assert client.post(edit_url(authority) + "delete/", {}).status_code == 200
    for url in ("/en/directory/manage/xyz/", "/en/directory/manage/mex/nonsense/1/",
                "/en/directory/manage/mex/resource/new/",
                "/en/directory/manage/mex/authority/999999/",
                f"/en/directory/manage/fra/authority/{authority.pk}/"):
        assert client.get(url).status_code == 404, url
    authority.refresh_from_db()
    assert authority.version == 1


def test_a_second_section_for_the_same_measure_is_refused_with_a_message(world, focal_point_a):
    from palermo.directory.models import ProfileSection

    client = client_for(focal_point_a)
    url = "/en/directory/manage/mex/profile/new/?measure=mla"
    data = form_data(client, url)
    data["summary_en"] = "A second summary"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert ProfileSection.objects.filter(state__code="MEX", measure="mla").count() == 1
