"""The authority a member works at, and the reviewers of requests: invited with an authority,
shown on the pages, set or cleared by focal points and the secretariat, and reviewers need a
second factor like everyone who changes data."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from palermo.accounts.models import Invitation, Membership, User
from palermo.core.models import Visibility
from palermo.directory.models import Authority
from tests.accounts.test_invitations import accept_as_new_person, invite, link_in
from tests.directory.factories import make_authority
from tests.personas import STATE_A, client_for, make_person

SETUP = "/en/account/2fa/totp/activate/"


@pytest.fixture
def mex_central(state_a) -> Authority:
    return make_authority(state_a, "MexCentral", Visibility.PUBLIC)


@pytest.fixture
def mex_prosecutor(state_a) -> Authority:
    return make_authority(state_a, "MexProsecutor", Visibility.RESTRICTED,
                          kind=Authority.Kind.COMPETENT)


@pytest.fixture
def fra_central(state_b) -> Authority:
    return make_authority(state_b, "FraCentral", Visibility.PUBLIC)


def membership(user: User, state: str = STATE_A) -> Membership:
    return Membership.objects.get(user=user, state__code=state)


def set_authority(client: Client, target: Membership, authority: Authority | None, **extra):
    return client.post(f"/en/account/memberships/{target.pk}/authority/",
                       {"authority": authority.pk if authority else "", **extra}, follow=True)


# --- reviewers and the second factor -----------------------------------------------------


def test_a_reviewer_without_a_second_factor_is_told_to_set_one_up(reference_data):
    reviewer = make_person("unprotected-reviewer@example.org", state=STATE_A,
                           role=Membership.Role.REVIEWER, second_factor=False)
    client = client_for(reviewer)
    assert "Required for your role, not set up yet" in client.get(
        "/en/account/me/").content.decode()
    # Pages that change data send the reviewer to set one up first.
    response = client.get("/en/account/memberships/")
    assert (response.status_code, response["Location"]) == (302, SETUP)


def test_a_reviewer_with_a_second_factor_is_not_asked_again(reviewer_a, reviewer_b):
    for reviewer in (reviewer_a, reviewer_b):
        html = client_for(reviewer).get("/en/account/me/").content.decode()
        assert "Authenticator app set up" in html and "Reviewer of requests" in html
        # Reviewers manage no one's accounts.
        assert client_for(reviewer).get("/en/account/memberships/").status_code == 404


# --- invitations with an authority ---------------------------------------------------------


def test_a_focal_point_may_invite_reviewers_with_an_authority_of_its_state(
        focal_point_a, mex_central, mex_prosecutor, fra_central):
    form = client_for(focal_point_a).get("/en/account/invitations/new/").content.decode()
    assert 'value="reviewer"' in form and "Reviewer of requests" in form
    assert 'name="authority"' in form
    assert f'<option value="{mex_central.pk}">MexCentral name</option>' in form
    assert f'<option value="{mex_prosecutor.pk}">MexProsecutor name</option>' in form
    assert "FraCentral" not in form
    assert 'name="show_authorities"' not in form  # one State: its authorities are listed


def test_an_invited_reviewer_accepts_and_works_at_the_authority(focal_point_a, mex_central):
    client = client_for(focal_point_a)
    response = invite(client, email="reviewer.new@example.org", role="reviewer", state="MEX",
                      authority=str(mex_central.pk))
    assert response["Location"] == "/en/account/invitations/"
    invitation = Invitation.objects.get()
    assert invitation.authority == mex_central
    message = mail.outbox[-1]
    assert "Your role is at this authority: MexCentral name." in message.body
    assert "MexCentral name" in client.get("/en/account/invitations/").content.decode()
    link = link_in(message)
    assert "MexCentral name" in Client().get(link).content.decode()
    _client, accepted = accept_as_new_person(link)
    # A reviewer changes data: straight on to set up the second factor.
    assert accepted["Location"] == SETUP
    reviewer = User.objects.get(email="reviewer.new@example.org")
    assert list(reviewer.memberships.values_list("state__code", "role", "authority")) == [
        ("MEX", "reviewer", mex_central.pk)]


def test_an_authority_is_optional(focal_point_a, mex_central):
    invite(client_for(focal_point_a), email="plain@example.org", role="practitioner",
           state="MEX")
    assert Invitation.objects.get().authority is None
    assert "authority" not in mail.outbox[-1].body
    accept_as_new_person(link_in(mail.outbox[-1]))
    assert membership(User.objects.get(email="plain@example.org")).authority is None


def test_an_authority_of_another_state_is_refused_plainly(focal_point_a, secretariat,
                                                          fra_central):
    response = invite(client_for(focal_point_a), email="x@example.org", role="reviewer",
                      state="MEX", authority=str(fra_central.pk))
    assert response.status_code == 200
    assert "FraCentral name is not an authority of Mexico" in response.content.decode()
    response = invite(client_for(secretariat), email="x@example.org", role="editor",
                      state="MEX", authority=str(fra_central.pk))
    assert "FraCentral name is not an authority of Mexico" in response.content.decode()
    response = invite(client_for(secretariat), email="x@example.org", role="secretariat",
                      authority=str(fra_central.pk))
    assert "The secretariat works at no authority of a State" in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_unknown_authority_is_refused(focal_point_a):
    response = invite(client_for(focal_point_a), email="x@example.org", role="reviewer",
                      state="MEX", authority="999999")
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_secretariat_lists_the_authorities_of_the_chosen_state_without_javascript(
        secretariat, mex_central, fra_central):
    client = client_for(secretariat)
    form = client.get("/en/account/invitations/new/").content.decode()
    assert 'name="show_authorities"' in form
    assert "FraCentral" not in form  # no State chosen yet: no long list
    shown = client.post("/en/account/invitations/new/", {
        "email": "reviewer.fra@example.org", "role": "reviewer", "state": "FRA",
        "language": "fr", "show_authorities": "1"}).content.decode()
    assert f'<option value="{fra_central.pk}">FraCentral name</option>' in shown
    assert "MexCentral" not in shown
    assert 'value="reviewer.fra@example.org"' in shown  # what was typed is kept
    assert "errorlist" not in shown and 'role="alert"' not in shown
    assert not Invitation.objects.exists() and mail.outbox == []
    invite(client, email="reviewer.fra@example.org", role="reviewer", state="FRA",
           authority=str(fra_central.pk))
    assert Invitation.objects.get().authority == fra_central


# --- the memberships page ------------------------------------------------------------------


def test_the_memberships_page_shows_each_members_authority(focal_point_a, practitioner_a,
                                                           mex_central, mex_prosecutor):
    Membership.objects.filter(user=practitioner_a).update(authority=mex_prosecutor)
    html = client_for(focal_point_a).get("/en/account/memberships/").content.decode()
    assert f'<option value="{mex_prosecutor.pk}" selected>MexProsecutor name</option>' in html
    assert f'<option value="{mex_central.pk}">MexCentral name</option>' in html
    assert f'action="/en/account/memberships/{membership(practitioner_a).pk}/authority/"' in html
    assert f'<input type="hidden" name="shown" value="{mex_prosecutor.pk}">' in html
    assert '<input type="hidden" name="shown" value="">' in html  # the others have none


def test_a_focal_point_sets_and_clears_a_members_authority(focal_point_a, practitioner_a,
                                                           mex_central):
    client = client_for(focal_point_a)
    target = membership(practitioner_a)
    response = set_authority(client, target, mex_central)
    assert response.redirect_chain[-1][0] == "/en/account/memberships/"
    assert "now works at MexCentral name" in response.content.decode()
    target.refresh_from_db()
    assert target.authority == mex_central
    latest = Membership.history.filter(id=target.pk).latest("history_date")
    assert (latest.history_type, latest.history_user, latest.authority_id) == (
        "~", focal_point_a, mex_central.pk)
    assert latest.prev_record.authority_id is None
    response = set_authority(client, target, None)
    assert "is no longer attached to an authority" in response.content.decode()
    target.refresh_from_db()
    assert target.authority is None
    # Its own: a focal point records where it works too.
    set_authority(client, membership(focal_point_a), mex_central)
    assert membership(focal_point_a).authority == mex_central


def test_an_authority_of_another_state_is_refused_and_changes_nothing(
        secretariat, practitioner_a, mex_central, fra_central):
    target = membership(practitioner_a)
    Membership.objects.filter(pk=target.pk).update(authority=mex_central)
    versions = Membership.history.filter(id=target.pk).count()
    response = set_authority(client_for(secretariat), target, fra_central,
                             filtered_state="MEX")
    assert response.redirect_chain[-1][0] == "/en/account/memberships/?state=MEX"
    assert ("FraCentral name is not an authority of Mexico: choose one of the State of this "
            "role.") in response.content.decode()
    target.refresh_from_db()
    assert target.authority == mex_central
    assert Membership.history.filter(id=target.pk).count() == versions


@pytest.mark.parametrize("value", ["999999", "not-a-number"])
def test_an_unknown_authority_changes_nothing(focal_point_a, practitioner_a, mex_central, value):
    target = membership(practitioner_a)
    Membership.objects.filter(pk=target.pk).update(authority=mex_central)
    response = client_for(focal_point_a).post(
        f"/en/account/memberships/{target.pk}/authority/", {"authority": value}, follow=True)
    assert "This authority does not exist, or you may not see it." in response.content.decode()
    target.refresh_from_db()
    assert target.authority == mex_central


def test_a_focal_point_cannot_touch_another_states_membership(focal_point_a, focal_point_b,
                                                              fra_central):
    target = membership(focal_point_b, "FRA")
    client = client_for(focal_point_a)
    forbidden = client.post(f"/en/account/memberships/{target.pk}/authority/",
                            {"authority": fra_central.pk})
    missing = client.post("/en/account/memberships/999999/authority/",
                          {"authority": fra_central.pk})
    assert forbidden.status_code == missing.status_code == 404
    target.refresh_from_db()
    assert target.authority is None


def test_the_secretariat_sets_any_states_authority(secretariat, focal_point_b, fra_central):
    target = membership(focal_point_b, "FRA")
    set_authority(client_for(secretariat), target, fra_central)
    target.refresh_from_db()
    assert target.authority == fra_central


@pytest.mark.parametrize("name", ["practitioner_a", "editor_a", "reviewer_a"])
def test_others_get_not_found_and_change_nothing(request, name, focal_point_a, mex_central):
    target = membership(focal_point_a)
    client = client_for(request.getfixturevalue(name))
    response = client.post(f"/en/account/memberships/{target.pk}/authority/",
                           {"authority": mex_central.pk})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.authority is None


def test_anonymous_visitors_change_nothing(focal_point_a, mex_central):
    target = membership(focal_point_a)
    response = Client().post(f"/en/account/memberships/{target.pk}/authority/",
                             {"authority": mex_central.pk})
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    target.refresh_from_db()
    assert target.authority is None


def test_when_the_lists_would_be_long_each_row_links_to_a_page_of_its_own(
        monkeypatch, secretariat, practitioner_a, focal_point_b, mex_central, mex_prosecutor,
        fra_central, django_assert_max_num_queries):
    from palermo.accounts import views

    monkeypatch.setattr(views, "INLINE_AUTHORITY_OPTIONS", 1)
    Membership.objects.filter(user=practitioner_a).update(authority=mex_prosecutor)
    client = client_for(secretariat)
    listing = client.get("/en/account/memberships/").content.decode()
    target = membership(practitioner_a)
    page_url = f"/en/account/memberships/{target.pk}/authority/"
    assert 'name="authority"' not in listing
    assert f'href="{page_url}"' in listing and "MexProsecutor name" in listing
    filtered = client.get("/en/account/memberships/?state=MEX").content.decode()
    assert f'href="{page_url}?state=MEX"' in filtered
    with django_assert_max_num_queries(8):
        page = client.get(page_url + "?state=MEX").content.decode()
    assert "practitioner-a@example.org</bdi> is Practitioner for Mexico" in page
    assert f'<option value="{mex_prosecutor.pk}" selected>MexProsecutor name</option>' in page
    assert "MexCentral name" in page and "FraCentral" not in page
    assert 'name="filtered_state" value="MEX"' in page
    response = set_authority(client, target, mex_central, shown=str(mex_prosecutor.pk),
                             filtered_state="MEX")
    assert response.redirect_chain[-1][0] == "/en/account/memberships/?state=MEX"
    target.refresh_from_db()
    assert target.authority == mex_central


def test_the_page_of_a_role_answers_only_who_manages_it(focal_point_a, focal_point_b,
                                                        practitioner_a):
    own = f"/en/account/memberships/{membership(practitioner_a).pk}/authority/"
    other = f"/en/account/memberships/{membership(focal_point_b, 'FRA').pk}/authority/"
    assert client_for(focal_point_a).get(own).status_code == 200
    assert client_for(focal_point_a).get(other).status_code == 404
    assert client_for(practitioner_a).get(own).status_code == 404
    assert client_for(focal_point_a).put(own).status_code == 405


def test_the_memberships_page_stays_bounded_with_authorities(
        secretariat, focal_point_a, practitioner_a, editor_a, reviewer_a, focal_point_b,
        reviewer_b, mex_central, mex_prosecutor, fra_central, django_assert_max_num_queries):
    Membership.objects.filter(state__code="MEX").update(authority=mex_central)
    Membership.objects.filter(state__code="FRA").update(authority=fra_central)
    for user in (secretariat, focal_point_a):
        client = client_for(user)
        with django_assert_max_num_queries(9):
            assert client.get("/en/account/memberships/").status_code == 200


# --- the account page ----------------------------------------------------------------------


def test_the_account_page_lists_the_roles_with_their_authority(reviewer_a, mex_central,
                                                               django_assert_max_num_queries):
    Membership.objects.filter(user=reviewer_a).update(authority=mex_central)
    client = client_for(reviewer_a)
    with django_assert_max_num_queries(6):
        html = client.get("/en/account/me/").content.decode()
    assert "Reviewer of requests" in html
    assert f'at <a href="/en/directory/authorities/{mex_central.pk}/">MexCentral name</a>' in html


def test_a_change_made_meanwhile_is_not_overwritten(focal_point_a, secretariat, practitioner_a,
                                                    mex_central, mex_prosecutor):
    target = membership(practitioner_a)
    # Both pages show no authority; the secretariat saves first.
    set_authority(client_for(secretariat), target, mex_central, shown="")
    response = set_authority(client_for(focal_point_a), target, mex_prosecutor, shown="")
    assert "Someone else changed the authority of this role" in response.content.decode()
    target.refresh_from_db()
    assert target.authority == mex_central
    # The same choice sent twice (a double click) is no conflict.
    response = set_authority(client_for(secretariat), target, mex_central, shown="")
    assert "now works at MexCentral name" in response.content.decode()
    # The page shows the current authority, and a choice made from it goes through.
    response = set_authority(client_for(focal_point_a), target, mex_prosecutor,
                             shown=str(mex_central.pk))
    target.refresh_from_db()
    assert target.authority == mex_prosecutor


def test_a_damaged_form_changes_nothing(focal_point_a, practitioner_a, mex_central):
    target = membership(practitioner_a)
    response = set_authority(client_for(focal_point_a), target, mex_central, shown="x; drop")
    assert "The form was damaged; nothing was changed." in response.content.decode()
    target.refresh_from_db()
    assert target.authority is None


def test_the_secretariat_sees_the_authority_in_the_administration(secretariat, practitioner_a,
                                                                  mex_central):
    Membership.objects.filter(user=practitioner_a).update(authority=mex_central)
    client = client_for(secretariat)
    assert "MexCentral name" in client.get(
        "/en/admin/accounts/membership/").content.decode()
    change = client.get(f"/en/admin/accounts/membership/{membership(practitioner_a).pk}/change/")
    assert change.status_code == 200 and "MexCentral name" in change.content.decode()
