""""Confirm still accurate": a focal point of the State, or the secretariat, confirms its
entries without changing them, and the State's page shows the date, to anonymous visitors too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from palermo.accounts.models import Membership
from palermo.freshness.models import Confirmation
from tests.personas import client_for, make_person

PAGE = "/en/directory/states/mex/"
CONFIRM = "/en/freshness/states/mex/confirm/"


def test_anonymous_visitors_see_the_new_date_at_once_after_a_confirmation(world,
                                                                           focal_point_a):
    anonymous = Client()
    first = anonymous.get(PAGE)
    assert "Not yet confirmed as accurate." in first.content.decode()
    assert anonymous.get(PAGE)["X-Palermo-Page-Cache"] == "hit"
    response = client_for(focal_point_a).post(CONFIRM, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "confirmed as accurate today" in response.content.decode()
    after = anonymous.get(PAGE)
    assert after["X-Palermo-Page-Cache"] == "miss"
    today = date_format(timezone.now(), "DATE_FORMAT")
    assert f"Last confirmed as accurate {today}." in after.content.decode()
    assert "Confirm still accurate" not in after.content.decode()
    confirmation = Confirmation.objects.get()
    assert (confirmation.state.code, confirmation.confirmed_by) == ("MEX", focal_point_a)


def test_the_confirmation_changes_no_entry(world, secretariat):
    before = world.public_authority.updated_at
    assert client_for(secretariat).post(CONFIRM).status_code == 302
    world.public_authority.refresh_from_db()
    assert world.public_authority.updated_at == before


def test_the_button_is_offered_only_to_those_who_may_confirm(world, persona):
    name, user = persona
    page = client_for(user).get(PAGE).content.decode()
    assert ("Confirm still accurate" in page) == (name in {"focal_point_a", "secretariat"})


@pytest.mark.parametrize(("name", "status"), [
    ("practitioner_a", 404), ("editor_a", 404), ("focal_point_b", 404),
    ("focal_point_a", 302), ("secretariat", 302),
])
def test_only_the_states_focal_points_and_the_secretariat_may_confirm(world, request, name,
                                                                      status):
    user = request.getfixturevalue(name)
    assert client_for(user).post(CONFIRM).status_code == status
    assert Confirmation.objects.count() == (1 if status == 302 else 0)


def test_anonymous_visitors_are_sent_to_sign_in(world):
    response = Client().post(CONFIRM)
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert not Confirmation.objects.exists()


def test_a_focal_point_without_a_second_factor_is_sent_to_set_one_up(world):
    user = make_person("no-totp@example.org", state="MEX", role=Membership.Role.FOCAL_POINT,
                       second_factor=False)
    response = client_for(user).post(CONFIRM)
    assert response.status_code == 302 and "totp" in response["Location"]
    assert not Confirmation.objects.exists()


def test_confirming_needs_a_post_and_a_csrf_token(world, focal_point_a):
    assert client_for(focal_point_a).get(CONFIRM).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(focal_point_a)
    assert strict.post(CONFIRM).status_code == 403
    assert not Confirmation.objects.exists()


def test_an_unknown_state_is_not_found(world, secretariat):
    assert client_for(secretariat).post("/en/freshness/states/zzz/confirm/").status_code == 404


def test_the_state_page_reads_the_confirmation_in_one_query(world, focal_point_a,
                                                            django_assert_max_num_queries):
    client_for(focal_point_a).post(CONFIRM)
    with django_assert_max_num_queries(10):  # the directory page's 9, and the confirmation
        assert Client().get(PAGE)["X-Palermo-Page-Cache"] == "miss"
