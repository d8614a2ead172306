"""GET /api/v1/cases/{id} and POST /api/v1/cases/{id}/actions/{action}: visibility, refusals, the error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from regdesk.accounts.models import User
from regdesk.cases.models import Case, CaseEvent
from regdesk.cases.services import document_attach
from tests.accounts.helpers import login_fully
from tests.cases.conftest import PDF_BYTES, World, start_case, submitted_case


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_fully(client, user)
    return client


def act(client: Client, case: Case, action: str, payload: Any = None, query: str = "") -> Any:
    return client.post(
        f"/api/v1/cases/{case.pk}/actions/{action}{query}",
        data=payload if payload is not None else {},
        content_type="application/json",
    )


def test_detail_shows_state_actions_clocks_and_documents(world: World) -> None:
    case = submitted_case(world)
    response = client_for(world.specialist).get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["state"], body["unit"]) == (case.reference, "waiting", "outlet-a1")
    assert [action["name"] for action in body["allowed_actions"]] == ["request_supplement", "withdraw"]
    [clock] = body["clocks"]
    assert (clock["name"], clock["state"], clock["budget_unit"]) == ("review", "running", "working_days")
    assert [rung["name"] for rung in clock["rungs"]] == ["warning", "eve", "breach"]
    assert all(rung["fired_at"] is None for rung in clock["rungs"])
    [document] = body["documents"]
    assert (document["kind"], document["content_type"]) == ("form", "application/pdf")
    assert "filename" not in document
    compliance = client_for(world.compliance).get(f"/api/v1/cases/{case.pk}").json()
    assert [action["name"] for action in compliance["allowed_actions"]] == ["approve"]


@pytest.mark.parametrize("who", ["other_clerk", "outsider"])
def test_callers_who_may_not_see_the_case_get_404_like_a_missing_case(world: World, who: str) -> None:
    case = submitted_case(world)
    client = client_for(getattr(world, who))
    hidden = client.get(f"/api/v1/cases/{case.pk}")
    missing = client.get(f"/api/v1/cases/{case.pk + 1000}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.json()["error"]["code"] == "not_found"
    events = CaseEvent.objects.count()
    refused = act(client, case, "withdraw")
    assert refused.status_code == 404
    assert CaseEvent.objects.count() == events
    assert Case.objects.get(pk=case.pk).state == "waiting"


def test_anonymous_callers_are_unauthenticated(world: World) -> None:
    case = start_case(world)
    assert client_for(None).get(f"/api/v1/cases/{case.pk}").status_code == 401
    assert act(client_for(None), case, "withdraw").status_code == 401
    assert Case.objects.get(pk=case.pk).state == "draft"


def test_action_moves_the_case(world: World) -> None:
    case = start_case(world)
    document_attach(actor=world.specialist, case=case, kind="form", filename="a.pdf", content=PDF_BYTES)
    response = act(client_for(world.specialist), case, "submit")
    assert response.status_code == 200
    assert response.json()["state"] == "waiting"
    assert Case.objects.get(pk=case.pk).state == "waiting"


@pytest.mark.parametrize(
    ("who", "action", "payload", "status", "code"),
    [
        ("specialist", "approve", {"note": "x"}, 403, "role"),
        ("compliance", "approve", {"note": ""}, 409, "guard"),
        ("compliance", "withdraw", {}, 403, "role"),
        ("specialist", "submit", {}, 409, "wrong_state"),
        ("specialist", "lapse", {}, 403, "role"),
        ("specialist", "teleport", {}, 404, "unknown_action"),
    ],
)
def test_refusals_map_to_statuses_and_change_nothing(
    world: World, who: str, action: str, payload: dict[str, Any], status: int, code: str
) -> None:
    case = submitted_case(world)
    events = CaseEvent.objects.count()
    response = act(client_for(getattr(world, who)), case, action, payload)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert CaseEvent.objects.count() == events
    assert Case.objects.get(pk=case.pk).state == "waiting"


def test_guard_reason_reaches_the_caller(world: World) -> None:
    case = submitted_case(world)
    response = act(client_for(world.compliance), case, "approve", {"note": " "})
    assert response.json()["error"]["message"] == "Give a note with the decision."
    ok = act(client_for(world.compliance), case, "approve", {"note": "complete"})
    assert ok.status_code == 200
    assert ok.json()["state"] == "done"
    assert ok.json()["allowed_actions"] == []


def test_payload_must_be_a_json_object(world: World) -> None:
    case = submitted_case(world)
    response = act(client_for(world.specialist), case, "withdraw", ["not", "an", "object"])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert Case.objects.get(pk=case.pk).state == "waiting"


def test_role_can_be_chosen(world: World) -> None:
    case = submitted_case(world)
    response = act(client_for(world.specialist), case, "withdraw", {}, query="?role=compliance_officer")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "role")
    assert act(client_for(world.specialist), case, "withdraw", {}, query="?role=specialist").status_code == 200
