"""A small SOAP province for the adapter's own unit tests: real sockets on loopback, scripted failures.

It keeps the province's state that the adapter depends on (last accepted sequence and file, waiting downloads,
acknowledgements) and answers per the binding. ``script(method, *actions)`` makes the next calls of a method
misbehave: ``"slow-accept"`` (process, then answer too late), ``"slow-drop"`` (answer too late, process nothing),
``"503"``, ``"500-fault"`` (a soap:Client Fault), ``"500-server-fault"``, ``"drop"`` (close without answering) or
an int (answer that msg_code without processing).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from regdesk.miit.codec.packing import AesKey, PackedFile, pack, unpack
from regdesk.miit.transport import password_hash
from tests.miit.samples import answer, file_infos

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE = "http://www.miitbeian.gov.cn/ISPWebService"


@dataclass
class Province:
    isp_id: int = 1
    user_name: str = "regdesk"
    password: str = "test-password"
    key: AesKey = field(default_factory=lambda: AesKey(key=b"0123456789abcdef", iv=b"0102030405060708"))
    slow_seconds: float = 1.0
    last_sequence: int = 0
    last_file: tuple[str, PackedFile] | None = None
    accepted: dict[int, bytes] = field(default_factory=dict)
    waiting: list[tuple[str, PackedFile]] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: dict[str, deque[Any]] = field(default_factory=lambda: defaultdict(deque))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, method: str, *actions: Any) -> None:
        self.scripts[method].extend(actions)

    def offer(self, file_name: str, document: bytes, *, encrypt: int = 1, corrupt: bool = False) -> None:
        from regdesk.miit.codec.packing import EncryptAlgorithm

        packed = pack(document, file_name=file_name, encrypt_algorithm=EncryptAlgorithm(encrypt), key=self.key)
        if corrupt:
            packed = PackedFile(
                beian_info=packed.beian_info,
                beian_info_hash=base64.b64encode(hashlib.md5(b"other").digest()).decode(),  # noqa: S324
                encrypt_algorithm=packed.encrypt_algorithm,
            )
        self.waiting.append((file_name, packed))

    def method_calls(self, method: str) -> list[dict[str, str]]:
        return [parameters for name, parameters in self.calls if name == method]

    # -- behaviour ------------------------------------------------------------------------------------------

    def authenticated(self, parameters: dict[str, str]) -> bool:
        return (
            parameters.get("userName") == self.user_name
            and len(parameters.get("randVal", "")) == 20
            and parameters.get("pwdHash") == password_hash(self.password, parameters.get("randVal", ""))
        )

    def handle(self, method: str, parameters: dict[str, str]) -> str:
        if method not in ("isp_upload", "isp_querypreviousupload", "isp_download", "isp_downloadack"):
            raise KeyError(method)
        if not self.authenticated(parameters):
            return answer(5, "密码错误")
        if method == "isp_upload":
            return self.upload(parameters)
        if method == "isp_querypreviousupload":
            if self.last_file is None:
                empty = file_infos(file_name="", packed=_empty(), sequence=self.last_sequence)
                return answer(0, "操作成功", empty)
            name, packed = self.last_file
            return answer(0, "操作成功", file_infos(file_name=name, packed=packed, sequence=self.last_sequence))
        if method == "isp_download":
            if not self.waiting:
                return answer(2, "目前服务器端没有可以下载的数据")
            name, packed = self.waiting[0]
            code = 3 if len(self.waiting) > 1 else 0
            return answer(code, "操作成功", file_infos(file_name=name, packed=packed))
        if method == "isp_downloadack":
            name = parameters.get("fileName", "")
            self.waiting = [item for item in self.waiting if item[0] != name]
            self.acknowledged.append(name)
            return answer(0, "操作成功")
        raise KeyError(method)  # pragma: no cover - checked above

    def upload(self, parameters: dict[str, str]) -> str:
        sequence = int(parameters["dataSequence"])
        if sequence != self.last_sequence + 1:
            missing = "".join(
                f"<dataSequence>{number}</dataSequence>" for number in range(self.last_sequence + 1, sequence)
            )
            return answer(
                14,
                "本次上载没有受理，请首先上载漏报的数据，然后再上载本次数据",
                f"<dataSequences>{missing}</dataSequences>",
            )
        packed = PackedFile(
            beian_info=parameters["beianInfo"],
            beian_info_hash=parameters["beianInfoHash"],
            encrypt_algorithm=int(parameters["encryptAlgorithm"]),
        )
        try:
            received = unpack(packed, key=self.key)
        except Exception:
            return answer(7, "哈希值验证未通过")
        self.last_sequence = sequence
        self.last_file = (received.member_name, packed)
        self.accepted[sequence] = received.document
        return answer(0, "操作成功")


def _empty() -> PackedFile:
    return PackedFile(beian_info="", beian_info_hash="", encrypt_algorithm=0)


def _envelope(method: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP}"><soap:Body>'
        f'<ns:{method}Response xmlns:ns="{SERVICE}"><return>{escape(text)}</return></ns:{method}Response>'
        "</soap:Body></soap:Envelope>"
    ).encode()


def _fault(reason: str, code: str = "soap:Client") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault>'
        f"<faultcode>{code}</faultcode><faultstring>{escape(reason)}</faultstring></soap:Fault>"
        "</soap:Body></soap:Envelope>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    province: Province

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(length)
        try:
            envelope = etree.fromstring(data)
            call = envelope.find(f"{{{SOAP}}}Body")[0]  # type: ignore[index]
            method = etree.QName(call).localname
            parameters = {str(child.tag): child.text or "" for child in call}
        except Exception:
            self._send(500, _fault("unreadable envelope"))
            return
        province = self.province
        with province.lock:
            province.calls.append((method, parameters))
            action = province.scripts[method].popleft() if province.scripts[method] else None
        if action == "drop":
            self.close_connection = True
            return
        if action == "503":
            self._send(503, b"busy")
            return
        if action == "500-fault":
            self._send(500, _fault("bad request"))
            return
        if action == "500-server-fault":
            self._send(500, _fault("province failed", "soap:Server"))
            return
        if isinstance(action, int):
            self._send(200, _envelope(method, answer(action, "scripted")))
            return
        if action == "slow-drop":
            time.sleep(province.slow_seconds)
            self.close_connection = True
            return
        try:
            with province.lock:
                text = province.handle(method, parameters)
        except KeyError:
            self._send(500, _fault(f"no method {method}"))
            return
        if action == "slow-accept":
            time.sleep(province.slow_seconds)
        with contextlib.suppress(OSError):
            self._send(200, _envelope(method, text))


class ProvinceServer:
    """The province on a free loopback port, in a daemon thread."""

    def __init__(self, province: Province | None = None) -> None:
        self.province = province or Province()
        handler = type("Handler", (_Handler,), {"province": self.province})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/ISPWebService/upDownLoad"

    def start(self) -> ProvinceServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
