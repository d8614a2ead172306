"""The SOAP client against a scripted province on loopback (real sockets): answers, retries, reconciliation."""

from __future__ import annotations

import base64
import hashlib
import socket

import pytest
from lxml import etree
from pytest_django import Settings

from regdesk.miit.codec import EncryptAlgorithm, encode_new_filings, pack
from regdesk.miit.config import miit_settings
from regdesk.miit.transport import (
    SERVICE_NAMESPACE,
    SOAP_ENVELOPE,
    MiitClient,
    OutcomeUnknown,
    SequenceConflict,
    SequenceMismatch,
    ServerError,
    SoapFault,
    Unreachable,
    build_envelope,
    password_hash,
)
from tests.miit.samples import complete_filing
from tests.miit.soap_server import ProvinceServer

pytestmark = pytest.mark.usefixtures("miit_config")


def _document(owner_id: int = 101) -> bytes:
    return encode_new_filings([complete_filing(owner_id)], requesting_unit_id=1)


def _packed(document: bytes, name: str = "XZBA0000000001") -> object:
    settings = miit_settings()
    return pack(document, file_name=name, encrypt_algorithm=EncryptAlgorithm.AES, key=settings.aes_key)


def test_envelope_follows_the_binding() -> None:
    envelope = etree.fromstring(build_envelope("isp_download", [("ispId", "1"), ("hashAlgorithm", "0")]))
    call = envelope.find(f"{{{SOAP_ENVELOPE}}}Body/{{{SERVICE_NAMESPACE}}}isp_download")
    assert call is not None
    assert [(child.tag, child.text) for child in call] == [("ispId", "1"), ("hashAlgorithm", "0")]


def test_password_hash_is_base64_md5_of_gbk() -> None:
    # The specification's example: password "1234567890" and random value "abcdefghij" are concatenated.
    expected = base64.b64encode(hashlib.md5(b"1234567890abcdefghij").digest()).decode()  # noqa: S324
    assert password_hash("1234567890", "abcdefghij") == expected
    chinese = base64.b64encode(hashlib.md5("密码abc".encode("gbk")).digest()).decode()  # noqa: S324
    assert password_hash("密码", "abc") == chinese


def test_upload_accepted_with_authentication(client: MiitClient, province: ProvinceServer) -> None:
    document = _document()
    outcome = client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    assert outcome.accepted
    assert not outcome.reconciled
    assert outcome.code == 0
    assert province.province.accepted[1] == document
    call = province.province.method_calls("isp_upload")[0]
    assert list(call) == [
        "ispId", "userName", "randVal", "pwdHash", "beianInfo", "beianInfoHash", "dataSequence",
        "encryptAlgorithm", "hashAlgorithm", "compressionFormat",
    ]  # fmt: skip
    assert call["dataSequence"] == "1"
    assert call["encryptAlgorithm"] == "1"


def test_gap_is_reported_with_the_missing_numbers(client: MiitClient, province: ProvinceServer) -> None:
    document = _document()
    outcome = client.upload(packed=_packed(document), sequence=3, document=document)  # type: ignore[arg-type]
    assert not outcome.accepted
    assert outcome.answer is not None
    assert outcome.answer.missing_sequences == (1, 2)


def test_timeout_after_processing_is_reconciled_without_sending_twice(
    client: MiitClient, province: ProvinceServer
) -> None:
    province.province.script("isp_upload", "slow-accept")
    document = _document()
    outcome = client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    assert outcome.accepted
    assert outcome.reconciled
    assert len(province.province.method_calls("isp_upload")) == 1
    assert len(province.province.method_calls("isp_querypreviousupload")) == 1


def test_timeout_before_processing_is_sent_again_after_asking(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_upload", "slow-drop")
    document = _document()
    outcome = client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    assert outcome.accepted
    assert not outcome.reconciled
    assert len(province.province.method_calls("isp_upload")) == 2
    names = [name for name, _parameters in province.province.calls]
    assert names == ["isp_upload", "isp_querypreviousupload", "isp_upload"]


def test_server_error_on_upload_is_never_blindly_repeated(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_upload", "503")
    document = _document()
    outcome = client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    assert outcome.accepted
    names = [name for name, _parameters in province.province.calls]
    assert names == ["isp_upload", "isp_querypreviousupload", "isp_upload"]


def test_unknown_outcome_when_the_province_cannot_be_asked(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_upload", "slow-drop")
    province.province.script("isp_querypreviousupload", "503", "503", "503")
    document = _document()
    with pytest.raises(OutcomeUnknown):
        client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    assert len(province.province.method_calls("isp_upload")) == 1


def test_sequence_disagreement_is_raised(client: MiitClient, province: ProvinceServer) -> None:
    province.province.last_sequence = 5
    province.province.script("isp_upload", "drop")
    document = _document()
    with pytest.raises(SequenceMismatch) as caught:
        client.upload(packed=_packed(document), sequence=2, document=document)  # type: ignore[arg-type]
    assert caught.value.province == 5


def test_another_file_under_our_number_is_a_conflict(client: MiitClient, province: ProvinceServer) -> None:
    first = _document(101)
    assert client.upload(packed=_packed(first), sequence=1, document=first).accepted  # type: ignore[arg-type]
    other = _document(102)
    with pytest.raises(SequenceConflict):
        client.upload(packed=_packed(other), sequence=1, document=other, check_first=True)  # type: ignore[arg-type]


def test_check_first_confirms_an_earlier_acceptance(client: MiitClient, province: ProvinceServer) -> None:
    document = _document()
    client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    outcome = client.upload(packed=_packed(document), sequence=1, document=document, check_first=True)  # type: ignore[arg-type]
    assert outcome.accepted
    assert outcome.reconciled
    assert len(province.province.method_calls("isp_upload")) == 1


def test_busy_province_is_tried_again(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_upload", 15)
    document = _document()
    outcome = client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    assert outcome.accepted
    assert outcome.attempts == 2


def test_download_is_repeated_after_5xx(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_download", "503", "drop")
    answer = client.download()
    assert answer.msg_code == 2
    assert len(province.province.method_calls("isp_download")) == 3


def test_5xx_every_time_gives_up(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_download", "503", "503", "503")
    with pytest.raises(ServerError) as caught:
        client.download()
    assert caught.value.status == 503


def test_client_fault_is_raised_and_not_repeated(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_download", "500-fault")
    with pytest.raises(SoapFault) as caught:
        client.download()
    assert caught.value.client_fault
    assert caught.value.fault_string == "bad request"
    assert len(province.province.method_calls("isp_download")) == 1


def test_client_fault_on_upload_is_raised(client: MiitClient, province: ProvinceServer) -> None:
    province.province.script("isp_upload", "500-fault")
    document = _document()
    with pytest.raises(SoapFault):
        client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]
    assert province.province.method_calls("isp_querypreviousupload") == []


def test_wrong_password_is_an_answer(miit_config: ProvinceServer, settings: Settings) -> None:
    settings.REGDESK_MIIT_PASSWORD = "wrong"
    client = MiitClient(miit_settings(), sleep=lambda _seconds: None)
    assert client.download().msg_code == 5


def test_closed_port_is_unreachable(settings: Settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.REGDESK_MIIT_URL = f"http://127.0.0.1:{port}/ISPWebService/upDownLoad"
    client = MiitClient(miit_settings(), sleep=lambda _seconds: None)
    document = _document()
    with pytest.raises(Unreachable):
        client.upload(packed=_packed(document), sequence=1, document=document)  # type: ignore[arg-type]


def test_unknown_method_gets_a_fault(client: MiitClient) -> None:
    with pytest.raises(SoapFault):
        client.call("isp_nosuchmethod", [])
