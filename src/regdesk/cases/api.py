"""JSON API of the cases app, mounted under /api/v1/cases/.

* ``GET /api/v1/cases/{id}``: the case's state, the actions the caller may take now, its clocks (due time and
  rungs) and its documents.
* ``POST /api/v1/cases/{id}/actions/{action}`` with a JSON object as the payload (``?role=`` picks the role to act
  in): takes the action through ``case_transition``.

A caller who may not see the case gets 404, the same as for a case that does not exist. Refusals: 404
``unknown_action``, 409 ``wrong_state`` or ``guard``, 403 ``role`` (the caller sees the case but none of their
roles may take the action).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema

from regdesk.accounts.api_auth import SessionOrToken
from regdesk.cases.models import Case, Clock
from regdesk.cases.permissions import access_case_by_id
from regdesk.cases.selectors import allowed_actions, case_clocks, case_documents
from regdesk.cases.services import CaseRefused, TransitionRefused, case_transition
from regdesk.config.errors import ApiError

router = Router(tags=["cases"])

_REFUSAL_STATUS = {"unknown_action": 404, "wrong_state": 409, "guard": 409, "role": 403}


class ActionOut(Schema):
    name: str
    label: str
    target: str


class RungOut(Schema):
    name: str
    fire_at: datetime
    breach: bool
    fired_at: datetime | None
    outcome: str


class ClockOut(Schema):
    id: int
    name: str
    state: str
    budget_amount: int
    budget_unit: str
    started_at: datetime
    due_at: datetime
    provisional: bool
    breached_at: datetime | None
    stopped_at: datetime | None
    rungs: list[RungOut]


class DocumentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class CaseOut(Schema):
    id: int
    reference: str
    process_key: str
    process_version: int
    state: str
    is_open: bool
    unit: str
    assignee_id: int | None
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[ActionOut]
    clocks: list[ClockOut]
    documents: list[DocumentOut]


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


def _clock_out(clock: Clock) -> ClockOut:
    fired = {row.rung: row for row in clock.fired_rungs.all()}
    rungs = []
    for entry in clock.schedule:
        row = fired.get(entry["rung"])
        rungs.append(
            RungOut(
                name=entry["rung"],
                fire_at=datetime.fromisoformat(entry["fire_at"]),
                breach=bool(entry.get("breach", False)),
                fired_at=row.fired_at if row is not None else None,
                outcome=row.outcome if row is not None else "",
            )
        )
    return ClockOut(
        id=clock.pk,
        name=clock.name,
        state=clock.state,
        budget_amount=clock.budget_amount,
        budget_unit=clock.budget_unit,
        started_at=clock.started_at,
        due_at=clock.due_at,
        provisional=clock.provisional,
        breached_at=clock.breached_at,
        stopped_at=clock.stopped_at,
        rungs=rungs,
    )


def case_out(case: Case, user: Any) -> CaseOut:
    return CaseOut(
        id=case.pk,
        reference=case.reference,
        process_key=case.process_key,
        process_version=case.process_version,
        state=case.state,
        is_open=case.is_open,
        unit=case.unit.code,
        assignee_id=case.assignee_id,
        created_at=case.created_at,
        updated_at=case.updated_at,
        allowed_actions=[
            ActionOut(name=transition.name, label=str(transition.label or transition.name), target=transition.target)
            for transition in allowed_actions(case, user)
        ],
        clocks=[_clock_out(clock) for clock in case_clocks(case)],
        documents=[
            DocumentOut(
                id=document.pk,
                kind=document.kind,
                content_type=document.content_type,
                size=document.size,
                sha256=document.sha256,
                uploaded_at=document.uploaded_at,
            )
            for document in case_documents(case)
        ],
    )


@router.get("/{int:case_id}", response={200: CaseOut, 404: ErrorOut}, auth=SessionOrToken)
def case_detail(request: HttpRequest, case_id: int) -> CaseOut:
    """The case, the actions the caller may take now, its clocks and its documents."""
    case = access_case_by_id(request.user, case_id)
    return case_out(case, request.user)


@router.post(
    "/{int:case_id}/actions/{action}",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SessionOrToken,
)
def case_action(
    request: HttpRequest, case_id: int, action: str, payload: Body[dict[str, Any]], role: str | None = None
) -> CaseOut:
    """Take ``action`` on the case with the JSON object ``payload``."""
    case = access_case_by_id(request.user, case_id)
    try:
        case = case_transition(actor=request.user, case=case, action=action, payload=payload, role=role)  # type: ignore[arg-type]
    except TransitionRefused as refused:
        raise ApiError(refused.code, refused.message, status=_REFUSAL_STATUS.get(refused.code, 409)) from None
    except CaseRefused as refused:
        raise ApiError(refused.code, refused.message, status=409) from None
    return case_out(case, request.user)
