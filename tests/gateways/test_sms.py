"""The HTTP SMS adapter against the simulator (and against sockets that misbehave)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError
from regdesk.gateways.sms import HttpSmsGateway, SmsReceipt, get_sms_gateway
from tests.fixtures.simulators import SmsSimulatorHandle, free_port

PHONE = "13800138000"


@pytest.fixture
def sms(sms_simulator: SmsSimulatorHandle) -> SmsSimulatorHandle:
    sms_simulator.reset()
    return sms_simulator


def gateway(url: str, attempts: int = 3) -> HttpSmsGateway:
    return HttpSmsGateway(base_url=url, timeout_seconds=5, attempts=attempts, backoff_seconds=0.01)


def test_sends_with_the_idempotency_key_and_records_the_receipt(sms: SmsSimulatorHandle) -> None:
    receipt = gateway(sms.url).send(to=PHONE, text="您好", idempotency_key="n-1")
    again = gateway(sms.url).send(to=PHONE, text="您好", idempotency_key="n-1")
    assert receipt == SmsReceipt(message_id=receipt.message_id, duplicate=False)
    assert again == SmsReceipt(message_id=receipt.message_id, duplicate=True)
    [message] = sms.messages()
    assert (message["to"], message["text"], message["idempotency_key"]) == (PHONE, "您好", "n-1")


def test_transient_failures_are_repeated_then_succeed(sms: SmsSimulatorHandle) -> None:
    sms.fail_next(2, status=503)
    gateway(sms.url, attempts=3).send(to=PHONE, text="a", idempotency_key="n-2")
    assert len(sms.messages()) == 1


def test_transient_failures_beyond_the_attempts_raise_transient(sms: SmsSimulatorHandle) -> None:
    sms.fail_next(2, status=503)
    with pytest.raises(TransientGatewayError) as raised:
        gateway(sms.url, attempts=2).send(to=PHONE, text="a", idempotency_key="n-3")
    assert raised.value.code == "http_503"
    assert PHONE not in str(raised.value)
    assert sms.messages() == []


@pytest.mark.parametrize("status", [400, 409, 422])
def test_refusals_are_permanent_and_not_repeated(sms: SmsSimulatorHandle, status: int) -> None:
    sms.fail_next(2, status=status)
    with pytest.raises(PermanentGatewayError) as raised:
        gateway(sms.url).send(to=PHONE, text="a", idempotency_key="n-4")
    assert raised.value.code == f"http_{status}"
    # Only one of the two failures was used (a permanent refusal is not repeated): the next call meets the second.
    with pytest.raises(PermanentGatewayError):
        gateway(sms.url, attempts=1).send(to=PHONE, text="a", idempotency_key="n-5")
    gateway(sms.url, attempts=1).send(to=PHONE, text="a", idempotency_key="n-6")


def test_invalid_number_is_a_permanent_refusal(sms: SmsSimulatorHandle) -> None:
    with pytest.raises(PermanentGatewayError) as raised:
        gateway(sms.url).send(to="not a number", text="a", idempotency_key="n-7")
    assert raised.value.code == "http_422"


def test_nobody_listening_is_transient() -> None:
    with pytest.raises(TransientGatewayError) as raised:
        gateway(f"http://127.0.0.1:{free_port()}", attempts=2).send(to=PHONE, text="a", idempotency_key="n-8")
    assert raised.value.code == "unreachable"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()


def test_no_answer_in_time_is_transient(silent_server: str) -> None:
    slow = HttpSmsGateway(base_url=silent_server, timeout_seconds=0.2, attempts=1)
    with pytest.raises(TransientGatewayError) as raised:
        slow.send(to=PHONE, text="a", idempotency_key="n-9")
    assert raised.value.code == "timeout"


def test_configured_gateway_uses_the_settings(use_sms_simulator: SmsSimulatorHandle) -> None:
    get_sms_gateway().send(to=PHONE, text="a", idempotency_key="n-10")
    assert [message["idempotency_key"] for message in use_sms_simulator.messages()] == ["n-10"]


def test_only_http_urls() -> None:
    with pytest.raises(ValueError, match="http"):
        HttpSmsGateway(base_url="file:///etc/passwd", timeout_seconds=1)
