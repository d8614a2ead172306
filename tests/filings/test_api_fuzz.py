"""Generated requests against every /api/v1/filings operation of the OpenAPI document (schemathesis): never a 5xx,
the error shape on every 4xx, responses as documented, and a refused request changes nothing in the database.

Requests run as anonymous callers, with a specialist's API token and with the owner's and the specialist's complete
sessions; path parameters are also pinned to a real filing and the process's actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from regdesk.config.wsgi import application
from regdesk.filings.process import build_definition
from tests.api.conftest import Credentials, Identity, credentials_for
from tests.api.errors import assert_error_shape
from tests.api.snapshot import changed_tables, database_snapshot
from tests.filings.builders import World, submitted

pytestmark = pytest.mark.django_db
EXAMPLES_PER_OPERATION = 20
Operation = APIOperation[Any, Any, Any, Any]

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(path_regex=r"^/api/v1/filings")
SCHEMA.config.generation.update(with_security_parameters=False)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
ACTIONS = [transition.name for transition in build_definition().transitions]


def _operations() -> dict[str, Operation]:
    operations = {}
    for result in SCHEMA.get_all_operations():
        if not isinstance(result, Ok):
            raise result.err()
        operations[result.ok().label] = result.ok()
    return operations


OPERATIONS = _operations()


@pytest.fixture
def same_connection() -> Iterator[None]:
    """WSGI requests made in the test's thread run inside the test's transaction (as the test client's do)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_document_lists_the_filing_operations() -> None:
    assert {
        "GET /api/v1/filings",
        "POST /api/v1/filings",
        "GET /api/v1/filings/{filing_id}",
        "POST /api/v1/filings/{filing_id}/actions/{action}",
    } <= set(OPERATIONS)


def _with_action(operation: Operation, mode: GenerationMode, pinned: dict[str, Any]) -> Callable[[str], Any]:
    def strategy(action: str) -> st.SearchStrategy[Any]:
        return operation.as_strategy(generation_mode=mode, path_parameters={**pinned, "action": action})

    return strategy


def _strategy(operation: Operation, filing_id: int) -> st.SearchStrategy[Any]:
    names = {parameter.name for parameter in operation.path_parameters}
    pinned = {"filing_id": filing_id} if "filing_id" in names else {}
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(generation_mode=mode))
        if pinned:
            strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=pinned))
        if pinned and "action" in names:
            strategies.append(st.sampled_from(ACTIONS).flatmap(_with_action(operation, mode, pinned)))
    return st.one_of(strategies)


@pytest.mark.usefixtures("same_connection")
@pytest.mark.parametrize("who", ["anonymous", "specialist_token", "specialist", "owner"])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_generated_requests(label: str, who: str, world: World) -> None:
    filing = submitted(world)
    credentials: Credentials = {
        "anonymous": lambda: credentials_for(Identity.ANONYMOUS, world.owner),
        "specialist_token": lambda: credentials_for(Identity.TOKEN, world.specialist),
        "specialist": lambda: credentials_for(Identity.SESSION, world.specialist),
        "owner": lambda: credentials_for(Identity.SESSION, world.owner),
    }[who]()
    operation = OPERATIONS[label]

    @given(case=_strategy(operation, filing.pk))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        before = database_snapshot()
        response = case.call(headers=credentials.headers, cookies=credentials.cookies)
        case.validate_response(response, checks=CHECKS, headers=credentials.headers)
        if 400 <= response.status_code < 500:
            assert_error_shape(response.json(), status=response.status_code)
            assert changed_tables(before, database_snapshot()) == [], f"{response.status_code} changed the database"

    run()
