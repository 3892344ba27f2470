"""Personal API tokens: created and revoked on a page, accepted by the API as their owner."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client

from palermo.accounts.services import user_ensure
from palermo.api.models import ApiToken
from palermo.api.services import MAX_ACTIVE_TOKENS, token_create
from tests.personas import client_for

PAGE = "/en/api-tokens/"


def create(client: Client, name: str = "My script") -> str:
    """Create a token on the page and return the secret it shows."""
    response = client.post(PAGE, {"name": name})
    assert response.status_code == 200
    match = re.search(r'id="new-token" type="text" value="(palermo_[^"]+)"',
                      response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_page_asks_anonymous_visitors_to_sign_in(db, client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert client.post(PAGE, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_is_shown_once_and_only_its_fingerprint_is_kept(practitioner_a):
    client = client_for(practitioner_a)
    assert "You have no API token." in client.get(PAGE).content.decode()
    secret = create(client)
    token = ApiToken.objects.get()
    assert token.user == practitioner_a and token.name == "My script"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(secret in value for value in stored)
    again = client.get(PAGE)
    assert again["Cache-Control"].startswith("max-age=0")
    html = again.content.decode()
    assert secret not in html and "My script" in html and "Never" in html


def test_creating_needs_a_csrf_token(practitioner_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner_a)
    assert client.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "message"), [
    ("", "This field is required."),
    ("   ", "This field is required."),
    ("x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
    ("nul\x00byte", "Null characters are not allowed."),
])
def test_a_bad_name_is_refused_with_a_message_and_creates_nothing(practitioner_a, name,
                                                                   message):
    response = client_for(practitioner_a).post(PAGE, {"name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_names_are_escaped(practitioner_a):
    client = client_for(practitioner_a)
    create(client, "<script>alert(1)</script>")
    html = client.get(PAGE).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_number_of_active_tokens_is_bounded(practitioner_a):
    for number in range(MAX_ACTIVE_TOKENS):
        token_create(user=practitioner_a, name=f"token {number}")
    response = client_for(practitioner_a).post(PAGE, {"name": "one more"})
    assert "revoke one before creating another" in response.content.decode()
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS


def test_the_page_works_in_arabic(practitioner_a):
    html = client_for(practitioner_a).get("/ar/api-tokens/").content.decode()
    assert 'dir="rtl"' in html and 'action="/ar/api-tokens/"' in html


def test_the_profile_page_links_to_the_tokens(practitioner_a):
    html = client_for(practitioner_a).get("/en/account/me/").content.decode()
    assert 'href="/en/api-tokens/"' in html


def test_a_token_reads_the_api_as_its_owner(world, practitioner_a):
    secret = create(client_for(practitioner_a))
    api = Client()  # no session: the token alone
    url = f"/api/v1/authorities/{world.restricted_authority.pk}"
    assert api.get(url).status_code == 404
    response = api.get(url, **bearer(secret))
    assert response.status_code == 200 and response.json()["name"]["en"] == "SECRETAUTH name"
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]
    listed = api.get("/api/v1/authorities", **bearer(secret)).json()
    assert listed["count"] == 2
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_of_someone_without_a_role_sees_public_entries_only(world):
    nobody = user_ensure(email="nobody@example.org", password="x" * 20)
    secret = create(client_for(nobody))
    api = Client()
    assert api.get(f"/api/v1/authorities/{world.restricted_authority.pk}",
                   **bearer(secret)).status_code == 404
    assert api.get("/api/v1/authorities", **bearer(secret)).json()["count"] == 1


def test_a_token_gets_the_same_etag_as_its_owners_session(world, practitioner_a):
    session = client_for(practitioner_a)
    secret = create(session)
    etag = session.get("/api/v1/authorities")["ETag"]
    answer = Client().get("/api/v1/authorities", HTTP_IF_NONE_MATCH=etag, **bearer(secret))
    assert answer.status_code == 304


@pytest.mark.parametrize(("header", "message"), [
    ("Bearer palermo_" + "x" * 43, "This API token is not valid."),
    ("Bearer not-a-token", "This API token is not valid."),
    ("Bearer " + "x" * 5000, "This API token is not valid."),
    ("Bearer", "Send a personal API token as"),
    ("Basic dXNlcjpwYXNz", "Send a personal API token as"),
    ("palermo_" + "x" * 43, "Send a personal API token as"),
])
def test_a_wrong_token_answers_401_with_a_sentence(world, header, message):
    for url in ("/api/v1/authorities", "/api/v1/states/mex", "/api/v1/authorities.csv"):
        response = Client().get(url, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, url
        assert response.json()["detail"].startswith(message)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "SECRET" not in response.content.decode()


def test_a_token_does_not_fall_back_to_the_session(world, practitioner_a):
    """A wrong token with a valid session is still refused: the caller asked for the token."""
    response = client_for(practitioner_a).get("/api/v1/authorities",
                                              HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def test_a_revoked_token_is_refused(world, practitioner_a):
    client = client_for(practitioner_a)
    secret = create(client)
    token = ApiToken.objects.get()
    response = client.post(f"/en/api-tokens/{token.pk}/revoke/", follow=True)
    html = response.content.decode()
    assert "is revoked" in html and "Revoked on" in html
    refused = Client().get("/api/v1/authorities", **bearer(secret))
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token was revoked. Create a new one on your "
                                        "account's API tokens page."}
    again = client.post(f"/en/api-tokens/{token.pk}/revoke/", follow=True)
    assert "was already revoked" in again.content.decode()


def test_only_the_owner_may_revoke_a_token(practitioner_a, focal_point_b):
    secret = create(client_for(practitioner_a))
    token = ApiToken.objects.get()
    other = client_for(focal_point_b)
    assert other.post(f"/en/api-tokens/{token.pk}/revoke/").status_code == 404
    assert other.post("/en/api-tokens/999999/revoke/").status_code == 404
    assert secret not in other.get(PAGE).content.decode()
    assert "My script" not in other.get(PAGE).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_post_and_a_csrf_token(practitioner_a):
    create(client_for(practitioner_a))
    token = ApiToken.objects.get()
    assert client_for(practitioner_a).get(f"/en/api-tokens/{token.pk}/revoke/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(practitioner_a)
    assert strict.post(f"/en/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_of_a_disabled_account_is_refused(world, practitioner_a):
    secret = create(client_for(practitioner_a))
    practitioner_a.is_active = False
    practitioner_a.save()
    response = Client().get("/api/v1/authorities", **bearer(secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "The account this API token belongs to is disabled."


def test_a_token_request_starts_no_session(world, practitioner_a):
    from django.conf import settings
    from django.contrib.sessions.models import Session

    secret = create(client_for(practitioner_a))
    sessions = Session.objects.count()
    response = Client().get("/api/v1/authorities", **bearer(secret))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.count() == sessions


def test_whoever_needs_a_second_factor_sets_it_up_before_creating_a_token(world):
    from palermo.accounts.models import Membership
    from palermo.accounts.services import membership_grant

    focal_point = user_ensure(email="new-focal@example.org", password="x" * 20)
    membership_grant(user=focal_point, state=world.public_authority.state,
                     role=Membership.Role.FOCAL_POINT)
    client = client_for(focal_point)
    response = client.post(PAGE, {"name": "no second factor"})
    assert response.status_code == 302 and "/2fa/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_a_second_factor_is_no_condition_for_revoking(world, practitioner_a):
    from palermo.accounts.models import Membership
    from palermo.accounts.services import membership_grant

    token, _secret = token_create(user=practitioner_a, name="old")
    membership_grant(user=practitioner_a, state=world.public_authority.state,
                     role=Membership.Role.EDITOR)  # now needs a second factor it lacks
    client_for(practitioner_a).post(f"/en/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_page_runs_a_bounded_number_of_queries(practitioner_a, secretariat,
                                                   django_assert_max_num_queries):
    for user in (practitioner_a, secretariat):
        for number in range(10):
            token_create(user=user, name=f"token {number}")
        client = client_for(user)
        with django_assert_max_num_queries(8):
            assert client.get(PAGE).status_code == 200
        with django_assert_max_num_queries(12):  # the list, plus the checks of the write
            assert client.post(PAGE, {"name": "one more"}).status_code == 200
