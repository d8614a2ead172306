"""Enterprise registry simulator (企业登记信息, the market-regulation register): look up an enterprise by its unified
social credit code and check the name and the legal representative an applicant gives.

* ``GET /enterprises/{uscc}``: 200 ``{"found": true, "enterprise": {...}}`` or ``{"found": false}``; a code that
  is not 18 characters of the GB 32100 alphabet answers 422. (Not found is an answer, not a 404, so that a wrong
  base URL cannot pass for an unknown enterprise.)
* ``POST /enterprises/verify`` with ``{"uscc", "name", "legal_representative"}``: 200 ``{"result", "status"}``;
  ``result`` is ``match``, ``name_mismatch``, ``representative_mismatch``, ``not_found`` or ``deregistered``
  (注销 or 吊销; ``status`` says which), checked in the order not found, deregistered, name, representative.
  Names are compared after NFKC normalisation without white space (full-width and ASCII parentheses are the
  same), representatives after trimming and writing every middle-dot variant as U+00B7.
* ``GET /enterprises``: every enterprise as JSON; ``GET /``: the same as a page for developers.
* ``POST /control/failures``, ``POST /control/reset``, ``GET /control/requests``: as in every JSON simulator
  (see ``json_service``).

The register is ``data/registry-enterprises.json`` (made by ``data/generate.py``); it is read-only, so the
simulator keeps no state file.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from regdesk.simulators.json_service import ServiceControls, ServiceHandler, load_data, page
from regdesk.simulators.serving import BackgroundHttpServer

DEFAULT_PORT = 8033
DATA_FILE_NAME = "registry-enterprises.json"
RESULTS = ("match", "name_mismatch", "representative_mismatch", "not_found", "deregistered")
# 注销 (deregistered) and 吊销 (licence revoked): neither may be the owner of a new filing or a line.
CLOSED_STATUSES = frozenset({"deregistered", "revoked"})
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_MAX_TEXT = 200
_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "．": "·", "∙": "·", "⋅": "·"})
_STATUS_NAMES = {"active": "存续（在营）", "deregistered": "注销", "revoked": "吊销，未注销"}


def normalise_enterprise_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def normalise_person_name(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip()).translate(_MIDDLE_DOTS)


class Register:
    """The enterprises by code (read-only)."""

    def __init__(self, enterprises: list[dict[str, Any]]) -> None:
        self.enterprises = {enterprise["uscc"]: enterprise for enterprise in enterprises}

    def verify(self, *, uscc: str, name: str, legal_representative: str) -> tuple[str, str | None]:
        enterprise = self.enterprises.get(uscc)
        if enterprise is None:
            return "not_found", None
        status = str(enterprise["status"])
        if status in CLOSED_STATUSES:
            return "deregistered", status
        if normalise_enterprise_name(name) != normalise_enterprise_name(enterprise["name"]):
            return "name_mismatch", status
        if normalise_person_name(legal_representative) != normalise_person_name(enterprise["legal_representative"]):
            return "representative_mismatch", status
        return "match", status


class _RegistryHandler(ServiceHandler):
    register: Register

    def do_GET(self) -> None:
        if self.handle_control("GET"):
            return
        if self.path in ("/enterprises", "/enterprises/"):
            self.send_json(200, {"enterprises": list(self.register.enterprises.values())})
        elif self.path.startswith("/enterprises/"):
            self._lookup(unquote(self.path.removeprefix("/enterprises/")))
        elif self.path == "/":
            self.send_html(200, self._page())
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def do_POST(self) -> None:
        if self.handle_control("POST"):
            return
        if self.path == "/enterprises/verify":
            self._verify()
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def _lookup(self, raw: str) -> None:
        failure = self.start_service_request("lookup")
        if failure is None:
            return
        uscc = raw.strip().upper()
        if not _USCC.match(uscc):
            self.send_error_json(422, "uscc", "a unified social credit code is 18 characters of 0-9 and A-Y")
            return
        enterprise = self.register.enterprises.get(uscc)
        answer = {"found": True, "enterprise": enterprise} if enterprise is not None else {"found": False}
        self.answer_later(failure, 200, answer)

    def _verify(self) -> None:
        document = self.read_json_object()
        if document is None:
            return
        failure = self.start_service_request("verify")
        if failure is None:
            return
        values: dict[str, str] = {}
        for field in ("uscc", "name", "legal_representative"):
            value = document.get(field)
            if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
                self.send_error_json(422, field, f"'{field}' must be 1 to {_MAX_TEXT} characters")
                return
            values[field] = value
        uscc = values["uscc"].strip().upper()
        if not _USCC.match(uscc):
            self.send_error_json(422, "uscc", "a unified social credit code is 18 characters of 0-9 and A-Y")
            return
        result, status = self.register.verify(
            uscc=uscc, name=values["name"], legal_representative=values["legal_representative"]
        )
        self.answer_later(failure, 200, {"result": result, "status": status})

    def _page(self) -> str:
        rows = "".join(
            f"<tr><td><code>{html.escape(enterprise['uscc'])}</code></td><td>{html.escape(enterprise['name'])}</td>"
            f"<td>{html.escape(enterprise['legal_representative'])}</td>"
            f"<td>{html.escape(enterprise['enterprise_type'])}</td><td>{html.escape(enterprise['address'])}</td>"
            f"<td>{html.escape(enterprise['established_on'])}</td>"
            f"<td class='{'flag' if enterprise['status'] in CLOSED_STATUSES else ''}'>"
            f"{html.escape(_STATUS_NAMES.get(enterprise['status'], enterprise['status']))}"
            f"{' ' + html.escape(str(enterprise['status_changed_on'])) if enterprise['status_changed_on'] else ''}"
            "</td></tr>"
            for enterprise in self.register.enterprises.values()
        )
        body = (
            f"<p>{len(self.register.enterprises)} enterprises / 户企业. The data set is "
            "<code>regdesk/simulators/data/registry-enterprises.json</code>.</p>"
            "<table><tr><th>USCC / 统一社会信用代码</th><th>name / 名称</th><th>legal representative / 法定代表人</th>"
            "<th>type / 类型</th><th>address / 住所</th><th>established / 成立日期</th><th>status / 登记状态</th></tr>"
            f"{rows}</table>"
        )
        return page("Enterprise registry simulator / 企业登记信息模拟器", body)


class RegistrySimulator:
    """The enterprise registry simulator on ``host:port`` (port 0 picks a free port)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, data_file: Path | None = None) -> None:
        self.data = load_data(DATA_FILE_NAME, data_file)
        self.register = Register(self.data["enterprises"])
        self.controls = ServiceControls()
        handler = type("RegistryHandler", (_RegistryHandler,), {"register": self.register, "controls": self.controls})
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
