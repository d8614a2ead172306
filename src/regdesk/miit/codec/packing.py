"""Compression, hashing and encryption of the files the interface carries (binding, "Encodings").

Upload: XML (GBK) → ZIP (one member named by the file name) → ``beianInfoHash`` = base64(MD5(zip)) → if
encrypting, AES-CBC/PKCS5 (zip) → ``beianInfo`` = base64(result). Download: the same steps backwards, and the MD5
is checked before anything is unzipped; a mismatch is an ``IntegrityError``.

MD5 is what the interface prescribes (hashAlgorithm 0); it serves as a transfer checksum here, not as security.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import io
import zipfile
from dataclasses import dataclass

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from regdesk.miit.codec.errors import DecodingError, IntegrityError, UnsupportedAlgorithm

HASH_MD5 = 0
COMPRESSION_ZIP = 0
# A fixed member timestamp: the same document always packs to the same bytes (and the same hash), so a
# document sent twice can be recognised in the province's answer to isp_querypreviousupload.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
# The largest document we agree to unzip: the interface's 50 MB plus room; guards against zip bombs.
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024


class EncryptAlgorithm(enum.IntEnum):
    """``encryptAlgorithm``: 0 plain, 1 AES in CBC mode with PKCS5 padding."""

    NONE = 0
    AES = 1


@dataclass(frozen=True)
class AesKey:
    """The key and IV agreed with the province. Binding: a 16-byte key, the IV a 16-character string."""

    key: bytes
    iv: bytes

    def __post_init__(self) -> None:
        if len(self.key) not in (16, 24, 32):
            raise ValueError("the AES key must be 16, 24 or 32 bytes")
        if len(self.iv) != 16:
            raise ValueError("the AES IV must be 16 bytes")

    def __repr__(self) -> str:  # never print key material
        return "AesKey(<hidden>)"


@dataclass(frozen=True)
class PackedFile:
    """What travels: ``beianInfo``, ``beianInfoHash`` and the three algorithm numbers."""

    beian_info: str
    beian_info_hash: str
    encrypt_algorithm: int
    hash_algorithm: int = HASH_MD5
    compression_format: int = COMPRESSION_ZIP


@dataclass(frozen=True)
class UnpackedFile:
    """A received file: the ZIP member's name and the document's bytes (GBK XML)."""

    member_name: str
    document: bytes


def md5_base64(data: bytes) -> str:
    """base64(MD5(data)): ``beianInfoHash`` and the password hash use this form."""
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode("ascii")


def compress(document: bytes, *, member_name: str) -> bytes:
    """A ZIP archive holding ``document`` as its one member ``member_name``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(member_name, date_time=ZIP_DATE_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, document)
    return buffer.getvalue()


def decompress(data: bytes) -> UnpackedFile:
    """The one file of a ZIP archive (the first, if a sender put more), within ``MAX_UNCOMPRESSED_BYTES``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members:
                raise DecodingError("zip: empty archive")
            member = members[0]
            if member.file_size > MAX_UNCOMPRESSED_BYTES:
                raise DecodingError("zip: member too large")
            with archive.open(member) as stream:
                document = stream.read(MAX_UNCOMPRESSED_BYTES + 1)
            if len(document) > MAX_UNCOMPRESSED_BYTES:
                raise DecodingError("zip: member too large")
            return UnpackedFile(member_name=member.filename, document=document)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise DecodingError("zip") from None


def aes_encrypt(data: bytes, key: AesKey) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key.key), modes.CBC(key.iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def aes_decrypt(data: bytes, key: AesKey) -> bytes:
    if len(data) % 16:
        raise DecodingError("aes: length")
    decryptor = Cipher(algorithms.AES(key.key), modes.CBC(key.iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise DecodingError("aes: padding") from None


def pack(
    document: bytes, *, file_name: str, encrypt_algorithm: EncryptAlgorithm, key: AesKey | None = None
) -> PackedFile:
    """Compress, hash and (optionally) encrypt ``document`` for ``isp_upload``."""
    compressed = compress(document, member_name=file_name)
    digest = md5_base64(compressed)
    if encrypt_algorithm == EncryptAlgorithm.AES:
        if key is None:
            raise ValueError("AES encryption needs the key agreed with the province")
        payload = aes_encrypt(compressed, key)
    elif encrypt_algorithm == EncryptAlgorithm.NONE:
        payload = compressed
    else:
        raise UnsupportedAlgorithm("encryption", int(encrypt_algorithm))
    return PackedFile(
        beian_info=base64.b64encode(payload).decode("ascii"),
        beian_info_hash=digest,
        encrypt_algorithm=int(encrypt_algorithm),
    )


def unpack(packed: PackedFile, *, key: AesKey | None = None) -> UnpackedFile:
    """Decode, decrypt, check the MD5 (``IntegrityError`` on mismatch) and unzip a received file."""
    if packed.hash_algorithm != HASH_MD5:
        raise UnsupportedAlgorithm("hash", packed.hash_algorithm)
    if packed.compression_format != COMPRESSION_ZIP:
        raise UnsupportedAlgorithm("compression", packed.compression_format)
    try:
        payload = base64.b64decode(packed.beian_info, validate=False)
        expected = base64.b64decode(packed.beian_info_hash, validate=False)
    except (binascii.Error, ValueError):
        raise DecodingError("base64") from None
    if packed.encrypt_algorithm == EncryptAlgorithm.AES:
        if key is None:
            raise DecodingError("aes: no key configured")
        compressed = aes_decrypt(payload, key)
    elif packed.encrypt_algorithm == EncryptAlgorithm.NONE:
        compressed = payload
    else:
        raise UnsupportedAlgorithm("encryption", packed.encrypt_algorithm)
    if hashlib.md5(compressed, usedforsecurity=False).digest() != expected:
        raise IntegrityError()
    return decompress(compressed)
