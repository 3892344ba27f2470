"""The directory's facet counts are kept in the cache (they count every matching authority,
and serve every page of a result): never counts of restricted authorities for a reader who may
not see them, whoever asked first, and never counts from before a change."""

from __future__ import annotations

from typing import Any

import pytest

from palermo.accounts.models import Membership, User
from palermo.core.models import Visibility
from palermo.directory.models import Function
from palermo.reference.models import State
from tests.directory.factories import World, make_authority
from tests.personas import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/authorities?state=MEX"


def _functions(client: Any, url: str = URL) -> dict[str, int]:
    response = client.get(url)
    assert response.status_code == 200
    return {row["code"]: row["count"] for row in response.json()["facets"]["function"]}



def test_restricted_authorities_counted_first_never_reach_a_reader_who_may_not_see_them(
        world: World, practitioner_a: User) -> None:
    insider = client_for(practitioner_a)
    outsider = client_for(None)
    # The practitioner's counts are computed and kept first: the restricted authority is the
    # only one designated for extradition.
    for page in (1, 2):
        assert _functions(insider, f"{URL}&page={page}") == {
            Function.RECEIVE_MLA: 1, Function.EXTRADITION: 1}
    assert _functions(outsider) == {Function.RECEIVE_MLA: 1}
    # The same person, once without a role, sees public counts only, at once.
    Membership.objects.filter(user=practitioner_a).delete()
    assert _functions(client_for(User.objects.get(pk=practitioner_a.pk))) == {
        Function.RECEIVE_MLA: 1}


def test_a_new_authority_changes_the_counts_at_once(world: World, state_a: State,
                                                    practitioner_a: User) -> None:
    insider = client_for(practitioner_a)
    assert _functions(insider)[Function.RECEIVE_MLA] == 1
    make_authority(state_a, "NEWAUTH", Visibility.PUBLIC)
    assert _functions(insider)[Function.RECEIVE_MLA] == 2
    world.public_authority.delete()
    assert _functions(insider)[Function.RECEIVE_MLA] == 1
