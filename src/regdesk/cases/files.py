"""Recognising uploaded files by their first bytes, and re-encoding images without their metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
OTHER = "application/octet-stream"

RECOGNISED_TYPES = (PDF, PNG, JPEG, GIF, WEBP)
_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WEBP"}
# Images above this many pixels are refused before they are decoded (a "decompression bomb").
MAX_IMAGE_PIXELS = 50_000_000


def sniff_content_type(data: bytes) -> str | None:
    """The type named by the file's magic number, or ``None`` for anything else. The name and the type the
    browser claimed are ignored: both are chosen by the uploader."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


class UnreadableImageError(ValueError):
    """The bytes claim to be an image that Pillow cannot decode (or one that is too large to decode safely)."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def reencode_image(data: bytes, content_type: str) -> CleanImage:
    """Decode and re-encode in the same format, with the EXIF orientation applied to the pixels and every piece of
    metadata (EXIF with GPS, XMP, comments, ICC profiles aside) left behind."""
    target = _PILLOW_FORMATS[content_type]
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise UnreadableImageError("image too large")
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise UnreadableImageError("image cannot be decoded") from error
    if target == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    transparency = image.info.get("transparency") if target in ("PNG", "GIF") else None
    # Keep the pixels (and a palette's transparency) and drop the info dictionary: EXIF with GPS, XMP, comments
    # and ICC profiles would otherwise be written back by the encoders that fall back to it.
    clean = image.copy()
    clean.info = {}
    output = io.BytesIO()
    options: dict[str, object] = {}
    if target == "JPEG":
        options = {"quality": 90, "optimize": True}
    elif target == "WEBP":
        options = {"quality": 90}
    if transparency is not None and target in ("PNG", "GIF"):
        options["transparency"] = transparency
    clean.save(output, format=target, **options)
    return CleanImage(data=output.getvalue(), width=clean.width, height=clean.height)
