"""Network provisioning simulator: turns a website's access and a line's service on and off.

* ``PUT /websites/{website_ref}/access`` with ``{"domains": [...], "ip_ranges": [{"start", "end"}, ...],
  "enabled": true|false}``: the website's desired state (domains and ranges replace the earlier ones; enabling
  needs at least one domain and one range).
* ``PUT /lines/{line_ref}/service`` with ``{"mode": "normal" | "one_way_suspended" | "two_way_suspended" |
  "cancelled"}``: a cancelled line stays cancelled (its number goes back to the pool), so any other mode answers
  409 ``line_cancelled``.
* Both need an ``Idempotency-Key`` header and answer 201 with a receipt ``{"receipt_id", "reference", "kind",
  "applied_at", "changed", "duplicate": false}``; the same key again answers 200 with the first receipt
  (``"duplicate": true``) and changes nothing; the same key with another request answers 409
  ``idempotency_conflict``.
* ``GET /state``: every website and line and the operations so far (tests read it); ``GET /``: the same as a page.
* ``POST /control/failures``, ``POST /control/reset``, ``GET /control/requests``: as in every JSON simulator
  (see ``json_service``). A failure with ``"status": null`` and a delay carries the request out and answers
  late, as a network element does when its answer is lost.

References are opaque (``[A-Za-z0-9][A-Za-z0-9._:-]{0,99}``), never personal data. The state is kept in
``provisioning-state.json`` under the state directory, so a restarted simulator keeps it and still recognises
idempotency keys.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from regdesk.simulators.json_service import ServiceControls, ServiceHandler, page, write_json_atomically
from regdesk.simulators.serving import BackgroundHttpServer

DEFAULT_PORT = 8034
LINE_MODES = ("normal", "one_way_suspended", "two_way_suspended", "cancelled")
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_WEBSITE_PATH = re.compile(r"^/websites/([^/]+)/access$")
_LINE_PATH = re.compile(r"^/lines/([^/]+)/service$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_MAX_ITEMS = 100


class ProvisioningRefusedError(Exception):
    """A request the network refuses: (status, code, message)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def normalise_domain(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ProvisioningRefusedError(422, "domains", "each domain must be a non-empty string")
    name = raw.strip().rstrip(".").lower()
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise ProvisioningRefusedError(422, "domains", "a domain is not a valid host name") from None
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ProvisioningRefusedError(422, "domains", "a domain is not a valid host name")
    return name


def normalise_range(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ProvisioningRefusedError(422, "ip_ranges", 'each range must be {"start": ..., "end": ...}')
    try:
        start = ipaddress.ip_address(str(raw.get("start")))
        end = ipaddress.ip_address(str(raw.get("end")))
    except ValueError:
        raise ProvisioningRefusedError(422, "ip_ranges", "a range has an invalid address") from None
    if start.version != end.version or int(start) > int(end):
        raise ProvisioningRefusedError(422, "ip_ranges", "a range must run from a lower to a higher address")
    return {"start": str(start), "end": str(end)}


def website_request(document: dict[str, Any]) -> dict[str, Any]:
    """The website's desired state from a request body, normalised; refused with the field at fault."""
    domains, ranges, enabled = document.get("domains"), document.get("ip_ranges"), document.get("enabled")
    if not isinstance(enabled, bool):
        raise ProvisioningRefusedError(422, "enabled", "'enabled' must be true or false")
    if not isinstance(domains, list) or len(domains) > _MAX_ITEMS:
        raise ProvisioningRefusedError(422, "domains", f"'domains' must be a list of at most {_MAX_ITEMS}")
    if not isinstance(ranges, list) or len(ranges) > _MAX_ITEMS:
        raise ProvisioningRefusedError(422, "ip_ranges", f"'ip_ranges' must be a list of at most {_MAX_ITEMS}")
    normalised_domains = sorted({normalise_domain(domain) for domain in domains})
    normalised_ranges = [normalise_range(item) for item in ranges]
    if enabled and (not normalised_domains or not normalised_ranges):
        raise ProvisioningRefusedError(422, "enabled", "access needs at least one domain and one IP range")
    return {"enabled": enabled, "domains": normalised_domains, "ip_ranges": normalised_ranges}


class NetworkState:
    """Websites, lines, operations and receipts by idempotency key, persisted as one JSON file."""

    def __init__(self, state_file: Path | None) -> None:
        self.state_file = state_file
        self.lock = threading.Lock()
        self.websites: dict[str, dict[str, Any]] = {}
        self.lines: dict[str, dict[str, Any]] = {}
        self.operations: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        if state_file is not None and state_file.exists():
            state = json.loads(state_file.read_text(encoding="utf-8"))
            self.websites = state.get("websites", {})
            self.lines = state.get("lines", {})
            for operation in state.get("operations", []):
                self.operations.append(operation)
                self.by_key[operation["idempotency_key"]] = operation

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            copy: dict[str, Any] = json.loads(
                json.dumps({"websites": self.websites, "lines": self.lines, "operations": self.operations})
            )
        return copy

    def _persist(self) -> None:
        if self.state_file is not None:
            write_json_atomically(
                self.state_file, {"websites": self.websites, "lines": self.lines, "operations": self.operations}
            )

    def apply(self, *, key: str, kind: str, reference: str, desired: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Carry out a request once per key: (201, operation), (200, the first operation); refusals raise."""
        fingerprint = hashlib.sha256(json.dumps([kind, reference, desired], sort_keys=True).encode()).hexdigest()
        with self.lock:
            existing = self.by_key.get(key)
            if existing is not None:
                if existing["fingerprint"] != fingerprint:
                    raise ProvisioningRefusedError(409, "idempotency_conflict", "the key was used for another request")
                return 200, existing
            table = self.websites if kind == "website_access" else self.lines
            current = table.get(reference)
            cancelled = kind == "line_service" and current is not None and current["mode"] == "cancelled"
            if cancelled and desired["mode"] != "cancelled":
                raise ProvisioningRefusedError(409, "line_cancelled", "the line is cancelled")
            applied_at = datetime.now(UTC).isoformat()
            operation = {
                "receipt_id": f"prv-{len(self.operations) + 1:06d}",
                "reference": reference,
                "kind": kind,
                "applied_at": applied_at,
                "changed": current is None or any(current.get(name) != value for name, value in desired.items()),
                "idempotency_key": key,
                "fingerprint": fingerprint,
                "desired": desired,
            }
            table[reference] = {**desired, "updated_at": applied_at, "receipt_id": operation["receipt_id"]}
            self.operations.append(operation)
            self.by_key[key] = operation
            self._persist()
            return 201, operation

    def reset(self) -> None:
        with self.lock:
            self.websites.clear()
            self.lines.clear()
            self.operations.clear()
            self.by_key.clear()
            self._persist()


def _ranges_text(ranges: list[dict[str, str]]) -> str:
    return ", ".join(f"{item['start']}-{item['end']}" for item in ranges)


def receipt(status: int, operation: dict[str, Any]) -> dict[str, Any]:
    fields = ("receipt_id", "reference", "kind", "applied_at", "changed")
    return {**{name: operation[name] for name in fields}, "duplicate": status == 200}


class _ProvisioningHandler(ServiceHandler):
    network: NetworkState

    def reset_state(self) -> None:
        self.network.reset()

    def do_GET(self) -> None:
        if self.handle_control("GET"):
            return
        if self.path == "/state":
            self.send_json(200, self.network.snapshot())
        elif self.path == "/":
            self.send_html(200, self._page())
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def do_POST(self) -> None:
        if not self.handle_control("POST"):
            self.send_error_json(404, "not_found", "no such resource")

    def do_PUT(self) -> None:
        website, line = _WEBSITE_PATH.match(self.path), _LINE_PATH.match(self.path)
        matched = website or line
        if matched is None:
            self.send_error_json(404, "not_found", "no such resource")
            return
        document = self.read_json_object()
        if document is None:
            return
        kind = "website_access" if website is not None else "line_service"
        failure = self.start_service_request(kind)
        if failure is None:
            return
        key = self.idempotency_key()
        if key is None:
            return
        reference = unquote(matched.group(1))
        try:
            if not REFERENCE.match(reference):
                raise ProvisioningRefusedError(422, "reference", "references are 1-100 of A-Z a-z 0-9 . _ : -")
            if kind == "website_access":
                desired = website_request(document)
            elif document.get("mode") in LINE_MODES:
                desired = {"mode": document["mode"]}
            else:
                raise ProvisioningRefusedError(422, "mode", f"'mode' must be one of {', '.join(LINE_MODES)}")
            status, operation = self.network.apply(key=key, kind=kind, reference=reference, desired=desired)
        except ProvisioningRefusedError as refusal:
            self.send_error_json(refusal.status, refusal.code, refusal.message)
            return
        self.answer_later(failure, status, receipt(status, operation))

    def _page(self) -> str:
        state = self.network.snapshot()
        website_rows = "".join(
            f"<tr><td><code>{html.escape(reference)}</code></td>"
            f"<td>{'on / 已接入' if website['enabled'] else 'off / 已断开'}</td>"
            f"<td>{html.escape(', '.join(website['domains']))}</td>"
            f"<td>{html.escape(_ranges_text(website['ip_ranges']))}</td>"
            f"<td>{html.escape(website['updated_at'])}</td></tr>"
            for reference, website in sorted(state["websites"].items())
        )
        line_rows = "".join(
            f"<tr><td><code>{html.escape(reference)}</code></td><td>{html.escape(line['mode'])}</td>"
            f"<td>{html.escape(line['updated_at'])}</td></tr>"
            for reference, line in sorted(state["lines"].items())
        )
        operation_rows = "".join(
            f"<tr><td>{html.escape(operation['receipt_id'])}</td><td>{html.escape(operation['applied_at'])}</td>"
            f"<td>{html.escape(operation['kind'])}</td><td><code>{html.escape(operation['reference'])}</code></td>"
            f"<td>{'changed' if operation['changed'] else 'unchanged'}</td></tr>"
            for operation in reversed(state["operations"][-50:])
        )
        body = (
            "<h2>Websites / 网站接入</h2><table><tr><th>reference</th><th>access / 接入</th><th>domains / 域名</th>"
            f"<th>IP ranges / IP地址段</th><th>updated (UTC)</th></tr>{website_rows}</table>"
            "<h2>Lines / 线路</h2><table><tr><th>reference</th><th>mode / 状态</th><th>updated (UTC)</th></tr>"
            f"{line_rows}</table>"
            "<h2>Recent operations / 最近操作</h2><table><tr><th>receipt</th><th>applied (UTC)</th><th>kind</th>"
            f"<th>reference</th><th></th></tr>{operation_rows}</table>"
        )
        return page("Network provisioning simulator / 网络开通模拟器", body)


class ProvisioningSimulator:
    """The network provisioning simulator on ``host:port`` (port 0 picks a free port)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, state_dir: Path | None = None) -> None:
        self.network = NetworkState(state_dir / "provisioning-state.json" if state_dir is not None else None)
        self.controls = ServiceControls()
        handler = type(
            "ProvisioningHandler", (_ProvisioningHandler,), {"network": self.network, "controls": self.controls}
        )
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
