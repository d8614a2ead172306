"""The JSON API under /api/v1/filings: drafts, detail, actions, contacts; who sees what (404 alike for missing and
forbidden), and that a refused request changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from regdesk.accounts.models import User
from regdesk.accounts.services import api_token_create
from regdesk.audit.models import AuditEvent
from regdesk.cases.models import CaseEvent
from regdesk.filings.models import Filing, FilingState
from tests.accounts.helpers import login_fully
from tests.filings.builders import World, draft, filing_json, submitted

pytestmark = pytest.mark.django_db
PERSON = filing_json()["owner"]["person_in_charge"]


def client_for(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        login_fully(client, user)
    return client


def post(client: Client, path: str, payload: Any = None) -> Any:
    return client.post(path, data=json.dumps(payload if payload is not None else {}), content_type="application/json")


def _state(filing: Filing) -> tuple[str, int, int]:
    return Filing.objects.get(pk=filing.pk).state, CaseEvent.objects.count(), AuditEvent.objects.count()


def test_an_owner_creates_a_draft_and_reads_it_back_masked(world: World) -> None:
    response = post(client_for(world.owner), "/api/v1/filings", {"data": filing_json()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["owner"]) == ("draft", "上海青禾软件有限公司")
    person = body["data"]["owner"]["person_in_charge"]
    assert person["mobile"] != PERSON["mobile"]
    assert "****" in person["mobile"]
    assert PERSON["document_number"] not in response.content.decode()
    assert [action["name"] for action in body["allowed_actions"]] == ["submit", "withdraw"]
    assert Filing.objects.get(pk=body["id"]).owner.portal_user == world.owner


def test_invalid_data_answers_422_with_each_field_and_saves_nothing(world: World) -> None:
    data = filing_json()
    data["websites"][0]["homepage_url"] = "https://www.other-site.cn/"
    before = (Filing.objects.count(), AuditEvent.objects.count())
    response = post(client_for(world.owner), "/api/v1/filings", {"data": data})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_filing"
    assert list(error["fields"]) == ["websites[0].homepage_url"]
    assert "domain" in error["fields"]["websites[0].homepage_url"][0]
    chinese = post(client_for(world.owner), "/api/v1/filings", {"data": data})
    assert chinese.status_code == 422
    assert (Filing.objects.count(), AuditEvent.objects.count()) == before


def test_owners_see_their_own_filings_and_staff_their_units(world: World) -> None:
    mine = draft(world)
    assert [item["id"] for item in client_for(world.owner).get("/api/v1/filings").json()] == [mine.pk]
    assert client_for(world.other_owner).get("/api/v1/filings").json() == []
    assert [item["id"] for item in client_for(world.specialist).get("/api/v1/filings").json()] == [mine.pk]
    assert [item["id"] for item in client_for(world.compliance).get("/api/v1/filings").json()] == [mine.pk]
    assert client_for(world.other_specialist).get("/api/v1/filings").json() == []
    listed = client_for(world.specialist).get("/api/v1/filings?state=submitted").json()
    assert listed == []


@pytest.mark.parametrize("who", ["other_owner", "other_specialist", "missing"])
def test_a_forbidden_filing_looks_like_a_missing_one(world: World, who: str) -> None:
    filing = draft(world)
    user = world.owner if who == "missing" else getattr(world, who)
    target = filing.pk + 1000 if who == "missing" else filing.pk
    client = client_for(user)
    before = _state(filing)
    responses = [
        client.get(f"/api/v1/filings/{target}"),
        client.put(
            f"/api/v1/filings/{target}", data=json.dumps({"data": filing_json()}), content_type="application/json"
        ),
        post(client, f"/api/v1/filings/{target}/actions/submit"),
        post(client, f"/api/v1/filings/{target}/corrections", {"values": {"websites[0].name": "别的网站名称"}}),
        post(client, f"/api/v1/filings/{target}/contact/call", {"outcome": "confirmed"}),
    ]
    assert [response.status_code for response in responses] == [404] * 5
    assert {response.json()["error"]["code"] for response in responses} == {"not_found"}
    assert _state(filing) == before


def test_anonymous_callers_are_asked_to_log_in(world: World) -> None:
    filing = draft(world)
    assert client_for(None).get(f"/api/v1/filings/{filing.pk}").status_code == 401
    assert post(client_for(None), "/api/v1/filings", {"data": filing_json()}).status_code == 401


def test_actions_through_the_api(world: World) -> None:
    filing = draft(world)
    owner, specialist = client_for(world.owner), client_for(world.specialist)
    submitted_body = post(owner, f"/api/v1/filings/{filing.pk}/actions/submit").json()
    assert submitted_body["state"] == "submitted"
    assert [action["name"] for action in submitted_body["allowed_actions"]] == ["withdraw"]
    clock = submitted_body["clocks"][0]
    assert (clock["name"], clock["state"]) == ("specialist_review", "running")
    staff_view = specialist.get(f"/api/v1/filings/{filing.pk}").json()
    assert [action["name"] for action in staff_view["allowed_actions"]] == ["return_for_changes", "reject"]
    # Refusals: the role (403), the state (409), an unknown action (404), a guard (409) — each says why.
    before = _state(filing)
    refusals = {
        "role": post(owner, f"/api/v1/filings/{filing.pk}/actions/reject", {"reason": "x"}),
        "wrong_state": post(specialist, f"/api/v1/filings/{filing.pk}/actions/submit_to_regulator"),
        "unknown_action": post(specialist, f"/api/v1/filings/{filing.pk}/actions/approve"),
        "guard": post(specialist, f"/api/v1/filings/{filing.pk}/actions/send_onsite_notice"),
    }
    assert {code: response.status_code for code, response in refusals.items()} == {
        "role": 403,
        "wrong_state": 409,
        "unknown_action": 404,
        "guard": 409,
    }
    for code, response in refusals.items():
        assert response.json()["error"]["code"] == code
        assert response.json()["error"]["message"]
    assert _state(filing) == before
    # Returned per field, corrected by the owner, submitted again.
    returned = post(
        specialist,
        f"/api/v1/filings/{filing.pk}/actions/return_for_changes",
        {"reasons": {"websites[0].name": "网站名称应体现网站内容。"}},
    ).json()
    assert returned["state"] == "needs_changes"
    assert returned["returned_fields"] == [
        {"path": "websites[0].name", "label": "Websites 1 › name", "reason": "网站名称应体现网站内容。"}
    ]
    refused = post(owner, f"/api/v1/filings/{filing.pk}/corrections", {"values": {"owner.remarks": "新的备注"}})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {
        "owner.remarks": ["This field was not returned for changes and cannot be changed now."]
    }
    corrected = post(
        owner, f"/api/v1/filings/{filing.pk}/corrections", {"values": {"websites[0].name": "青禾软件产品网站"}}
    )
    assert corrected.status_code == 200
    assert post(owner, f"/api/v1/filings/{filing.pk}/actions/submit").json()["state"] == "submitted"


def test_contact_checks_through_the_api(world: World) -> None:
    filing = submitted(world)
    specialist = client_for(world.specialist)
    call = post(specialist, f"/api/v1/filings/{filing.pk}/contact/call", {"outcome": "confirmed"})
    assert call.json() == {"id": call.json()["id"], "channel": "phone_call", "status": "confirmed"}
    detail = specialist.get(f"/api/v1/filings/{filing.pk}").json()
    assert detail["contacts"]["verified"] is True
    notice = post(specialist, f"/api/v1/filings/{filing.pk}/actions/send_onsite_notice")
    assert notice.json()["state"] == FilingState.AWAITING_ONSITE
    assert post(client_for(world.owner), f"/api/v1/filings/{filing.pk}/contact/sms").status_code == 403


def test_an_api_token_works_like_a_session(world: World) -> None:
    filing = draft(world)
    _token, secret = api_token_create(actor=world.specialist, user=world.specialist, name="desk integration")
    response = Client().get(f"/api/v1/filings/{filing.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["reference"] == str(filing)


def test_the_public_certificate_endpoint_needs_no_login(world: World) -> None:
    assert Client().get("/api/v1/filings/certificates/0123456789abcdef").status_code == 404


def test_a_pre_approval_scan_is_uploaded_and_named_in_the_data(world: World) -> None:
    import io

    from PIL import Image

    filing = draft(world)
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 220, 240)).save(buffer, format="JPEG")
    buffer.name = "approval.jpg"
    buffer.seek(0)
    owner = client_for(world.owner)
    response = owner.post(f"/api/v1/filings/{filing.pk}/documents", data={"file": buffer, "kind": "pre_approval"})
    assert response.status_code == 201, response.content
    document = response.json()["id"]
    data = filing_json()
    data["websites"][0]["service_contents"] = [15]
    data["websites"][0]["pre_approvals"] = [{"type": 8, "number": "沪通信管电公〔2026〕001号", "document_id": document}]
    updated = owner.put(
        f"/api/v1/filings/{filing.pk}", data=json.dumps({"data": data}), content_type="application/json"
    )
    assert updated.status_code == 200, updated.content
    assert post(owner, f"/api/v1/filings/{filing.pk}/actions/submit").json()["state"] == "submitted"
