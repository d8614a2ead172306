"""The settings of the MIIT adapter, read at each call (so that tests and deployments may change them).

The defaults and the environment variables are in ``config/settings.py``; they point at the province simulator on
loopback. The password and the AES key have development defaults that only the simulator knows; in production
(``REGDESK_ENV=production``) they have none, and the adapter refuses to run without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from regdesk.miit.codec.packing import AesKey, EncryptAlgorithm

# Uploaded files are kept at least three months (specification §3-3-1-3: "应保存该数据文件3个月以上").
MINIMUM_RETENTION_DAYS = 92


@dataclass(frozen=True)
class MiitSettings:
    """Everything the transport needs; ``password`` and the key never appear in ``repr``."""

    url: str
    isp_id: int
    user_name: str
    password: str = field(repr=False)
    encrypt_algorithm: EncryptAlgorithm = EncryptAlgorithm.AES
    aes_key: AesKey | None = field(default=None, repr=False)
    connect_timeout_seconds: float = 5.0
    read_timeout_seconds: float = 60.0
    attempts: int = 3
    backoff_seconds: float = 1.0


def production() -> bool:
    """``PRODUCTION`` (``REGDESK_ENV=production``): no development password or key is taken."""
    return bool(settings.PRODUCTION)


def miit_settings() -> MiitSettings:
    """The transport's settings, ``REGDESK_MIIT_URL``, ``_ISP_ID``, ``_USER_NAME``, ``_PASSWORD``,
    ``_ENCRYPT_ALGORITHM``, ``_AES_KEY``, ``_AES_IV``, ``_CONNECT_TIMEOUT_SECONDS``, ``_READ_TIMEOUT_SECONDS``,
    ``_ATTEMPTS`` and ``_BACKOFF_SECONDS``, checked."""
    password = str(settings.REGDESK_MIIT_PASSWORD or "")
    key_text = str(settings.REGDESK_MIIT_AES_KEY or "")
    if production() and not password:
        raise ImproperlyConfigured("REGDESK_MIIT_PASSWORD is required in production")
    encrypt_algorithm = EncryptAlgorithm(int(settings.REGDESK_MIIT_ENCRYPT_ALGORITHM))
    if production() and encrypt_algorithm == EncryptAlgorithm.AES and not key_text:
        raise ImproperlyConfigured("REGDESK_MIIT_AES_KEY is required in production when encrypting")
    try:
        # Without a key (production, unencrypted) nothing is encrypted nor can be decrypted.
        aes_key = (
            AesKey(key=key_text.encode("ascii"), iv=str(settings.REGDESK_MIIT_AES_IV).encode("ascii"))
            if key_text
            else None
        )
    except (UnicodeEncodeError, ValueError) as error:
        raise ImproperlyConfigured(f"REGDESK_MIIT_AES_KEY / REGDESK_MIIT_AES_IV: {error}") from None
    url = str(settings.REGDESK_MIIT_URL)
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured("REGDESK_MIIT_URL must be an http:// or https:// URL")
    return MiitSettings(
        url=url,
        isp_id=int(settings.REGDESK_MIIT_ISP_ID),
        user_name=str(settings.REGDESK_MIIT_USER_NAME),
        password=password,
        encrypt_algorithm=encrypt_algorithm,
        aes_key=aes_key,
        connect_timeout_seconds=float(settings.REGDESK_MIIT_CONNECT_TIMEOUT_SECONDS),
        read_timeout_seconds=float(settings.REGDESK_MIIT_READ_TIMEOUT_SECONDS),
        attempts=max(1, int(settings.REGDESK_MIIT_ATTEMPTS)),
        backoff_seconds=max(0.0, float(settings.REGDESK_MIIT_BACKOFF_SECONDS)),
    )


def upload_retention_days() -> int:
    """``REGDESK_MIIT_UPLOAD_RETENTION_DAYS``: days an uploaded file is kept after it was sent, never below 92."""
    return max(MINIMUM_RETENTION_DAYS, int(settings.REGDESK_MIIT_UPLOAD_RETENTION_DAYS))


def send_automatically() -> bool:
    """``REGDESK_MIIT_SEND_AUTOMATICALLY``: uploads are queued for sending as soon as they are built."""
    return bool(settings.REGDESK_MIIT_SEND_AUTOMATICALLY)


def retry_seconds() -> float:
    """``REGDESK_MIIT_RETRY_SECONDS``: the wait before a failed send is tried again."""
    return float(settings.REGDESK_MIIT_RETRY_SECONDS)


def send_lease_seconds() -> float:
    """``REGDESK_MIIT_SEND_LEASE_SECONDS``: the lease of the one sending process on the upload sequence."""
    return float(settings.REGDESK_MIIT_SEND_LEASE_SECONDS)


def send_heartbeat_seconds() -> float:
    """``REGDESK_MIIT_SEND_HEARTBEAT_SECONDS``: how often a live sender renews its lease."""
    return float(settings.REGDESK_MIIT_SEND_HEARTBEAT_SECONDS)
