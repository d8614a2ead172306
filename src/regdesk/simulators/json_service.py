"""Shared parts of the simulators of JSON services (identity check, enterprise registry, provisioning).

Failure injection and request counting for tests (``/control/failures``, ``/control/reset``,
``/control/requests``), idempotency keys, JSON bodies, the shipped data sets and a plain developer page. Standard
library only, like every simulator.
"""

from __future__ import annotations

import html
import json
import os
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from regdesk.simulators.serving import JsonRequestHandler

IDEMPOTENCY_HEADER = "Idempotency-Key"
_MAX_KEY = 200


def load_data(name: str, data_file: Path | None = None) -> dict[str, Any]:
    """A data set shipped in ``regdesk/simulators/data/`` (or the given file instead)."""
    if data_file is not None:
        text = data_file.read_text(encoding="utf-8")
    else:
        text = resources.files("regdesk.simulators").joinpath("data", name).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def write_json_atomically(path: Path, document: Any) -> None:
    """Write a state file so that a crash leaves either the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)


@dataclass(frozen=True)
class InjectedFailure:
    """What the next service request does instead of (``status``) or besides (``delay_seconds``) answering."""

    status: int | None
    delay_seconds: float


class ServiceControls:
    """Failures injected by tests and a count of service requests, shared by the JSON simulators."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: list[InjectedFailure] = []
        self.requests: dict[str, int] = {}

    def count(self, endpoint: str) -> InjectedFailure | None:
        """Count one request to ``endpoint`` and take the next injected failure, if any."""
        with self.lock:
            self.requests[endpoint] = self.requests.get(endpoint, 0) + 1
            return self.pending.pop(0) if self.pending else None

    def reset(self) -> None:
        with self.lock:
            self.pending.clear()
            self.requests.clear()


class ServiceHandler(JsonRequestHandler):
    """JSON handler with the control endpoints every simulator of a JSON service offers."""

    controls: ServiceControls

    def handle(self) -> None:
        # A client that gave up (a time-out test) closes its socket before a delayed answer is written.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            return

    def reset_state(self) -> None:
        """Forget what the service has stored (overridden by simulators that store something)."""

    def read_json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None after answering 400/413."""
        try:
            body = self.read_body()
        except ValueError:
            self.send_error_json(413, "too_large", "request body too large")
            return None
        try:
            document = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            self.send_error_json(400, "malformed", "the body is not JSON")
            return None
        if not isinstance(document, dict):
            self.send_error_json(400, "malformed", "the body is not a JSON object")
            return None
        return document

    def idempotency_key(self) -> str | None:
        """The request's idempotency key, or None after answering 400."""
        key = (self.headers.get(IDEMPOTENCY_HEADER) or "").strip()
        if not key or len(key) > _MAX_KEY:
            self.send_error_json(400, "idempotency_key", f"the {IDEMPOTENCY_HEADER} header is required (1-200)")
            return None
        return key

    def start_service_request(self, endpoint: str) -> InjectedFailure | None:
        """Count the request; answer an injected failure status (returns None then) or return what to apply."""
        failure = self.controls.count(endpoint)
        if failure is None:
            return InjectedFailure(status=None, delay_seconds=0.0)
        if failure.status is not None:
            time.sleep(failure.delay_seconds)
            self.send_error_json(failure.status, "simulated_failure", "the service is unavailable (simulated)")
            return None
        return failure

    def answer_later(self, failure: InjectedFailure, status: int, document: Any) -> None:
        """Answer after the injected delay: the request was carried out, its answer comes too late."""
        if failure.delay_seconds:
            time.sleep(failure.delay_seconds)
        self.send_json(status, document)

    def handle_control(self, method: str) -> bool:
        """Answer the shared control endpoints; False when the path is not one of them."""
        if method == "GET" and self.path == "/control/requests":
            with self.controls.lock:
                self.send_json(200, {"requests": dict(self.controls.requests)})
            return True
        if method != "POST" or self.path not in ("/control/failures", "/control/reset"):
            return False
        document = self.read_json_object()
        if document is None:
            return True
        if self.path == "/control/reset":
            self.controls.reset()
            self.reset_state()
            self.send_json(200, {"ok": True})
            return True
        try:
            count = int(document.get("count", 1))
            raw_status = document.get("status", 503)
            status = None if raw_status is None else int(raw_status)
            delay = float(document.get("delay_seconds", 0))
        except (TypeError, ValueError):
            self.send_error_json(400, "malformed", 'expected {"count": N, "status": 503, "delay_seconds": 0}')
            return True
        if not 0 <= count <= 1000 or not 0 <= delay <= 60 or (status is not None and not 400 <= status <= 599):
            self.send_error_json(400, "malformed", "count 0-1000, status 400-599 or null, delay_seconds 0-60")
            return True
        with self.controls.lock:
            self.controls.pending = [InjectedFailure(status=status, delay_seconds=delay)] * count
        self.send_json(200, {"pending_failures": count, "status": status, "delay_seconds": delay})
        return True


def page(title: str, body: str) -> str:
    """A plain developer page with the simulators' common style."""
    return (
        "<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border-bottom:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
        ".flag{color:#a40}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    )
