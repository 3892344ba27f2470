"""Accounts, roles and the fictional demo data."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client

from palermo.accounts.models import Membership, User
from tests.personas import PASSWORD, client_for


def test_a_practitioner_signs_in_with_email_and_sees_their_role(practitioner_a):
    client = Client()
    response = client.post("/en/account/sign-in/",
                           {"login": "Practitioner-A@example.org", "password": PASSWORD},
                           follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/en/account/me/"
    assert "Practitioner" in html and "Mexico" in html


def test_a_wrong_password_is_refused_in_the_users_language(practitioner_a):
    response = Client().post("/es/account/sign-in/",
                             {"login": "practitioner-a@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "no coinciden" in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_the_account_page_needs_a_signed_in_user(reference_data):
    response = Client().get("/en/account/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/sign-in/")


@pytest.mark.parametrize("name", ["practitioner_a", "focal_point_a", "focal_point_b"])
def test_state_roles_do_not_open_the_admin(request, reference_data, name):
    client = client_for(request.getfixturevalue(name))
    assert client.get("/en/admin/").status_code == 302


def test_the_secretariat_manages_reference_data_in_the_admin(secretariat):
    client = client_for(secretariat)
    assert client.get("/en/admin/reference/participation/").status_code == 200
    assert client.get("/en/admin/accounts/membership/").status_code == 200


def test_create_user_command_grants_a_role(reference_data, capsys):
    call_command("create_user", "--email", "officer@example.org", "--state", "fra",
                 "--role", "focal_point")
    user = User.objects.get(email="officer@example.org")
    assert user.memberships.get().state.code == "FRA"
    assert not user.has_usable_password()
    call_command("create_user", "--email", "officer@example.org", "--state", "fra",
                 "--role", "focal_point")
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--email", "x@example.org", "--state", "FRA"], "together"),
    (["--email", "x@example.org", "--state", "ZZZ", "--role", "editor"], "No State"),
    (["--email", "not-an-address"], "valid email"),
])
def test_create_user_command_refuses_bad_input(reference_data, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_user", *args)
    assert not User.objects.exists()


def test_demo_data_is_created_once_and_marked_fictional(reference_data, capsys):
    call_command("demo_data")
    users = User.objects.filter(is_demo=True)
    assert users.count() == 33  # the secretariat, and four roles in each of eight States
    assert all(u.email.endswith("@demo.palermo.invalid") for u in users)
    assert all(u.first_name == "Demo" for u in users)
    call_command("demo_data")
    assert "nothing changed" in capsys.readouterr().out
    assert User.objects.filter(is_demo=True).count() == 33


def test_demo_data_scales_for_benchmarks(reference_data):
    call_command("demo_data", "--scale", "2", "--all-states")
    assert Membership.objects.filter(user__is_demo=True).count() == 198 * 4 * 2
    # Every practitioner and reviewer works at a demo authority of its own State.
    attached = Membership.objects.filter(user__is_demo=True, role__in=["practitioner",
                                                                        "reviewer"])
    assert attached.count() == 198 * 2 * 2
    assert not attached.filter(authority=None).exists()
    assert not attached.exclude(authority__state=F("state")).exists()


def test_each_demo_state_has_a_reviewer_at_its_demo_central_authority(reference_data, capsys):
    from tests.personas import totp_code

    call_command("demo_data")
    assert "16 roles attached to an authority" in capsys.readouterr().out
    reviewer = User.objects.get(email="reviewer.mex@demo.palermo.invalid")
    assert (reviewer.get_full_name(), reviewer.is_demo) == ("Demo Reviewer (MEX)", True)
    role = reviewer.memberships.get()
    assert (role.state.code, role.role) == ("MEX", "reviewer")
    assert role.authority.is_demo and role.authority.state == role.state
    assert role.authority.name_en == "Demo Central Authority for Mutual Legal Assistance"
    # The demo practitioners work at the same authority: the writer's colleagues.
    practitioner = Membership.objects.get(user__email="practitioner.mex@demo.palermo.invalid")
    assert practitioner.authority == role.authority
    assert Membership.objects.filter(user__is_demo=True, role="reviewer").count() == 8
    assert not Membership.objects.filter(user__is_demo=True, role__in=["practitioner",
                                                                        "reviewer"],
                                         authority=None).exists()
    # The reviewer approves requests: the documented password, then the documented code.
    client = Client()
    response = client.post("/en/account/sign-in/", {
        "login": "reviewer.mex@demo.palermo.invalid", "password": "palermo-demo"})
    assert response["Location"] == "/en/account/2fa/authenticate/"
    client.post("/en/account/2fa/authenticate/",
                           {"code": totp_code("PALERMODEMOFICTIONALSECRETONLY23")})
    html = client.get("/en/account/me/").content.decode()
    assert "Authenticator app set up" in html
    assert "Demo Central Authority for Mutual Legal Assistance" in html


def test_a_second_demo_run_leaves_the_authorities_alone(reference_data, capsys):
    call_command("demo_data")
    before = dict(Membership.objects.values_list("pk", "authority_id"))
    history = Membership.history.count()
    capsys.readouterr()
    call_command("demo_data")
    assert "nothing changed" in capsys.readouterr().out
    assert dict(Membership.objects.values_list("pk", "authority_id")) == before
    assert Membership.history.count() == history


def test_a_signed_in_demo_account_sees_the_fictional_banner_on_every_page(reference_data):
    call_command("demo_data")
    client = client_for(User.objects.get(email="focal-point.mex@demo.palermo.invalid"))
    for url in ("/en/", "/en/states/", "/en/account/me/", "/ar/instruments/untoc/"):
        html = client.get(url).content.decode()
        assert 'class="demo-banner"' in html, url


def test_real_data_pages_carry_no_demo_banner(reference_data):
    call_command("demo_data")
    assert 'class="demo-banner"' not in Client().get("/en/states/").content.decode()


def test_demo_data_can_be_switched_off(reference_data, settings):
    settings.PALERMO_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="switched off"):
        call_command("demo_data")
    assert not User.objects.exists()


def test_the_account_page_runs_a_bounded_number_of_queries(focal_point_a,
                                                           django_assert_max_num_queries):
    client = client_for(focal_point_a)
    with django_assert_max_num_queries(6):
        assert client.get("/en/account/me/").status_code == 200


def test_the_palermo_command_runs_management_commands(reference_data, capsys):
    from palermo.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["load_reference", "--help"])
    assert exit_info.value.code == 0
    assert "reference data" in capsys.readouterr().out


def test_demo_accounts_sign_in_with_the_documented_password(reference_data):
    call_command("demo_data")
    response = Client().post("/en/account/sign-in/", {
        "login": "practitioner.nga@demo.palermo.invalid", "password": "palermo-demo",
    }, follow=True)
    html = response.content.decode()
    assert "Nigeria" in html and 'class="demo-banner"' in html


def test_create_user_can_vouch_for_the_address(reference_data):
    call_command("create_user", "--email", "known@example.org", "--password", PASSWORD,
                 "--verified")
    response = Client().post("/en/account/sign-in/", {"login": "known@example.org",
                                                      "password": PASSWORD})
    assert response["Location"] == "/en/account/me/"


def test_demo_accounts_that_change_data_have_the_documented_second_factor(reference_data):
    from tests.personas import totp_code

    call_command("demo_data")
    client = Client()
    response = client.post("/en/account/sign-in/", {
        "login": "focal-point.mex@demo.palermo.invalid", "password": "palermo-demo"})
    assert response["Location"] == "/en/account/2fa/authenticate/"
    client.post("/en/account/2fa/authenticate/",
                {"code": totp_code("PALERMODEMOFICTIONALSECRETONLY23")})
    assert client.get("/en/account/memberships/").status_code == 200
    practitioner = User.objects.get(email="practitioner.nga@demo.palermo.invalid")
    assert not practitioner.authenticator_set.exists()


def test_the_secretariat_looks_up_invitations_in_the_admin(secretariat, focal_point_a):
    client_for(focal_point_a).post("/en/account/invitations/new/", {
        "email": "looked.up@example.org", "role": "editor", "state": "MEX", "language": "en"})
    client = client_for(secretariat)
    listing = client.get("/en/admin/accounts/invitation/")
    assert "looked.up@example.org" in listing.content.decode()
    assert client.get("/en/admin/accounts/invitation/add/").status_code == 403


def test_demo_accounts_that_change_data_have_recovery_codes_shown_on_their_page(
        reference_data):
    from tests.personas import totp_code

    call_command("demo_data")
    client = Client()
    client.post("/en/account/sign-in/", {
        "login": "editor.fra@demo.palermo.invalid", "password": "palermo-demo"})
    client.post("/en/account/2fa/authenticate/",
                {"code": totp_code("PALERMODEMOFICTIONALSECRETONLY23")})
    # allauth asks for the password again before it shows the codes.
    asked = client.get("/en/account/2fa/recovery-codes/")
    assert asked["Location"].startswith("/en/account/reauthenticate/")
    page = client.post(asked["Location"], {"password": "palermo-demo"}, follow=True)
    assert page.redirect_chain[-1][0] == "/en/account/2fa/recovery-codes/"
    codes = re.findall(r"<li><code>(\w+)</code></li>", page.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    # A code works once in place of the app's.
    again = Client()
    again.post("/en/account/sign-in/", {
        "login": "editor.fra@demo.palermo.invalid", "password": "palermo-demo"})
    response = again.post("/en/account/2fa/authenticate/", {"code": codes[0]})
    assert response["Location"] == "/en/account/me/"
    assert not User.objects.get(email="practitioner.nga@demo.palermo.invalid") \
        .authenticator_set.exists()


def test_demo_recovery_codes_are_made_once_and_completed_for_older_demo_data(reference_data):
    call_command("demo_data")
    kept = dict(Authenticator.objects.filter(type="recovery_codes")
                .values_list("user__email", "data"))
    assert len(kept) == 25  # the secretariat, and three roles that change data in eight States
    Authenticator.objects.filter(type="recovery_codes",
                                 user__email="secretariat@demo.palermo.invalid").delete()
    call_command("demo_data")
    now = dict(Authenticator.objects.filter(type="recovery_codes")
               .values_list("user__email", "data"))
    assert now.keys() == kept.keys()
    assert {email: data for email, data in now.items()
            if email != "secretariat@demo.palermo.invalid"} == {
        email: data for email, data in kept.items()
        if email != "secretariat@demo.palermo.invalid"}
