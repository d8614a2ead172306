"""The byte handling of the interface: password hash, ZIP, MD5, AES-CBC with PKCS5 padding, base64.

Upload (specification 3-3-1, binding "Encodings"): XML (GBK) → ZIP with one member → ``beianInfoHash`` =
base64(MD5(zip)) → AES-CBC(zip) when ``encryptAlgorithm`` is 1 → ``beianInfo`` = base64(...). A download applies
the same steps. Each failure raises ``PackagingError`` carrying the specification's ``msg_code``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import re
import zipfile
from dataclasses import dataclass

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from regdesk.simulators.province import codes

MAX_XML_BYTES = 50 * 1024 * 1024  # specification 3-3-1: one file of at most 50 MB
MAX_FILE_NAME_BYTES = 128  # specification 3-3-1: the file name is at most 128 bytes
# Specification 3-3-1: the file name uses English letters or digits; ".xml" is allowed as its extension.
_FILE_NAME = re.compile(r"[A-Za-z0-9]+(\.[Xx][Mm][Ll])?")


class PackagingError(Exception):
    """The transport form of a document is wrong; ``code`` is the msg_code to answer with."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def password_hash(password: str, random_value: str) -> str:
    """``pwdHash`` = base64(MD5(GBK(password + randVal))) (specification 3-3-1; base64 per the binding)."""
    digest = hashlib.md5((password + random_value).encode("gbk"), usedforsecurity=False).digest()
    return base64.b64encode(digest).decode("ascii")


def password_hash_matches(password: str, random_value: str, offered: str) -> bool:
    try:
        expected = password_hash(password, random_value)
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected.encode("ascii"), offered.strip().encode("ascii", "replace"))


def md5_base64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode("ascii")


def aes_encrypt(data: bytes, key: bytes, iv: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()  # PKCS5Padding in Java's naming is PKCS#7 on 16-byte blocks
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def aes_decrypt(data: bytes, key: bytes, iv: bytes) -> bytes:
    if not data or len(data) % 16:
        raise PackagingError(codes.DECRYPTION_FAILED, "密文长度不是AES分组长度的整数倍")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as error:
        raise PackagingError(codes.DECRYPTION_FAILED, "解密后的填充无效（密钥或偏移量不符）") from error


def zip_one(file_name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(file_name, content)
    return buffer.getvalue()


def unzip_one(data: bytes) -> tuple[str, bytes]:
    """The single member of a ZIP archive: (file name, content), refusing archives the specification refuses."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise PackagingError(codes.DECOMPRESSION_FAILED, "数据不是ZIP格式") from error
    with archive:
        members = archive.infolist()
        if len(members) != 1 or members[0].is_dir():
            raise PackagingError(
                codes.FILE_COUNT_WRONG, f"{codes.MESSAGE_CODES[codes.FILE_COUNT_WRONG]}（收到{len(members)}个）"
            )
        member = members[0]
        if member.file_size > MAX_XML_BYTES:
            raise PackagingError(codes.FILE_TOO_LARGE, codes.MESSAGE_CODES[codes.FILE_TOO_LARGE])
        try:
            with archive.open(member) as stream:
                # Read one byte beyond the limit: a member whose header lies about its size is caught too.
                content = stream.read(MAX_XML_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise PackagingError(codes.DECOMPRESSION_FAILED, f"解压缩失败：{error}") from error
        if len(content) > MAX_XML_BYTES:
            raise PackagingError(codes.FILE_TOO_LARGE, codes.MESSAGE_CODES[codes.FILE_TOO_LARGE])
        return member.filename, content


def file_name_problem(file_name: str) -> str | None:
    if not file_name:
        return "数据文件名不能为空"
    if len(file_name.encode("utf-8")) > MAX_FILE_NAME_BYTES:
        return "数据文件名长度不能超过128个字节"
    if not _FILE_NAME.fullmatch(file_name):
        return "数据文件名必须使用英文字母或数字"
    return None


def decode_base64(text: str, code: int, what: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise PackagingError(code, f"{what}不是有效的Base64编码") from error


@dataclass(frozen=True)
class Packed:
    """A document in its transport form."""

    beian_info: str
    beian_info_hash: str
    encrypt_algorithm: int


def pack(file_name: str, xml: bytes, *, encrypt: bool, key: bytes, iv: bytes) -> Packed:
    """Compress, hash and (optionally) encrypt a document for a download answer."""
    compressed = zip_one(file_name, xml)
    payload = aes_encrypt(compressed, key, iv) if encrypt else compressed
    return Packed(
        beian_info=base64.b64encode(payload).decode("ascii"),
        beian_info_hash=md5_base64(compressed),
        encrypt_algorithm=1 if encrypt else 0,
    )


def unpack(
    beian_info: str, beian_info_hash: str, *, encrypt_algorithm: int, key: bytes, iv: bytes
) -> tuple[str, bytes]:
    """Reverse ``pack`` for an upload: (file name, XML bytes), checking the hash of the compressed bytes."""
    unreadable = codes.DECRYPTION_FAILED if encrypt_algorithm == 1 else codes.DECOMPRESSION_FAILED
    payload = decode_base64(beian_info, unreadable, "beianInfo")
    compressed = aes_decrypt(payload, key, iv) if encrypt_algorithm == 1 else payload
    expected = decode_base64(beian_info_hash, codes.HASH_MISMATCH, "beianInfoHash")
    actual = hashlib.md5(compressed, usedforsecurity=False).digest()
    if not hmac.compare_digest(expected, actual):
        raise PackagingError(codes.HASH_MISMATCH, codes.MESSAGE_CODES[codes.HASH_MISMATCH])
    return unzip_one(compressed)
