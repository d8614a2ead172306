"""The photo of the person in charge (主体负责人照片) taken at on-site verification (当面核验).

The provider takes a full-face colour photo of the person in charge, keeps it as taken, and uploads it to the
Communications Administration through the MIIT interface, whose limit for the photo is 100 K (see `limits`).

`check_photo` applies the rules:

- the file decodes as a JPEG or PNG image;
- it is in colour: not a grey-scale mode, and the colour channels actually differ (a grey picture saved as RGB is
  still refused); a tinted monochrome picture (sepia) counts as colour, and the specialist sees the photo anyway;
- after its EXIF orientation is applied it is at least 800 pixels wide and 600 high. The rule says "800×600", the
  landscape shape of the provider's backdrop shot; a portrait photo passes when it is at least 800 wide and 600
  high, so a portrait photo needs at least 800 × 800;
- it shows exactly one frontal face (OpenCV's Haar cascade, see the tuning constants below).

`prepare_photo` also makes the upload copy: a baseline JPEG with no metadata (no EXIF, GPS, XMP, ICC profile or
comment), orientation applied, colours converted to sRGB, within the interface's limit. The original bytes are
returned unchanged, to be kept as taken.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from regdesk.filings.documents.errors import PhotoError
from regdesk.filings.documents.limits import PHOTO_LIMIT_ENCODED, largest_raw_size

# Source: 工信部电管〔2010〕64号 as described in seed 001, step 6: a full-face colour photo, 800×600.
MIN_WIDTH = 800
MIN_HEIGHT = 600

# Guards against files that would take the server's memory: a phone's photo is 5-15 MB and 12-50 megapixels.
MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 60_000_000

# Pillow names a JPEG with a multi-picture extension (some cameras write one) MPO; it is a JPEG all the same.
_ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}
_GREY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}

# Colour test: a pixel is coloured when its channels spread by more than CHROMA_THRESHOLD (of 255); a photo is in
# colour when at least COLOUR_PIXEL_SHARE of its pixels are. A grey picture re-saved as RGB JPEG spreads by 0-2, the
# test pictures by 40-100 on average; a heavily desaturated photo still has about a quarter of coloured pixels.
CHROMA_THRESHOLD = 16
COLOUR_PIXEL_SHARE = 0.05
_COLOUR_SAMPLE_SIDE = 256

# Face detection with haarcascade_frontalface_default.xml, tuned on scikit-image's pictures (astronaut: one face;
# coffee, chelsea, rocket: none; two faces side by side: two; a face turned 90°: none). The detector runs on a copy
# whose shorter side is DETECTION_SHORTER_SIDE: larger copies find faces in the astronaut's suit and in coffee foam,
# and a fixed working size makes the result independent of the camera's resolution. The parameters sit in the middle
# of the range that gave the right counts (shorter side 420-480, minNeighbors 6-8, minimum face 8-12 %).
DETECTION_SHORTER_SIDE = 480
DETECTION_SCALE_FACTOR = 1.1
DETECTION_MIN_NEIGHBOURS = 6
# A face smaller than this share of the shorter side is not a full-face portrait (the filing photo shows the head
# and shoulders); it also keeps faces on posters or screens in the background out of the count.
DETECTION_MIN_FACE_SHARE = 0.10

# Upload copy: start at most this large (the regulator needs 800×600; more pixels only cost quality within 100 K).
UPLOAD_MAX_LONGER_SIDE = 1600
UPLOAD_MAX_QUALITY = 92
# Above the minimum size a smaller picture of good quality beats a larger one full of artefacts: below this quality
# the copy is scaled down instead. At the minimum size any quality down to UPLOAD_MIN_QUALITY is accepted.
UPLOAD_GOOD_QUALITY = 60
UPLOAD_MIN_QUALITY = 30
UPLOAD_SCALE_STEP = 0.8


@dataclass(frozen=True)
class FaceBox:
    """Where the face is, in pixels of the photo after its orientation is applied."""

    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class PhotoCheck:
    """The outcome of a photo that passed every check."""

    format: str
    width: int
    height: int
    face: FaceBox


@dataclass(frozen=True)
class PreparedPhoto:
    """The photo as taken, its upload copy, and the check that passed."""

    original: bytes
    upload: bytes
    upload_width: int
    upload_height: int
    upload_quality: int
    check: PhotoCheck

    content_type = "image/jpeg"


def check_photo(data: bytes) -> PhotoCheck:
    """Check the photo of the person in charge; raise `PhotoError` with a specific code for the first failure."""
    check, _ = _check(data)
    return check


def prepare_photo(data: bytes, *, encoded_limit: int = PHOTO_LIMIT_ENCODED) -> PreparedPhoto:
    """Check the photo and make its upload copy within `encoded_limit` characters of base64.

    Raises `PhotoError`: the check's codes, or `photo_cannot_fit` when even the smallest allowed copy at the lowest
    allowed quality is too large (in practice only for a picture full of noise).
    """
    check, image = _check(data)
    upload, quality = _encode_within(image, max_bytes=largest_raw_size(encoded_limit), encoded_limit=encoded_limit)
    with Image.open(io.BytesIO(upload)) as encoded:
        upload_width, upload_height = encoded.size
    return PreparedPhoto(
        original=data,
        upload=upload,
        upload_width=upload_width,
        upload_height=upload_height,
        upload_quality=quality,
        check=check,
    )


def _check(data: bytes) -> tuple[PhotoCheck, Image.Image]:
    image, photo_format = _decode(data)
    rgb = _to_srgb(image)
    if not _is_colour(rgb):
        raise PhotoError("photo_not_colour")
    width, height = rgb.size
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise PhotoError("photo_too_small", min_width=MIN_WIDTH, min_height=MIN_HEIGHT, width=width, height=height)
    faces = detect_faces(rgb)
    if not faces:
        raise PhotoError("photo_no_face")
    if len(faces) > 1:
        raise PhotoError("photo_several_faces", count=len(faces))
    return PhotoCheck(format=photo_format, width=width, height=height, face=faces[0]), rgb


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Open, bound and fully decode the file; return the image with its EXIF orientation applied."""
    if not data:
        raise PhotoError("photo_empty")
    if len(data) > MAX_FILE_BYTES:
        raise PhotoError(
            "photo_file_too_large",
            limit_mb=MAX_FILE_BYTES // (1024 * 1024),
            actual_mb=f"{len(data) / (1024 * 1024):.1f}",
        )
    limit_megapixels = MAX_PIXELS // 1_000_000
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own bomb limit; ours is lower and checked before decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            pillow_format = image.format or "unknown"
            if pillow_format not in _ACCEPTED_FORMATS:
                raise PhotoError("photo_format", format=pillow_format)
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError("photo_dimensions_too_large", limit_megapixels=limit_megapixels)
            image.load()
    except Image.DecompressionBombError as error:
        raise PhotoError("photo_dimensions_too_large", limit_megapixels=limit_megapixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        # Pillow reports truncated and corrupt files as OSError, some broken headers as SyntaxError or ValueError.
        raise PhotoError("photo_unreadable") from error
    oriented = ImageOps.exif_transpose(image)
    # exif_transpose drops the ICC profile's place in `info` on some paths; carry it over for the sRGB conversion.
    if "icc_profile" in image.info:
        oriented.info["icc_profile"] = image.info["icc_profile"]
    return oriented, _ACCEPTED_FORMATS[pillow_format]


def _to_srgb(image: Image.Image) -> Image.Image:
    """An RGB copy without metadata: transparency over white, an embedded colour profile converted to sRGB."""
    if image.mode in _GREY_MODES:
        raise PhotoError("photo_not_colour")
    icc_profile = image.info.get("icc_profile")
    if image.mode in {"RGBA", "PA", "P", "RGBa"}:
        rgba = image.convert("RGBA")
        rgb = Image.new("RGB", rgba.size, "white")
        rgb.paste(rgba, mask=rgba.getchannel("A"))
    else:
        rgb = image.convert("RGB")
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(rgb, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, TypeError):
            # A broken or non-RGB profile (a CMYK JPEG's, say): keep the pixels as they are.
            converted = None
        if converted is not None:
            rgb = converted
    # A fresh image, so that nothing of the original's metadata can travel into the upload copy.
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def _is_colour(rgb: Image.Image) -> bool:
    sample = rgb.copy()
    sample.thumbnail((_COLOUR_SAMPLE_SIDE, _COLOUR_SAMPLE_SIDE))
    pixels = np.asarray(sample, dtype=np.int16)
    chroma = pixels.max(axis=2) - pixels.min(axis=2)
    return float((chroma > CHROMA_THRESHOLD).mean()) >= COLOUR_PIXEL_SHARE


@cache
def _face_cascade() -> cv2.CascadeClassifier:
    # cv2.data is a plain Python module inside the wheel that its type stubs leave out.
    path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"  # type: ignore[attr-defined]
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        # The cascade ships inside opencv-python-headless 4.x; without it every photo would count as faceless.
        raise RuntimeError(f"OpenCV face cascade not found at {path}: install opencv-python-headless<5")
    return cascade


def detect_faces(rgb: Image.Image) -> list[FaceBox]:
    """The frontal faces in an RGB image, largest first, in the image's own pixel coordinates."""
    grey = cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2GRAY)
    height, width = grey.shape
    scale = min(1.0, DETECTION_SHORTER_SIDE / min(width, height))
    if scale < 1.0:
        grey = cv2.resize(grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    grey = cv2.equalizeHist(grey)
    min_face = max(24, round(min(grey.shape) * DETECTION_MIN_FACE_SHARE))
    found = _face_cascade().detectMultiScale(
        grey,
        scaleFactor=DETECTION_SCALE_FACTOR,
        minNeighbors=DETECTION_MIN_NEIGHBOURS,
        minSize=(min_face, min_face),
    )
    boxes = [
        FaceBox(
            left=round(int(left) / scale),
            top=round(int(top) / scale),
            width=round(int(box_width) / scale),
            height=round(int(box_height) / scale),
        )
        for left, top, box_width, box_height in found
    ]
    return sorted(boxes, key=lambda box: box.width * box.height, reverse=True)


def _encode_within(image: Image.Image, *, max_bytes: int, encoded_limit: int) -> tuple[bytes, int]:
    """The best JPEG of `image` within `max_bytes`: highest quality first, then smaller, never below 800×600."""
    width, height = image.size
    floor_scale = max(MIN_WIDTH / width, MIN_HEIGHT / height)
    scale = max(floor_scale, min(1.0, UPLOAD_MAX_LONGER_SIDE / max(width, height)))
    while True:
        at_floor = scale <= floor_scale
        size = (_scaled(width, scale, MIN_WIDTH), _scaled(height, scale, MIN_HEIGHT))
        resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
        lowest = UPLOAD_MIN_QUALITY if at_floor else UPLOAD_GOOD_QUALITY
        found = _best_quality(resized, lowest=lowest, highest=UPLOAD_MAX_QUALITY, max_bytes=max_bytes)
        if found is not None:
            return found
        if at_floor:
            raise PhotoError(
                "photo_cannot_fit", limit_kb=encoded_limit // 1000, min_width=MIN_WIDTH, min_height=MIN_HEIGHT
            )
        scale = max(floor_scale, scale * UPLOAD_SCALE_STEP)


def _scaled(length: int, scale: float, minimum: int) -> int:
    # The small tolerance keeps 800.0000001 from rounding up to 801; the minimum keeps 799.9999 from going under.
    return max(minimum, math.ceil(length * scale - 1e-6))


def _best_quality(image: Image.Image, *, lowest: int, highest: int, max_bytes: int) -> tuple[bytes, int] | None:
    """Binary search for the highest quality whose JPEG fits; None when even `lowest` does not."""
    best: tuple[bytes, int] | None = None
    while lowest <= highest:
        quality = (lowest + highest) // 2
        encoded = _jpeg(image, quality)
        if len(encoded) <= max_bytes:
            best = (encoded, quality)
            lowest = quality + 1
        else:
            highest = quality - 1
    return best


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    # Only the arguments below go into the file: Pillow writes EXIF, ICC or comments only when asked to.
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=False)
    return buffer.getvalue()
