"""The HTTP face-match adapter against the face-match simulator over real sockets, and against a scripted service
for answers the simulator never gives."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image
from pytest_django import Settings

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError
from regdesk.gateways.face_match import FaceMatchResult, HttpFaceMatchGateway, get_face_match_gateway
from tests.fixtures.simulators import FaceMatchSimulatorHandle


def photo(face: str | None, colour: tuple[int, int, int] = (200, 160, 140)) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, Any] = {"comment": f"regdesk-face:{face}".encode()} if face else {}
    Image.new("RGB", (24, 24), colour).save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def gateway(url: str, attempts: int = 3, timeout_seconds: float = 5) -> HttpFaceMatchGateway:
    return HttpFaceMatchGateway(base_url=url, timeout_seconds=timeout_seconds, attempts=attempts, backoff_seconds=0.01)


@pytest.fixture
def faces(face_match_simulator: FaceMatchSimulatorHandle) -> FaceMatchSimulatorHandle:
    face_match_simulator.reset()
    return face_match_simulator


def test_the_same_face_gets_a_high_score(faces: FaceMatchSimulatorHandle) -> None:
    result = gateway(faces.url).compare(
        live_photo=photo("p-1", (1, 1, 1)), id_photo=photo("p-1"), idempotency_key="f-1"
    )
    assert 85 <= result.score <= 98
    assert result.duplicate is False


def test_another_face_gets_a_low_score(faces: FaceMatchSimulatorHandle) -> None:
    result = gateway(faces.url).compare(live_photo=photo("p-2"), id_photo=photo("p-1"), idempotency_key="f-2")
    assert result.score < 45


def test_a_repeat_is_answered_from_the_first_comparison(faces: FaceMatchSimulatorHandle) -> None:
    first = gateway(faces.url).compare(live_photo=photo("p-3"), id_photo=photo("p-3", (9, 9, 9)), idempotency_key="f-3")
    again = gateway(faces.url).compare(live_photo=photo("p-3"), id_photo=photo("p-3", (9, 9, 9)), idempotency_key="f-3")
    assert again == FaceMatchResult(score=first.score, comparison_id=first.comparison_id, duplicate=True)


def test_the_same_key_for_other_photos_is_a_permanent_refusal(faces: FaceMatchSimulatorHandle) -> None:
    gateway(faces.url).compare(live_photo=photo("p-4"), id_photo=photo("p-4", (2, 2, 2)), idempotency_key="f-4")
    with pytest.raises(PermanentGatewayError) as raised:
        gateway(faces.url).compare(live_photo=photo("p-5"), id_photo=photo("p-4"), idempotency_key="f-4")
    assert raised.value.code == "idempotency_conflict"


def test_a_photo_without_a_face_is_refused(faces: FaceMatchSimulatorHandle) -> None:
    with pytest.raises(PermanentGatewayError) as raised:
        gateway(faces.url).compare(live_photo=photo("none"), id_photo=photo("p-1"), idempotency_key="f-5")
    assert raised.value.code == "no_face"


def test_transient_failures_are_repeated(faces: FaceMatchSimulatorHandle) -> None:
    faces.fail_next(2, status=503)
    result = gateway(faces.url).compare(
        live_photo=photo("p-6"), id_photo=photo("p-6", (4, 4, 4)), idempotency_key="f-6"
    )
    assert result.score >= 85
    assert faces.requests() == {"compare": 3}


def test_failures_beyond_the_attempts_are_transient(faces: FaceMatchSimulatorHandle) -> None:
    faces.fail_next(2, status=502)
    with pytest.raises(TransientGatewayError) as raised:
        gateway(faces.url, attempts=2).compare(live_photo=photo("p-7"), id_photo=photo("p-7"), idempotency_key="f-7")
    assert raised.value.code == "http_502"


def test_a_late_answer_is_a_time_out_and_the_repeat_recovers_it(faces: FaceMatchSimulatorHandle) -> None:
    faces.fail_next(1, status=None, delay_seconds=1.0)
    result = gateway(faces.url, attempts=2, timeout_seconds=0.2).compare(
        live_photo=photo("p-8"), id_photo=photo("p-8", (6, 6, 6)), idempotency_key="f-8"
    )
    assert result.duplicate is True
    assert len(faces.comparisons()) == 1


def test_the_configured_gateway_uses_the_settings(faces: FaceMatchSimulatorHandle, settings: Settings) -> None:
    settings.REGDESK_FACE_MATCH_GATEWAY_URL = faces.url
    assert get_face_match_gateway().compare(live_photo=photo("p-9"), id_photo=photo("p-9"), idempotency_key="f-9")


class ScriptedService:
    """A loopback service that answers every request with one scripted body."""

    def __init__(self, answer: bytes) -> None:
        service = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service.requests += 1
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def scripted(request: pytest.FixtureRequest) -> Iterator[ScriptedService]:
    service = ScriptedService(request.param)
    service.thread.start()
    try:
        yield service
    finally:
        service.server.shutdown()
        service.server.server_close()


@pytest.mark.parametrize(
    "scripted",
    [
        json.dumps({"id": "x", "score": 101}).encode(),
        json.dumps({"id": "x", "score": True}).encode(),
        json.dumps({"id": "x"}).encode(),
        b"not json",
    ],
    indirect=True,
)
def test_unreadable_answers_are_transient_and_repeated(scripted: ScriptedService) -> None:
    with pytest.raises(TransientGatewayError) as raised:
        gateway(scripted.url, attempts=2).compare(live_photo=photo("a"), id_photo=photo("a"), idempotency_key="f-10")
    assert raised.value.code == "bad_answer"
    assert scripted.requests == 2


def test_nobody_listening_is_unreachable() -> None:
    from tests.fixtures.simulators import free_port

    with pytest.raises(TransientGatewayError) as raised:
        gateway(f"http://127.0.0.1:{free_port()}", attempts=1).compare(
            live_photo=photo("a"), id_photo=photo("a"), idempotency_key="f-11"
        )
    assert raised.value.code == "unreachable"
