"""The vault's encryption and blind indexes, and its key ring file."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from regdesk.privacy import crypto, keys


def test_round_trip_and_key_id_in_blob(ring_file: Path) -> None:
    blob = crypto.encrypt_bytes(b"11010519491231002X", associated_data=b"resident_id")
    assert blob[0] == crypto.FORMAT_VERSION
    assert crypto.blob_key_id(blob) == "k1"
    assert b"11010519491231002X" not in blob
    assert crypto.decrypt_bytes(blob, associated_data=b"resident_id") == b"11010519491231002X"


def test_nonce_is_fresh_each_time(ring_file: Path) -> None:
    first = crypto.encrypt_text("13800138000", associated_data=b"phone")
    second = crypto.encrypt_text("13800138000", associated_data=b"phone")
    assert first != second
    assert crypto.decrypt_text(first, associated_data=b"phone") == "13800138000"


def test_wrong_associated_data_fails(ring_file: Path) -> None:
    blob = crypto.encrypt_bytes(b"secret", associated_data=b"phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(blob, associated_data=b"resident_id")


def test_tampered_blob_fails(ring_file: Path) -> None:
    blob = bytearray(crypto.encrypt_bytes(b"secret", associated_data=b"phone"))
    blob[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(bytes(blob), associated_data=b"phone")


def test_relabelled_key_id_fails(ring_file: Path) -> None:
    ring = keys.load_key_ring().with_new_key("k2")
    keys.write_key_ring(ring, ring_file)
    blob = crypto.encrypt_bytes(b"secret", associated_data=b"phone")
    assert crypto.blob_key_id(blob) == "k2"
    relabelled = blob.replace(b"k2", b"k1", 1)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(relabelled, associated_data=b"phone")


def test_old_key_still_decrypts_after_rotation(ring_file: Path) -> None:
    old = crypto.encrypt_text("张三", associated_data=b"name")
    keys.write_key_ring(keys.load_key_ring().with_new_key(), ring_file)
    assert keys.load_key_ring().active == "k2"
    assert crypto.text_key_id(old) == "k1"
    assert crypto.decrypt_text(old, associated_data=b"name") == "张三"
    assert crypto.text_key_id(crypto.encrypt_text("张三", associated_data=b"name")) == "k2"


def test_unknown_key_fails(ring_file: Path, tmp_path: Path) -> None:
    blob = crypto.encrypt_bytes(b"secret", associated_data=b"phone")
    other = tmp_path / "other.json"
    keys.write_key_ring(keys.KeyRing.generate(key_id="x9"), other)
    with override_settings(VAULT_KEYS_FILE=str(other)), pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(blob, associated_data=b"phone")


@pytest.mark.parametrize("blob", [b"", b"\x02abc", b"\x01\x00" + b"x" * 40, b"\x01\x05k1"])
def test_malformed_blob_fails(ring_file: Path, blob: bytes) -> None:
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(blob, associated_data=b"")


def test_decrypt_text_rejects_non_base64(ring_file: Path) -> None:
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text("not base64!", associated_data=b"")


def test_blind_index_normalises_and_separates_domains(ring_file: Path) -> None:
    upper = crypto.blind_index("11010519491231002X", domain="resident_id")
    assert crypto.blind_index(" 110105 19491231002x ", domain="resident_id") == upper
    assert len(upper) == 64
    assert int(upper, 16) >= 0
    assert crypto.blind_index("11010519491231002X", domain="phone") != upper


def test_blind_index_uses_its_own_key(ring_file: Path) -> None:
    before = crypto.blind_index("13800138000", domain="phone")
    keys.write_key_ring(keys.load_key_ring().with_new_key(), ring_file)
    # Rotating the data keys leaves the index key, and so every stored index, unchanged.
    assert crypto.blind_index("13800138000", domain="phone") == before
    ring = keys.load_key_ring()
    assert ring.index_key not in ring.keys.values()


@given(st.text(max_size=200), st.binary(max_size=40))
def test_round_trip_property(value: str, associated: bytes) -> None:
    ring = keys.KeyRing.generate()
    token = crypto.encrypt_text(value, associated_data=associated, ring=ring)
    assert crypto.decrypt_text(token, associated_data=associated, ring=ring) == value


def test_development_ring_created_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "var" / "vault-keys.json"
    with override_settings(VAULT_KEYS_FILE="", VAULT_KEYS_DEFAULT_PATH=path):
        keys.forget_cached_key_ring()
        ring = keys.load_key_ring()
    keys.forget_cached_key_ring()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["active"] == ring.active
    assert len(base64.b64decode(document["keys"][ring.active])) == 32
    assert len(base64.b64decode(document["index_key"])) == 32


def test_configured_missing_file_is_an_error(tmp_path: Path) -> None:
    with override_settings(VAULT_KEYS_FILE=str(tmp_path / "missing.json")):
        keys.forget_cached_key_ring()
        with pytest.raises(keys.KeyRingError):
            keys.load_key_ring()
    keys.forget_cached_key_ring()


def test_rewrite_keeps_mode_0600(ring_file: Path) -> None:
    ring_file.chmod(0o644)
    keys.write_key_ring(keys.load_key_ring().with_new_key("k7"), ring_file)
    assert stat.S_IMODE(ring_file.stat().st_mode) == 0o600
    assert keys.load_key_ring().active == "k7"
    assert keys.next_key_id(keys.load_key_ring()) == "k8"


@pytest.mark.parametrize(
    "text",
    ["{}", "not json", '{"active": "k1", "keys": {"k1": "c2hvcnQ="}, "index_key": "c2hvcnQ="}'],
)
def test_malformed_ring_is_an_error(text: str) -> None:
    with pytest.raises(keys.KeyRingError):
        keys.KeyRing.from_json(text)
