"""The SMS gateway simulator over real sockets."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from regdesk.simulators import SmsSimulator
from tests.fixtures.simulators import SmsSimulatorHandle


def _post(url: str, document: Any, key: str | None = "key-1") -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=json.dumps(document).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def sms(sms_simulator: SmsSimulatorHandle) -> SmsSimulatorHandle:
    sms_simulator.reset()
    return sms_simulator


def test_accepts_a_message_and_lists_it(sms: SmsSimulatorHandle) -> None:
    status, body = _post(f"{sms.url}/sms", {"to": "+8613800138000", "text": "验证码 123456"})
    assert status == 201
    assert body["duplicate"] is False
    messages = sms.messages()
    assert [(m["id"], m["to"], m["text"]) for m in messages] == [(body["id"], "+8613800138000", "验证码 123456")]


def test_the_same_idempotency_key_sends_once(sms: SmsSimulatorHandle) -> None:
    first = _post(f"{sms.url}/sms", {"to": "13800138000", "text": "a"}, key="same")
    second = _post(f"{sms.url}/sms", {"to": "13800138000", "text": "a"}, key="same")
    assert first[0] == 201
    assert second == (200, {"id": first[1]["id"], "status": "accepted", "duplicate": True})
    assert len(sms.messages()) == 1


def test_the_same_key_with_another_body_is_a_conflict(sms: SmsSimulatorHandle) -> None:
    _post(f"{sms.url}/sms", {"to": "13800138000", "text": "a"}, key="k")
    status, body = _post(f"{sms.url}/sms", {"to": "13800138000", "text": "b"}, key="k")
    assert status == 409
    assert body["error"]["code"] == "idempotency_conflict"
    assert len(sms.messages()) == 1


@pytest.mark.parametrize(
    ("document", "key", "status"),
    [
        ({"to": "13800138000", "text": "a"}, None, 400),
        ({"to": "not a number", "text": "a"}, "k", 422),
        ({"to": "13800138000", "text": ""}, "k", 422),
        (["not", "an", "object"], "k", 400),
    ],
)
def test_refuses_bad_requests(sms: SmsSimulatorHandle, document: Any, key: str | None, status: int) -> None:
    assert _post(f"{sms.url}/sms", document, key=key)[0] == status
    assert sms.messages() == []


def test_simulated_failures_then_recovery(sms: SmsSimulatorHandle) -> None:
    sms.fail_next(2, status=503)
    assert _post(f"{sms.url}/sms", {"to": "13800138000", "text": "a"})[0] == 503
    assert _post(f"{sms.url}/sms", {"to": "13800138000", "text": "a"})[0] == 503
    assert _post(f"{sms.url}/sms", {"to": "13800138000", "text": "a"})[0] == 201
    assert len(sms.messages()) == 1


def test_a_restarted_simulator_remembers_keys(tmp_path: Path) -> None:
    simulator = SmsSimulator(port=0, state_dir=tmp_path)
    simulator.start()
    try:
        assert _post(f"{simulator.url}/sms", {"to": "13800138000", "text": "a"}, key="persisted")[0] == 201
    finally:
        simulator.stop()
    again = SmsSimulator(port=0, state_dir=tmp_path)
    again.start()
    try:
        assert _post(f"{again.url}/sms", {"to": "13800138000", "text": "a"}, key="persisted")[0] == 200
    finally:
        again.stop()


def test_developer_page_escapes_text(sms: SmsSimulatorHandle) -> None:
    _post(f"{sms.url}/sms", {"to": "13800138000", "text": "<script>x</script>"})
    with urllib.request.urlopen(f"{sms.url}/", timeout=10) as response:
        page = response.read().decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x" not in page
