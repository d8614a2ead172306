"""The HTTP side: the SOAP endpoint, its WSDL, and the control pages; a reviewer thread beside the server.

* ``POST /ISPWebService/upDownLoad`` — the six methods (SOAP 1.1); ``GET /ISPWebService/upDownLoad?wsdl`` — WSDL.
* ``GET /control/state`` — uploads with their codes, operations, filed records and numbers, download files.
* ``POST /control/review-now`` — review every pending operation now.
* ``GET /control/config`` / ``POST /control/config`` — the configuration (secrets masked) / change part of it.
* ``POST /control/downloads?kind=BAJG`` — queue the body as a download file exactly as given, unchecked (drills).
* ``POST /control/reset`` — forget all state (the configuration stays).
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from regdesk.simulators.province import soap
from regdesk.simulators.province.config import ConfigError, SimulatorConfig
from regdesk.simulators.province.observation import state
from regdesk.simulators.province.service import DropConnection, ProvinceService

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 80 * 1024 * 1024  # a 50 MB upload, base64-encoded, in its envelope
MAX_CONTROL_BYTES = 1024 * 1024
REVIEW_POLL_SECONDS = 0.5


class ProvinceServer(ThreadingHTTPServer):
    """A threading HTTP server holding the province service; ``serve_forever`` also runs the reviewer."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], service: ProvinceService) -> None:
        # Set before binding: a failed bind calls server_close(), which closes the service.
        self.service = service
        super().__init__(address, ProvinceRequestHandler)
        self._stopping = threading.Event()
        self._reviewer: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def service_url(self) -> str:
        return f"{self.url}{soap.SERVICE_PATH}"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stopping.clear()
        self._reviewer = threading.Thread(target=self._review_loop, name="province-reviewer", daemon=True)
        self._reviewer.start()
        try:
            super().serve_forever(poll_interval)
        finally:
            self._stopping.set()

    def shutdown(self) -> None:
        self._stopping.set()
        super().shutdown()
        if self._reviewer is not None:
            self._reviewer.join(timeout=5)

    def server_close(self) -> None:
        super().server_close()
        self.service.close()

    def _review_loop(self) -> None:
        while not self._stopping.wait(REVIEW_POLL_SECONDS):
            try:
                self.service.review()
            except Exception:
                # A failing review must not stop the reviewer; the operation stays pending and shows on the page.
                logger.exception("province simulator: review failed")


class ProvinceRequestHandler(BaseHTTPRequestHandler):
    server: ProvinceServer
    server_version = "regdesk-province-simulator/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        # The simulator stands in for the regulator's system; its request log is noise in test output.
        return

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, document: Any) -> None:
        body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _error(self, status: int, code: str, message: str) -> None:
        self._json(status, {"error": {"code": code, "message": message}})

    def _body(self, limit: int) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == soap.SERVICE_PATH and url.query.lower() == "wsdl":
            location = (
                f"http://{self.headers.get('Host') or f'{self.server.host}:{self.server.port}'}{soap.SERVICE_PATH}"
            )
            self._send(200, soap.wsdl(location), "text/xml; charset=utf-8")
        elif url.path == "/control/state":
            self._json(200, state(self.server.service))
        elif url.path == "/control/config":
            self._json(200, self.server.service.config.public())
        elif url.path == "/":
            self._json(
                200,
                {
                    "service": self.server.service_url,
                    "wsdl": f"{self.server.service_url}?wsdl",
                    "control": ["GET /control/state", "POST /control/review-now", "GET|POST /control/config",
                                "POST /control/downloads", "POST /control/reset"],
                },
            )  # fmt: skip
        else:
            self._error(404, "not_found", f"no such page: {url.path}")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == soap.SERVICE_PATH or path in soap.ALIAS_PATHS:
            self._soap()
        elif path.startswith("/control/"):
            self._control(path)
        else:
            self._error(404, "not_found", f"no such page: {path}")

    def _soap(self) -> None:
        body = self._body(MAX_REQUEST_BYTES)
        if body is None:
            self._send(500, soap.fault("the request is larger than the simulator accepts"), "text/xml; charset=utf-8")
            return
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            if content_type != "text/xml":
                raise soap.SoapFault(f"SOAP 1.1 requests are text/xml, not {content_type or 'untyped'}")
            method, parameters = soap.parse_request(body, self.headers.get("SOAPAction"))
        except soap.SoapFault as error:
            self._send(500, soap.fault(error.reason, error.code), "text/xml; charset=utf-8")
            return
        try:
            answer = self.server.service.call(method, parameters)
        except DropConnection:
            self.close_connection = True
            return
        except Exception:
            logger.exception("province simulator: %s failed", method)
            self._send(500, soap.fault("the province simulator failed", "soap:Server"), "text/xml; charset=utf-8")
            return
        self._send(200, soap.response(method, answer), "text/xml; charset=utf-8")

    def _control(self, path: str) -> None:
        body = self._body(MAX_CONTROL_BYTES)
        if body is None:
            self._error(413, "too_large", "the request body is too large")
            return
        service = self.server.service
        if path == "/control/review-now":
            self._json(200, {"reviewed": service.review(everything=True)})
        elif path == "/control/downloads":
            self._queue_download(body)
        elif path == "/control/reset":
            service.reset()
            self._json(200, {"reset": True})
        elif path == "/control/config":
            try:
                overrides = json.loads(body or b"{}")
                if not isinstance(overrides, dict):
                    raise ConfigError("the configuration must be a JSON object")
                config = service.update_config(overrides)
            except (ValueError, ConfigError) as error:
                self._error(400, "invalid_config", str(error))
                return
            self._json(200, config.public())
        else:
            self._error(404, "not_found", f"no such page: {path}")

    def _queue_download(self, body: bytes) -> None:
        query = parse_qs(urlsplit(self.path).query)
        try:
            isp_id = int(query["isp_id"][0]) if "isp_id" in query else None
            file_name = self.server.service.queue_raw_download(body, kind=query.get("kind", ["BAJG"])[0], isp_id=isp_id)
        except ValueError as error:
            self._error(400, "invalid_download", str(error))
            return
        self._json(201, {"file_name": file_name})


def make_server(
    host: str = "127.0.0.1",
    port: int = 8040,
    state_dir: Path | str = Path("var/simulators/province"),
    config: SimulatorConfig | dict[str, Any] | None = None,
) -> ProvinceServer:
    """A province simulator bound to ``host:port`` (0 picks a free port); call ``serve_forever()`` (in a thread),
    then ``shutdown()`` and ``server_close()``. ``config`` is a parsed configuration or a partial JSON object."""
    if config is None:
        parsed = SimulatorConfig.default()
    elif isinstance(config, SimulatorConfig):
        parsed = config
    else:
        parsed = SimulatorConfig.from_mapping(config)
    service = ProvinceService(Path(state_dir), parsed)
    try:
        return ProvinceServer((host, port), service)
    except OSError:
        service.close()
        raise
