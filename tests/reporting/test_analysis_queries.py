"""Each analysis page reads a bounded number of queries, whatever the number of States,
questions and answers: figures are aggregated by the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palermo.accounts.models import User
from palermo.reporting.models import Cycle, Response
from tests.personas import client_for

from .analysis_world import *  # noqa: F403 - the world's fixtures
from .analysis_world import answer, submit

pytestmark = pytest.mark.django_db

# Reading the session and the user: every signed-in page pays them. Who a State's person
# is (memberships, invitations) is read by the page's own queries, as subqueries.
SIGNED_IN = 2
OWN = 7  # the page's own queries: under 8


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()  # nothing kept by an earlier test: the first requests compute everything


def _urls(cycle: Cycle) -> list[str]:
    pk = cycle.pk
    return [reverse("reporting:analysis"),
            reverse("reporting:analysis_cycle", kwargs={"pk": pk}),
            reverse("reporting:analysis_cycle", kwargs={"pk": pk}) + "?section=all&group=1",
            reverse("reporting:analysis_compliance", kwargs={"pk": pk}),
            reverse("reporting:analysis_compliance", kwargs={"pk": pk}) + "?article=5",
            reverse("reporting:analysis_needs", kwargs={"pk": pk}),
            reverse("reporting:analysis_needs", kwargs={"pk": pk}) + "?area=training"]


def _more_answers(cycle: Cycle) -> None:
    """Every other State in scope submits answers too."""
    for response in Response.objects.filter(cycle=cycle).exclude(
            state__code__in=["MEX", "FRA", "BRA"]):
        answer(response, "5-1", "partly")
        answer(response, "5-2", "conduct")
        answer(response, "6-1", response.pk)
        answer(response, "6-4", "Fictional difficulty")
        answer(response, "6-5", "yes")
        submit(response)


def _counts(client: Any, urls: list[str]) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("persona", ["secretariat", "focal_point_a"])
def test_analysis_pages_read_a_bounded_number_of_queries(
        request: pytest.FixtureRequest, persona: str, world: Cycle,
        django_assert_max_num_queries: Any) -> None:
    user: User = request.getfixturevalue(persona)
    client = client_for(user)
    bound = SIGNED_IN + OWN
    urls = _urls(world)
    small = _counts(client, urls)
    _more_answers(world)
    assert _counts(client, urls) == small
    for url in urls:
        with django_assert_max_num_queries(bound):
            client.get(url)
