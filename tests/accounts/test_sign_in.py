"""Signing in by e-mail address with allauth: verification, throttling, the second factor at
sign-in, password reset, sign-out, expiring sessions, no public sign-up."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import Client

from palermo.accounts.middleware import LAST_SEEN_KEY
from palermo.accounts.models import User
from tests.personas import PASSWORD, make_person, totp_code


def sign_in(client: Client, email: str, password: str = PASSWORD, language: str = "en"):
    return client.post(f"/{language}/account/sign-in/", {"login": email, "password": password})


def signed_in_as(client: Client) -> str | None:
    response = client.get("/en/account/me/")
    if response.status_code != 200:
        return None
    found = re.search(r"<dd>([^<]+@[^<]+)</dd>", response.content.decode())
    return found[1] if found else None


def test_the_sign_in_page_asks_for_an_email_address_not_a_user_name(reference_data):
    html = Client().get("/en/account/sign-in/").content.decode()
    assert 'type="email" name="login"' in html
    assert "E-mail address" in html
    assert "username" not in html.lower()
    assert 'href="/en/account/password/reset/"' in html


def test_a_practitioner_signs_in_with_any_casing_of_the_address(practitioner_a):
    client = Client()
    response = sign_in(client, "PRACTITIONER-A@Example.org")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/me/"
    assert signed_in_as(client) == "practitioner-a@example.org"


def test_a_wrong_password_says_so_and_signs_nobody_in(practitioner_a):
    client = Client()
    response = sign_in(client, "practitioner-a@example.org", "not the password")
    assert response.status_code == 200
    assert "The e-mail address and password do not match an account." in response.content.decode()
    assert signed_in_as(client) is None


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(practitioner_a):
    unknown = sign_in(Client(), "nobody@example.org", "whatever it is")
    assert "The e-mail address and password do not match an account." in unknown.content.decode()


def test_sign_in_attempts_are_throttled_per_address(practitioner_a):
    for _attempt in range(5):
        response = sign_in(Client(), "practitioner-a@example.org", "a wrong guess")
        assert "do not match" in response.content.decode()
    client = Client()
    response = sign_in(client, "practitioner-a@example.org")  # even the right password now
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_as(client) is None
    # Another address is not held back by someone guessing this one.
    other = make_person("other@example.org")
    assert sign_in(Client(), other.email).status_code == 302


def test_the_throttling_message_is_translated(practitioner_a):
    for _attempt in range(6):
        response = sign_in(Client(), "practitioner-a@example.org", "a wrong guess", "fr")
    assert "Trop de tentatives de connexion" in response.content.decode()


def test_an_unverified_address_is_verified_by_mail_before_the_first_sign_in(reference_data):
    call_command("create_user", "--email", "officer@example.org", "--password", PASSWORD,
                 "--language", "es")
    client = Client()
    response = sign_in(client, "officer@example.org")
    assert signed_in_as(client) is None
    assert response["Location"] == "/en/account/confirm-email/"
    message = mail.outbox[-1]
    assert message.to == ["officer@example.org"]
    link = re.search(r"https?://testserver(/\S+)", message.body)[1]
    assert link.startswith("/es/account/confirm-email/")  # the recipient's language
    client.post(link)
    assert EmailAddress.objects.get(email="officer@example.org").verified
    assert sign_in(client, "officer@example.org").status_code == 302
    assert signed_in_as(client) == "officer@example.org"


def test_a_focal_point_signs_in_with_password_then_a_code(focal_point_a):
    client = Client()
    response = sign_in(client, focal_point_a.email)
    assert response["Location"] == "/en/account/2fa/authenticate/"
    assert signed_in_as(client) is None
    page = client.get("/en/account/2fa/authenticate/").content.decode()
    assert "Second factor" in page and 'name="code"' in page
    wrong = client.post("/en/account/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and signed_in_as(client) is None
    response = client.post("/en/account/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert signed_in_as(client) == focal_point_a.email


def test_a_password_reset_mails_a_link_in_the_recipients_language(reference_data):
    person = make_person("lecteur@example.org")
    User.objects.filter(pk=person.pk).update(language="fr")
    client = Client()
    response = client.post("/en/account/password/reset/", {"email": "Lecteur@example.org"})
    assert response["Location"] == "/en/account/password/reset/done/"
    message = mail.outbox[-1]
    assert message.to == ["lecteur@example.org"]
    assert "mot de passe" in (message.subject + message.body).lower()
    link = re.search(r"https?://testserver(/\S+)", message.body)[1]
    assert link.startswith("/fr/account/password/reset/key/")
    form = client.get(link, follow=True)
    assert '<html lang="fr"' in form.content.decode()
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    new_password = "a brand new passphrase 42"
    done = client.post(action, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    assert sign_in(Client(), "lecteur@example.org", PASSWORD).status_code == 200  # refused
    assert sign_in(Client(), "lecteur@example.org", new_password).status_code == 302


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
        reference_data):
    response = Client().post("/en/account/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/en/account/password/reset/done/"
    assert mail.outbox == []


def test_signing_out_from_the_header_ends_the_session(practitioner_a):
    client = Client()
    sign_in(client, practitioner_a.email)
    html = client.get("/en/").content.decode()
    assert 'action="/en/account/sign-out/"' in html
    response = client.post("/en/account/sign-out/")
    assert response["Location"] == "/en/"
    assert signed_in_as(client) is None


def test_the_old_sign_in_address_leads_to_the_sign_in_page(reference_data):
    response = Client().get("/en/account/login/?next=/en/states/")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/sign-in/?next=/en/states/"


def test_there_is_no_public_sign_up(reference_data):
    client = Client()
    page = client.get("/en/account/signup/")
    assert "No public sign-up" in page.content.decode()
    client.post("/en/account/signup/", {"email": "me@example.org", "password1": PASSWORD,
                                        "password2": PASSWORD})
    assert not User.objects.filter(email="me@example.org").exists()


def test_a_session_lives_eight_hours_after_the_last_activity(practitioner_a, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client = Client()
    sign_in(client, practitioner_a.email)
    session = client.session
    assert session.get_expiry_age() == 8 * 3600
    # A request after a pause refreshes the session: its eight hours start again.
    session[LAST_SEEN_KEY] = session[LAST_SEEN_KEY] - 3600
    session.save()
    client.get("/en/account/me/")
    refreshed = client.session
    assert refreshed[LAST_SEEN_KEY] > session[LAST_SEEN_KEY] + 3000
    # Sessions end with the browser, too.
    assert refreshed.get_expire_at_browser_close()


def test_an_expired_session_signs_the_person_out(practitioner_a, settings):
    client = Client()
    sign_in(client, practitioner_a.email)
    session = client.session
    session.set_expiry(-1)  # as if eight hours had passed without a request
    session.save()
    assert signed_in_as(client) is None


def test_the_administration_signs_people_in_through_the_same_page(reference_data):
    response = Client().get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/sign-in/?next=")
