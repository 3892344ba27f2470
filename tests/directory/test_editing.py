"""Editing the directory: forms, services, permissions, stale saves and the second factor."""

from __future__ import annotations

from typing import Any

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
