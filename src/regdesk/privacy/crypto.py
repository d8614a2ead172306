"""Encryption of personal data at rest (AES-256-GCM) and blind indexes (HMAC-SHA256).

A sealed blob is::

    version (1 byte, 0x01) | key id length (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext + tag (16 bytes)

The header (version and key id) is authenticated together with the caller's ``associated_data`` — for model fields
the data-dictionary key — so a ciphertext copied from one kind of field to another, or re-labelled with another
key id, fails to decrypt instead of yielding a value in the wrong place.

Error messages never contain plain values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from regdesk.privacy.keys import KeyRing, load_key_ring

FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16


class VaultError(Exception):
    """Base of the vault's errors."""


class DecryptionError(VaultError):
    """A blob is malformed, names an unknown key, or fails authentication (tampered or wrong associated data)."""


def _header(key_id: str) -> bytes:
    encoded = key_id.encode("ascii")
    return bytes([FORMAT_VERSION, len(encoded)]) + encoded


def encrypt_bytes(data: bytes, *, associated_data: bytes, ring: KeyRing | None = None) -> bytes:
    """Seal ``data`` with the active key of the ring and a fresh random 96-bit nonce."""
    ring = ring or load_key_ring()
    header = _header(ring.active)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(ring.active_key).encrypt(nonce, data, header + associated_data)
    return header + nonce + sealed


def parse_blob(blob: bytes) -> tuple[str, bytes, bytes, bytes]:
    """Split a blob into (key id, header, nonce, ciphertext with tag); raise ``DecryptionError`` when malformed."""
    if len(blob) < 2 or blob[0] != FORMAT_VERSION:
        raise DecryptionError("unsupported vault blob version")
    key_id_length = blob[1]
    header_length = 2 + key_id_length
    if key_id_length == 0 or len(blob) < header_length + NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("truncated vault blob")
    try:
        key_id = blob[2:header_length].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("malformed vault key id") from None
    nonce = blob[header_length : header_length + NONCE_BYTES]
    return key_id, blob[:header_length], nonce, blob[header_length + NONCE_BYTES :]


def blob_key_id(blob: bytes) -> str:
    """The identifier of the key that sealed ``blob``."""
    return parse_blob(blob)[0]


def decrypt_bytes(blob: bytes, *, associated_data: bytes, ring: KeyRing | None = None) -> bytes:
    """Open a blob made by ``encrypt_bytes`` with the key it names."""
    key_id, header, nonce, sealed = parse_blob(blob)
    ring = ring or load_key_ring()
    if key_id not in ring.keys:
        raise DecryptionError(f"vault key {key_id!r} is not in the key ring")
    try:
        return AESGCM(ring.keys[key_id]).decrypt(nonce, sealed, header + associated_data)
    except InvalidTag:
        raise DecryptionError("vault blob failed authentication") from None


def encrypt_text(value: str, *, associated_data: bytes, ring: KeyRing | None = None) -> str:
    """Seal a string; the result is standard base64 text, safe for a text column."""
    blob = encrypt_bytes(value.encode("utf-8"), associated_data=associated_data, ring=ring)
    return base64.b64encode(blob).decode("ascii")


def text_to_blob(token: str) -> bytes:
    try:
        return base64.b64decode(token.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise DecryptionError("vault text is not base64") from None


def decrypt_text(token: str, *, associated_data: bytes, ring: KeyRing | None = None) -> str:
    """Open a string sealed by ``encrypt_text``."""
    plain = decrypt_bytes(text_to_blob(token), associated_data=associated_data, ring=ring)
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError("vault plain text is not UTF-8") from None


def text_key_id(token: str) -> str:
    """The identifier of the key that sealed a text made by ``encrypt_text``."""
    return blob_key_id(text_to_blob(token))


def normalise_for_index(value: str) -> str:
    """The form that is indexed: every whitespace character removed, upper case (``11010519491231002x`` ->
    ``11010519491231002X``; ``138 0013 8000`` -> ``13800138000``)."""
    return "".join(value.split()).upper()


def blind_index(value: str, *, domain: str, ring: KeyRing | None = None) -> str:
    """HMAC-SHA256 of the normalised value under the separate index key, as 64 hex digits.

    ``domain`` ("resident_id", "phone", ...) separates indexes of different kinds: the same digits indexed as
    a phone number and as an ID number give unrelated results.
    """
    if not domain:
        raise ValueError("blind_index needs a domain")
    ring = ring or load_key_ring()
    message = domain.encode("utf-8") + b"\x00" + normalise_for_index(value).encode("utf-8")
    return hmac.new(ring.index_key, message, hashlib.sha256).hexdigest()
