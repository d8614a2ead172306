"""The electronic certificate bazs.cert: round trip, tampering, wrong keys, nothing personal, key helpers."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from regdesk.filings.documents.certificate import (
    FORMAT,
    MAX_FILE_BYTES,
    CertificatePayload,
    OwnerKind,
    generate_private_key,
    issue,
    load_private_key,
    load_public_key,
    new_serial,
    private_key_to_pem,
    public_key_fingerprint,
    public_key_to_pem,
    verification_url,
    verify,
)
from regdesk.filings.documents.errors import (
    CertificateError,
    CertificateFormatError,
    CertificateKeyError,
    CertificateSignatureError,
)

SERIAL = "0f3c9a7e5b2d4c6a8e1f3b5d7c9a2e4f"


@cache
def provider_key() -> Ed25519PrivateKey:
    return generate_private_key()


def payload(**changes: object) -> CertificatePayload:
    base = CertificatePayload(
        serial=SERIAL,
        record_number="京ICP备12345678号-1",
        website_name="示例科技官方网站",
        domains=("example.com.cn", "example.cn"),
        owner_kind=OwnerKind.ORGANISATION,
        owner_name="北京示例科技有限公司",
        provider_name="示例云计算有限公司",
        issued_at=datetime(2025, 3, 4, 6, 30, tzinfo=UTC),
        verification_url=verification_url("https://beian.example.net/", SERIAL),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def individual_payload() -> CertificatePayload:
    return payload(owner_kind=OwnerKind.INDIVIDUAL, owner_name=None, website_name="张三的摄影作品展示")


@cache
def certificate() -> bytes:
    return issue(payload(), provider_key())


def _signed_document(data: bytes) -> dict[str, object]:
    block = re.search(r"BEGIN ICP FILING CERTIFICATE-----\n(.+?)\n-----END", data.decode(), re.DOTALL)
    assert block is not None
    document: dict[str, object] = json.loads(base64.b64decode(block[1].replace("\n", "")))
    return document


# Round trip and format.


def test_round_trip() -> None:
    assert verify(certificate(), provider_key().public_key()) == payload()


def test_round_trip_for_an_individual_owner() -> None:
    data = issue(individual_payload(), provider_key())
    assert verify(data, provider_key().public_key()) == individual_payload()


def test_file_is_readable_text_with_the_armoured_blocks() -> None:
    text = certificate().decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == "ICP备案电子证书 ICP filing certificate"
    assert "备案号 Record number: 京ICP备12345678号-1" in lines
    assert f"验证 Verify: https://beian.example.net/verify/{SERIAL}" in lines
    assert "-----BEGIN ICP FILING CERTIFICATE-----" in lines
    assert "-----BEGIN ED25519 SIGNATURE-----" in lines
    assert text.endswith("-----END ED25519 SIGNATURE-----\n")
    assert all(len(line) <= 64 for line in lines if re.fullmatch(r"[A-Za-z0-9+/=]+", line))


def test_payload_holds_exactly_the_documented_fields() -> None:
    document = _signed_document(certificate())
    assert document == {
        "format": FORMAT,
        "serial": SERIAL,
        "record_number": "京ICP备12345678号-1",
        "website_name": "示例科技官方网站",
        "domains": ["example.com.cn", "example.cn"],
        "owner": {"kind": "organisation", "name": "北京示例科技有限公司"},
        "provider": "示例云计算有限公司",
        "issued_at": "2025-03-04T06:30:00Z",
        "verification_url": f"https://beian.example.net/verify/{SERIAL}",
        "key_fingerprint": public_key_fingerprint(provider_key()),
    }


def test_nothing_personal_for_an_individual_owner() -> None:
    document = _signed_document(issue(individual_payload(), provider_key()))
    assert document["owner"] == {"kind": "individual"}


def test_an_individual_owners_name_is_refused() -> None:
    with pytest.raises(CertificateError) as caught:
        payload(owner_kind=OwnerKind.INDIVIDUAL, owner_name="张三")
    assert (caught.value.code, caught.value.field) == ("certificate_payload_invalid", "owner_name")
    assert "张三" not in str(caught.value)


def test_issue_time_in_another_zone_is_stored_in_utc() -> None:
    beijing = datetime(2025, 3, 4, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    data = issue(payload(issued_at=beijing), provider_key())
    assert _signed_document(data)["issued_at"] == "2025-03-04T06:30:00Z"
    assert verify(data, provider_key().public_key()).issued_at == beijing


def test_issuing_is_deterministic() -> None:
    assert issue(payload(), provider_key()) == certificate()


def test_verification_accepts_windows_line_ends_and_a_byte_order_mark() -> None:
    copied = b"\xef\xbb\xbf" + certificate().replace(b"\n", b"\r\n")
    assert verify(copied, provider_key().public_key()) == payload()


# Tampering and keys.


def test_changed_website_name_in_the_signed_block_is_detected() -> None:
    document = _signed_document(certificate())
    document["website_name"] = "另一个网站"
    forged_payload = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    original_block = re.search(rb"CERTIFICATE-----\n(.+?)\n-----END", certificate(), re.DOTALL)
    assert original_block is not None
    encoded = base64.b64encode(forged_payload).decode()
    forged_block = "\n".join(encoded[index : index + 64] for index in range(0, len(encoded), 64)).encode()
    forged = certificate().replace(original_block[1], forged_block)
    with pytest.raises(CertificateSignatureError) as caught:
        verify(forged, provider_key().public_key())
    assert caught.value.code == "certificate_signature_invalid"


def test_changed_readable_line_is_detected() -> None:
    forged = certificate().replace("京ICP备12345678号-1".encode(), "京ICP备87654321号-1".encode(), 1)
    with pytest.raises(CertificateSignatureError):
        verify(forged, provider_key().public_key())


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_changed_byte_is_detected(data: st.DataObject) -> None:
    original = certificate()
    position = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
    replacement = data.draw(st.integers(min_value=0, max_value=255).filter(lambda value: value != original[position]))
    changed = original[:position] + bytes([replacement]) + original[position + 1 :]
    with pytest.raises(CertificateError):
        verify(changed, provider_key().public_key())


def test_certificate_from_another_key_is_refused_with_that_keys_fingerprint() -> None:
    other_key = generate_private_key()
    with pytest.raises(CertificateSignatureError) as caught:
        verify(certificate(), other_key.public_key())
    assert caught.value.code == "certificate_other_key"
    assert public_key_fingerprint(provider_key()) in caught.value.message_en


def test_certificate_claiming_the_verifiers_key_but_signed_by_another_is_refused() -> None:
    impostor = issue(payload(), generate_private_key())
    document = _signed_document(impostor)
    assert document["key_fingerprint"] != public_key_fingerprint(provider_key())
    with pytest.raises(CertificateSignatureError):
        verify(impostor, provider_key().public_key())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text",
        b"\xff\xfe not utf-8",
        b"-----BEGIN ICP FILING CERTIFICATE-----\n!!!!\n-----END ICP FILING CERTIFICATE-----\n",
        b"x" * (MAX_FILE_BYTES + 1),
    ],
)
def test_malformed_files_are_refused(data: bytes) -> None:
    with pytest.raises(CertificateFormatError) as caught:
        verify(data, provider_key().public_key())
    assert caught.value.code == "certificate_malformed"


def test_missing_signature_block_is_refused() -> None:
    text = certificate().decode()
    without_signature = text[: text.index("-----BEGIN ED25519 SIGNATURE-----")].encode()
    with pytest.raises(CertificateFormatError):
        verify(without_signature, provider_key().public_key())


def test_truncated_signature_is_refused() -> None:
    text = certificate().decode()
    start = text.index("-----BEGIN ED25519 SIGNATURE-----\n") + len("-----BEGIN ED25519 SIGNATURE-----\n")
    end = text.index("\n-----END ED25519 SIGNATURE-----")
    short = base64.b64encode(b"\x00" * 32).decode()
    with pytest.raises(CertificateFormatError):
        verify((text[:start] + short + text[end:]).encode(), provider_key().public_key())


def test_signed_document_of_another_kind_is_refused() -> None:
    # A valid signature of the same key over JSON that is not a certificate.
    document = json.dumps({"format": "something-else/1"}).encode()
    signature = provider_key().sign(document)
    wrap = base64.b64encode
    data = (
        b"-----BEGIN ICP FILING CERTIFICATE-----\n" + wrap(document) + b"\n-----END ICP FILING CERTIFICATE-----\n"
        b"-----BEGIN ED25519 SIGNATURE-----\n" + wrap(signature) + b"\n-----END ED25519 SIGNATURE-----\n"
    )
    with pytest.raises(CertificateFormatError):
        verify(data, provider_key().public_key())


# Payload rules.


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"serial": "short"}, "serial"),
        ({"serial": "has spaces in it"}, "serial"),
        ({"domains": ()}, "domains"),
        ({"domains": ("example.cn", "bad domain")}, "domains[1]"),
        ({"website_name": "two\nlines"}, "website_name"),
        ({"record_number": ""}, "record_number"),
        ({"owner_name": None}, "owner_name"),
        ({"issued_at": datetime(2025, 3, 4, 6, 30)}, "issued_at"),  # noqa: DTZ001 - the naive time under test
        ({"verification_url": "https://beian.example.net/verify/another-serial"}, "verification_url"),
        ({"verification_url": f"ftp://beian.example.net/verify/{SERIAL}"}, "verification_url"),
    ],
)
def test_invalid_payloads_are_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(CertificateError) as caught:
        payload(**changes)
    assert (caught.value.code, caught.value.field) == ("certificate_payload_invalid", field)


def test_verification_url_joins_the_base_and_the_serial() -> None:
    assert verification_url("https://beian.example.net", SERIAL) == f"https://beian.example.net/verify/{SERIAL}"
    assert verification_url("https://example.net/portal/", "abcdefgh") == "https://example.net/portal/verify/abcdefgh"


def test_new_serials_are_valid_and_distinct() -> None:
    serials = {new_serial() for _ in range(50)}
    assert len(serials) == 50
    assert all(re.fullmatch(r"[0-9a-f]{32}", serial) for serial in serials)
    fresh = new_serial()
    payload(serial=fresh, verification_url=verification_url("https://beian.example.net", fresh))


# Key helpers.


def test_private_key_round_trips_through_a_pem_file(tmp_path: Path) -> None:
    path = tmp_path / "provider.pem"
    path.write_bytes(private_key_to_pem(provider_key()))
    loaded = load_private_key(path)
    assert public_key_fingerprint(loaded) == public_key_fingerprint(provider_key())
    assert verify(issue(payload(), loaded), provider_key().public_key()) == payload()


def test_encrypted_private_key_needs_its_password(tmp_path: Path) -> None:
    path = tmp_path / "provider.pem"
    path.write_bytes(private_key_to_pem(provider_key(), password=b"correct horse"))
    assert b"ENCRYPTED" in path.read_bytes()
    assert public_key_fingerprint(load_private_key(path, password=b"correct horse")) == public_key_fingerprint(
        provider_key()
    )
    for wrong in (None, b"wrong"):
        with pytest.raises(CertificateKeyError) as caught:
            load_private_key(path, password=wrong)
        assert caught.value.code == "certificate_key_invalid"


def test_public_key_round_trips_through_a_pem_file(tmp_path: Path) -> None:
    path = tmp_path / "provider.pub.pem"
    path.write_bytes(public_key_to_pem(provider_key().public_key()))
    assert verify(certificate(), load_public_key(path)) == payload()


def test_keys_of_another_type_are_refused(tmp_path: Path) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    private_path, public_path = tmp_path / "ec.pem", tmp_path / "ec.pub.pem"
    private_path.write_bytes(
        other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public_path.write_bytes(
        other.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    for load, path in ((load_private_key, private_path), (load_public_key, public_path)):
        with pytest.raises(CertificateKeyError) as caught:
            load(path)
        assert "Ed25519" in caught.value.message_en


def test_missing_or_garbled_key_files_are_refused(tmp_path: Path) -> None:
    garbled = tmp_path / "garbled.pem"
    garbled.write_text("-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n")
    for path in (tmp_path / "absent.pem", garbled):
        with pytest.raises(CertificateKeyError):
            load_private_key(path)
        with pytest.raises(CertificateKeyError):
            load_public_key(path)


def test_fingerprint_is_the_sha256_of_the_raw_public_key() -> None:
    fingerprint = public_key_fingerprint(provider_key())
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", fingerprint)
    assert public_key_fingerprint(provider_key().public_key()) == fingerprint
    assert public_key_fingerprint(generate_private_key()) != fingerprint
