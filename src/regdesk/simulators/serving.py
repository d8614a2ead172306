"""A small threaded HTTP server base shared by the simulators (standard library only)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class JsonRequestHandler(BaseHTTPRequestHandler):
    """Request handler with helpers for JSON and HTML answers; quiet unless told otherwise."""

    server_version = "regdesk-simulator/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        # The simulators stand in for other organisations' systems; their request log is noise in test output.
        return

    def read_body(self, limit: int = 1024 * 1024) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def send_json(self, status: int, document: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        self.send_bytes(status, body, "application/json; charset=utf-8", headers)

    def send_html(self, status: int, html_text: str) -> None:
        self.send_bytes(status, html_text.encode("utf-8"), "text/html; charset=utf-8")

    def send_bytes(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_error_json(self, status: int, code: str, message: str) -> None:
        self.send_json(status, {"error": {"code": code, "message": message}})


class BackgroundHttpServer:
    """A ``ThreadingHTTPServer`` run in a daemon thread, stopped with ``stop()``."""

    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self.server.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, name="simulator-http", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
