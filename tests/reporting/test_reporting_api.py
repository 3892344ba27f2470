"""The reporting API: questionnaires, cycles and responses, with the access rules of the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from palermo.accounts.models import User
from palermo.reporting.models import Cycle, Response
from tests.personas import client_for

from .analysis_world import *  # noqa: F403 - the world's fixtures
from .analysis_world import MARKER

pytestmark = pytest.mark.django_db

API = "/api/v1"
ALL_PERSONAS = ["anonymous", "practitioner_b", "focal_point_b", "focal_point_a", "secretariat"]


def _user(request: pytest.FixtureRequest, name: str) -> User | None:
    return None if name == "anonymous" else request.getfixturevalue(name)


def _get(client: Any, path: str) -> Any:
    return client.get(API + path)


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_nobody_but_state_a_and_the_secretariat_reads_the_confidential_answer(
        request: pytest.FixtureRequest, persona: str, world: Cycle) -> None:
    client = client_for(_user(request, persona))
    a = Response.objects.get(cycle=world, state__code="MEX")
    b = Response.objects.get(cycle=world, state__code="FRA")
    seen = ""
    for path in ["/questionnaires", "/questionnaires/analysis-untoc/versions/1", "/cycles",
                 f"/cycles/{world.pk}", "/responses", f"/responses?cycle={world.pk}",
                 f"/responses/{a.pk}", f"/responses/{b.pk}"]:
        response = _get(client, path)
        assert response.status_code in (200, 404), path
        seen += response.content.decode()
    assert (MARKER in seen) == (persona in {"focal_point_a", "secretariat"})


def test_a_response_of_another_state_answers_404(focal_point_b: User, world: Cycle) -> None:
    a = Response.objects.get(cycle=world, state__code="MEX")
    response = _get(client_for(focal_point_b), f"/responses/{a.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_cycle_shows_every_status_to_the_secretariat_and_its_own_to_a_state(
        secretariat: User, focal_point_a: User, practitioner_b: User, world: Cycle) -> None:
    everything = _get(client_for(secretariat), f"/cycles/{world.pk}").json()
    assert {"MEX", "FRA", "BRA"} <= {row["state"] for row in everything["statuses"]}
    assert everything["submitted"] == 2
    own = _get(client_for(focal_point_a), f"/cycles/{world.pk}").json()
    assert [row["state"] for row in own["statuses"]] == ["MEX"]
    assert own["statuses"][0]["status"] == "submitted"
    assert _get(client_for(practitioner_b), f"/cycles/{world.pk}").status_code == 404
    assert _get(client_for(practitioner_b), "/cycles").json() == []


def test_a_version_lists_its_sections_questions_conditions_and_citations(
        world: Cycle) -> None:
    version = _get(client_for(None), "/questionnaires/analysis-untoc/versions/1").json()
    questions = {q["code"]: q for s in version["sections"] for q in s["questions"]}
    assert questions["5-2"]["condition"] == {"question": "5-1", "values": ["yes", "partly"]}
    assert questions["5-1"]["citations"][0]["citation"] == "art. 5(1)(a)"
    assert [c["code"] for c in questions["5-2"]["choices"]] == ["agreement", "conduct"]
    assert sorted(questions["6-4"]["priority_areas"]) == ["criminalization", "training"]


def test_state_a_reads_its_confidential_answer_marked(focal_point_a: User, world: Cycle) -> None:
    a = Response.objects.get(cycle=world, state__code="MEX")
    answers = {row["question"]: row
               for row in _get(client_for(focal_point_a), f"/responses/{a.pk}").json()["answers"]}
    assert answers["6-4"]["confidential"] is True and MARKER in answers["6-4"]["value"]
    assert answers["6-1"] == {"question": "6-1", "value": 12, "confidential": False}


def test_endpoints_read_a_bounded_number_of_queries(
        secretariat: User, world: Cycle, django_assert_max_num_queries: Any) -> None:
    client = client_for(secretariat)
    a = Response.objects.get(cycle=world, state__code="MEX")
    for path, bound in [("/questionnaires", 4), ("/questionnaires/analysis-untoc/versions/1", 12),
                        ("/cycles", 3), (f"/cycles/{world.pk}", 5), ("/responses", 3),
                        (f"/responses/{a.pk}", 4)]:
        with django_assert_max_num_queries(bound + 2):
            assert _get(client, path).status_code == 200, path


def test_the_schema_lists_the_reporting_operations() -> None:
    schema = json.loads(client_for(None).get(API + "/openapi.json").content)
    assert {"/api/v1/questionnaires", "/api/v1/cycles/{id}",
            "/api/v1/responses/{id}"} <= set(schema["paths"])


def test_a_newly_published_questionnaire_shows_at_once_to_anonymous_callers(reference_data):
    """Anonymous answers come from the page cache; publishing a version empties it."""
    from tests.reporting.factories import published_version

    client = client_for(None)
    before = client.get("/api/v1/questionnaires")
    assert before.status_code == 200 and "cache-check-untoc" not in before.content.decode()
    published_version("cache-check-untoc")
    after = client.get("/api/v1/questionnaires")
    assert "cache-check-untoc" in after.content.decode()
