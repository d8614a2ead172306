"""TOTP (RFC 6238) arithmetic over pyotp: secrets, provisioning URIs, QR codes and step-aware verification."""

from __future__ import annotations

from datetime import datetime

import pyotp
import segno

ISSUER = "regdesk"
DIGITS = 6
INTERVAL_SECONDS = 30
# One step either side absorbs clock drift between the server and the phone (RFC 6238 section 5.2).
ALLOWED_DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh base32 secret of 160 bits, the length RFC 4226 recommends."""
    return str(pyotp.random_base32(length=32))


def provisioning_uri(secret: str, *, account_name: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return str(
        pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL_SECONDS).provisioning_uri(
            name=account_name, issuer_name=ISSUER
        )
    )


def qr_code_svg(uri: str, *, title: str) -> str:
    """The URI as an inline SVG QR code (no image library needed)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, title=title, dark="#000", light="#fff"))


def time_step(moment: datetime) -> int:
    """The RFC 6238 counter for ``moment``."""
    return int(moment.timestamp()) // INTERVAL_SECONDS


def normalise_code(code: str) -> str:
    """Codes are often typed with a space in the middle ("123 456")."""
    return "".join(code.split())


def matching_step(secret: str, code: str, *, moment: datetime, after_step: int | None) -> int | None:
    """The time step, within the allowed drift of ``moment`` and later than ``after_step``, whose code equals
    ``code``; ``None`` when there is none. Refusing steps up to ``after_step`` is the replay protection."""
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL_SECONDS)
    current = time_step(moment)
    for step in range(current - ALLOWED_DRIFT_STEPS, current + ALLOWED_DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if pyotp.utils.strings_equal(str(totp.generate_otp(step)), code):
            return step
    return None


def code_at(secret: str, moment: datetime) -> str:
    """The code an authenticator shows at ``moment`` (tests and the demo use it)."""
    return str(pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL_SECONDS).at(moment))
