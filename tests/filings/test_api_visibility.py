"""The API sees what the desk and the portal see, no more: a permission matrix over /api/v1/filings and
/api/v1/cases for list, read and write. Counter clerks and administrators see no filing and no filing's case (the
API used to show them every filing of their units); a refused write answers 404 like a refused read (403 only for
someone who sees the filing), and no denied request changes anything."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from regdesk.accounts.models import User
from regdesk.accounts.roles import Role
from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case, CaseEvent, Document
from regdesk.filings.models import Filing
from tests.accounts.helpers import login_fully, make_user
from tests.filings.builders import World, case_of, draft, filing_json

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

CALLERS = ["specialist", "auditor", "owner", "clerk", "administrator", "other_specialist", "other_owner", "anonymous"]
# Who sees the draft filing: its owner (portal) and the desk's roles over its unit (specialist, auditor).
SEES_FILING = {"specialist", "auditor", "owner"}
# Who sees its case: the desk's roles over its unit (owners follow their filing, not the kernel's case).
SEES_CASE = {"specialist", "auditor"}
# Who may change the draft: its owner and the unit's specialist.
EDITS_FILING = {"specialist", "owner"}


def caller(world: World, name: str) -> Client:
    """A client with a complete session for the named caller (none for the anonymous one)."""
    users: dict[str, User] = {
        "specialist": world.specialist,
        "auditor": world.auditor,
        "owner": world.owner,
        "other_specialist": world.other_specialist,
        "other_owner": world.other_owner,
        # A counter clerk and an administrator over the filing's unit: they work elsewhere in the system.
        "clerk": make_user("clerk", (world.branch, Role.COUNTER_CLERK)),
        "administrator": make_user("administrator", (world.provider, Role.ADMINISTRATOR)),
    }
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if name != "anonymous":
        login_fully(client, users[name])
    return client


def snapshot() -> tuple[Any, ...]:
    """Everything a write through these endpoints could change."""
    return (
        list(Filing.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        list(Case.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        CaseEvent.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    )


def denied_status(name: str, sees: set[str]) -> int:
    return 401 if name == "anonymous" else (403 if name in sees else 404)


@pytest.mark.parametrize("name", CALLERS)
def test_listing_filings_shows_what_the_desk_and_portal_show(world: World, name: str) -> None:
    filing = draft(world)
    response = caller(world, name).get("/api/v1/filings")
    if name == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == ([filing.pk] if name in SEES_FILING else [])


@pytest.mark.parametrize("name", CALLERS)
def test_reading_a_filing_and_its_case(world: World, name: str) -> None:
    filing = draft(world)
    client = caller(world, name)
    for path, sees in (
        (f"/api/v1/filings/{filing.pk}", SEES_FILING),
        (f"/api/v1/cases/{case_of(filing).pk}", SEES_CASE),
    ):
        response = client.get(path)
        expected = 200 if name in sees else (401 if name == "anonymous" else 404)
        assert response.status_code == expected, (path, response.content)
        if expected == 404:
            assert response.json()["error"]["code"] == "not_found"


def _writes(filing: Filing) -> list[tuple[str, dict[str, Any], set[str]]]:
    """(path, request, who may carry it out) for each write of the matrix."""
    case_id = case_of(filing).pk
    return [
        (f"/api/v1/filings/{filing.pk}", {"method": "put", "json": {"data": filing_json()}}, EDITS_FILING),
        (f"/api/v1/filings/{filing.pk}/corrections", {"json": {"values": {"websites[0].name": "新名字"}}}, set()),
        (f"/api/v1/filings/{filing.pk}/documents", {"file": True}, EDITS_FILING),
        (f"/api/v1/filings/{filing.pk}/contact/call", {"json": {"outcome": "confirmed"}}, set()),
        (f"/api/v1/cases/{case_id}/actions/submit", {"json": {}}, set()),
        (f"/api/v1/filings/{filing.pk}/actions/submit", {"json": {}}, {"owner"}),
    ]


def _send(client: Client, path: str, request: dict[str, Any]) -> Any:
    if request.get("file"):
        upload = SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")
        return client.post(path, {"file": upload})
    body = json.dumps(request["json"])
    if request.get("method") == "put":
        return client.put(path, data=body, content_type="application/json")
    return client.post(path, data=body, content_type="application/json")


@pytest.mark.parametrize("name", [name for name in CALLERS if name not in EDITS_FILING])
def test_a_denied_write_answers_like_a_denied_read_and_changes_nothing(world: World, name: str) -> None:
    filing = draft(world)
    client = caller(world, name)
    for path, request, _allowed in _writes(filing):
        before = snapshot()
        response = _send(client, path, request)
        sees = SEES_CASE if path.startswith("/api/v1/cases/") else SEES_FILING
        assert response.status_code == denied_status(name, sees), (path, response.content)
        assert snapshot() == before, path


@pytest.mark.parametrize("name", sorted(EDITS_FILING))
def test_those_who_may_write_do(world: World, name: str) -> None:
    filing = draft(world)
    client = caller(world, name)
    for path, request, allowed in _writes(filing):
        if name in allowed:
            response = _send(client, path, request)
            assert response.status_code in (200, 201), (path, response.content)
