"""The adapter's configuration, read from Django settings with development defaults.

Every value comes from ``getattr(settings, "REGDESK_MIIT_...", default)``; the defaults point at the province
simulator on loopback. The password and the AES key have development values that only the simulator knows; in
production (``settings.PRODUCTION``) they must be configured, and the adapter refuses to run without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from regdesk.miit.codec.packing import AesKey, EncryptAlgorithm

DEFAULT_URL = "http://127.0.0.1:8040/ISPWebService/upDownLoad"
DEFAULT_ISP_ID = 1001
DEFAULT_USER_NAME = "regdesk"
# Development values for the province simulator only; never used when settings.PRODUCTION is true.
DEVELOPMENT_PASSWORD = "simulator-password"  # noqa: S105
DEVELOPMENT_AES_KEY = "regdesk-aes-key!"
DEFAULT_AES_IV = "0102030405060708"
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


def _setting(name: str, default: object) -> object:
    return getattr(settings, f"REGDESK_MIIT_{name}", default)


def miit_settings() -> MiitSettings:
    """The configured settings (read at each call, so that tests and deployments can override them)."""
    production = bool(getattr(settings, "PRODUCTION", False))
    password = _setting("PASSWORD", None)
    key_text = _setting("AES_KEY", None)
    if production and not password:
        raise ImproperlyConfigured("REGDESK_MIIT_PASSWORD is required in production")
    encrypt_algorithm = EncryptAlgorithm(int(str(_setting("ENCRYPT_ALGORITHM", int(EncryptAlgorithm.AES)))))
    if production and encrypt_algorithm == EncryptAlgorithm.AES and not key_text:
        raise ImproperlyConfigured("REGDESK_MIIT_AES_KEY is required in production when encrypting")
    key_value = str(key_text or DEVELOPMENT_AES_KEY)
    iv_value = str(_setting("AES_IV", DEFAULT_AES_IV))
    try:
        aes_key = AesKey(key=key_value.encode("ascii"), iv=iv_value.encode("ascii"))
    except (UnicodeEncodeError, ValueError) as error:
        raise ImproperlyConfigured(f"REGDESK_MIIT_AES_KEY / REGDESK_MIIT_AES_IV: {error}") from None
    url = str(_setting("URL", DEFAULT_URL))
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured("REGDESK_MIIT_URL must be an http:// or https:// URL")
    return MiitSettings(
        url=url,
        isp_id=int(str(_setting("ISP_ID", DEFAULT_ISP_ID))),
        user_name=str(_setting("USER_NAME", DEFAULT_USER_NAME)),
        password=str(password or DEVELOPMENT_PASSWORD),
        encrypt_algorithm=encrypt_algorithm,
        aes_key=aes_key,
        connect_timeout_seconds=float(str(_setting("CONNECT_TIMEOUT_SECONDS", 5.0))),
        read_timeout_seconds=float(str(_setting("READ_TIMEOUT_SECONDS", 60.0))),
        attempts=max(1, int(str(_setting("ATTEMPTS", 3)))),
        backoff_seconds=max(0.0, float(str(_setting("BACKOFF_SECONDS", 1.0)))),
    )


def upload_retention_days() -> int:
    """Days an uploaded file is kept after it was sent: ``REGDESK_MIIT_UPLOAD_RETENTION_DAYS``, never below 92."""
    return max(MINIMUM_RETENTION_DAYS, int(str(_setting("UPLOAD_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))))
