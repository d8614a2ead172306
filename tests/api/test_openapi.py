"""Every operation of the OpenAPI document, with data generated from it: no 5xx ever, the error shape on every
4xx, responses as the document declares them, and a refused request changes nothing in the database.

Each operation runs as an anonymous caller, with an API token of a staff member and with a staff member's complete
session. Some examples point the path parameters at real objects (the case in review, the last audit event) and
name the actions of the case's process, so that the generated data gets past the "not found" answers. The filing
endpoints are left out while they are built.

schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) does not run under pytest 9, so the
operations are parametrized here and each one's strategy is driven by Hypothesis directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from regdesk.audit.models import AuditEvent
from regdesk.config.wsgi import application
from tests.api.conftest import Identity, World, credentials_for
from tests.api.errors import assert_error_shape
from tests.api.snapshot import changed_tables, database_snapshot
from tests.cases import processes

OPENAPI_URL = "/api/v1/openapi.json"
EXAMPLES_PER_OPERATION = 25

Operation = APIOperation[Any, Any, Any, Any]

SCHEMA = schemathesis.openapi.from_wsgi(OPENAPI_URL, application).exclude(path_regex=r"^/api/v1/filings")
# The credentials are the test's choice (the identity parameter), not generated data.
SCHEMA.config.generation.update(with_security_parameters=False)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, negative_data_rejection]
ACTIONS = [transition.name for transition in processes.REVIEW.transitions]


def _operations() -> dict[str, Operation]:
    operations = {}
    for result in SCHEMA.get_all_operations():
        if not isinstance(result, Ok):
            raise result.err()
        operations[result.ok().label] = result.ok()
    return operations


OPERATIONS = _operations()


def test_the_document_lists_the_operations_under_test() -> None:
    # Guards the fuzzing below against an empty or half-loaded document.
    assert {"GET /api/v1/accounts/me", "POST /api/v1/cases/{case_id}/actions/{action}"} <= set(OPERATIONS)
    assert not [label for label in OPERATIONS if "/filings" in label]


def _real_objects(world: World) -> dict[str, Any]:
    last_event = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    return {"case_id": world.waiting_case.pk, "sequence": last_event}


def _with_action(
    operation: Operation, mode: GenerationMode, pinned: dict[str, Any]
) -> Callable[[str], st.SearchStrategy[Any]]:
    def strategy(action: str) -> st.SearchStrategy[Any]:
        return operation.as_strategy(generation_mode=mode, path_parameters={**pinned, "action": action})

    return strategy


def _strategy(operation: Operation, world: World) -> st.SearchStrategy[Any]:
    names = {parameter.name for parameter in operation.path_parameters}
    pinned = {name: value for name, value in _real_objects(world).items() if name in names}
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(generation_mode=mode))
        if pinned:
            strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=pinned))
        if pinned and "action" in names:
            strategies.append(st.sampled_from(ACTIONS).flatmap(_with_action(operation, mode, pinned)))
    return st.one_of(strategies)


def _fuzz(label: str, identity: Identity, world: World) -> None:
    operation = OPERATIONS[label]
    credentials = credentials_for(identity, world.staff)

    @given(case=_strategy(operation, world))
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


@pytest.mark.usefixtures("same_connection")
@pytest.mark.parametrize("identity", list(Identity))
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_generated_requests(label: str, identity: Identity, world: World) -> None:
    _fuzz(label, identity, world)


@pytest.mark.postgres
@pytest.mark.usefixtures("same_connection")
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_generated_requests_on_postgresql(label: str, world: World) -> None:
    """PostgreSQL refuses what SQLite takes (NUL characters in text, numbers beyond 64 bits): the same fuzzing."""
    _fuzz(label, Identity.SESSION, world)
