"""The photo of the person in charge: checks on real pictures (scikit-image's) and the upload copy."""

from __future__ import annotations

import base64
import io
import struct
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms
from skimage import data as pictures

from regdesk.filings.documents.errors import PhotoError
from regdesk.filings.documents.limits import PHOTO_LIMIT_ENCODED, base64_length, largest_raw_size
from regdesk.filings.documents.photo import MIN_HEIGHT, MIN_WIDTH, check_photo, prepare_photo

BACKDROP = (38, 84, 150)


# scikit-image's picture loaders carry no annotations; these four are the only untyped calls.
def astronaut() -> np.ndarray:
    """A colour portrait with one frontal face, 512×512."""
    return np.asarray(pictures.astronaut())  # type: ignore[no-untyped-call]


def camera() -> np.ndarray:
    """A grey-scale portrait (a man with a camera), 512×512."""
    return np.asarray(pictures.camera())  # type: ignore[no-untyped-call]


def coffee() -> np.ndarray:
    """A colour picture of a cup of coffee: no face, 600×400."""
    return np.asarray(pictures.coffee())  # type: ignore[no-untyped-call]


def lfw_faces() -> np.ndarray:
    """Small grey-scale crops from Labeled Faces in the Wild: 100 faces, then 100 other pictures."""
    return np.asarray(pictures.lfw_subset())  # type: ignore[no-untyped-call]


def _resized(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(pixels).resize(size, Image.Resampling.LANCZOS))


def _on_backdrop(pixels: np.ndarray, width: int, height: int) -> np.ndarray:
    """The picture centred on the provider's plain backdrop, as the filing photo is taken."""
    canvas = np.zeros((height, width, 3), np.uint8)
    canvas[:] = BACKDROP
    top, left = (height - pixels.shape[0]) // 2, (width - pixels.shape[1]) // 2
    canvas[top : top + pixels.shape[0], left : left + pixels.shape[1]] = pixels
    return canvas


def _encoded(pixels: np.ndarray | Image.Image, image_format: str = "JPEG", **options: object) -> bytes:
    image = pixels if isinstance(pixels, Image.Image) else Image.fromarray(pixels)
    buffer = io.BytesIO()
    if image_format == "JPEG":
        options.setdefault("quality", 95)
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


@cache
def portrait() -> np.ndarray:
    """The astronaut (one frontal face) at 800×800 on a 1200×800 backdrop."""
    return _on_backdrop(_resized(astronaut(), (800, 800)), 1200, 800)


@cache
def portrait_jpeg() -> bytes:
    return _encoded(portrait())


def _error(data: bytes) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        check_photo(data)
    return caught.value


def _jpeg_segments(jpeg: bytes) -> list[int]:
    """The markers of the segments before the image data (APPn, COM, DQT, ...)."""
    assert jpeg[:2] == b"\xff\xd8"
    markers, position = [], 2
    while position < len(jpeg):
        assert jpeg[position] == 0xFF
        marker = jpeg[position + 1]
        if marker == 0xDA:  # start of scan: the compressed data follows
            break
        (length,) = struct.unpack(">H", jpeg[position + 2 : position + 4])
        markers.append(marker)
        position += 2 + length
    return markers


# The rules, on real pictures.


def test_colour_portrait_with_one_face_passes() -> None:
    check = check_photo(portrait_jpeg())
    assert (check.format, check.width, check.height) == ("JPEG", 1200, 800)
    # The astronaut's face: right of the centre line, in the upper third of the picture.
    face = check.face
    assert 440 <= face.left <= 560
    assert 60 <= face.top <= 160
    assert 110 <= face.width <= 220
    assert face.width == face.height


def test_portrait_as_png_passes() -> None:
    assert check_photo(_encoded(portrait(), "PNG")).format == "PNG"


def test_transparent_png_passes_and_its_upload_copy_is_opaque_jpeg() -> None:
    rgba = Image.fromarray(portrait()).convert("RGBA")
    rgba.putalpha(255)
    prepared = prepare_photo(_encoded(rgba, "PNG"))
    with Image.open(io.BytesIO(prepared.upload)) as upload:
        assert (upload.format, upload.mode) == ("JPEG", "RGB")


def test_grey_scale_camera_picture_is_refused() -> None:
    grey = _resized(camera(), (1024, 1024))
    error = _error(_encoded(grey, "PNG"))
    assert error.code == "photo_not_colour"
    assert "彩色" in error.message_zh
    assert "colour" in error.message_en


def test_grey_picture_saved_as_rgb_is_refused_too() -> None:
    grey = _resized(camera(), (1024, 1024))
    rgb = np.stack([grey] * 3, axis=-1)
    assert Image.open(io.BytesIO(_encoded(rgb))).mode == "RGB"
    assert _error(_encoded(rgb)).code == "photo_not_colour"


def test_picture_without_a_face_is_refused() -> None:
    cup = _resized(coffee(), (1200, 800))
    error = _error(_encoded(cup))
    assert error.code == "photo_no_face"


def test_collage_of_two_faces_is_refused() -> None:
    face = astronaut()[0:300, 90:340]
    collage = _resized(np.concatenate([face, face[:, ::-1]], axis=1), (1334, 800))
    error = _error(_encoded(collage))
    assert error.code == "photo_several_faces"
    assert "2" in error.message_en


def test_two_faces_from_the_face_data_set_are_refused() -> None:
    # The first 100 pictures of lfw_subset are faces (25×25 grey-scale); tinted so that the colour check passes.
    faces = lfw_faces()[:2]
    side_by_side = np.concatenate([_resized((face * 255).astype(np.uint8), (400, 400)) for face in faces], axis=1)
    tinted = np.stack([side_by_side, (side_by_side * 0.8).astype(np.uint8), (side_by_side * 0.6).astype(np.uint8)], -1)
    error = _error(_encoded(_on_backdrop(tinted, 1000, 700)))
    assert error.code == "photo_several_faces"


def test_photo_under_800_by_600_is_refused_with_its_size() -> None:
    error = _error(_encoded(astronaut()))
    assert error.code == "photo_too_small"
    assert "512×512" in error.message_en
    assert f"{MIN_WIDTH}×{MIN_HEIGHT}" in error.message_zh


def test_portrait_orientation_must_still_be_800_wide() -> None:
    upright = _on_backdrop(_resized(astronaut(), (700, 700)), 700, 1000)
    error = _error(_encoded(upright))
    assert error.code == "photo_too_small"
    assert "700×1000" in error.message_en


def test_exif_orientation_is_applied_before_the_checks() -> None:
    # Stored on its side as a camera does, with orientation 6 ("rotate 90° clockwise to display").
    stored = Image.fromarray(portrait()).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _encoded(stored, exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).size == (800, 1200)
    check = check_photo(data)
    assert (check.width, check.height) == (1200, 800)
    prepared = prepare_photo(data)
    assert prepared.upload_width > prepared.upload_height


def test_exif_orientation_can_make_a_photo_too_narrow() -> None:
    # 1000×700 as stored, but 700×1000 once turned upright.
    stored = Image.fromarray(_on_backdrop(_resized(astronaut(), (700, 700)), 700, 1000))
    exif = Image.Exif()
    exif[0x0112] = 8
    error = _error(_encoded(stored.transpose(Image.Transpose.ROTATE_270), exif=exif.tobytes()))
    assert error.code == "photo_too_small"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "photo_empty"),
        (b"not a picture at all", "photo_unreadable"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "photo_unreadable"),
    ],
)
def test_files_that_are_not_pictures_are_refused(data: bytes, code: str) -> None:
    assert _error(data).code == code


def test_truncated_jpeg_is_refused() -> None:
    data = portrait_jpeg()
    assert _error(data[: len(data) // 2]).code == "photo_unreadable"


def test_other_image_formats_are_refused() -> None:
    error = _error(_encoded(portrait(), "GIF"))
    assert error.code == "photo_format"
    assert "GIF" in error.message_en


def test_error_has_the_api_shape() -> None:
    error = _error(b"")
    assert error.to_json() == {
        "code": "photo_empty",
        "message": {"zh-hans": "照片文件为空。", "en": "The photo file is empty."},
    }


# The upload copy.


def test_original_is_kept_byte_for_byte() -> None:
    data = portrait_jpeg()
    prepared = prepare_photo(data)
    assert prepared.original == data
    assert prepared.upload != data


def test_upload_copy_fits_the_interface_limit() -> None:
    prepared = prepare_photo(portrait_jpeg())
    assert len(base64.b64encode(prepared.upload)) <= PHOTO_LIMIT_ENCODED
    assert len(prepared.upload) <= largest_raw_size(PHOTO_LIMIT_ENCODED)
    with Image.open(io.BytesIO(prepared.upload)) as upload:
        assert upload.format == "JPEG"
        assert upload.size == (prepared.upload_width, prepared.upload_height)
        assert upload.width >= MIN_WIDTH
        assert upload.height >= MIN_HEIGHT
    assert prepared.content_type == "image/jpeg"
    # The upload copy is still a valid filing photo.
    assert check_photo(prepared.upload).face.width > 0


def test_upload_copy_carries_no_metadata() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0110] = "Camera model"
    exif[0x9286] = "user comment"
    # GPS position of the office (an IFD of its own).
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = _encoded(portrait(), exif=exif.tobytes(), icc_profile=icc, comment=b"taken at the counter")
    original_markers = _jpeg_segments(data)
    assert {0xE1, 0xE2, 0xFE} <= set(original_markers)

    prepared = prepare_photo(data)
    markers = _jpeg_segments(prepared.upload)
    # Only JFIF (APP0) and the image's own tables: no EXIF/XMP (APP1), ICC (APP2), IPTC (APP13) or comment.
    assert [marker for marker in markers if 0xE1 <= marker <= 0xEF or marker == 0xFE] == []
    with Image.open(io.BytesIO(prepared.upload)) as upload:
        assert dict(upload.getexif()) == {}
        assert "icc_profile" not in upload.info
    assert prepared.original == data


def test_large_photo_is_scaled_down_but_not_below_the_minimum() -> None:
    large = _resized(astronaut(), (3000, 3000))
    prepared = prepare_photo(_encoded(large))
    assert prepared.check.width == 3000
    assert MIN_HEIGHT <= prepared.upload_height <= 1600
    assert len(prepared.upload) <= largest_raw_size(PHOTO_LIMIT_ENCODED)


def test_photo_that_cannot_fit_even_at_the_minimum_size_is_refused() -> None:
    with pytest.raises(PhotoError) as caught:
        prepare_photo(portrait_jpeg(), encoded_limit=4000)
    assert caught.value.code == "photo_cannot_fit"
    assert "800×600" in caught.value.message_en


@settings(max_examples=8, deadline=None)
@given(encoded_limit=st.integers(min_value=40_000, max_value=400_000))
def test_upload_copy_fits_any_reasonable_limit(encoded_limit: int) -> None:
    prepared = prepare_photo(portrait_jpeg(), encoded_limit=encoded_limit)
    assert base64_length(len(prepared.upload)) <= encoded_limit
    assert prepared.upload_width >= MIN_WIDTH
    assert prepared.upload_height >= MIN_HEIGHT


@given(size=st.integers(min_value=0, max_value=10_000))
def test_base64_length_matches_the_encoder(size: int) -> None:
    assert base64_length(size) == len(base64.b64encode(bytes(size)))


@given(limit=st.integers(min_value=4, max_value=1_000_000))
def test_largest_raw_size_is_the_largest_that_fits(limit: int) -> None:
    largest = largest_raw_size(limit)
    assert base64_length(largest) <= limit
    assert base64_length(largest + 1) > limit
