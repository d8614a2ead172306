"""Compression, MD5 and AES-CBC/PKCS5 of the files that travel, both ways."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regdesk.miit.codec import AesKey, EncryptAlgorithm, IntegrityError, PackedFile, pack, unpack
from regdesk.miit.codec.errors import DecodingError, UnsupportedAlgorithm
from regdesk.miit.codec.packing import md5_base64

KEY = AesKey(key=b"0123456789abcdef", iv=b"0102030405060708")
DOCUMENT = '<?xml version="1.0" encoding="GBK"?>\n<UploadData version="V.3.0"/>'.encode("gbk")


@pytest.mark.parametrize("algorithm", [EncryptAlgorithm.NONE, EncryptAlgorithm.AES])
def test_round_trip(algorithm: EncryptAlgorithm) -> None:
    packed = pack(DOCUMENT, file_name="XZBA0000000001", encrypt_algorithm=algorithm, key=KEY)
    assert packed.encrypt_algorithm == int(algorithm)
    received = unpack(packed, key=KEY)
    assert received.document == DOCUMENT
    assert received.member_name == "XZBA0000000001"


def test_hash_is_of_the_compressed_bytes_and_plain_info_is_the_zip() -> None:
    packed = pack(DOCUMENT, file_name="F1", encrypt_algorithm=EncryptAlgorithm.NONE)
    compressed = base64.b64decode(packed.beian_info)
    assert packed.beian_info_hash == md5_base64(compressed)
    with zipfile.ZipFile(io.BytesIO(compressed)) as archive:
        assert archive.namelist() == ["F1"]
        assert archive.read("F1") == DOCUMENT


def test_encrypted_info_is_not_the_zip_and_packing_is_deterministic() -> None:
    first = pack(DOCUMENT, file_name="F1", encrypt_algorithm=EncryptAlgorithm.AES, key=KEY)
    second = pack(DOCUMENT, file_name="F1", encrypt_algorithm=EncryptAlgorithm.AES, key=KEY)
    assert first == second
    assert not base64.b64decode(first.beian_info).startswith(b"PK")


def test_md5_mismatch_is_detected() -> None:
    packed = pack(DOCUMENT, file_name="F1", encrypt_algorithm=EncryptAlgorithm.AES, key=KEY)
    tampered = PackedFile(
        beian_info=packed.beian_info, beian_info_hash=md5_base64(b"something else"), encrypt_algorithm=1
    )
    with pytest.raises(IntegrityError):
        unpack(tampered, key=KEY)


def test_flipped_payload_is_detected() -> None:
    packed = pack(DOCUMENT, file_name="F1", encrypt_algorithm=EncryptAlgorithm.NONE)
    raw = bytearray(base64.b64decode(packed.beian_info))
    raw[-30] ^= 0xFF
    tampered = PackedFile(
        beian_info=base64.b64encode(bytes(raw)).decode(), beian_info_hash=packed.beian_info_hash, encrypt_algorithm=0
    )
    with pytest.raises(IntegrityError):
        unpack(tampered)


def test_wrong_key_does_not_yield_a_document() -> None:
    packed = pack(DOCUMENT, file_name="F1", encrypt_algorithm=EncryptAlgorithm.AES, key=KEY)
    other = AesKey(key=b"fedcba9876543210", iv=b"0102030405060708")
    with pytest.raises((IntegrityError, DecodingError)):
        unpack(packed, key=other)


def test_unknown_algorithms_are_refused() -> None:
    packed = pack(DOCUMENT, file_name="F1", encrypt_algorithm=EncryptAlgorithm.NONE)
    with pytest.raises(UnsupportedAlgorithm):
        unpack(PackedFile(packed.beian_info, packed.beian_info_hash, encrypt_algorithm=2))
    with pytest.raises(UnsupportedAlgorithm):
        unpack(PackedFile(packed.beian_info, packed.beian_info_hash, encrypt_algorithm=0, hash_algorithm=1))


def test_key_must_be_sixteen_bytes_and_is_never_printed() -> None:
    with pytest.raises(ValueError, match="key"):
        AesKey(key=b"short", iv=b"0102030405060708")
    assert "0123456789abcdef" not in repr(KEY)


@settings(max_examples=40)
@given(document=st.binary(max_size=4096), encrypt=st.sampled_from(list(EncryptAlgorithm)))
def test_any_bytes_survive_the_round_trip(document: bytes, encrypt: EncryptAlgorithm) -> None:
    packed = pack(document, file_name="Any1", encrypt_algorithm=encrypt, key=KEY)
    assert unpack(packed, key=KEY).document == document
