"""schemathesis against the served OpenAPI schema: no server errors, answers match the schema.

schemathesis drives the application in-process through WSGI, inside one ordinary test, so
that it reads the pytest-django test database (with the world's public and restricted
entries) and runs as an anonymous visitor, with a signed-in session and with a personal API
token.
Generation is derandomized so that the suite does not flake; each operation gets a bounded
number of examples, valid ones and invalid ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.result import Err

from palermo.api.services import token_create

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance]


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """Like Django's test client: the WSGI handler would otherwise close the connection at the
    end of each request, and with it the test's transaction (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_operation(strategy: Any, cookies: dict[str, str], headers: dict[str, str],
                  examples: int) -> list[int]:
    """Run the generated requests; the status codes they got."""
    statuses: list[int] = []

    @given(case=strategy)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        # The WSGI client does not decompress; the GZip middleware must stay out of the way.
        response = case.call_and_validate(cookies=cookies,
                                          headers={"Accept-Encoding": "identity", **headers},
                                          checks=CHECKS)
        statuses.append(response.status_code)

    check()
    return statuses


@pytest.mark.django_db(transaction=False)
def test_the_api_keeps_its_contract_under_generated_requests(world, practitioner_a):
    with connection_kept_open():
        check_every_operation(world, practitioner_a)


def check_every_operation(world: Any, practitioner_a: Any) -> None:
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client = Client()
    client.force_login(practitioner_a)
    insider = {django_settings.SESSION_COOKIE_NAME:
               client.cookies[django_settings.SESSION_COOKIE_NAME].value}
    _token, secret = token_create(user=practitioner_a, name="schemathesis")
    token = {"Authorization": f"Bearer {secret}"}
    authority_ids = [world.public_authority.pk, world.restricted_authority.pk]

    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        operations.append(result.ok())
    assert len(operations) == 28  # 10 of reference data and the directory, 12 of requests,
    # 6 of reporting (questionnaires, cycles, responses)
    for cookies, headers in (({}, {}), (insider, {}), ({}, token)):
        for operation in operations:
            has_parameters = bool(len(operation.path_parameters) + len(operation.query))
            modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE][:1 + has_parameters]
            for mode in modes:
                run_operation(operation.as_strategy(generation_mode=mode), cookies, headers,
                              MAX_EXAMPLES)
            if "/authorities/{id}" in operation.path:
                for pk in authority_ids:
                    statuses = run_operation(
                        operation.as_strategy(path_parameters={"id": pk}), cookies, headers, 1)
                    hidden = pk == world.restricted_authority.pk and not (cookies or headers)
                    assert set(statuses) == {404 if hidden else 200}, (pk, cookies, headers)
            if operation.path.endswith("/finder"):
                for measure in ("mla-f", "extradition", "sea"):
                    statuses = run_operation(operation.as_strategy(query={
                        "requesting": "FRA", "requested": "MEX", "measure": measure,
                        "urgent": True}), cookies, headers, 1)
                    assert set(statuses) == {200}, (measure, cookies, headers)
            if "{code}" in operation.path:
                code = "untoc" if "instruments" in operation.path else "mex"
                run_operation(operation.as_strategy(path_parameters={"code": code}),
                              cookies, headers, 1)
