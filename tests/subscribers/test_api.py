"""The JSON API under /api/v1/subscribers/: the counter flow end to end, and who may call what."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from regdesk.accounts.models import User
from regdesk.cases.models import Case, Document
from regdesk.subscribers.models import CardReader, CardReading, Line, LineDispute, Registration
from tests.accounts.helpers import login_fully
from tests.subscribers.conftest import PDF_BYTES, World, live_photo, mobile_number, valid_people
from tests.subscribers.test_registration import Checks

pytestmark = pytest.mark.django_db
BASE = "/api/v1/subscribers"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_fully(client, user)
    return client


def post(client: Client, path: str, document: Any) -> Any:
    return client.post(f"{BASE}{path}", data=json.dumps(document), content_type="application/json")


def verified_reading(world: World, who: dict[str, Any], client: Client | None = None) -> int:
    response = post(
        client or client_for(world.clerk), "/readings", {"outlet": world.outlet.code, "reading": world.device.read(who)}
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def new_line(number: str) -> dict[str, str]:
    return {"line_kind": "mobile", "payment": "prepaid", "number": number}


def test_the_counter_registers_a_line_through_the_api(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    clerk = client_for(world.clerk)
    reading_id = verified_reading(world, who, clerk)
    response = post(
        clerk,
        "/registrations",
        {
            "outlet": world.outlet.code,
            "kind": "open",
            "line": new_line(mobile_number(1)),
            "subscriber": {"reading_id": reading_id},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["read_by_reader"], body["actions"]) == (
        "identity_captured",
        True,
        ["check", "refuse", "abandon"],
    )
    assert who["id_number"] not in response.content.decode()
    assert body["number"] == "139****0001"
    photo = base64.b64encode(live_photo(who)).decode()
    checked = post(clerk, f"/registrations/{body['id']}/actions/check", {"live_photo": photo})
    assert checked.status_code == 200, checked.content
    assert checked.json()["state"] == "checks_passed"
    done = post(clerk, f"/registrations/{body['id']}/actions/complete", {})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "registered"
    assert done.json()["line_id"] == Line.objects.get().pk
    detail = clerk.get(f"{BASE}/registrations/{body['id']}")
    assert (detail.status_code, detail.json()["actions"]) == (200, [])


def test_typed_resident_id_data_is_refused_with_its_field(world: World) -> None:
    response = post(
        client_for(world.clerk),
        "/registrations",
        {
            "outlet": world.outlet.code,
            "kind": "open",
            "line": new_line(mobile_number(2)),
            "subscriber": {
                "document_type": "resident_id",
                "number": "11010519491231002X",
                "name": "张三",
                "address": "x",
            },
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "resident_id_typed"
    assert list(error["fields"]) == ["subscriber"]
    assert Registration.objects.count() == 0


def test_bad_input_names_the_field(world: World) -> None:
    response = post(
        client_for(world.clerk),
        "/registrations",
        {
            "outlet": world.outlet.code,
            "kind": "open",
            "line": {"line_kind": "mobile", "payment": "prepaid", "number": "12"},
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"line.number": [response.json()["error"]["message"]]}
    malformed = post(client_for(world.clerk), "/registrations", {"outlet": world.outlet.code})
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "invalid_input"


def test_organisation_documents_are_uploaded_to_the_registration(world: World) -> None:
    clerk = client_for(world.clerk)
    created = post(
        clerk, "/registrations", {"outlet": world.outlet.code, "kind": "open", "line": new_line(mobile_number(3))}
    )
    registration_id = created.json()["id"]
    response = clerk.post(
        f"{BASE}/registrations/{registration_id}/documents",
        {"kind": "authorisation_letter", "file": _file(PDF_BYTES)},
    )
    assert response.status_code == 201, response.content
    assert Document.objects.get().kind == "authorisation_letter"
    wrong = clerk.post(
        f"{BASE}/registrations/{registration_id}/documents", {"kind": "live_photo", "file": _file(PDF_BYTES)}
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "document_kind_invalid")


def _file(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("letter.pdf", content, content_type="application/pdf")


def test_lookup_and_dispute_through_the_api(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    clerk = client_for(world.clerk)
    registration = post(
        clerk,
        "/registrations",
        {
            "outlet": world.outlet.code,
            "kind": "open",
            "line": new_line(mobile_number(4)),
            "subscriber": {"reading_id": verified_reading(world, who, clerk)},
        },
    ).json()
    photo = base64.b64encode(live_photo(who)).decode()
    post(clerk, f"/registrations/{registration['id']}/actions/check", {"live_photo": photo})
    post(clerk, f"/registrations/{registration['id']}/actions/complete", {})
    reading_id = verified_reading(world, who, clerk)
    lookup = post(clerk, "/lookups", {"reading_id": reading_id})
    assert lookup.status_code == 200, lookup.content
    [line] = lookup.json()["lines"]
    assert (line["number"], line["channel"]) == ("139****0004", "own_hall")
    dispute = post(clerk, "/disputes", {"reading_id": reading_id, "line_id": line["id"], "statement": "Not mine."})
    assert dispute.status_code == 201, dispute.content
    assert dispute.json()["state"] == "open"
    assert LineDispute.objects.count() == 1
    other = post(client_for(world.other_clerk), "/lookups", {"reading_id": reading_id})
    assert other.status_code == 404


def test_readers_are_enrolled_by_compliance_only(world: World) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from regdesk.subscribers.readers import public_key_text

    public_key = public_key_text(Ed25519PrivateKey.generate().public_key())
    document = {"outlet": world.outlet.code, "public_key": public_key}
    before = CardReader.objects.count()
    assert post(client_for(world.clerk), "/readers", document).status_code == 404
    assert CardReader.objects.count() == before
    response = post(client_for(world.compliance), "/readers", document)
    assert response.status_code == 201, response.content
    assert response.json()["device_id"].startswith("rd-")


def test_an_unknown_action_and_bad_base64_are_refused(world: World) -> None:
    clerk = client_for(world.clerk)
    created = post(
        clerk, "/registrations", {"outlet": world.outlet.code, "kind": "open", "line": new_line(mobile_number(5))}
    )
    registration_id = created.json()["id"]
    assert post(clerk, f"/registrations/{registration_id}/actions/explode", {}).status_code == 404
    bad = post(clerk, f"/registrations/{registration_id}/actions/check", {"live_photo": "%%%"})
    assert (bad.status_code, list(bad.json()["error"]["fields"])) == (422, ["live_photo"])
    wrong_state = post(clerk, f"/registrations/{registration_id}/actions/complete", {})
    assert (wrong_state.status_code, wrong_state.json()["error"]["code"]) == (409, "wrong_state")


# --- permission matrix --------------------------------------------------------------------------------------------

CALLERS = ["clerk", "other_clerk", "owner", "anonymous"]
EXPECTED_START = {"clerk": 201, "other_clerk": 404, "owner": 404, "anonymous": 401}
EXPECTED_EXISTING = {"clerk": 200, "other_clerk": 404, "owner": 404, "anonymous": 401}


def caller(world: World, name: str) -> Client:
    return client_for(None if name == "anonymous" else getattr(world, name))


@pytest.mark.parametrize("name", CALLERS)
def test_who_may_start_a_registration(world: World, name: str) -> None:
    response = post(
        caller(world, name),
        "/registrations",
        {"outlet": world.outlet.code, "kind": "open", "line": new_line(mobile_number(6))},
    )
    assert response.status_code == EXPECTED_START[name], response.content
    assert Registration.objects.count() == (1 if name == "clerk" else 0)


@pytest.fixture
def started(world: World) -> Registration:
    from regdesk.subscribers.services import LineRequest, registration_start

    return registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(7)),
    )


@pytest.mark.parametrize("name", CALLERS)
def test_who_may_see_a_registration(world: World, started: Registration, name: str) -> None:
    response = caller(world, name).get(f"{BASE}/registrations/{started.pk}")
    assert response.status_code == EXPECTED_EXISTING[name]
    if name != "clerk":
        missing = caller(world, name).get(f"{BASE}/registrations/{started.pk + 1000}")
        assert missing.status_code == response.status_code
        assert missing.json() == response.json()


@pytest.mark.parametrize("name", CALLERS)
def test_who_may_act_on_a_registration(world: World, started: Registration, name: str) -> None:
    response = post(caller(world, name), f"/registrations/{started.pk}/actions/refuse", {"reason": "no_id_shown"})
    assert response.status_code == EXPECTED_EXISTING[name], response.content
    expected_state = "refused" if name == "clerk" else "started"
    assert started.case is not None
    assert Case.objects.get(pk=started.case.pk).state == expected_state


@pytest.mark.parametrize("name", CALLERS)
def test_who_may_verify_a_reading_at_the_outlet(world: World, checks: Checks, name: str) -> None:
    who = valid_people(checks[0], 1)[0]
    response = post(caller(world, name), "/readings", {"outlet": world.outlet.code, "reading": world.device.read(who)})
    assert response.status_code == EXPECTED_START[name]
    assert CardReading.objects.count() == (1 if name == "clerk" else 0)
