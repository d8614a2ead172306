"""The settings of ICP filing (``REGDESK_ICP_*``, ``REGDESK_PROVIDER_*``, ``REGDESK_CERTIFICATE_KEY_FILE``,
``REGDESK_PUBLIC_BASE_URL``), and the development seal and signing key made under ``var/`` on first use.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``. In production the files must exist (the settings refuse to
start without their paths); nothing is generated.
"""

from __future__ import annotations

import io
import math
import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw, ImageFont

from regdesk.filings.documents import certificate

_lock = threading.Lock()
SEAL_PIXELS = 400
SEAL_RED = (206, 17, 38)


def production() -> bool:
    """``PRODUCTION`` (``REGDESK_ENV=production``): no development seal or key is generated."""
    return bool(settings.PRODUCTION)


def provider_name() -> str:
    """``REGDESK_PROVIDER_NAME``: the provider as the verification form and the certificate name it."""
    return str(settings.REGDESK_PROVIDER_NAME)


def provider_licence() -> str:
    """``REGDESK_PROVIDER_LICENCE``: the provider's licence number on the verification form."""
    return str(settings.REGDESK_PROVIDER_LICENCE)


def public_base_url() -> str:
    """``REGDESK_PUBLIC_BASE_URL``: the public address of the portal, without a trailing slash."""
    return str(settings.REGDESK_PUBLIC_BASE_URL).rstrip("/")


def provider_seal_file() -> str:
    """``REGDESK_PROVIDER_SEAL_FILE``: the seal (PNG) pressed on the verification form."""
    return str(settings.REGDESK_PROVIDER_SEAL_FILE)


def certificate_key_file() -> str:
    """``REGDESK_CERTIFICATE_KEY_FILE``: the Ed25519 key that signs electronic certificates."""
    return str(settings.REGDESK_CERTIFICATE_KEY_FILE)


def provider_networks() -> tuple[str, ...]:
    """``REGDESK_ICP_PROVIDER_NETWORKS``: the provider's filed IP networks, which every website's ranges lie in."""
    return tuple(str(network) for network in settings.REGDESK_ICP_PROVIDER_NETWORKS)


def face_match_threshold() -> int:
    """``REGDESK_FACE_MATCH_THRESHOLD``: the similarity (0-100) of the person's photo with the public-security
    record below which the on-site identity check is not consistent; the counter's face match uses the same one."""
    return int(settings.REGDESK_FACE_MATCH_THRESHOLD)


def intake_unit() -> str:
    """``REGDESK_ICP_INTAKE_UNIT``: the code of the unit whose specialists receive portal applications of owners in
    regions no unit serves (empty: the provider's unit of the owner's account)."""
    return str(settings.REGDESK_ICP_INTAKE_UNIT or "")


def specialist_review_days() -> int:
    """``REGDESK_ICP_SPECIALIST_REVIEW_DAYS``: working days of the specialist's review."""
    return int(settings.REGDESK_ICP_SPECIALIST_REVIEW_DAYS)


def onsite_days() -> int:
    """``REGDESK_ICP_ONSITE_DAYS``: working days of the on-site verification."""
    return int(settings.REGDESK_ICP_ONSITE_DAYS)


def regulator_review_days() -> int:
    """``REGDESK_ICP_REGULATOR_REVIEW_DAYS``: working days of the regulator's review."""
    return int(settings.REGDESK_ICP_REGULATOR_REVIEW_DAYS)


def public_security_days() -> int:
    """``REGDESK_ICP_PUBLIC_SECURITY_DAYS``: days after the approval to file the website with public security."""
    return int(settings.REGDESK_ICP_PUBLIC_SECURITY_DAYS)


def contact_link_hours() -> int:
    """``REGDESK_ICP_CONTACT_LINK_HOURS``: how long a contact check's e-mail link is valid."""
    return int(settings.REGDESK_ICP_CONTACT_LINK_HOURS)


def sms_code_minutes() -> int:
    """``REGDESK_ICP_SMS_CODE_MINUTES``: how long a contact check's SMS code is valid."""
    return int(settings.REGDESK_ICP_SMS_CODE_MINUTES)


def sms_code_attempts() -> int:
    """``REGDESK_ICP_SMS_CODE_ATTEMPTS``: tries of one SMS code."""
    return int(settings.REGDESK_ICP_SMS_CODE_ATTEMPTS)


def access_retry_seconds() -> float:
    """``REGDESK_ICP_ACCESS_RETRY_SECONDS``: the wait before a failed turn-on of a website's access is retried."""
    return float(settings.REGDESK_ICP_ACCESS_RETRY_SECONDS)


def server_location_codes() -> dict[str, int]:
    """``REGDESK_ICP_SERVER_LOCATION_CODES``: server location codes (Fbdd) by province that differ from the
    specification's."""
    return {str(province): int(code) for province, code in dict(settings.REGDESK_ICP_SERVER_LOCATION_CODES).items()}


def attachment_formats() -> dict[str, int]:
    """``REGDESK_ICP_ATTACHMENT_FORMATS``: attachment format codes by content type that differ from the
    specification's."""
    return {str(kind): int(code) for kind, code in dict(settings.REGDESK_ICP_ATTACHMENT_FORMATS).items()}


def attachment_purposes() -> dict[str, int]:
    """``REGDESK_ICP_ATTACHMENT_PURPOSES``: attachment purpose codes by attachment kind that differ from the
    specification's."""
    return {str(kind): int(code) for kind, code in dict(settings.REGDESK_ICP_ATTACHMENT_PURPOSES).items()}


def _write_private(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    temporary.chmod(0o600)
    temporary.replace(path)


def development_seal_png(text: str) -> bytes:
    """A round red seal with the provider's name around a star, for development and demonstrations only."""
    from regdesk.documents.fonts import find_cjk_font

    size = SEAL_PIXELS
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, size - 12, size - 12), outline=SEAL_RED, width=14)
    centre = size / 2
    points = []
    for index in range(10):
        radius = 62 if index % 2 == 0 else 25
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)
    try:
        font = ImageFont.truetype(str(find_cjk_font()), 34, index=0)
    except Exception:  # the verification form needs the font anyway and reports its absence itself
        return _png(image)
    characters = list(text[:14]) or ["章"]
    span = math.radians(220)
    for index, character in enumerate(characters):
        angle = -math.pi / 2 - span / 2 + span * (index + 0.5) / len(characters)
        x = centre + 140 * math.cos(angle)
        y = centre + 140 * math.sin(angle)
        glyph = Image.new("RGBA", (48, 48), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((24, 24), character, font=font, fill=SEAL_RED, anchor="mm")
        rotated = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(rotated, (int(x - 24), int(y - 24)))
    label = "演示专用"
    draw.text((centre, centre + 100), label, font=ImageFont.truetype(str(find_cjk_font()), 30, index=0),
              fill=SEAL_RED, anchor="mm")  # fmt: skip
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def provider_seal_png() -> bytes:
    """The seal image pressed on the verification form (``REGDESK_PROVIDER_SEAL_FILE``)."""
    path = Path(provider_seal_file())
    with _lock:
        if not path.is_file():
            if production() or not str(path):
                raise ImproperlyConfigured("REGDESK_PROVIDER_SEAL_FILE does not name a readable PNG file")
            _write_private(path, development_seal_png(provider_name()))
        return path.read_bytes()


def certificate_signing_key() -> Ed25519PrivateKey:
    """The provider's Ed25519 key that signs electronic certificates (``REGDESK_CERTIFICATE_KEY_FILE``)."""
    path = Path(certificate_key_file())
    with _lock:
        if not path.is_file():
            if production() or not str(path):
                raise ImproperlyConfigured("REGDESK_CERTIFICATE_KEY_FILE does not name a readable key file")
            _write_private(path, certificate.private_key_to_pem(certificate.generate_private_key()))
    return certificate.load_private_key(path)
