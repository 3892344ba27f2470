"""Who may edit what: the State's focal points and editors, and the secretariat; everyone else
gets 404, as for what does not exist. Every editing page needs a second factor, and runs a
bounded number of queries."""

from __future__ import annotations

import pytest

from palermo.core.models import Visibility
from palermo.directory.models import Authority, Designation, Measure
from tests.directory.factories import make_authority, make_contact, make_section
from tests.personas import client_for, make_person

PEOPLE = ["anonymous", "practitioner_a", "editor_a", "focal_point_a", "focal_point_b",
          "secretariat"]
# Who may edit State A (Mexico) and State B (France).
EDITS = {"A": {"editor_a", "focal_point_a", "secretariat"},
         "B": {"focal_point_b", "secretariat"}}


@pytest.fixture
def both_states(world, state_b):
    other = make_authority(state_b, "OTHERAUTH", Visibility.RESTRICTED)
    return {
        "A": {"code": "mex", "authority": world.public_authority,
              "restricted": world.restricted_authority, "contact": world.restricted_contact,
              "designation": world.public_authority.designations.get(),
              "profile": world.restricted_section},
        "B": {"code": "fra", "authority": other, "restricted": other,
              "contact": make_contact(other, "OTHERPERSON", Visibility.PUBLIC),
              "designation": other.designations.get(),
              "profile": make_section(state_b, Measure.MLA, "OTHERPROFILE",
                                      Visibility.PUBLIC)},
    }


def pages(entries) -> list[str]:
    code = entries["code"]
    base = f"/en/directory/manage/{code}"
    urls = [f"{base}/", f"{base}/authority/new/", f"{base}/contact/new/",
            f"{base}/designation/new/", f"{base}/profile/new/?measure=sea"]
    for kind in ("authority", "contact", "designation", "profile"):
        pk = entries[kind].pk
        urls += [f"{base}/{kind}/{pk}/", f"{base}/{kind}/{pk}/delete/",
                 f"{base}/{kind}/{pk}/history/"]
    urls.append(f"{base}/authority/{entries['restricted'].pk}/history/")
    return urls


def person(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("which", ["A", "B"])
def test_editing_pages_answer_200_to_editors_of_the_state_and_404_to_everyone_else(
        request, both_states, name, which):
    client = client_for(person(request, name))
    expected = 200 if name in EDITS[which] else 404
    for url in pages(both_states[which]):
        assert client.get(url).status_code == expected, (name, url)


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("which", ["A", "B"])
def test_changes_are_refused_with_404_to_whoever_may_not_edit_the_state(
        request, both_states, name, which):
    if name in EDITS[which]:
        return  # their changes are tested in test_editing
    entries = both_states[which]
    authority = entries["authority"]
    base = f"/en/directory/manage/{entries['code']}"
    client = client_for(person(request, name))
    record = authority.history.earliest()
    attempts = [
        (f"{base}/authority/{authority.pk}/", {"name_en": "Taken over", "version": "1",
                                               "kind": "central", "time_zone": "UTC",
                                               "visibility": "public",
                                               "office_hours-TOTAL_FORMS": "0",
                                               "office_hours-INITIAL_FORMS": "0"}),
        (f"{base}/authority/{authority.pk}/delete/", {"version": "1"}),
        (f"{base}/authority/{authority.pk}/history/{record.history_id}/revert/",
         {"version": "1"}),
        (f"{base}/designation/{entries['designation'].pk}/delete/",
         {"version": entries["designation"].updated_at.isoformat()}),
        (f"{base}/authority/new/", {"name_en": "Planted", "kind": "central",
                                    "time_zone": "UTC", "visibility": "public",
                                    "office_hours-TOTAL_FORMS": "0",
                                    "office_hours-INITIAL_FORMS": "0"}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 404, (name, url)
    authority.refresh_from_db()
    assert authority.name_en != "Taken over" and authority.version == 1
    assert Designation.objects.filter(pk=entries["designation"].pk).exists()
    assert not Authority.objects.filter(name_en="Planted").exists()


def test_the_manage_home_leads_each_person_to_their_state(world, focal_point_a, secretariat,
                                                         practitioner_a, client):
    response = client_for(focal_point_a).get("/en/directory/manage/")
    assert response.status_code == 302 and response["Location"].endswith("/manage/mex/")
    page = client_for(secretariat).get("/en/directory/manage/").content.decode()
    assert '<option value="FRA">France</option>' in page
    response = client_for(secretariat).get("/en/directory/manage/?state=fra")
    assert response["Location"].endswith("/manage/fra/")
    assert client_for(practitioner_a).get("/en/directory/manage/").status_code == 404
    assert client.get("/en/directory/manage/").status_code == 404


def test_editing_needs_a_second_factor(world, state_a):
    from palermo.accounts.models import Membership
    from palermo.directory import services

    editor = make_person("editor-without@example.org", state="MEX",
                         role=Membership.Role.EDITOR, second_factor=False)
    client = client_for(editor)
    authority = world.public_authority
    url = f"/en/directory/manage/mex/authority/{authority.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and "/totp/" in response["Location"]
    response = client.post(url, {"name_en": "Changed", "version": "1"})
    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.name_en == "PUBLICAUTH name"
    authority.city = "Changed"
    with pytest.raises(services.EditNotAllowed):
        services.entry_save(user=editor, instance=authority, token="1")
    # The public page still offers the editing link: it leads to setting up the second factor.
    assert "Edit this authority" in client.get(
        f"/en/directory/authorities/{authority.pk}/").content.decode()


def test_edit_links_appear_only_for_those_who_may_edit(world, focal_point_a, focal_point_b,
                                                      practitioner_a, secretariat, client):
    authority = f"/en/directory/authorities/{world.public_authority.pk}/"
    state = "/en/directory/states/mex/"
    for user, shown in [(None, False), (practitioner_a, False), (focal_point_b, False),
                        (focal_point_a, True), (secretariat, True)]:
        visitor = client_for(user)
        assert ("Edit this authority" in visitor.get(authority).content.decode()) == shown
        assert ("/directory/manage/mex/" in visitor.get(state).content.decode()) == shown


QUERY_PAGES = ["", "authority/new/", "contact/new/", "designation/new/", "profile/new/",
               "authority/{authority}/", "authority/{authority}/delete/",
               "authority/{authority}/history/", "contact/{contact}/",
               "contact/{contact}/history/", "designation/{designation}/",
               "designation/{designation}/history/", "profile/{profile}/",
               "profile/{profile}/history/"]


@pytest.mark.parametrize("page", QUERY_PAGES)
def test_editing_pages_run_a_bounded_number_of_queries(world, focal_point_a, page,
                                                       django_assert_max_num_queries):
    from palermo.directory import services

    # Some history to show: three changes to each entry.
    changed = {world.public_authority: "city", world.public_contact: "position",
               world.public_section: "costs"}
    for entry, field in changed.items():
        for value in ("one", "two", "three"):
            fresh = type(entry).objects.get(pk=entry.pk)
            setattr(fresh, field, value)
            services.entry_save(user=focal_point_a, instance=fresh,
                                token=services.version_token(fresh))
    url = "/en/directory/manage/mex/" + page.format(
        authority=world.public_authority.pk, contact=world.public_contact.pk,
        designation=world.public_authority.designations.get().pk,
        profile=world.public_section.pk)
    client = client_for(focal_point_a)
    with django_assert_max_num_queries(10):  # session, user, second factor (2), roles + 5
        response = client.get(url)
    assert response.status_code == 200


def test_the_secretariat_pages_run_a_bounded_number_of_queries(world, secretariat,
                                                            django_assert_max_num_queries):
    from palermo.directory.models import Resource

    client = client_for(secretariat)
    resource = Resource.objects.first()
    assert resource is not None
    for url in ("/en/directory/manage/", "/en/directory/manage/resources/",
                "/en/directory/manage/resources/new/",
                f"/en/directory/manage/resources/{resource.pk}/"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
