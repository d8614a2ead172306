"""SMS gateway simulator: an HTTP JSON API like a carrier's bulk-SMS gateway.

* ``POST /sms`` with ``{"to": "+8613800138000", "text": "..."}`` and an ``Idempotency-Key`` header: 201 with the
  message id; the same key again answers 200 with the first message (``"duplicate": true``) and sends nothing;
  the same key with another body answers 409.
* ``GET /sms``: every accepted message as JSON; ``GET /``: the same as a page for developers.
* ``POST /control/failures`` with ``{"count": N, "status": 503}``: the next N ``POST /sms`` fail with that status
  (tests of retries); ``POST /control/reset`` forgets messages and pending failures.

Messages are kept in memory and in ``sms-messages.json`` under the state directory, so a restarted simulator still
recognises idempotency keys it has seen.
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from regdesk.simulators.serving import BackgroundHttpServer, JsonRequestHandler

DEFAULT_PORT = 8031
IDEMPOTENCY_HEADER = "Idempotency-Key"
_PHONE = re.compile(r"^\+?[0-9]{5,20}$")
_MAX_TEXT = 1000
_MAX_KEY = 200


class SmsStore:
    """Accepted messages by idempotency key, persisted as one JSON file."""

    def __init__(self, state_file: Path | None) -> None:
        self.state_file = state_file
        self.lock = threading.Lock()
        self.messages: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        self.pending_failures: list[int] = []
        if state_file is not None and state_file.exists():
            for message in json.loads(state_file.read_text(encoding="utf-8")):
                self.messages.append(message)
                self.by_key[message["idempotency_key"]] = message

    def _persist(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.messages, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self.state_file)

    def take_failure(self) -> int | None:
        with self.lock:
            return self.pending_failures.pop(0) if self.pending_failures else None

    def accept(self, *, key: str, to: str, text: str) -> tuple[int, dict[str, Any]]:
        """Store a message once per key: (201, message), (200, first message) or (409, first message)."""
        with self.lock:
            existing = self.by_key.get(key)
            if existing is not None:
                if existing["to"] != to or existing["text"] != text:
                    return 409, existing
                return 200, existing
            message = {
                "id": f"sms-{len(self.messages) + 1:06d}",
                "to": to,
                "text": text,
                "idempotency_key": key,
                "received_at": datetime.now(UTC).isoformat(),
            }
            self.messages.append(message)
            self.by_key[key] = message
            self._persist()
            return 201, message

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.by_key.clear()
            self.pending_failures.clear()
            self._persist()


class _SmsHandler(JsonRequestHandler):
    store: SmsStore

    def do_GET(self) -> None:
        if self.path in ("/sms", "/sms/"):
            with self.store.lock:
                messages = list(self.store.messages)
            self.send_json(200, {"messages": messages})
        elif self.path == "/":
            self.send_html(200, self._page())
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def do_POST(self) -> None:
        try:
            body = self.read_body()
        except ValueError:
            self.send_error_json(413, "too_large", "request body too large")
            return
        if self.path == "/sms":
            self._send_sms(body)
        elif self.path == "/control/failures":
            self._set_failures(body)
        elif self.path == "/control/reset":
            self.store.reset()
            self.send_json(200, {"ok": True})
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def _send_sms(self, body: bytes) -> None:
        failure = self.store.take_failure()
        if failure is not None:
            self.send_error_json(failure, "simulated_failure", "the gateway is unavailable (simulated)")
            return
        key = (self.headers.get(IDEMPOTENCY_HEADER) or "").strip()
        if not key or len(key) > _MAX_KEY:
            self.send_error_json(400, "idempotency_key", f"the {IDEMPOTENCY_HEADER} header is required")
            return
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            self.send_error_json(400, "malformed", "the body is not JSON")
            return
        if not isinstance(document, dict):
            self.send_error_json(400, "malformed", "the body is not a JSON object")
            return
        to, text = document.get("to"), document.get("text")
        if not isinstance(to, str) or not _PHONE.match(to):
            self.send_error_json(422, "to", "'to' must be a phone number of digits, optionally with a leading +")
            return
        if not isinstance(text, str) or not text.strip() or len(text) > _MAX_TEXT:
            self.send_error_json(422, "text", f"'text' must be 1 to {_MAX_TEXT} characters")
            return
        status, message = self.store.accept(key=key, to=to, text=text)
        if status == 409:
            self.send_error_json(409, "idempotency_conflict", "the key was used for another message")
            return
        self.send_json(status, {"id": message["id"], "status": "accepted", "duplicate": status == 200})

    def _set_failures(self, body: bytes) -> None:
        try:
            document = json.loads(body.decode("utf-8") or "{}")
            count = int(document.get("count", 1))
            status = int(document.get("status", 503))
        except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError, ValueError):
            self.send_error_json(400, "malformed", 'expected {"count": N, "status": 503}')
            return
        if not 400 <= status <= 599 or not 0 <= count <= 1000:
            self.send_error_json(400, "malformed", "status must be 400-599 and count 0-1000")
            return
        with self.store.lock:
            self.store.pending_failures = [status] * count
        self.send_json(200, {"pending_failures": count, "status": status})

    def _page(self) -> str:
        with self.store.lock:
            messages = list(reversed(self.store.messages))
        rows = "".join(
            f"<tr><td>{html.escape(m['id'])}</td><td>{html.escape(m['received_at'])}</td>"
            f"<td>{html.escape(m['to'])}</td><td>{html.escape(m['text'])}</td></tr>"
            for m in messages
        )
        return (
            "<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'>"
            "<title>SMS simulator / 短信网关模拟器</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ccc;padding:.3em .6em;"
            "text-align:left;vertical-align:top}</style></head><body>"
            f"<h1>SMS simulator / 短信网关模拟器</h1><p>{len(messages)} message(s) / 条短信</p>"
            "<table><tr><th>id</th><th>received (UTC)</th><th>to</th><th>text</th></tr>"
            f"{rows}</table></body></html>"
        )


class SmsSimulator:
    """The SMS gateway simulator on ``host:port`` (port 0 picks a free port)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, state_dir: Path | None = None) -> None:
        self.store = SmsStore(state_dir / "sms-messages.json" if state_dir is not None else None)
        handler = type("SmsHandler", (_SmsHandler,), {"store": self.store})
        self._server = BackgroundHttpServer(host, port, handler)

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def port(self) -> int:
        return self._server.port

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()
