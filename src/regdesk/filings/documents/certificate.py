"""The electronic certificate of a filed website (备案电子证书, `bazs.cert`), signed with the provider's Ed25519 key.

The owner puts the file in the website's root directory beside the homepage; anyone can check it with the
provider's public key or on the public verification page it links to. It carries nothing personal: the record
number, the website's name and domains, the provider, the time of issue, the certificate's serial and the link, and
the owner's name only when the owner is an organisation (an organisation's name is public in the MIIT register; an
individual's name is personal data and is left out).

The file is UTF-8 text, lines ending in LF:

    ICP备案电子证书 ICP filing certificate
    备案号 Record number: 京ICP备12345678号-1
    网站 Website: 示例科技官方网站
    域名 Domains: example.com.cn, example.cn
    验证 Verify: https://beian.example.net/verify/0f3c…
    <blank line>
    -----BEGIN ICP FILING CERTIFICATE-----
    base64 of the payload, 64 characters a line
    -----END ICP FILING CERTIFICATE-----
    -----BEGIN ED25519 SIGNATURE-----
    base64 of the 64-byte Ed25519 signature of the payload bytes
    -----END ED25519 SIGNATURE-----

The payload is JSON in UTF-8 with sorted keys and no spaces: `format` ("regdesk-icp-certificate/1", which also keeps
a signature over another kind of document from passing as a certificate), `serial`, `record_number`,
`website_name`, `domains` (a list), `owner` ({"kind": "organisation", "name": ...} or {"kind": "individual"}),
`provider`, `issued_at` (UTC, ISO 8601 with a Z), `verification_url` (`<base>/verify/<serial>`) and
`key_fingerprint` (of the signing key, so that a verifier holding several keys after a rotation picks the right
one). The readable lines above the armour are derived from the payload: `verify` rebuilds the whole file from the
signed payload and refuses a file that differs, so no byte of it can be changed unnoticed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from regdesk.filings.documents.errors import (
    CertificateError,
    CertificateFormatError,
    CertificateKeyError,
    CertificateSignatureError,
)

FORMAT = "regdesk-icp-certificate/1"
FILE_NAME = "bazs.cert"
CONTENT_TYPE = "application/x-icp-certificate; charset=utf-8"

_PAYLOAD_LABEL = "ICP FILING CERTIFICATE"
_SIGNATURE_LABEL = "ED25519 SIGNATURE"
_ARMOUR = re.compile(
    rf"-----BEGIN {_PAYLOAD_LABEL}-----\n(?P<payload>[A-Za-z0-9+/=\n]+?)\n-----END {_PAYLOAD_LABEL}-----\n"
    rf"-----BEGIN {_SIGNATURE_LABEL}-----\n(?P<signature>[A-Za-z0-9+/=\n]+?)\n-----END {_SIGNATURE_LABEL}-----\n?\Z"
)
_LINE_LENGTH = 64
# A certificate is a few hundred bytes; anything far larger is not one, and is refused before any parsing.
MAX_FILE_BYTES = 64 * 1024
_SERIAL = re.compile(r"[A-Za-z0-9_-]{8,64}")


class OwnerKind(StrEnum):
    """Whether the owner's name may appear: an organisation's is public, an individual's is personal data."""

    ORGANISATION = "organisation"
    INDIVIDUAL = "individual"


@dataclass(frozen=True)
class CertificatePayload:
    """What the certificate states. `owner_name` is set for an organisation and must be None for an individual."""

    serial: str
    record_number: str
    website_name: str
    domains: tuple[str, ...]
    owner_kind: OwnerKind
    owner_name: str | None
    provider_name: str
    issued_at: datetime
    verification_url: str

    def __post_init__(self) -> None:
        if not _SERIAL.fullmatch(self.serial):
            _invalid("serial", "应为8至64个字母、数字、“-”或“_”", "8 to 64 letters, digits, '-' or '_'")
        for field, value in (
            ("record_number", self.record_number),
            ("website_name", self.website_name),
            ("provider_name", self.provider_name),
        ):
            _single_line(field, value)
        if not self.domains:
            _invalid("domains", "至少需要一个域名", "at least one domain is needed")
        for index, domain in enumerate(self.domains):
            if not domain or any(character.isspace() for character in domain):
                _invalid(f"domains[{index}]", "不能为空或含有空白", "must not be empty or contain spaces")
        if self.owner_kind is OwnerKind.INDIVIDUAL and self.owner_name is not None:
            _invalid(
                "owner_name",
                "个人主办者的姓名属于个人信息，不写入证书",
                "an individual owner's name is personal data and stays out of the certificate",
            )
        if self.owner_kind is OwnerKind.ORGANISATION:
            _single_line("owner_name", self.owner_name or "")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            _invalid("issued_at", "应为带时区的时间", "it must be a timezone-aware time")
        if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?/verify/" + re.escape(self.serial), self.verification_url):
            _invalid(
                "verification_url",
                "应为“<网址>/verify/<证书序列号>”",
                "it must be <base address>/verify/<serial>",
            )


def _invalid(field: str, reason_zh: str, reason_en: str) -> None:
    raise CertificateError("certificate_payload_invalid", field=field, reason_zh=reason_zh, reason_en=reason_en)


def _single_line(field: str, value: str) -> None:
    if not value.strip() or "\n" in value or "\r" in value:
        _invalid(field, "不能为空或含有换行", "must not be empty or span several lines")


def new_serial() -> str:
    """A fresh certificate serial: 128 random bits, so that serials cannot be guessed from one another."""
    return secrets.token_hex(16)


def verification_url(base_url: str, serial: str) -> str:
    """The public verification page of the certificate with `serial`, under the portal's public address."""
    return f"{base_url.rstrip('/')}/verify/{serial}"


# Keys.


def generate_private_key() -> Ed25519PrivateKey:
    """A new Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def private_key_to_pem(key: Ed25519PrivateKey, *, password: bytes | None = None) -> bytes:
    """The key as PKCS #8 PEM, encrypted with `password` when one is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def public_key_to_pem(key: Ed25519PublicKey) -> bytes:
    """The public key as SubjectPublicKeyInfo PEM, to publish beside the verification page."""
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(path: str | os.PathLike[str], *, password: bytes | None = None) -> Ed25519PrivateKey:
    """Read an Ed25519 private key from a PEM file; raise `CertificateKeyError` when it is missing or unusable."""
    pem = _read_key_file(path)
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        # Raised for a file that is not a PEM private key and for a wrong or missing password alike.
        raise CertificateKeyError(
            "certificate_key_invalid",
            reason_zh="不是可读取的PEM私钥，或密码不正确",
            reason_en="not a readable PEM private key, or a wrong password",
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise CertificateKeyError(
            "certificate_key_invalid", reason_zh="不是Ed25519密钥", reason_en="not an Ed25519 key"
        )
    return key


def load_public_key(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    """Read an Ed25519 public key from a PEM file; raise `CertificateKeyError` when it is missing or unusable."""
    pem = _read_key_file(path)
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise CertificateKeyError(
            "certificate_key_invalid", reason_zh="不是可读取的PEM公钥", reason_en="not a readable PEM public key"
        ) from error
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateKeyError(
            "certificate_key_invalid", reason_zh="不是Ed25519密钥", reason_en="not an Ed25519 key"
        )
    return key


def _read_key_file(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CertificateKeyError(
            "certificate_key_invalid", reason_zh="无法读取密钥文件", reason_en="the key file cannot be read"
        ) from error


def public_key_fingerprint(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """`sha256:` and the hexadecimal SHA-256 of the raw 32-byte public key."""
    public_key = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


# Issue and verify.


def issue(payload: CertificatePayload, private_key: Ed25519PrivateKey) -> bytes:
    """The certificate file for `payload`, signed with `private_key` (deterministic: Ed25519 needs no randomness)."""
    payload_bytes = _payload_bytes(payload, public_key_fingerprint(private_key))
    return _file(payload, payload_bytes, private_key.sign(payload_bytes))


def verify(data: bytes, public_key: Ed25519PublicKey) -> CertificatePayload:
    """The payload of a certificate file signed with the private half of `public_key`.

    Raises `CertificateFormatError` for a file not in the format, `CertificateSignatureError` for a signature that
    does not verify (an altered file, or one signed with another key: code `certificate_other_key`).
    """
    text = _text(data)
    match = _ARMOUR.search(text)
    if match is None:
        raise _malformed("缺少证书或签名块", "the certificate or signature block is missing")
    payload_bytes = _base64(match["payload"])
    signature = _base64(match["signature"])
    if len(signature) != 64:
        raise _malformed("签名长度不正确", "the signature has the wrong length")
    try:
        public_key.verify(signature, payload_bytes)
    except InvalidSignature as error:
        claimed = _claimed_fingerprint(payload_bytes)
        if claimed is not None and claimed != public_key_fingerprint(public_key):
            raise CertificateSignatureError("certificate_other_key", fingerprint=claimed) from error
        raise CertificateSignatureError("certificate_signature_invalid") from error
    payload = _parse_payload(payload_bytes)
    # The readable lines and the layout are not signed as such: the file must be exactly the one issued.
    if _file(payload, payload_bytes, signature).decode() != text.rstrip("\n") + "\n":
        raise CertificateSignatureError("certificate_signature_invalid")
    return payload


def _payload_bytes(payload: CertificatePayload, fingerprint: str) -> bytes:
    owner: dict[str, str] = {"kind": payload.owner_kind.value}
    if payload.owner_kind is OwnerKind.ORGANISATION and payload.owner_name is not None:
        owner["name"] = payload.owner_name
    document = {
        "format": FORMAT,
        "serial": payload.serial,
        "record_number": payload.record_number,
        "website_name": payload.website_name,
        "domains": list(payload.domains),
        "owner": owner,
        "provider": payload.provider_name,
        "issued_at": payload.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verification_url": payload.verification_url,
        "key_fingerprint": fingerprint,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _file(payload: CertificatePayload, payload_bytes: bytes, signature: bytes) -> bytes:
    readable = [
        "ICP备案电子证书 ICP filing certificate",
        f"备案号 Record number: {payload.record_number}",
        f"网站 Website: {payload.website_name}",
        f"域名 Domains: {', '.join(payload.domains)}",
        f"验证 Verify: {payload.verification_url}",
        "",
    ]
    lines = [
        *readable,
        f"-----BEGIN {_PAYLOAD_LABEL}-----",
        *_wrapped(payload_bytes),
        f"-----END {_PAYLOAD_LABEL}-----",
        f"-----BEGIN {_SIGNATURE_LABEL}-----",
        *_wrapped(signature),
        f"-----END {_SIGNATURE_LABEL}-----",
    ]
    return ("\n".join(lines) + "\n").encode()


def _wrapped(data: bytes) -> list[str]:
    encoded = base64.b64encode(data).decode("ascii")
    return [encoded[start : start + _LINE_LENGTH] for start in range(0, len(encoded), _LINE_LENGTH)]


def _text(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise _malformed("文件过大", "the file is too large")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _malformed("不是UTF-8文本", "it is not UTF-8 text") from error
    # A file copied through Windows tools may have gained CR LF line ends and a byte-order mark; neither is content.
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _base64(block: str) -> bytes:
    try:
        return base64.b64decode(block.replace("\n", ""), validate=True)
    except binascii.Error as error:
        raise _malformed("base64编码不正确", "the base64 encoding is broken") from error


def _claimed_fingerprint(payload_bytes: bytes) -> str | None:
    """The signing key the (unverified) payload names, only to tell "another key" from "altered" in the error."""
    try:
        claimed = json.loads(payload_bytes).get("key_fingerprint")
    except (ValueError, AttributeError):
        return None
    return claimed if isinstance(claimed, str) and re.fullmatch(r"sha256:[0-9a-f]{64}", claimed) else None


def _parse_payload(payload_bytes: bytes) -> CertificatePayload:
    try:
        document: Any = json.loads(payload_bytes)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise _malformed("不是本格式的证书", f"not a {FORMAT} certificate")
        owner = document["owner"]
        return CertificatePayload(
            serial=_string(document["serial"]),
            record_number=_string(document["record_number"]),
            website_name=_string(document["website_name"]),
            domains=tuple(_string(domain) for domain in document["domains"]),
            owner_kind=OwnerKind(owner["kind"]),
            owner_name=_string(owner["name"]) if "name" in owner else None,
            provider_name=_string(document["provider"]),
            issued_at=datetime.strptime(_string(document["issued_at"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
            verification_url=_string(document["verification_url"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise _malformed(
            "证书内容不完整或格式不正确", "the certificate's content is incomplete or malformed"
        ) from error


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _malformed(reason_zh: str, reason_en: str) -> CertificateFormatError:
    return CertificateFormatError("certificate_malformed", reason_zh=reason_zh, reason_en=reason_en)
