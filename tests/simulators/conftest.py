"""Fixtures and a minimal client for the province filing-system simulator.

The client is written from ``docs/miit-binding.md`` and the specification alone (SOAP 1.1 envelope, pwdHash,
ZIP, MD5, AES-CBC/PKCS5, base64): it shares no code with the simulator, nor with regdesk's MIIT adapter. Every
answer it receives is validated against the response XSD of its method.
"""

from __future__ import annotations

import base64
import hashlib
import io
import ipaddress
import json
import random
import string
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree

from regdesk.simulators.province import ProvinceServer, make_server

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE = "http://www.miitbeian.gov.cn/ISPWebService"
SCHEMAS = Path(__file__).resolve().parents[2] / "src" / "regdesk" / "simulators" / "province" / "schemas"
ANSWER_SCHEMAS = {
    "isp_upload": "upload-response.xsd",
    "isp_download": "download-response.xsd",
    "isp_downloadack": "download-ack-response.xsd",
    "isp_querypreviousupload": "query-previous-upload-response.xsd",
    "isp_querybeianstatus": "beian-status-response.xsd",
}
PASSWORD = "simulator-password"
AES_KEY = b"regdesk-aes-key!"
AES_IV = b"0102030405060708"

_schemas: dict[str, etree.XMLSchema] = {}


def xsd(name: str) -> etree.XMLSchema:
    if name not in _schemas:
        _schemas[name] = etree.XMLSchema(etree.parse(str(SCHEMAS / name)))
    return _schemas[name]


def assert_valid(name: str, document: etree._Element) -> None:
    schema = xsd(name)
    assert schema.validate(document), f"{name}: {schema.error_log}"


def ip(address: str) -> int:
    return int(ipaddress.IPv4Address(address))


def aes(data: bytes, key: bytes = AES_KEY, iv: bytes = AES_IV) -> bytes:
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()


def unaes(data: bytes, key: bytes = AES_KEY, iv: bytes = AES_IV) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()  # noqa: S324 - the interface's hash


@dataclass
class Answer:
    """An answer document: its code, its message (padding stripped) and the parsed root."""

    code: int
    message: str
    root: etree._Element

    def find(self, path: str) -> str | None:
        return self.root.findtext(path)


@dataclass
class Download:
    answer: Answer
    file_name: str
    document: etree._Element
    raw: bytes


class SoapFaultError(Exception):
    pass


@dataclass
class ProvinceClient:
    """Speaks the binding: one POST per call, parameters in prototype order, answers validated."""

    service_url: str
    isp_id: int = 1001
    user_name: str = "regdesk"
    password: str = PASSWORD
    sequence: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def auth(self, random_value: str | None = None, password: str | None = None) -> list[tuple[str, str]]:
        value = random_value or "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(20))
        digest = hashlib.md5(((password or self.password) + value).encode("gbk")).digest()  # noqa: S324
        return [
            ("ispId", str(self.isp_id)),
            ("userName", self.user_name),
            ("randVal", value),
            ("pwdHash", base64.b64encode(digest).decode()),
        ]

    def post(self, method: str, parameters: list[tuple[str, str]], soap_action: str | None = None) -> tuple[int, bytes]:
        children = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in parameters)
        envelope = (
            f'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body>'
            f'<m:{method} xmlns:m="{SERVICE}">{children}</m:{method}></soapenv:Body></soapenv:Envelope>'
        ).encode()
        return self.post_raw(envelope, f'"{soap_action or method}"')

    def post_raw(
        self, body: bytes, soap_action: str | None, content_type: str = "text/xml; charset=utf-8"
    ) -> tuple[int, bytes]:
        headers = {"Content-Type": content_type}
        if soap_action is not None:
            headers["SOAPAction"] = soap_action
        request = urllib.request.Request(self.service_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def call(self, method: str, parameters: list[tuple[str, str]]) -> Answer:
        status, body = self.post(method, parameters)
        envelope = etree.fromstring(body)
        if status != 200:
            raise SoapFaultError(envelope.findtext(f".//{{{SOAP}}}Fault/faultstring"))
        returned = envelope.find(f"{{{SOAP}}}Body/{{{SERVICE}}}{method}Response/return")
        assert returned is not None
        assert returned.text
        root = etree.fromstring(returned.text.encode())
        if method in ANSWER_SCHEMAS:
            assert_valid(ANSWER_SCHEMAS[method], root)
        return Answer(int(root.findtext("msg_code") or -1), (root.findtext("msg") or "").strip(), root)

    def upload(
        self,
        xml: bytes,
        *,
        sequence: int | None = None,
        file_name: str = "regdesk000001.xml",
        encrypt: bool = False,
        key: bytes = AES_KEY,
        compressed: bytes | None = None,
        hash_of: bytes | None = None,
        password: str | None = None,
        random_value: str | None = None,
    ) -> Answer:
        number = sequence if sequence is not None else self.sequence + 1
        data = compressed if compressed is not None else zipped({file_name: xml})
        payload = aes(data, key) if encrypt else data
        answer = self.call(
            "isp_upload",
            [
                *self.auth(random_value, password),
                ("beianInfo", base64.b64encode(payload).decode()),
                ("beianInfoHash", md5_b64(hash_of if hash_of is not None else data)),
                ("dataSequence", str(number)),
                ("encryptAlgorithm", "1" if encrypt else "0"),
                ("hashAlgorithm", "0"),
                ("compressionFormat", "0"),
            ],
        )
        if answer.code == 0:
            self.sequence = number
        return answer

    def download(self) -> Download | Answer:
        answer = self.call("isp_download", [*self.auth(), ("hashAlgorithm", "0")])
        info = answer.root.find("fileInfos")
        if info is None:
            return answer
        payload = base64.b64decode(info.findtext("beianInfo") or "")
        data = unaes(payload) if info.findtext("encryptAlgorithm") == "1" else payload
        assert md5_b64(data) == info.findtext("beianInfoHash"), "download hash does not verify"
        file_name = info.findtext("return_FileName") or ""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.namelist() == [file_name]
            raw = archive.read(file_name)
        assert raw.startswith((b"<?xml version='1.0' encoding='GBK'?>", b'<?xml version="1.0" encoding="GBK"?>'))
        document = etree.fromstring(raw)
        assert_valid("download.xsd", document)
        return Download(answer, file_name, document, raw)

    def ack(self, file_name: str) -> Answer:
        return self.call("isp_downloadack", [*self.auth(), ("hashAlgorithm", "0"), ("fileName", file_name)])

    def previous_upload(self) -> Answer:
        return self.call("isp_querypreviousupload", [*self.auth(), ("hashAlgorithm", "0")])

    def beian_status(self, condition_type: int, condition: str) -> Answer:
        return self.call(
            "isp_querybeianstatus",
            [
                *self.auth(),
                ("hashAlgorithm", "0"),
                ("queryConditionType", str(condition_type)),
                ("queryCondition", condition),
            ],
        )

    def verify_filing_password(self, number: str, password: str) -> Answer:
        return self.call("isp_verifybamm", [*self.auth(), ("hashAlgorithm", "0"), ("baxh", number), ("bamm", password)])


def _add(parent: etree._Element, name: str, value: object | None = None) -> etree._Element:
    element = etree.SubElement(parent, name)
    if value is not None:
        element.text = str(value)
    return element


# The start of a JPEG file: attachments of a real filing are colour scans; the simulator does not decode them.
TINY_JPEG = base64.b64encode(bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")).decode()


@dataclass
class WebsiteSpec:
    name: str = "示例科技官方网站"
    domains: tuple[str, ...] = ("example-tech.cn",)
    homepage: str | None = "http://www.example-tech.cn"
    ranges: tuple[tuple[str, str], ...] = (("192.0.2.10", "192.0.2.10"),)
    office_phone: str | None = "010-62345678"


@dataclass
class FilingSpec:
    """One XZBA Baxx: an organisation owner in Beijing (Haidian) with its websites."""

    owner_id: int = 1
    owner_name: str = "北京示例科技有限公司"
    certificate_type: int = 1
    certificate_number: str = "91110108MA01ABCD2X"
    head_name: str | None = "张三"
    websites: tuple[WebsiteSpec, ...] = (WebsiteSpec(),)
    province: int = 110000
    city: int = 110100
    county: int = 110108


def new_filing_document(
    *filings: FilingSpec, isp_id: int = 1001, version: str = "3.0", requester: int | None = None
) -> etree._Element:
    root = etree.Element("UploadData", version=version)
    icp = _add(root, "ICP")
    xzba = _add(icp, "XZBA")
    ids = iter(range(100, 10_000))
    for filing in filings or (FilingSpec(),):
        baxx = _add(xzba, "Baxx")
        owner = _add(baxx, "Zt_xx")
        _add(owner, "IspZtid", filing.owner_id)
        _add(owner, "Dwmc", filing.owner_name)
        _add(owner, "Dwxz", 4)
        _add(owner, "Tzr", "北京示例投资有限公司")
        address = _add(owner, "Txdz")
        _add(address, "Shengid", filing.province)
        _add(address, "Shiid", filing.city)
        _add(address, "Xianid", filing.county)
        _add(address, "Xxdz", "北京市海淀区中关村大街1号")
        certificate = _add(owner, "Zj")
        _add(certificate, "Zjlx", filing.certificate_type)
        _add(certificate, "Zjhm", filing.certificate_number)
        _add(certificate, "Zjzs", "北京市海淀区中关村大街1号")
        head = _add(owner, "Fzr")
        if filing.head_name:
            _add(head, "Fzr_xm", filing.head_name)
        _add(head, "Fzr_dhhm", "010-62345678")
        _add(head, "Fzr_sjhm", "13800138000")
        _add(head, "Fzr_dzyj", "zhangsan@example-tech.cn")
        _add(head, "Fzr_zjlx", 2)
        _add(head, "Fzr_zjhm", "11010519491231002X")
        _add(owner, "Bbfs", 1)
        for website in filing.websites:
            site = _add(baxx, "Wz_xx")
            _add(site, "IspWzid", next(ids))
            _add(site, "Wzmc", website.name)
            _add(_add(site, "Fwnr"), "Fwnr_id", 1)
            _add(_add(site, "Yylb"), "Yylb_id", 1)
            for domain in website.domains:
                item = _add(site, "Ym_xx")
                _add(item, "IspYmid", next(ids))
                _add(item, "Ym", domain)
            access = _add(site, "Jr_xx")
            _add(access, "IspJrid", next(ids))
            _add(_add(access, "Wzfb"), "Fbdd", 1)
            _add(_add(access, "Wzjrfs"), "Jrfs", 2)
            for first, last in website.ranges:
                entry = _add(access, "Ip_xx")
                _add(entry, "IspIpid", next(ids))
                _add(entry, "Qsip", ip(first))
                _add(entry, "Zzip", ip(last))
            person = _add(site, "Wz_Fzr")
            _add(person, "Fzr_xm", "李四")
            if website.office_phone:
                _add(person, "Fzr_dhhm", website.office_phone)
            _add(person, "Fzr_sjhm", "13900139000")
            _add(person, "Fzr_dzyj", "lisi@example-tech.cn")
            _add(person, "Fzr_zjlx", 2)
            _add(person, "Fzr_zjhm", "11010519491231002X")
            if website.homepage:
                _add(site, "Syurl", website.homepage)
        attachment = _add(_add(baxx, "Fj"), "Fjxx")
        _add(attachment, "Fjwjgs", 1)
        _add(attachment, "Fjyt", 1)
        _add(attachment, "Fjnr", TINY_JPEG)
        owner_reference = _add(attachment, "Fjssdx")
        _add(owner_reference, "Ssdxlx", 1)
        _add(owner_reference, "Ssdxbs", filing.owner_id)
    _add(icp, "Qqdwid", requester if requester is not None else isp_id)
    return root


def gbk(document: etree._Element) -> bytes:
    return etree.tostring(document, encoding="GBK", xml_declaration=True)


@dataclass
class ProvinceSimulatorHandle:
    """A running province simulator with its control pages."""

    server: ProvinceServer
    state_dir: Path
    thread: threading.Thread

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def service_url(self) -> str:
        return self.server.service_url

    def client(self, **options: Any) -> ProvinceClient:
        return ProvinceClient(self.service_url, **options)

    def control(self, method: str, path: str, document: Any = None) -> Any:
        data = json.dumps(document).encode() if document is not None else None
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return {"status": error.code, **json.loads(error.read())}

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.control("GET", "/control/state")
        return result

    def review_now(self) -> int:
        return int(self.control("POST", "/control/review-now", {})["reviewed"])

    def configure(self, overrides: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.control("POST", "/control/config", overrides)
        return result

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_province_simulator(state_dir: Path, config: dict[str, Any] | None = None) -> ProvinceSimulatorHandle:
    server = make_server("127.0.0.1", 0, state_dir, config if config is not None else {"review": {"delay_seconds": 0}})
    # A short poll interval: shutdown() waits for serve_forever to notice it.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="province-simulator", daemon=True)
    thread.start()
    return ProvinceSimulatorHandle(server=server, state_dir=state_dir, thread=thread)


@pytest.fixture
def province_simulator(tmp_path: Path) -> Iterator[ProvinceSimulatorHandle]:
    """A province simulator on a free loopback port with its own state; reviews at once (delay 0)."""
    handle = start_province_simulator(tmp_path / "province")
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def province(province_simulator: ProvinceSimulatorHandle) -> ProvinceClient:
    """A client logged in as the development account."""
    return province_simulator.client()


@dataclass
class ResultEntry:
    """One BAJG ``Jg_xx`` of a download file."""

    operation_type: int
    marker: str | None
    codes: list[int]
    descriptions: list[str]
    note: str | None


def bajg_results(download: Download) -> list[ResultEntry]:
    return [
        ResultEntry(
            operation_type=int(entry.findtext("Czlx") or 0),
            marker=entry.findtext("Bs"),
            codes=[int(item.findtext("Jgdm") or 0) for item in entry.findall("Jgxx")],
            descriptions=[item.findtext("Dmms") or "" for item in entry.findall("Jgxx")],
            note=entry.findtext("Bz"),
        )
        for entry in download.document.findall("ICP/BAJG/Jg_xx")
    ]


def next_download(client: ProvinceClient) -> Download:
    """Download the next file and acknowledge it; fail when there is none."""
    result = client.download()
    assert isinstance(result, Download), f"no download: {result.code} {result.message}"
    assert client.ack(result.file_name).code == 0
    return result


def accepted(answer: Answer) -> None:
    assert (answer.code, answer.message) == (0, "操作成功"), answer.message
