"""The ICP filing configuration (settings ``REGDESK_ICP_*``, ``REGDESK_PROVIDER_*``, ``REGDESK_CERTIFICATE_KEY_FILE``,
``REGDESK_PUBLIC_BASE_URL``), and the development seal and signing key made under ``var/`` on first use.

In production the files must exist (the settings refuse to start without their paths); nothing is generated.
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


def provider_name() -> str:
    return str(getattr(settings, "REGDESK_PROVIDER_NAME", "")) or "regdesk"


def provider_licence() -> str:
    return str(getattr(settings, "REGDESK_PROVIDER_LICENCE", ""))


def public_base_url() -> str:
    return str(getattr(settings, "REGDESK_PUBLIC_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def _production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


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
    path = Path(str(getattr(settings, "REGDESK_PROVIDER_SEAL_FILE", "")))
    with _lock:
        if not path.is_file():
            if _production() or not str(path):
                raise ImproperlyConfigured("REGDESK_PROVIDER_SEAL_FILE does not name a readable PNG file")
            _write_private(path, development_seal_png(provider_name()))
        return path.read_bytes()


def certificate_signing_key() -> Ed25519PrivateKey:
    """The provider's Ed25519 key that signs electronic certificates (``REGDESK_CERTIFICATE_KEY_FILE``)."""
    path = Path(str(getattr(settings, "REGDESK_CERTIFICATE_KEY_FILE", "")))
    with _lock:
        if not path.is_file():
            if _production() or not str(path):
                raise ImproperlyConfigured("REGDESK_CERTIFICATE_KEY_FILE does not name a readable key file")
            _write_private(path, certificate.private_key_to_pem(certificate.generate_private_key()))
    return certificate.load_private_key(path)
