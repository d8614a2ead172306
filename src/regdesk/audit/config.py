"""The settings of the audit trail: where the key that signs its checkpoints lives.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def production() -> bool:
    """``PRODUCTION`` (``REGDESK_ENV=production``): no development key is made, and the key file must be private."""
    return bool(settings.PRODUCTION)


def checkpoint_key_file() -> str:
    """``REGDESK_AUDIT_CHECKPOINT_KEY_FILE``: the configured key file; empty in development by default."""
    return str(settings.REGDESK_AUDIT_CHECKPOINT_KEY_FILE or "")


def checkpoint_key_default_path() -> Path:
    """``REGDESK_AUDIT_CHECKPOINT_KEY_DEFAULT_PATH``: where development makes its key when none is configured."""
    return Path(settings.REGDESK_AUDIT_CHECKPOINT_KEY_DEFAULT_PATH)
