"""Experts without a Palermo account: a focal point invites an address to help answer its
State's response; the person accepts the mailed link, gets an account of their own, answers the
response and holds no role for the State. Every person is a fictional test account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from palermo.accounts.models import Invitation, Membership, User
from palermo.reporting.models import Response, ResponseContributor
from tests.personas import client_for, make_person

from .cycles_world import *  # noqa: F403 - the world's fixtures
from .cycles_world import answers_of, detail_url, save_section, section_url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a passphrase of my own 2024"


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """The invitation's mail is queued when the request commits; here the task runs at once
    (as in tests/accounts)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def invite_url(response: Response) -> str:
    return reverse("reporting:response_invite", kwargs={"pk": response.pk})


def invite(client: Client, response: Response, capture: Any, **data: str) -> Any:
    """Post the response page's invitation form; the mail it queues on commit is sent."""
    with capture(execute=True):
        return client.post(invite_url(response), data, follow=True)


def link_in(message: Any) -> str:
    found = re.search(re.escape(settings.PALERMO_SITE_URL.rstrip("/")) + r"(/\S+)",
                      message.body)
    assert found, message.body
    return found[1]


def accept_as_new_person(link: str) -> tuple[Client, Any]:
    client = Client()
    return client, client.post(link, {"first_name": "Test", "last_name": "Expert",
                                      "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def revoke_url(response: Response, invitation: Invitation) -> str:
    return reverse("reporting:expert_invitation_revoke",
                   kwargs={"pk": response.pk, "invitation_pk": invitation.pk})


def test_an_address_without_an_account_is_mailed_an_invitation_in_its_language(
        focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    page = invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
                  email="New.Expert@example.org", language="fr")
    assert "has no Palermo account yet" in page.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.response, invitation.state,
            invitation.invited_by, invitation.language) == (
        "new.expert@example.org", "expert", response_a, response_a.state, focal_point_a, "fr")
    assert not ResponseContributor.objects.exists()
    [message] = mail.outbox
    assert message.to == ["new.expert@example.org"]
    assert message.extra_headers["Content-Language"] == "fr"
    assert link_in(message).startswith("/fr/account/invitations/accept/")
    # Which State, which questionnaire and cycle, and who invited: in French.
    assert "Mexique" in message.subject
    for text in ("Mexique", "Test questionnaire [fr]", "First cycle [fr]",
                 "focal-a@example.org"):
        assert text in message.body, text
    # The response page lists it, as sent.
    listing = client_for(focal_point_a).get(detail_url(response_a)).content.decode()
    assert "new.expert@example.org" in listing and "Sent on" in listing
    assert f'action="{revoke_url(response_a, invitation)}"' in listing


def test_the_invitation_is_in_the_inviters_language_when_none_is_chosen(
        focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(focal_point_a).post(f"/es/reporting/responses/{response_a.pk}/invite/",
                                       {"email": "experta@example.org"})
    assert Invitation.objects.get().language == "es"
    assert mail.outbox[-1].extra_headers["Content-Language"] == "es"
    assert "México" in mail.outbox[-1].body


def test_the_new_expert_accepts_answers_and_holds_no_role_for_the_state(
        focal_point_a: User, response_a: Response, response_b: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
           email="new.expert@example.org", language="en")
    link = link_in(mail.outbox[-1])
    page = Client().get(link).content.decode()
    assert 'name="password1"' in page
    assert "help answer the response of Mexico" in page
    assert "It gives you no role for Mexico" in page
    client, accepted = accept_as_new_person(link)
    assert accepted["Location"] == detail_url(response_a)
    expert = User.objects.get(email="new.expert@example.org")
    assert expert.check_password(NEW_PASSWORD)
    contributor = ResponseContributor.objects.get(user=expert)
    assert (contributor.response, contributor.invited_by) == (response_a, focal_point_a)
    assert not Membership.objects.filter(user=expert).exists()
    assert Invitation.objects.get().accepted_by == expert
    # Signed in by accepting: the response's page and its sections open, and the expert saves.
    assert client.get(detail_url(response_a)).status_code == 200
    assert client.get(section_url(response_a, "cases")).status_code == 200
    assert save_section(client, response_a, "cases", {"6-1": "7"}).status_code == 302
    assert answers_of(response_a)["6-1"] == 7
    # Nothing of another State's response.
    assert client.get(detail_url(response_b)).status_code == 404
    assert client.get(section_url(response_b, "cases")).status_code == 404
    # The invitation is no longer listed as waiting.
    listing = client_for(focal_point_a).get(detail_url(response_a)).content.decode()
    assert "Invitations waiting to be accepted" not in listing
    assert "new.expert@example.org" in listing  # now among the experts


def test_an_account_created_meanwhile_is_linked_when_accepting(
        focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
           email="meanwhile@example.org", language="en")
    link = link_in(mail.outbox[-1])
    person = make_person("meanwhile@example.org")
    assert "already has an account" in Client().get(link).content.decode()
    accepted = client_for(person).post(link)
    assert accepted["Location"] == detail_url(response_a)
    assert ResponseContributor.objects.filter(response=response_a, user=person).exists()
    assert not Membership.objects.filter(user=person).exists()


def test_accepting_after_submission_links_the_expert_who_can_then_only_read(
        focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
           email="late.expert@example.org", language="en")
    Response.objects.filter(pk=response_a.pk).update(status=Response.Status.SUBMITTED,
                                                     submitted_at=response_a.created_at)
    client, accepted = accept_as_new_person(link_in(mail.outbox[-1]))
    assert accepted.status_code == 302
    assert client.get(detail_url(response_a)).status_code == 200
    assert client.get(section_url(response_a, "cases")).status_code == 200
    assert save_section(client, response_a, "cases", {"6-1": "7"}).status_code == 403


def test_a_duplicate_pending_invitation_is_refused(
        focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(focal_point_a)
    invite(client, response_a, django_capture_on_commit_callbacks, email="twice@example.org")
    page = invite(client, response_a, django_capture_on_commit_callbacks,
                  email="Twice@example.org")
    assert "already has a pending invitation to this response" in page.content.decode()
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_revoking_withdraws_the_link(focal_point_a: User, response_a: Response,
                                     django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(focal_point_a)
    invite(client, response_a, django_capture_on_commit_callbacks,
           email="revoked@example.org", language="en")
    invitation = Invitation.objects.get()
    page = client.post(revoke_url(response_a, invitation), follow=True).content.decode()
    assert "The invitation to revoked@example.org is revoked" in page
    assert "Invitations waiting to be accepted" not in page
    invitation.refresh_from_db()
    assert invitation.revoked_by == focal_point_a
    _client, refused = accept_as_new_person(link_in(mail.outbox[-1]))
    assert refused.status_code == 410
    assert "withdrawn" in refused.content.decode()
    assert not User.objects.filter(email="revoked@example.org").exists()
    assert not ResponseContributor.objects.exists()
    # Once revoked, a new invitation may be sent.
    invite(client, response_a, django_capture_on_commit_callbacks, email="revoked@example.org")
    assert Invitation.objects.count() == 2


def test_a_focal_point_of_another_state_can_neither_invite_nor_revoke(
        focal_point_a: User, focal_point_b: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
           email="kept@example.org")
    invitation = Invitation.objects.get()
    other = client_for(focal_point_b)
    with django_capture_on_commit_callbacks(execute=True):
        refused = other.post(invite_url(response_a), {"email": "intruder@example.org"})
    assert refused.status_code == 404
    assert other.post(revoke_url(response_a, invitation)).status_code == 404
    assert list(Invitation.objects.values_list("email", "revoked_at")) == [
        ("kept@example.org", None)]
    assert len(mail.outbox) == 1


def test_an_expert_sees_the_response_but_may_not_invite_or_revoke(
        expert_a: User, focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
           email="kept@example.org")
    invitation = Invitation.objects.get()
    client = client_for(expert_a)
    assert "kept@example.org" not in client.get(detail_url(response_a)).content.decode()
    assert client.post(invite_url(response_a), {"email": "x@example.org"}).status_code == 403
    assert client.post(revoke_url(response_a, invitation)).status_code == 403
    assert Invitation.objects.get().revoked_at is None and Invitation.objects.count() == 1


def test_another_responses_invitation_is_not_found_through_this_response(
        focal_point_a: User, focal_point_b: User, response_a: Response, response_b: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    invite(client_for(focal_point_b), response_b, django_capture_on_commit_callbacks,
           email="b.expert@example.org")
    invitation = Invitation.objects.get()
    assert client_for(focal_point_a).post(revoke_url(response_a, invitation)).status_code == 404
    assert Invitation.objects.get().revoked_at is None


def test_a_deactivated_account_is_refused_and_nothing_changes(
        focal_point_a: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    person = make_person("gone@example.org")
    User.objects.filter(pk=person.pk).update(is_active=False)
    page = invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
                  email="gone@example.org")
    assert "deactivated" in page.content.decode()
    assert not Invitation.objects.exists() and not ResponseContributor.objects.exists()
    assert mail.outbox == []


def test_the_accounts_invitations_page_shows_the_response_and_offers_no_expert_role(
        focal_point_a: User, secretariat: User, response_a: Response,
        django_capture_on_commit_callbacks: Any) -> None:
    invite(client_for(focal_point_a), response_a, django_capture_on_commit_callbacks,
           email="listed@example.org")
    listing = client_for(focal_point_a).get("/en/account/invitations/").content.decode()
    assert "listed@example.org" in listing
    assert "Expert for a reporting response" in listing
    assert f'href="{detail_url(response_a)}"' in listing
    form = client_for(secretariat).get("/en/account/invitations/new/").content.decode()
    assert 'value="expert"' not in form
