"""The settings of the personal-data vault: its key ring, the purpose a reveal states, retention overrides.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def production() -> bool:
    """``PRODUCTION`` (``REGDESK_ENV=production``): no development key ring is made."""
    return bool(settings.PRODUCTION)


def vault_keys_file() -> str:
    """``VAULT_KEYS_FILE`` (from ``REGDESK_VAULT_KEYS_FILE``): the key ring's file; empty in development by default."""
    return str(settings.VAULT_KEYS_FILE or "")


def vault_keys_default_path() -> Path:
    """``VAULT_KEYS_DEFAULT_PATH``: where development makes its key ring when none is configured."""
    return Path(settings.VAULT_KEYS_DEFAULT_PATH)


def reveal_purpose_min_length() -> int:
    """``REGDESK_REVEAL_PURPOSE_MIN_LENGTH``: the fewest characters of the purpose stated for a reveal."""
    return int(settings.REGDESK_REVEAL_PURPOSE_MIN_LENGTH)


def retention_days_override(setting: str) -> int | None:
    """The value of ``setting``, one of the ``REGDESK_RETENTION_*`` settings that a data-dictionary declaration
    names (``REGDESK_RETENTION_CONTACT_DAYS``, ``..._ICP_FILING_DAYS``, ``..._LINE_REGISTRATION_DAYS``,
    ``..._CARD_READING_DAYS``): ``None`` unless configured, when the declared period applies.

    Read by name, because the declaration names it; a name that is not a setting is a mistake in the declaration.
    """
    try:
        configured = getattr(settings, setting)
    except AttributeError:
        raise ImproperlyConfigured(f"{setting} is not a setting (named by a retention period)") from None
    return None if configured is None else int(configured)
