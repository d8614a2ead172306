"""The key that signs the audit trail's checkpoints (HMAC-SHA256), kept outside the database.

The key file holds 32 random bytes in base64 on one line and is readable by the application only (mode 0600). It
comes from ``REGDESK_AUDIT_CHECKPOINT_KEY_FILE`` (read through ``regdesk.audit.config``); in development, when that
is unset, a key is created on first use at ``REGDESK_AUDIT_CHECKPOINT_KEY_DEFAULT_PATH``. Production settings refuse
to start without the setting, and this module refuses a key file that others may read.

Whoever holds this key can sign checkpoints, so it must not sit where the database's administrators can read it:
that is the point of keeping it out of the database.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from regdesk.audit import config

KEY_BYTES = 32
FILE_MODE = 0o600
# Binds a signature to its use: the same key could never sign something else that reads alike.
SIGNATURE_CONTEXT = "regdesk audit checkpoint v1"


class CheckpointKeyError(ImproperlyConfigured):
    """The checkpoint key is missing, unreadable, readable by others or malformed. Never contains key material."""


def checkpoint_key_path() -> Path:
    """The configured key file, or the development default when none is configured."""
    configured = config.checkpoint_key_file()
    if configured:
        return Path(configured)
    if config.production():
        raise CheckpointKeyError("REGDESK_AUDIT_CHECKPOINT_KEY_FILE is required in production")
    return config.checkpoint_key_default_path()


def _create_development_key(path: Path) -> None:
    """Create a fresh key, written in full before it appears under its name: processes starting at once (parallel
    tests, the runner's children) never read a half-written key, and agree on the first one linked into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".audit-checkpoint-key-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(descriptor, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def load_checkpoint_key() -> bytes:
    """The key, read from its file each time (verification reads it once; rotation needs no restart)."""
    path = checkpoint_key_path()
    if not path.exists():
        if config.checkpoint_key_file():
            raise CheckpointKeyError(f"the audit checkpoint key file {str(path)!r} does not exist")
        _create_development_key(path)
    try:
        status = path.stat()
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not base64 text"
        raise CheckpointKeyError(f"cannot read the audit checkpoint key file ({reason})") from None
    if config.production() and stat.S_IMODE(status.st_mode) & 0o077:
        raise CheckpointKeyError(
            f"the audit checkpoint key file {str(path)!r} must be readable by its owner only (chmod 600)"
        )
    try:
        key = base64.b64decode(text.strip().encode("ascii"), validate=True)
    except (ValueError, binascii.Error):
        raise CheckpointKeyError("the audit checkpoint key file does not hold base64 text") from None
    if len(key) < KEY_BYTES:
        raise CheckpointKeyError(f"the audit checkpoint key must be at least {KEY_BYTES} bytes long")
    return key


def sign(fields: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 of the fields' canonical JSON, in hex."""
    canonical = json.dumps(
        {"context": SIGNATURE_CONTEXT, "fields": fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_matches(fields: dict[str, Any], signature: str, key: bytes) -> bool:
    return hmac.compare_digest(sign(fields, key), signature)
