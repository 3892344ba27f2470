"""The accounts' restricted pages × every persona: who sees which State's people and
invitations, and who may revoke them. Anonymous visitors are sent to sign in; signed-in people
without the right get 404; focal points see their own State's; the secretariat sees all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import mail

from palermo.accounts.models import Invitation, Membership
from palermo.core.models import Visibility
from palermo.directory.models import Authority
from palermo.reference.models import State
from tests.directory.factories import make_authority
from tests.personas import client_for, make_person

PERSONAS = ["anonymous", "practitioner_a", "editor_a", "reviewer_a", "focal_point_a",
            "focal_point_b", "secretariat"]
# Which State's markers each persona must see (None: the page is closed to them).
SEES: dict[str, set[str] | None] = {
    "anonymous": None, "practitioner_a": None, "editor_a": None, "reviewer_a": None,
    "focal_point_a": {"MEX"}, "focal_point_b": {"FRA"}, "secretariat": {"MEX", "FRA"},
}
MARKERS = {
    "invitations": {"MEX": "invitee-mex@example.org", "FRA": "invitee-fra@example.org"},
    "memberships": {"MEX": "practitioner-a@example.org", "FRA": "practitioner-b@example.org"},
}
PAGES = {
    "invitation list": ("/en/account/invitations/", "invitations"),
    "invitation list, France": ("/en/account/invitations/?state=FRA", "invitations"),
    "invitation form": ("/en/account/invitations/new/", None),
    "membership list": ("/en/account/memberships/", "memberships"),
    "membership list, Mexico": ("/en/account/memberships/?state=MEX", "memberships"),
}


@dataclass
class World:
    invitations: dict[str, Invitation]
    memberships: dict[str, Membership]
    authorities: dict[str, Authority]


@pytest.fixture
def world(secretariat, practitioner_a, editor_a, reviewer_a, focal_point_a,
          focal_point_b) -> World:
    client = client_for(secretariat)
    authorities = {state: make_authority(State.objects.get(code=state),
                                         f"Authority{state.title()}", Visibility.PUBLIC)
                   for state in ("MEX", "FRA")}
    for state in ("MEX", "FRA"):
        client.post("/en/account/invitations/new/", {
            "email": f"invitee-{state.lower()}@example.org", "role": "editor",
            "state": state, "language": "en", "authority": authorities[state].pk})
    mail.outbox.clear()
    practitioner_b = make_person("practitioner-b@example.org", state="FRA",
                                 role=Membership.Role.PRACTITIONER)
    return World(
        invitations={i.state.code: i for i in Invitation.objects.select_related("state")
                     if i.state is not None},
        memberships={"MEX": practitioner_a.memberships.get(),
                     "FRA": practitioner_b.memberships.get()},
        authorities=authorities,
    )


@pytest.fixture(params=PERSONAS)
def who(request: pytest.FixtureRequest, world: World):
    name: str = request.param
    return name, None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("page", PAGES)
def test_restricted_account_pages_show_exactly_what_the_persona_may_see(who, page):
    name, user = who
    url, kind = PAGES[page]
    response = client_for(user).get(url)
    body = response.content.decode()
    allowed = SEES[name]
    if allowed is None:
        expected = 302 if name == "anonymous" else 404
        assert response.status_code == expected, f"{page}: {name}"
    else:
        assert response.status_code == 200, f"{page}: {name}"
    if kind is None:
        return
    for state, marker in MARKERS[kind].items():
        shown = allowed is not None and state in allowed
        if "?state=" in url and user is not None and user.is_secretariat:
            shown = shown and url.endswith(state)
        assert (marker in body) == shown, f"{page}: {marker} wrong for {name}"


@pytest.mark.parametrize("kind", ["invitations", "memberships"])
@pytest.mark.parametrize("state", ["MEX", "FRA"])
def test_only_who_may_see_a_states_people_may_revoke_them(who, world, kind, state):
    name, user = who
    target = (world.invitations if kind == "invitations" else world.memberships)[state]
    response = client_for(user).post(f"/en/account/{kind}/{target.pk}/revoke/")
    allowed = SEES[name]
    may = allowed is not None and state in allowed
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/en/account/sign-in/")
    else:
        assert response.status_code == (302 if may else 404), f"{kind} {state}: {name}"
    if kind == "invitations":
        target.refresh_from_db()
        assert (target.revoked_at is not None) == may
    else:
        assert Membership.objects.filter(pk=target.pk).exists() != may


@pytest.mark.parametrize("state", ["MEX", "FRA"])
def test_only_who_may_see_a_states_people_may_set_their_authority(who, world, state):
    name, user = who
    target = world.memberships[state]
    assert world.invitations[state].authority == world.authorities[state]
    response = client_for(user).post(f"/en/account/memberships/{target.pk}/authority/",
                                     {"authority": world.authorities[state].pk, "shown": ""})
    allowed = SEES[name]
    may = allowed is not None and state in allowed
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/en/account/sign-in/")
    else:
        assert response.status_code == (302 if may else 404), f"{state}: {name}"
    target.refresh_from_db()
    assert (target.authority == world.authorities[state]) == may


@pytest.mark.parametrize("state", ["MEX", "FRA"])
def test_only_who_may_see_a_states_invitations_may_send_them_again(
        who, world, state, django_capture_on_commit_callbacks):
    name, user = who
    target = world.invitations[state]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(f"/en/account/invitations/{target.pk}/send-again/")
    allowed = SEES[name]
    may = allowed is not None and state in allowed
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/en/account/sign-in/")
    else:
        assert response.status_code == (302 if may else 404), f"{state}: {name}"
    target.refresh_from_db()
    assert (target.mailed_at is not None) == may
    assert len(mail.outbox) == (1 if may else 0)
