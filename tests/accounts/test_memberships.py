"""A focal point sees and revokes its own State's memberships; the secretariat every State's."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from palermo.accounts.models import Membership
from tests.personas import client_for


def membership(user, state: str) -> Membership:
    return Membership.objects.get(user=user, state__code=state)


def test_a_focal_point_sees_the_memberships_of_its_own_state_only(
        focal_point_a, practitioner_a, editor_a, focal_point_b):
    html = client_for(focal_point_a).get("/en/account/memberships/").content.decode()
    for person in (focal_point_a, practitioner_a, editor_a):
        assert person.email in html
    assert focal_point_b.email not in html
    assert 'name="state"' not in html  # one State: no filter


def test_the_secretariat_sees_every_state_and_filters_by_state(
        secretariat, focal_point_a, focal_point_b):
    client = client_for(secretariat)
    html = client.get("/en/account/memberships/").content.decode()
    assert focal_point_a.email in html and focal_point_b.email in html
    france = client.get("/en/account/memberships/?state=FRA").content.decode()
    assert focal_point_b.email in france and focal_point_a.email not in france
    assert '<option value="FRA" selected>' in france


def test_an_unknown_state_in_the_filter_is_refused_plainly(secretariat, focal_point_a):
    response = client_for(secretariat).get("/en/account/memberships/?state=ZZZ")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_focal_point_revokes_a_membership_of_its_state(focal_point_a, practitioner_a):
    client = client_for(focal_point_a)
    target = membership(practitioner_a, "MEX")
    response = client.post(f"/en/account/memberships/{target.pk}/revoke/", follow=True)
    assert "is no longer Practitioner for Mexico" in response.content.decode()
    assert not practitioner_a.memberships.exists()
    history = Membership.history.filter(id=target.pk).latest("history_date")
    assert history.history_type == "-" and history.history_user == focal_point_a


def test_a_revoked_practitioner_no_longer_sees_restricted_entries(focal_point_a,
                                                                  practitioner_a):
    client_for(focal_point_a).post(
        f"/en/account/memberships/{membership(practitioner_a, 'MEX').pk}/revoke/")
    from palermo.directory.access import sees_restricted

    practitioner_a.refresh_from_db()
    assert not sees_restricted(practitioner_a)


def test_a_focal_point_cannot_revoke_another_states_membership(focal_point_a, focal_point_b):
    target = membership(focal_point_b, "FRA")
    response = client_for(focal_point_a).post(f"/en/account/memberships/{target.pk}/revoke/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=target.pk).exists()


def test_nobody_revokes_their_own_role(focal_point_a):
    target = membership(focal_point_a, "MEX")
    response = client_for(focal_point_a).post(f"/en/account/memberships/{target.pk}/revoke/",
                                              follow=True)
    assert "You cannot revoke your own role" in response.content.decode()
    assert Membership.objects.filter(pk=target.pk).exists()


def test_the_secretariat_revokes_any_states_membership(secretariat, focal_point_b):
    target = membership(focal_point_b, "FRA")
    client_for(secretariat).post(f"/en/account/memberships/{target.pk}/revoke/")
    assert not Membership.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("name", ["practitioner_a", "editor_a"])
def test_editors_and_practitioners_get_not_found(request, name, focal_point_a):
    client = client_for(request.getfixturevalue(name))
    target = membership(focal_point_a, "MEX")
    assert client.get("/en/account/memberships/").status_code == 404
    assert client.post(f"/en/account/memberships/{target.pk}/revoke/").status_code == 404
    assert Membership.objects.filter(pk=target.pk).exists()


def test_a_missing_membership_answers_like_a_forbidden_one(focal_point_a, focal_point_b):
    client = client_for(focal_point_a)
    pk = membership(focal_point_b, "FRA").pk
    forbidden = client.post(f"/en/account/memberships/{pk}/revoke/")
    missing = client.post("/en/account/memberships/999999/revoke/")
    assert forbidden.status_code == missing.status_code == 404
    # The page links to itself in other languages and carries a fresh CSRF token each time.
    def normalize(response, number: int) -> str:
        body = response.content.decode().replace(f"/{number}/", "/N/")
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", body)

    assert normalize(forbidden, pk) == normalize(missing, 999999)


def test_anonymous_visitors_are_asked_to_sign_in(reference_data):
    response = Client().get("/en/account/memberships/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/sign-in/?next=")


def test_revoking_needs_a_post(focal_point_a, practitioner_a):
    target = membership(practitioner_a, "MEX")
    assert client_for(focal_point_a).get(
        f"/en/account/memberships/{target.pk}/revoke/").status_code == 405
    assert Membership.objects.filter(pk=target.pk).exists()


def test_the_memberships_page_runs_a_bounded_number_of_queries(
        secretariat, focal_point_a, practitioner_a, editor_a, focal_point_b,
        django_assert_max_num_queries):
    for user in (secretariat, focal_point_a):
        client = client_for(user)
        with django_assert_max_num_queries(8):
            assert client.get("/en/account/memberships/").status_code == 200
        with django_assert_max_num_queries(8):
            assert client.get("/en/account/memberships/?state=MEX").status_code == 200
