"""The second-factor guard: focal points, editors and the secretariat change nothing before they
have set up an authenticator app; practitioners are not asked to."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from palermo.accounts.models import Membership
from tests.personas import PASSWORD, STATE_A, client_for, make_person, totp_code

SETUP = "/en/account/2fa/totp/activate/"
EXPLANATION = "must be protected by a second factor before you change anything"


@pytest.fixture
def focal_point_without(reference_data):
    return make_person("unprotected-focal@example.org", state=STATE_A,
                       role=Membership.Role.FOCAL_POINT, second_factor=False)


@pytest.fixture
def secretariat_without(reference_data):
    return make_person("unprotected-secretariat@example.org", secretariat=True,
                       second_factor=False)


@pytest.mark.parametrize("url", ["/en/account/invitations/", "/en/account/invitations/new/",
                                 "/en/account/memberships/"])
def test_a_focal_point_without_a_second_factor_is_sent_to_set_one_up(focal_point_without, url):
    client = client_for(focal_point_without)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == SETUP
    assert EXPLANATION in client.get("/en/account/me/").content.decode()


def test_a_refused_write_changes_nothing(focal_point_without, state_a):
    client = client_for(focal_point_without)
    response = client.post("/en/account/invitations/new/", {
        "email": "new@example.org", "role": "editor", "state": "MEX", "language": "en",
    })
    assert response["Location"] == SETUP
    assert not focal_point_without.invitations_sent.exists()


@pytest.mark.parametrize("url", ["/en/admin/", "/en/admin/accounts/membership/"])
def test_the_administration_requires_a_second_factor(secretariat_without, url):
    response = client_for(secretariat_without).get(url)
    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.parametrize("url", ["/en/account/invitations/", "/en/account/memberships/"])
def test_a_focal_point_with_a_second_factor_goes_through(focal_point_a, url):
    assert client_for(focal_point_a).get(url).status_code == 200


def test_the_secretariat_with_a_second_factor_opens_the_administration(secretariat):
    assert client_for(secretariat).get("/en/admin/").status_code == 200


def test_a_practitioner_is_not_asked_for_a_second_factor(practitioner_a):
    html = client_for(practitioner_a).get("/en/account/me/").content.decode()
    assert "Not set up (optional for your role)" in html
    assert EXPLANATION not in html


def test_the_account_page_says_when_the_role_requires_a_second_factor(focal_point_without):
    html = client_for(focal_point_without).get("/en/account/me/").content.decode()
    assert "Required for your role, not set up yet" in html
    assert 'href="/en/account/2fa/"' in html


def test_setting_up_an_authenticator_app_opens_the_way(focal_point_without):
    client = Client()
    client.post("/en/account/sign-in/", {"login": focal_point_without.email,
                                         "password": PASSWORD})
    # Setting up a second factor asks for the password again first.
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(SETUP).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, no script needed
    secret = re.search(r'<code id="totp-secret" dir="ltr">([A-Z2-7]+)</code>', page)[1]
    wrong = client.post(SETUP, {"code": "123456"})
    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response["Location"] == "/en/account/2fa/recovery-codes/"
    codes = client.get("/en/account/2fa/recovery-codes/").content.decode()
    assert codes.count("<li><code>") == 10
    assert client.get("/en/account/invitations/").status_code == 200
    # From now on, signing in asks for a code from the app.
    again = Client().post("/en/account/sign-in/", {"login": focal_point_without.email,
                                                   "password": PASSWORD})
    assert again["Location"] == "/en/account/2fa/authenticate/"


def test_a_recovery_code_signs_in_once_instead_of_the_app(focal_point_a):
    client = client_for(focal_point_a)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(focal_point_a).generate_codes()[0]
    client.post("/en/account/sign-out/")
    for expected in ("/en/account/me/", None):
        client = Client()
        client.post("/en/account/sign-in/", {"login": focal_point_a.email, "password": PASSWORD})
        response = client.post("/en/account/2fa/authenticate/", {"code": code})
        assert (response["Location"] if response.status_code == 302 else None) == expected


def test_removing_the_app_closes_the_way_again(focal_point_a):
    client = Client()
    client.post("/en/account/sign-in/", {"login": focal_point_a.email, "password": PASSWORD})
    client.post("/en/account/2fa/authenticate/", {"code": totp_code()})
    response = client.post("/en/account/2fa/totp/deactivate/")
    assert response["Location"].startswith("/en/account/reauthenticate/")  # password again
    client.post(response["Location"], {"password": PASSWORD})
    assert not Authenticator.objects.filter(user=focal_point_a,
                                            type=Authenticator.Type.TOTP).exists()
    assert client.get("/en/account/invitations/")["Location"] == SETUP


def test_the_setup_page_needs_no_javascript_and_is_translated(focal_point_without):
    client = Client()
    client.post("/ar/account/sign-in/", {"login": focal_point_without.email,
                                         "password": PASSWORD})
    client.post("/ar/account/reauthenticate/", {"password": PASSWORD})
    html = client.get("/ar/account/2fa/totp/activate/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<script" not in html.replace('<script src="/static/palermo/vendor/htmx', "")


def test_the_participation_import_requires_a_second_factor(secretariat_without, secretariat):
    response = client_for(secretariat_without).get("/en/participation/import/")
    assert response["Location"] == SETUP
    assert client_for(secretariat).get("/en/participation/import/").status_code == 200


def test_the_participation_import_is_still_not_found_for_state_roles(focal_point_a,
                                                                     practitioner_a):
    for user in (focal_point_a, practitioner_a):
        assert client_for(user).get("/en/participation/import/").status_code == 404


def test_a_superuser_without_a_role_also_needs_a_second_factor_for_the_administration(
        reference_data):
    from palermo.accounts.models import User

    root = User.objects.create_superuser(username="root@example.org", email="root@example.org",
                                         password=PASSWORD)
    response = client_for(root).get("/en/admin/")
    assert response["Location"] == SETUP
