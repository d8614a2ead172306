"""The province simulator's transport: SOAP binding, WSDL, authentication, packaging, upload sequence, downloads.

Talks to a real server over loopback with the client in ``conftest`` (written from the binding document); every
answer is validated against its response XSD there.
"""

from __future__ import annotations

import base64
import io
import socket
import urllib.request
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from regdesk.simulators.province.server import make_server
from tests.simulators.conftest import (
    AES_IV,
    SERVICE,
    SOAP,
    Download,
    FilingSpec,
    ProvinceClient,
    ProvinceSimulatorHandle,
    SoapFaultError,
    accepted,
    bajg_results,
    gbk,
    md5_b64,
    new_filing_document,
    next_download,
    unaes,
    zipped,
)

INTERFACE = Path(__file__).resolve().parents[2] / "docs" / "miit-interface"  # see its SOURCE.md


def _filing(number: int = 1) -> bytes:
    return gbk(
        new_filing_document(
            FilingSpec(
                owner_id=number,
                certificate_number=f"9111010{number:04d}ABCDE2X",
                owner_name=f"北京示例{number}号科技有限公司",
            )
        )
    )


@pytest.mark.parametrize("package", ["simulators/province/schemas", "miit/schemas"])
def test_schemas_are_byte_identical_copies_of_the_interface(package: str) -> None:
    copies = Path(__file__).resolve().parents[2] / "src/regdesk" / package
    names = sorted(path.name for path in copies.glob("*.xsd"))
    assert names == sorted(path.name for path in INTERFACE.glob("*.xsd"))
    assert len(names) == 7
    for name in names:
        assert (copies / name).read_bytes() == (INTERFACE / name).read_bytes(), name


def test_wsdl_describes_the_six_methods(province_simulator: ProvinceSimulatorHandle) -> None:
    with urllib.request.urlopen(f"{province_simulator.service_url}?wsdl", timeout=10) as response:
        document = etree.fromstring(response.read())
    wsdl = "http://schemas.xmlsoap.org/wsdl/"
    assert document.get("targetNamespace") == SERVICE
    operations = {item.get("name") for item in document.iterfind(f"{{{wsdl}}}portType/{{{wsdl}}}operation")}
    assert operations == {
        "isp_upload",
        "isp_download",
        "isp_downloadack",
        "isp_querypreviousupload",
        "isp_querybeianstatus",
        "isp_verifybamm",
    }
    upload = document.find(f"{{{wsdl}}}message[@name='isp_uploadRequest']")
    assert upload is not None
    assert [part.get("name") for part in upload] == [
        "ispId", "userName", "randVal", "pwdHash", "beianInfo", "beianInfoHash", "dataSequence", "encryptAlgorithm",
        "hashAlgorithm", "compressionFormat",
    ]  # fmt: skip
    address = document.find(f".//{{{wsdl}}}port/{{http://schemas.xmlsoap.org/wsdl/soap/}}address")
    assert address is not None
    assert address.get("location", "").endswith("/ISPWebService/upDownLoad")


def test_answer_is_a_return_element_holding_the_document_as_text(province: ProvinceClient) -> None:
    status, body = province.post("isp_querypreviousupload", [*province.auth(), ("hashAlgorithm", "0")])
    assert status == 200
    envelope = etree.fromstring(body)
    response = envelope.find(f"{{{SOAP}}}Body/{{{SERVICE}}}isp_querypreviousuploadResponse")
    assert response is not None
    (returned,) = list(response)
    assert returned.tag == "return"
    assert len(returned) == 0
    document = etree.fromstring((returned.text or "").encode())
    assert document.tag == "return"
    assert document.get("version") == "3.0"
    # The response XSDs fix msg at exactly 256 characters: the description is padded with spaces.
    assert len(document.findtext("msg") or "") == 256


@pytest.mark.parametrize(
    ("body", "soap_action", "reason"),
    [
        (b"<not-xml", '"isp_download"', "not well-formed"),
        (
            f'<e:Envelope xmlns:e="{SOAP}"><e:Body><m:isp_nothing xmlns:m="{SERVICE}"/></e:Body></e:Envelope>'.encode(),
            '"isp_nothing"',
            "no such method",
        ),
        (
            f'<e:Envelope xmlns:e="{SOAP}"><e:Body><m:isp_download xmlns:m="{SERVICE}"><userName>x</userName>'
            "</m:isp_download></e:Body></e:Envelope>".encode(),
            '"isp_download"',
            "in this order",
        ),
        (
            f'<e:Envelope xmlns:e="{SOAP}"><e:Body><m:isp_download xmlns:m="{SERVICE}"/>'
            "</e:Body></e:Envelope>".encode(),
            '"isp_upload"',
            "does not name the method",
        ),
    ],
)
def test_requests_outside_the_binding_get_a_client_fault(
    province: ProvinceClient, body: bytes, soap_action: str, reason: str
) -> None:
    status, answer = province.post_raw(body, soap_action)
    assert status == 500
    fault = etree.fromstring(answer).find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None
    assert fault.findtext("faultcode") == "soap:Client"
    assert reason in (fault.findtext("faultstring") or "")


def test_a_number_parameter_that_is_not_digits_is_a_fault(province: ProvinceClient) -> None:
    with pytest.raises(SoapFaultError, match="hashAlgorithm must be decimal digits"):
        province.call("isp_download", [*province.auth(), ("hashAlgorithm", "MD5")])


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"isp_id": 9999}, 13),
        ({"user_name": "someone-else"}, 4),
        ({"password": "wrong-password"}, 5),
    ],
)
def test_wrong_credentials_are_refused(
    province_simulator: ProvinceSimulatorHandle, change: dict[str, object], code: int
) -> None:
    client = province_simulator.client(**change)
    answer = client.upload(_filing())
    assert answer.code == code
    assert client.download().code == code  # type: ignore[union-attr]
    assert province_simulator.state()["last_accepted_sequence"] == {"1001": 0}


def test_a_short_random_value_is_refused(province: ProvinceClient) -> None:
    answer = province.upload(_filing(), random_value="abc123")
    assert answer.code == 16
    assert "随机数小于20个字符" in answer.message


def test_the_password_hash_is_over_gbk_bytes_of_password_and_random_value(
    province_simulator: ProvinceSimulatorHandle,
) -> None:
    province_simulator.configure({"accounts": [{**_account(), "password": "口令-simulator"}]})
    assert province_simulator.client(password="口令-simulator").previous_upload().code == 0
    assert province_simulator.client(password="口令-SIMULATOR").previous_upload().code == 5


def _account() -> dict[str, object]:
    return {
        "isp_id": 1001,
        "user_name": "regdesk",
        "password": "simulator-password",
        "aes_key": "regdesk-aes-key!",
        "aes_iv": "0102030405060708",
        "filed_ip_ranges": ["192.0.2.0/24"],
    }


def test_previous_upload_before_any_upload_is_empty_with_sequence_zero(province: ProvinceClient) -> None:
    answer = province.previous_upload()
    assert answer.code == 0
    assert answer.find("fileInfos/dataSequence") == "0"
    assert (answer.find("fileInfos/beianInfo") or "") == ""


def test_a_valid_upload_is_accepted_and_becomes_the_previous_upload(province: ProvinceClient) -> None:
    xml = _filing()
    accepted(province.upload(xml, file_name="regdesk000001.xml"))
    answer = province.previous_upload()
    assert answer.find("fileInfos/dataSequence") == "1"
    assert answer.find("fileInfos/return_FileName") == "regdesk000001.xml"
    assert answer.find("fileInfos/encryptAlgorithm") == "0"
    # The archive is compared by its members: a ZIP records each member's time to the second.
    returned = zipfile.ZipFile(io.BytesIO(base64.b64decode(answer.find("fileInfos/beianInfo") or "")))
    assert {name: returned.read(name) for name in returned.namelist()} == {"regdesk000001.xml": xml}


def test_a_gap_in_the_sequence_is_refused_naming_the_missing_number(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    accepted(province.upload(_filing(1), sequence=1))
    gap = province.upload(_filing(2), sequence=3)
    assert gap.code == 14
    assert [item.text for item in gap.root.findall("dataSequences/dataSequence")] == ["2"]
    assert "漏报的数据文件序号：2" in gap.message
    wider = province.upload(_filing(2), sequence=5)
    assert [item.text for item in wider.root.findall("dataSequences/dataSequence")] == ["2", "3", "4"]
    assert "2至4" in wider.message
    accepted(province.upload(_filing(2), sequence=2))
    assert province.previous_upload().find("fileInfos/dataSequence") == "2"
    codes = [(item["data_sequence"], item["msg_code"]) for item in province_simulator.state()["uploads"]]
    assert codes == [(1, 0), (3, 14), (5, 14), (2, 0)]


def test_a_repeat_of_an_accepted_sequence_is_refused_and_not_processed_twice(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    xml = _filing()
    accepted(province.upload(xml, sequence=1))
    repeat = province.upload(xml, sequence=1)
    assert repeat.code == 14
    assert [item.text for item in repeat.root.findall("dataSequences/dataSequence")] == ["2"]
    assert "序号1已受理" in repeat.message
    assert len(province_simulator.state()["operations"]) == 1


def test_an_aes_encrypted_upload_is_accepted(province: ProvinceClient) -> None:
    accepted(province.upload(_filing(), encrypt=True))
    assert province.previous_upload().find("fileInfos/encryptAlgorithm") == "1"
    entry = bajg_results(next_download(province))[0]
    assert entry.codes == [1001]


def test_an_upload_encrypted_with_another_key_is_refused(province: ProvinceClient) -> None:
    answer = province.upload(_filing(), encrypt=True, key=b"another-aes-key!")
    assert answer.code in (6, 7)  # bad padding, or padding that happens to fit and a hash that does not
    assert province.previous_upload().find("fileInfos/dataSequence") == "0"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"hash_of": b"something else"}, 7),
        ({"compressed": b"not a zip archive"}, 8),
        ({"compressed": zipped({"a.xml": b"<a/>", "b.xml": b"<b/>"})}, 17),
        ({"file_name": "regdesk_000001.xml"}, 999),
    ],
)
def test_broken_packaging_is_refused_with_the_specifications_code(
    province: ProvinceClient, options: dict[str, object], code: int
) -> None:
    answer = province.upload(_filing(), **options)  # type: ignore[arg-type]
    assert answer.code == code
    assert province.previous_upload().find("fileInfos/dataSequence") == "0"


def test_unsupported_algorithms_are_refused(province: ProvinceClient) -> None:
    data = zipped({"regdesk000001.xml": _filing()})
    base = [
        *province.auth(),
        ("beianInfo", base64.b64encode(data).decode()),
        ("beianInfoHash", md5_b64(data)),
        ("dataSequence", "1"),
    ]
    assert (
        province.call(
            "isp_upload", [*base, ("encryptAlgorithm", "2"), ("hashAlgorithm", "0"), ("compressionFormat", "0")]
        ).code
        == 9
    )
    assert (
        province.call(
            "isp_upload", [*base, ("encryptAlgorithm", "0"), ("hashAlgorithm", "1"), ("compressionFormat", "0")]
        ).code
        == 10
    )
    assert (
        province.call(
            "isp_upload", [*base, ("encryptAlgorithm", "0"), ("hashAlgorithm", "0"), ("compressionFormat", "1")]
        ).code
        == 11
    )


def test_downloads_are_served_until_acknowledged_oldest_first(province: ProvinceClient) -> None:
    assert province.download().code == 2  # type: ignore[union-attr]
    accepted(province.upload(_filing(1), sequence=1))
    accepted(province.upload(_filing(2), sequence=2))
    first = province.download()
    assert isinstance(first, Download)
    assert first.answer.code == 3  # another file waits behind this one
    again = province.download()
    assert isinstance(again, Download)
    assert again.file_name == first.file_name
    assert province.ack(first.file_name).code == 0
    second = province.download()
    assert isinstance(second, Download)
    assert second.file_name != first.file_name
    assert second.answer.code == 0
    assert province.ack(second.file_name).code == 0
    assert province.ack(second.file_name).code == 0  # acknowledging twice is harmless
    assert province.download().code == 2  # type: ignore[union-attr]
    assert [entry.marker for entry in bajg_results(first) + bajg_results(second)] == ["1", "2"]


def test_acknowledging_an_unknown_or_empty_file_name_is_refused(province: ProvinceClient) -> None:
    assert province.ack("").code == 21
    unknown = province.ack("BAJG100120250101000000000042.xml")
    assert unknown.code == 999
    assert "BAJG100120250101000000000042.xml" in unknown.message


def test_downloads_are_encrypted_when_the_account_says_so(province_simulator: ProvinceSimulatorHandle) -> None:
    province_simulator.configure({"accounts": [{**_account(), "encrypt_downloads": True}]})
    client = province_simulator.client()
    accepted(client.upload(_filing()))
    download = client.download()
    assert isinstance(download, Download)  # the client decrypted it and checked the hash of the plain ZIP
    info = download.answer.root.find("fileInfos")
    assert info is not None
    assert info.findtext("encryptAlgorithm") == "1"
    assert unaes(base64.b64decode(info.findtext("beianInfo") or ""), iv=AES_IV)[:2] == b"PK"


def test_maintenance_refuses_uploads_and_downloads(province_simulator: ProvinceSimulatorHandle) -> None:
    province_simulator.configure({"maintenance": True})
    client = province_simulator.client()
    assert client.upload(_filing()).code == 901
    assert client.download().code == 902  # type: ignore[union-attr]
    province_simulator.configure({"maintenance": False})
    accepted(client.upload(_filing()))


def test_the_specifications_own_address_of_the_status_query_answers_too(province: ProvinceClient) -> None:
    alias = ProvinceClient(
        province.service_url.replace("/ISPWebService/upDownLoad", "/BeianStatusWebService/queryBeianStatus")
    )
    answer = alias.beian_status(0, "example-tech.cn")
    assert answer.code == 0
    assert answer.find("StatusInfo/Bazt") == "1"


def test_a_taken_port_is_reported_as_such(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError, match="in use") as raised:
            make_server(port=taken.getsockname()[1], state_dir=tmp_path)
    assert not isinstance(raised.value, AttributeError)
    assert raised.value.errno is not None
