"""The invitation's mail goes through the task queue after the request, with a link that
starts with Palermo's configured address; a queued mail is sent once whatever runs it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from palermo.accounts import tasks
from palermo.accounts.models import Invitation, Membership
from tests.accounts.test_invitations import accept_as_new_person, invite, link_in
from tests.core.test_settings import GOOD_KEY, palermo
from tests.personas import client_for


def test_the_mail_is_sent_by_the_worker_after_the_request(focal_point_a, run_worker):
    client = client_for(focal_point_a)
    response = invite(client, email="later@example.org", role="editor", state="MEX")
    assert response["Location"] == "/en/account/invitations/"
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    listing = client.get("/en/account/invitations/").content.decode()
    assert "later@example.org" in listing and "Waiting to be sent" in listing

    run_worker()

    invitation = Invitation.objects.get()
    assert invitation.mailed_at is not None and invitation.mail_error == ""
    assert [message.to for message in mail.outbox] == [["later@example.org"]]
    assert "Sent on" in client.get("/en/account/invitations/").content.decode()
    accept_as_new_person(link_in(mail.outbox[-1]))
    assert Membership.objects.filter(user__email="later@example.org", role="editor").exists()


def test_the_link_starts_with_the_configured_address_not_the_inviters(focal_point_a, settings):
    settings.PALERMO_SITE_URL = "https://palermo.example.org"
    invite(client_for(focal_point_a), email="x@example.org", role="editor", state="MEX")
    body = mail.outbox[-1].body
    assert "https://palermo.example.org/en/account/invitations/accept/" in body
    assert "testserver" not in body


def test_a_queued_mail_is_sent_once_when_two_tasks_run(focal_point_a, run_worker):
    invite(client_for(focal_point_a), email="once@example.org", role="editor", state="MEX")
    invitation = Invitation.objects.get()
    tasks.send_invitation.enqueue(invitation.pk)  # as when "send again" is pressed twice

    run_worker()

    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    assert len(mail.outbox) == 1


def test_a_revoked_invitation_is_not_mailed(focal_point_a, run_worker):
    client = client_for(focal_point_a)
    invite(client, email="changed.mind@example.org", role="editor", state="MEX")
    invitation = Invitation.objects.get()
    client.post(f"/en/account/invitations/{invitation.pk}/revoke/")
    run_worker()
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.mailed_at is None


def test_sending_again_a_revoked_invitation_is_refused(focal_point_a):
    client = client_for(focal_point_a)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post("/en/account/invitations/new/", {
            "email": "x@example.org", "role": "editor", "state": "MEX", "language": "en"})
    invitation = Invitation.objects.get()
    client.post(f"/en/account/invitations/{invitation.pk}/revoke/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/en/account/invitations/{invitation.pk}/send-again/",
                               follow=True)
    assert "Only a pending invitation can be sent again." in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(("env", "shown"), [
    ({"PALERMO_ALLOWED_HOSTS": ".example.org"}, "'https://.example.org'"),
    ({"PALERMO_ALLOWED_HOSTS": "palermo.example.org", "PALERMO_SITE_URL": "palermo.example.org"},
     "'palermo.example.org'"),
])
def test_production_refuses_an_address_that_links_cannot_start_with(env, shown):
    result = palermo("check", PALERMO_ENV="production", PALERMO_SECRET_KEY=GOOD_KEY,
                     DATABASE_URL="postgres://postgres@127.0.0.1:5432/palermo", **env)
    assert result.returncode == 1
    assert "PALERMO_SITE_URL must be the address people reach Palermo at" in result.stderr
    assert shown in result.stderr
