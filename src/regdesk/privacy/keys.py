"""The key ring of the personal-data vault.

The ring is a JSON file readable by the application only (mode 0600)::

    {"active": "k2", "keys": {"k1": "<base64 32 bytes>", "k2": "<base64 32 bytes>"}, "index_key": "<base64 32 bytes>"}

``keys`` are AES-256-GCM data keys; every ciphertext names the key that sealed it, so old keys stay in the ring
until ``regdesk vault rotate`` has re-encrypted everything. ``index_key`` is the separate HMAC key of the blind
indexes: it never encrypts, and rotating the data keys leaves the indexes valid.

The file comes from ``VAULT_KEYS_FILE`` (read through ``regdesk.privacy.config``); in development, when that is
unset, a ring is created on first use at ``VAULT_KEYS_DEFAULT_PATH``. Production settings refuse to start without
``VAULT_KEYS_FILE``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from regdesk.privacy import config

KEY_BYTES = 32
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
FILE_MODE = 0o600


class KeyRingError(ImproperlyConfigured):
    """The key ring is missing, unreadable or malformed. Messages never contain key material."""


@dataclass(frozen=True)
class KeyRing:
    """An immutable view of the ring file."""

    active: str
    keys: dict[str, bytes] = field(repr=False)
    index_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyRingError("the vault key ring holds no keys")
        for key_id, key in self.keys.items():
            _check_key_id(key_id)
            if len(key) != KEY_BYTES:
                raise KeyRingError(f"vault key {key_id!r} is not {KEY_BYTES} bytes long")
        if self.active not in self.keys:
            raise KeyRingError(f"the active vault key {self.active!r} is not in the ring")
        if len(self.index_key) != KEY_BYTES:
            raise KeyRingError(f"the blind-index key is not {KEY_BYTES} bytes long")
        if self.index_key in self.keys.values():
            raise KeyRingError("the blind-index key must differ from every data key")

    @property
    def active_key(self) -> bytes:
        return self.keys[self.active]

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKeyError(key_id) from None

    def to_json(self) -> str:
        document = {
            "active": self.active,
            "keys": {key_id: _b64(key) for key_id, key in self.keys.items()},
            "index_key": _b64(self.index_key),
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            document = json.loads(text)
            keys = {str(key_id): _unb64(value) for key_id, value in document["keys"].items()}
            return cls(active=str(document["active"]), keys=keys, index_key=_unb64(document["index_key"]))
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
            raise KeyRingError(f"the vault key ring is malformed ({type(error).__name__})") from None

    @classmethod
    def generate(cls, *, key_id: str = "k1") -> KeyRing:
        _check_key_id(key_id)
        return cls(
            active=key_id, keys={key_id: secrets.token_bytes(KEY_BYTES)}, index_key=secrets.token_bytes(KEY_BYTES)
        )

    def with_new_key(self, key_id: str | None = None) -> KeyRing:
        """A ring with one more data key, made active. The index key is kept."""
        new_id = key_id or next_key_id(self)
        _check_key_id(new_id)
        if new_id in self.keys:
            raise KeyRingError(f"vault key {new_id!r} already exists")
        keys = {**self.keys, new_id: secrets.token_bytes(KEY_BYTES)}
        return KeyRing(active=new_id, keys=keys, index_key=self.index_key)


class UnknownKeyError(KeyRingError):
    """A ciphertext names a key that the ring does not hold."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"vault key {key_id!r} is not in the key ring")
        self.key_id = key_id


def next_key_id(ring: KeyRing) -> str:
    """``k<n+1>`` after the highest ``k<n>`` in the ring."""
    numbers = [int(key_id[1:]) for key_id in ring.keys if re.fullmatch(r"k\d+", key_id)]
    return f"k{max(numbers, default=0) + 1}"


def _check_key_id(key_id: str) -> None:
    if not KEY_ID_PATTERN.match(key_id):
        raise KeyRingError(f"vault key id {key_id!r} must be 1-32 letters, digits, '.', '_' or '-'")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_ring_path() -> Path:
    """The configured ring file, or the development default when none is configured."""
    configured = config.vault_keys_file()
    if configured:
        return Path(configured)
    if config.production():
        raise KeyRingError("REGDESK_VAULT_KEYS_FILE is required in production")
    return config.vault_keys_default_path()


def write_key_ring(ring: KeyRing, path: Path | None = None) -> None:
    """Replace the ring file atomically: a 0600 temporary file in the same directory, synced, then renamed."""
    target = path or key_ring_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".vault-keys-", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(descriptor, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(ring.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _directory_sync(target.parent)
    _cache.forget()


def _directory_sync(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _create_development_ring(path: Path) -> None:
    """Create a fresh ring exclusively, so that two processes starting at once agree on one ring."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ring = KeyRing.generate()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(ring.to_json())
        handle.flush()
        os.fsync(handle.fileno())


class _RingCache:
    """The parsed ring, re-read when the file changes (another process may have rotated the keys)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._signature: tuple[str, int, int, int] | None = None
        self._ring: KeyRing | None = None

    def forget(self) -> None:
        with self._lock:
            self._signature = None
            self._ring = None

    def get(self) -> KeyRing:
        path = key_ring_path()
        configured = bool(config.vault_keys_file())
        try:
            status = path.stat()
        except FileNotFoundError:
            if configured:
                raise KeyRingError(f"the vault key ring file {str(path)!r} does not exist") from None
            _create_development_ring(path)
            status = path.stat()
        signature = (str(path), status.st_mtime_ns, status.st_size, status.st_ino)
        with self._lock:
            if self._ring is not None and self._signature == signature:
                return self._ring
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as error:
                raise KeyRingError(f"cannot read the vault key ring ({error.strerror})") from None
            ring = KeyRing.from_json(text)
            self._ring, self._signature = ring, signature
            return ring


_cache = _RingCache()


def load_key_ring() -> KeyRing:
    """The current ring (cached; re-read when the file changes)."""
    return _cache.get()


def forget_cached_key_ring() -> None:
    """Drop the cached ring (tests that switch ``VAULT_KEYS_FILE``)."""
    _cache.forget()
