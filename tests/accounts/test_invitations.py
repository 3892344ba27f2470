"""Invitations: who may invite whom, the mail and its link, accepting, expiry and revocation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from palermo.accounts.models import Invitation, Membership, User
from tests.personas import PASSWORD, client_for, make_person

NEW_PASSWORD = "a passphrase of my own 2024"


def invite(client: Client, **data: str):
    """Post the invitation form; the mail it queues on commit is sent (tasks run at once)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/en/account/invitations/new/", {"language": "en", **data})


def link_in(message) -> str:
    """The path of the invitation's link, which starts with the configured address."""
    found = re.search(re.escape(settings.PALERMO_SITE_URL.rstrip("/")) + r"(/\S+)",
                      message.body)
    assert found, message.body
    return found[1]


def accept_as_new_person(link: str, client: Client | None = None):
    client = client or Client()
    return client, client.post(link, {
        "first_name": "Ana", "last_name": "Ruiz",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })


def test_the_secretariat_invites_a_focal_point_of_any_state(secretariat, state_b):
    response = invite(client_for(secretariat), email="Focal.New@example.org",
                      role="focal_point", state="FRA", language="fr")
    assert response["Location"] == "/en/account/invitations/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.state, invitation.role) == (
        "focal.new@example.org", state_b, "focal_point")
    assert invitation.invited_by == secretariat
    assert round((invitation.expires_at - invitation.created_at) / timedelta(days=1)) == 14
    message = mail.outbox[-1]
    assert message.to == ["focal.new@example.org"]
    assert link_in(message).startswith("/fr/account/invitations/accept/")
    # Only a hash of the token is kept: the link's secret is not in the database.
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_the_secretariat_invites_to_the_secretariat(secretariat):
    invite(client_for(secretariat), email="colleague@example.org", role="secretariat")
    accept_as_new_person(link_in(mail.outbox[-1]))
    colleague = User.objects.get(email="colleague@example.org")
    assert colleague.is_secretariat and colleague.is_staff
    assert colleague.groups.filter(name="Secretariat").exists()


def test_a_secretariat_invitation_names_no_state(secretariat, state_a):
    response = invite(client_for(secretariat), email="x@example.org", role="secretariat",
                      state="MEX")
    assert "The secretariat belongs to no State" in response.content.decode()
    response = invite(client_for(secretariat), email="x@example.org", role="editor")
    assert "Choose the State of this role." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_focal_point_invites_editors_and_practitioners_of_its_state(focal_point_a, state_a):
    client = client_for(focal_point_a)
    form = client.get("/en/account/invitations/new/").content.decode()
    assert 'value="editor"' in form and 'value="practitioner"' in form
    assert 'value="focal_point"' not in form and 'value="secretariat"' not in form
    assert 'value="MEX"' in form and 'value="FRA"' not in form
    invite(client, email="editor.new@example.org", role="editor", state="MEX")
    invite(client, email="practitioner.new@example.org", role="practitioner", state="MEX")
    assert set(Invitation.objects.values_list("role", "state__code")) == {
        ("editor", "MEX"), ("practitioner", "MEX")}
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(("role", "state"), [
    ("editor", "FRA"), ("focal_point", "MEX"), ("secretariat", ""),
])
def test_a_focal_point_cannot_invite_for_another_state_or_to_other_roles(
        focal_point_a, state_b, role, state):
    response = invite(client_for(focal_point_a), email="x@example.org", role=role, state=state)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("name", ["practitioner_a", "editor_a"])
@pytest.mark.parametrize("url", ["/en/account/invitations/", "/en/account/invitations/new/"])
def test_editors_and_practitioners_cannot_invite(request, name, url):
    client = client_for(request.getfixturevalue(name))
    assert client.get(url).status_code == 404
    response = client.post("/en/account/invitations/new/", {
        "email": "x@example.org", "role": "practitioner", "state": "MEX", "language": "en"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_inviting_twice_is_refused_while_the_first_invitation_is_pending(focal_point_a):
    client = client_for(focal_point_a)
    invite(client, email="twice@example.org", role="editor", state="MEX")
    response = invite(client, email="twice@example.org", role="editor", state="MEX")
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_inviting_someone_to_a_role_they_hold_is_refused(focal_point_a, practitioner_a):
    response = invite(client_for(focal_point_a), email=practitioner_a.email,
                      role="practitioner", state="MEX")
    assert "already has this role" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_bad_address_is_refused_with_a_message(focal_point_a):
    response = invite(client_for(focal_point_a), email="not an address", role="editor",
                      state="MEX")
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_new_person_accepts_sets_a_password_and_holds_the_role(focal_point_a, state_a):
    invite(client_for(focal_point_a), email="ana@example.org", role="practitioner",
           state="MEX", language="es")
    link = link_in(mail.outbox[-1])
    page = Client().get(link).content.decode()
    assert 'name="password1"' in page and "ana@example.org" in page
    client, response = accept_as_new_person(link)
    assert response["Location"] == "/es/account/me/"
    ana = User.objects.get(email="ana@example.org")
    assert (ana.first_name, ana.language) == ("Ana", "es")
    assert ana.check_password(NEW_PASSWORD)
    assert list(ana.memberships.values_list("state__code", "role")) == [("MEX", "practitioner")]
    assert EmailAddress.objects.get(user=ana).verified  # the link proved the address
    assert client.get("/es/account/me/").status_code == 200  # signed in
    assert Invitation.objects.get().accepted_by == ana
    # And later, with the password she chose.
    assert Client().post("/en/account/sign-in/", {"login": "ana@example.org",
                                                  "password": NEW_PASSWORD}).status_code == 302


def test_an_invited_editor_goes_straight_to_setting_up_a_second_factor(focal_point_a):
    invite(client_for(focal_point_a), email="ed@example.org", role="editor", state="MEX")
    client, response = accept_as_new_person(link_in(mail.outbox[-1]))
    assert response["Location"] == "/en/account/2fa/totp/activate/"
    # No second password prompt: the person has just chosen it.
    assert client.get(response["Location"]).status_code == 200


def test_a_weak_password_is_refused_and_nothing_is_created(focal_point_a):
    invite(client_for(focal_point_a), email="weak@example.org", role="editor", state="MEX")
    response = Client().post(link_in(mail.outbox[-1]), {
        "first_name": "W", "last_name": "K", "password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(email="weak@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_someone_with_an_account_signs_in_then_accepts(focal_point_a, state_b, secretariat):
    invite(client_for(secretariat), email=focal_point_a.email, role="focal_point",
           state="FRA")
    link = link_in(mail.outbox[-1])
    anonymous = Client().get(link).content.decode()
    assert "already has an account" in anonymous and 'name="password1"' not in anonymous
    client = client_for(focal_point_a)
    response = client.post(link)
    assert response["Location"] == "/en/account/me/"
    assert set(focal_point_a.memberships.values_list("state__code", flat=True)) == {
        "MEX", "FRA"}


def test_the_wrong_signed_in_account_changes_nothing(focal_point_a, practitioner_a):
    invite(client_for(focal_point_a), email="someone.else@example.org", role="editor",
           state="MEX")
    link = link_in(mail.outbox[-1])
    client = client_for(practitioner_a)
    page = client.get(link).content.decode()
    assert "this invitation is for another address" in page
    client.post(link, {"first_name": "X", "last_name": "Y", "password1": NEW_PASSWORD,
                       "password2": NEW_PASSWORD})
    assert not User.objects.filter(email="someone.else@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_invitation_says_so_and_changes_nothing(focal_point_a):
    invite(client_for(focal_point_a), email="late@example.org", role="editor", state="MEX")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    _client, response = accept_as_new_person(link_in(mail.outbox[-1]))
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    assert not User.objects.filter(email="late@example.org").exists()


def test_the_expired_message_is_translated(focal_point_a):
    invite(client_for(focal_point_a), email="late@example.org", role="editor", state="MEX",
           language="es")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(link_in(mail.outbox[-1]))
    assert response.status_code == 410
    assert '<html lang="es"' in response.content.decode()


def test_a_revoked_invitation_says_so_and_changes_nothing(focal_point_a):
    client = client_for(focal_point_a)
    invite(client, email="revoked@example.org", role="editor", state="MEX")
    invitation = Invitation.objects.get()
    listing = client.get("/en/account/invitations/").content.decode()
    assert "revoked@example.org" in listing
    assert f'action="/en/account/invitations/{invitation.pk}/revoke/"' in listing
    revoked = client.post(f"/en/account/invitations/{invitation.pk}/revoke/", follow=True)
    html = revoked.content.decode()
    assert "The invitation to revoked@example.org is revoked" in html
    assert "revoked@example.org" not in html.split("<main", 1)[1]
    _client, response = accept_as_new_person(link_in(mail.outbox[-1]))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not User.objects.filter(email="revoked@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.revoked_by == focal_point_a


def test_an_invitation_works_once(focal_point_a):
    invite(client_for(focal_point_a), email="once@example.org", role="practitioner",
           state="MEX")
    link = link_in(mail.outbox[-1])
    accept_as_new_person(link)
    _client, second = accept_as_new_person(link)
    assert second.status_code == 410
    assert "already been accepted" in second.content.decode()
    assert Membership.objects.filter(user__email="once@example.org").count() == 1


def test_an_unknown_link_is_not_found(reference_data):
    assert Client().get("/en/account/invitations/accept/not-a-real-token/").status_code == 404
    assert Client().get("/en/account/invitations/accept/" + "x" * 300 + "/").status_code == 404


def test_a_focal_point_cannot_revoke_another_states_invitation(secretariat, focal_point_b):
    invite(client_for(secretariat), email="m@example.org", role="editor", state="MEX")
    invitation = Invitation.objects.get()
    client = client_for(focal_point_b)
    assert "m@example.org" not in client.get("/en/account/invitations/").content.decode()
    assert client.post(f"/en/account/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_secretariat_sees_every_pending_invitation_and_filters_by_state(
        secretariat, focal_point_a, focal_point_b):
    invite(client_for(focal_point_a), email="a@example.org", role="editor", state="MEX")
    invite(client_for(focal_point_b), email="b@example.org", role="editor", state="FRA")
    client = client_for(secretariat)
    everything = client.get("/en/account/invitations/").content.decode()
    assert "a@example.org" in everything and "b@example.org" in everything
    only_france = client.get("/en/account/invitations/?state=FRA").content.decode()
    assert "a@example.org" not in only_france and "b@example.org" in only_france
    mine = client_for(focal_point_a).get("/en/account/invitations/").content.decode()
    assert "a@example.org" in mine and "b@example.org" not in mine


def test_an_unreachable_mail_server_leaves_the_invitation_marked_not_sent_until_sent_again(
        focal_point_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client = client_for(focal_point_a)
    response = invite(client, email="x@example.org", role="editor", state="MEX")
    assert response["Location"] == "/en/account/invitations/"
    invitation = Invitation.objects.get()
    assert invitation.mailed_at is None and invitation.mail_error
    listing = client.get("/en/account/invitations/").content.decode()
    assert "Not sent: the mail server refused it or did not answer." in listing
    send_again = f"/en/account/invitations/{invitation.pk}/send-again/"
    assert f'action="{send_again}"' in listing

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(send_again)["Location"] == "/en/account/invitations/"
    invitation.refresh_from_db()
    assert invitation.mailed_at is not None and invitation.mail_error == ""
    assert [message.to for message in mail.outbox] == [["x@example.org"]]
    listing = client.get("/en/account/invitations/").content.decode()
    assert "Not sent" not in listing and "Sent on" in listing
    assert f'action="{send_again}"' not in listing
    accept_as_new_person(link_in(mail.outbox[-1]))
    assert Membership.objects.filter(user__email="x@example.org", role="editor").exists()


def test_a_mailed_invitation_is_not_sent_again(focal_point_a):
    client = client_for(focal_point_a)
    invite(client, email="x@example.org", role="editor", state="MEX")
    invitation = Invitation.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/en/account/invitations/{invitation.pk}/send-again/",
                               follow=True)
    assert "already mailed" in response.content.decode()
    assert len(mail.outbox) == 1


def test_invitation_pages_run_a_bounded_number_of_queries(
        secretariat, focal_point_a, django_assert_max_num_queries):
    for number in range(5):
        invite(client_for(focal_point_a), email=f"p{number}@example.org", role="editor",
               state="MEX")
    for user in (secretariat, focal_point_a):
        client = client_for(user)
        with django_assert_max_num_queries(8):
            assert client.get("/en/account/invitations/").status_code == 200
        with django_assert_max_num_queries(8):
            assert client.get("/en/account/invitations/new/").status_code == 200
    link = link_in(mail.outbox[-1])
    with django_assert_max_num_queries(4):
        assert Client().get(link).status_code == 200


def test_the_invitation_mail_is_in_the_accounts_language_when_there_is_one(secretariat):
    make_person("has.account@example.org")
    User.objects.filter(email="has.account@example.org").update(language="ru")
    invite(client_for(secretariat), email="has.account@example.org", role="editor",
           state="MEX", language="fr")
    assert link_in(mail.outbox[-1]).startswith("/ru/")
    assert mail.outbox[-1].extra_headers["Content-Language"] == "ru"


def test_a_person_signed_in_for_the_first_time_keeps_the_invitation(focal_point_a):
    """The invitation's link survives the detour through the sign-in page."""
    person = make_person("existing@example.org")
    invite(client_for(focal_point_a), email=person.email, role="editor", state="MEX")
    link = link_in(mail.outbox[-1])
    page = Client().get(link).content.decode()
    sign_in_link = re.search(r'href="(/en/account/sign-in/\?next=[^"]+)"', page)[1]
    client = Client()
    response = client.post(sign_in_link.replace("&amp;", "&"),
                           {"login": person.email, "password": PASSWORD,
                            "next": link})
    assert response["Location"] == link
    client.post(link)
    assert person.memberships.filter(role="editor").exists()


@pytest.mark.parametrize(("days", "text"), [(1, "The link works for 1 day, once"),
                                            (14, "The link works for 14 days, once")])
def test_the_form_says_how_long_the_link_works(focal_point_a, settings, days, text):
    settings.PALERMO_INVITATION_DAYS = days
    form = client_for(focal_point_a).get("/en/account/invitations/new/").content.decode()
    assert text in " ".join(form.split())
