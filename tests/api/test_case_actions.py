"""``POST /api/v1/cases/{id}/actions/{action}`` with bad input: a specific 4xx in the error shape, and no table
(the case, its events and clocks, the audit trail) changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from regdesk.accounts.models import User
from regdesk.accounts.roles import Role
from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case
from tests.accounts.helpers import login_fully, make_user
from tests.api.conftest import World
from tests.api.errors import assert_error_shape
from tests.api.snapshot import changed_tables, database_snapshot


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_fully(client, user)
    return client


def _outsider(world: World) -> User:
    other = world.provider.children.create(code="branch-b", name="Unit branch-b", kind="branch")
    return make_user("clerk-b", (other, Role.COUNTER_CLERK))


# (name, who acts, case, action, query, body, status, code)
Refusal = tuple[str, Callable[[World], User | None], Callable[[World], Any], str, str, str, int, str]
REFUSALS: list[Refusal] = [
    ("unknown action", lambda w: w.staff, lambda w: w.waiting_case.pk, "explode", "", "{}", 404, "unknown_action"),
    ("wrong state", lambda w: w.staff, lambda w: w.waiting_case.pk, "submit", "", "{}", 409, "wrong_state"),
    (
        "guard: no note",
        lambda w: w.staff,
        lambda w: w.waiting_case.pk,
        "approve",
        "?role=compliance_officer",
        "{}",
        409,
        "guard",
    ),
    (
        "guard: blank note",
        lambda w: w.staff,
        lambda w: w.waiting_case.pk,
        "approve",
        "",
        '{"note": "  "}',
        409,
        "guard",
    ),
    ("guard: no document", lambda w: w.staff, lambda w: w.draft_case.pk, "submit", "", "{}", 409, "guard"),
    ("system action", lambda w: w.staff, lambda w: w.waiting_case.pk, "lapse", "", "{}", 403, "role"),
    ("role not held", lambda w: w.staff, lambda w: w.waiting_case.pk, "withdraw", "?role=auditor", "{}", 403, "role"),
    ("role unknown", lambda w: w.staff, lambda w: w.waiting_case.pk, "withdraw", "?role=emperor", "{}", 403, "role"),
    ("owner", lambda w: w.owner, lambda w: w.waiting_case.pk, "withdraw", "", "{}", 404, "not_found"),
    ("other unit", _outsider, lambda w: w.waiting_case.pk, "withdraw", "", "{}", 404, "not_found"),
    ("anonymous", lambda w: None, lambda w: w.waiting_case.pk, "withdraw", "", "{}", 401, "unauthenticated"),
    ("missing case", lambda w: w.staff, lambda w: w.waiting_case.pk + 1000, "withdraw", "", "{}", 404, "not_found"),
    ("case id past 64 bits", lambda w: w.staff, lambda w: "9" * 30, "withdraw", "", "{}", 404, "not_found"),
    ("payload a list", lambda w: w.staff, lambda w: w.waiting_case.pk, "withdraw", "", "[]", 422, "invalid_input"),
    ("payload a string", lambda w: w.staff, lambda w: w.waiting_case.pk, "withdraw", "", '"x"', 422, "invalid_input"),
    ("payload null", lambda w: w.staff, lambda w: w.waiting_case.pk, "withdraw", "", "null", 422, "invalid_input"),
    ("no payload", lambda w: w.staff, lambda w: w.waiting_case.pk, "withdraw", "", "", 422, "invalid_input"),
    ("payload not JSON", lambda w: w.staff, lambda w: w.waiting_case.pk, "withdraw", "", "{note:", 400, "invalid_body"),
    (
        "payload NaN",
        lambda w: w.staff,
        lambda w: w.waiting_case.pk,
        "approve",
        "",
        '{"note": NaN}',
        400,
        "invalid_body",
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=[refusal[0] for refusal in REFUSALS])
def test_a_refused_action_changes_nothing(world: World, refusal: Refusal) -> None:
    _name, who, case_id, action, query, body, status, code = refusal
    client = _client(who(world))
    before = database_snapshot()
    events = AuditEvent.objects.count()
    response = client.post(
        f"/api/v1/cases/{case_id(world)}/actions/{action}{query}", data=body, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert_error_shape(response.json(), status=status)
    assert response.json()["error"]["code"] == code
    assert AuditEvent.objects.count() == events
    assert changed_tables(before, database_snapshot()) == []


def test_the_same_action_done_right_changes_the_case(world: World) -> None:
    # The refusals above are refusals of input, not of everything: the right request goes through.
    client = _client(world.staff)
    response = client.post(
        f"/api/v1/cases/{world.waiting_case.pk}/actions/approve?role=compliance_officer",
        data='{"note": "documents complete"}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=world.waiting_case.pk).state == "done"
