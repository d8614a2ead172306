"""Device signatures of ID-card readers: the signed reading format, shared by the server and ``regdesk reader-sim``.

Pure Python over ``cryptography`` (no Django), so the reader simulator can use it without a database.

A signed reading is a JSON object::

    {"format": "regdesk-reader/1", "reading": {...}, "signature": "<base64 Ed25519 signature>"}

``reading`` holds the card's data (``name``, ``sex``, ``ethnicity``, ``birth_date``, ``address``, ``id_number``,
``issuing_authority``, ``valid_from``, ``valid_until`` ("long_term" for 长期), ``photo`` (base64 JPEG)) and the
device's own fields (``device_id``, ``read_at`` (ISO 8601 with offset), ``nonce`` (random hex)). The signature covers
the canonical form of ``reading``: JSON with sorted keys, no spaces, UTF-8, non-ASCII characters as they are.
The device id is derived from the public key, so a reading names the key that must verify it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "regdesk-reader/1"
DEVICE_PREFIX = "rd-"
PUBLIC_KEY_BYTES = 32
CARD_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "address",
    "id_number",
    "issuing_authority",
    "valid_from",
    "valid_until",
    "photo",
)
DEVICE_FIELDS = ("device_id", "read_at", "nonce")
READING_FIELDS = CARD_FIELDS + DEVICE_FIELDS
LONG_TERM = "long_term"


class ReadingFormatError(ValueError):
    """A signed reading is not in the expected shape; ``field`` names the part that is wrong."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """The raw 32-byte public key in base64, as it is enrolled."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """The public key from its base64 text; ``ValueError`` when it is not 32 bytes of base64."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the public key is not base64") from None
    if len(raw) != PUBLIC_KEY_BYTES:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def device_id_for(public_key_base64: str) -> str:
    """``rd-`` and the first 16 hex digits of the SHA-256 of the raw public key."""
    raw = base64.b64decode(public_key_base64.strip(), validate=True)
    return DEVICE_PREFIX + hashlib.sha256(raw).hexdigest()[:16]


def canonical(reading: Mapping[str, Any]) -> bytes:
    """The bytes that are signed."""
    return json.dumps(dict(reading), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_reading(reading: Mapping[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed reading document of a reader."""
    signature = private_key.sign(canonical(reading))
    return {"format": FORMAT, "reading": dict(reading), "signature": base64.b64encode(signature).decode("ascii")}


def parse_signed_reading(document: Any) -> tuple[dict[str, str], bytes]:
    """The reading and its signature, after checking the shape; ``ReadingFormatError`` names what is wrong.

    Every field must be a string; unknown fields are refused, so nothing unsigned can ride along.
    """
    if not isinstance(document, Mapping):
        raise ReadingFormatError("document")
    if document.get("format") != FORMAT:
        raise ReadingFormatError("format")
    reading = document.get("reading")
    if not isinstance(reading, Mapping):
        raise ReadingFormatError("reading")
    unknown = set(reading) - set(READING_FIELDS)
    if unknown:
        raise ReadingFormatError(sorted(unknown)[0])
    for name in READING_FIELDS:
        value = reading.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ReadingFormatError(name)
    signature_text = document.get("signature")
    if not isinstance(signature_text, str):
        raise ReadingFormatError("signature")
    try:
        signature = base64.b64decode(signature_text, validate=True)
    except (binascii.Error, ValueError):
        raise ReadingFormatError("signature") from None
    return {name: str(reading[name]) for name in READING_FIELDS}, signature


def signature_valid(reading: Mapping[str, Any], signature: bytes, public_key_base64: str) -> bool:
    """Whether ``signature`` is the enrolled key's signature of ``reading``."""
    try:
        load_public_key(public_key_base64).verify(signature, canonical(reading))
    except (InvalidSignature, ValueError):
        return False
    return True


def signed_digest(reading: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical reading, kept as evidence of what was verified."""
    return hashlib.sha256(canonical(reading)).hexdigest()
