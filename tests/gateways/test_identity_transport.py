"""How the JSON-over-HTTP adapters (here the identity check adapter) treat sockets and answers that misbehave:
nobody listening, nobody answering, answers that cannot be read, refusals with and without a service code."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError
from regdesk.gateways.identity import HttpIdentityCheckGateway
from regdesk.gateways.json_http import IDEMPOTENCY_HEADER
from tests.fixtures.simulators import free_port

NAME, NUMBER = "张三", "11010519491231002X"


class ScriptedService:
    """A loopback HTTP server that answers each request with the next scripted (status, body)."""

    def __init__(self) -> None:
        self.script: list[tuple[int, bytes]] = []
        self.received: list[dict[str, Any]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service.received.append(
                    {"path": self.path, "key": self.headers.get(IDEMPOTENCY_HEADER), "body": json.loads(body)}
                )
                status, answer = service.script.pop(0) if service.script else (500, b"{}")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def scripted() -> Iterator[ScriptedService]:
    service = ScriptedService()
    service.thread.start()
    try:
        yield service
    finally:
        service.server.shutdown()
        service.server.server_close()


def verify(url: str, attempts: int = 2, timeout_seconds: float = 5) -> Any:
    adapter = HttpIdentityCheckGateway(
        base_url=url, timeout_seconds=timeout_seconds, attempts=attempts, backoff_seconds=0.01
    )
    return adapter.verify(name=NAME, id_number=NUMBER, photo=b"\xff\xd8\xff\xe0", idempotency_key="t-1")


def test_the_request_carries_the_fields_the_photo_in_base64_and_the_key(scripted: ScriptedService) -> None:
    scripted.script = [(201, b'{"id": "x-1", "result": "match", "similarity": 95, "duplicate": false}')]
    assert verify(scripted.url).verification_id == "x-1"
    [request] = scripted.received
    assert request == {
        "path": "/verifications",
        "key": "t-1",
        "body": {"name": NAME, "id_number": NUMBER, "photo": "/9j/4A=="},
    }


@pytest.mark.parametrize(
    "answer",
    [
        b"not json",
        b"[1, 2]",
        b'{"id": "x-1", "result": "probably", "similarity": null}',
        b'{"id": "x-1", "result": "match", "similarity": 140}',
        b'{"result": "match"}',
    ],
)
def test_unreadable_answers_are_transient_and_repeated(scripted: ScriptedService, answer: bytes) -> None:
    scripted.script = [(200, answer), (200, answer)]
    with pytest.raises(TransientGatewayError) as raised:
        verify(scripted.url, attempts=2)
    assert raised.value.code == "bad_answer"
    assert len(scripted.received) == 2


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
def test_overload_statuses_are_transient(scripted: ScriptedService, status: int) -> None:
    scripted.script = [(status, b"{}"), (201, b'{"id": "x-2", "result": "name_mismatch", "similarity": null}')]
    assert verify(scripted.url, attempts=2).verification_id == "x-2"


def test_a_refusal_with_an_unknown_service_code_is_a_plain_permanent_error(scripted: ScriptedService) -> None:
    scripted.script = [(409, b'{"error": {"code": "Something Else", "message": "no"}}')]
    with pytest.raises(PermanentGatewayError) as raised:
        verify(scripted.url)
    assert raised.value.code == "http_409"
    assert len(scripted.received) == 1


def test_nobody_listening_is_transient() -> None:
    with pytest.raises(TransientGatewayError) as raised:
        verify(f"http://127.0.0.1:{free_port()}", attempts=2)
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
    with pytest.raises(TransientGatewayError) as raised:
        verify(silent_server, attempts=2, timeout_seconds=0.2)
    assert raised.value.code == "timeout"


def test_only_http_urls() -> None:
    with pytest.raises(ValueError, match="http"):
        HttpIdentityCheckGateway(base_url="file:///etc/passwd", timeout_seconds=1)
