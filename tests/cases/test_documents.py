"""Documents: type sniffing, size limit, metadata removal, encryption at rest, audited opening."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, TiffImagePlugin
from pytest_django import Settings

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Document, DocumentView
from regdesk.cases.services import DocumentRefused, document_attach, document_open
from regdesk.cases.services.documents import document_filename
from tests.cases.conftest import PDF_BYTES, World, start_case

MARKER = b"PLAIN-TEXT-MARKER-1234567890"


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def media(settings: Settings) -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def jpeg_with_exif(width: int = 40, height: int = 20) -> bytes:
    """A JPEG whose EXIF says "rotate 90° clockwise to display" and carries a GPS position and a camera."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    exif[0x010F] = "Camera maker"
    gps = {
        1: "N",
        2: (TiffImagePlugin.IFDRational(39), TiffImagePlugin.IFDRational(54), TiffImagePlugin.IFDRational(27)),
    }
    exif[0x8825] = gps
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes())
    return output.getvalue()


def test_a_pdf_is_stored_sealed_and_opened_with_an_audited_purpose(world: World, media: Path) -> None:
    case = start_case(world)
    data = PDF_BYTES + MARKER
    document = document_attach(actor=world.specialist, case=case, kind="form", filename="张三 申请表.pdf", content=data)
    assert (document.content_type, document.size, document.kind) == ("application/pdf", len(data), "form")
    [path] = stored_files(media)
    sealed = path.read_bytes()
    assert MARKER not in sealed
    assert b"%PDF" not in sealed
    assert "张三" not in document.filename_sealed
    assert document_filename(document) == "张三 申请表.pdf"
    assert AuditEvent.objects.filter(action="document.attach", object_id=str(document.pk)).count() == 1

    assert document_open(actor=world.compliance, document=document, purpose="review of the application") == data
    assert document_open(actor=world.specialist, document=document, purpose="second look") == data
    audits = AuditEvent.objects.filter(action="document.open", object_id=str(document.pk)).order_by("sequence")
    assert [(a.actor, a.purpose) for a in audits] == [
        (world.compliance, "review of the application"),
        (world.specialist, "second look"),
    ]
    assert DocumentView.objects.filter(document=document).count() == 2


def test_opening_needs_a_purpose_and_sight_of_the_case(world: World) -> None:
    case = start_case(world)
    document = document_attach(actor=world.specialist, case=case, kind="form", filename="a.pdf", content=PDF_BYTES)
    with pytest.raises(DocumentRefused) as raised:
        document_open(actor=world.specialist, document=document, purpose="  ")
    assert raised.value.code == "purpose"
    with pytest.raises(PermissionDenied):
        document_open(actor=world.other_clerk, document=document, purpose="curiosity")
    assert not AuditEvent.objects.filter(action="document.open").exists()
    assert not DocumentView.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"just some text", "type"),
        (b"MZ\x90\x00 an executable", "type"),
        (b"", "empty"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "unreadable"),
    ],
)
def test_refused_content_saves_nothing(world: World, media: Path, content: bytes, code: str) -> None:
    case = start_case(world)
    with pytest.raises(DocumentRefused) as raised:
        document_attach(actor=world.specialist, case=case, kind="form", filename="x.pdf", content=content)
    assert raised.value.code == code
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_unknown_kind_is_refused_and_a_permissive_kind_takes_any_file(world: World) -> None:
    case = start_case(world)
    with pytest.raises(DocumentRefused) as raised:
        document_attach(actor=world.specialist, case=case, kind="selfie", filename="x.pdf", content=PDF_BYTES)
    assert raised.value.code == "kind"
    document = document_attach(
        actor=world.specialist, case=case, kind="archive", filename="x.zip", content=b"PK\x03\x04"
    )
    assert document.content_type == "application/octet-stream"


def test_size_limit_saves_nothing(world: World, media: Path, settings: Settings) -> None:
    settings.REGDESK_DOCUMENT_MAX_BYTES = 64
    case = start_case(world)
    with pytest.raises(DocumentRefused) as raised:
        document_attach(actor=world.specialist, case=case, kind="form", filename="a.pdf", content=PDF_BYTES + b"x" * 64)
    assert raised.value.code == "too_large"
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES + b"x" * 64, content_type="application/pdf")
    with pytest.raises(DocumentRefused):
        document_attach(actor=world.specialist, case=case, kind="form", filename="a.pdf", content=upload)
    assert not Document.objects.exists()
    assert stored_files(media) == []
    small = SimpleUploadedFile("a.pdf", b"%PDF-1.4 tiny", content_type="application/pdf")
    assert document_attach(actor=world.specialist, case=case, kind="form", filename="a.pdf", content=small).size == 13


def test_jpeg_metadata_is_removed_and_orientation_applied(world: World) -> None:
    original = jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif()[0x0112] == 6
        assert 0x8825 in check.getexif()
    case = start_case(world)
    document = document_attach(actor=world.specialist, case=case, kind="form", filename="id.jpg", content=original)
    assert document.content_type == "image/jpeg"
    data = document_open(actor=world.specialist, document=document, purpose="check")
    assert b"Exif" not in data
    assert b"Camera maker" not in data
    with Image.open(io.BytesIO(data)) as cleaned:
        assert cleaned.format == "JPEG"
        assert dict(cleaned.getexif()) == {}
        # 40×20 rotated a quarter turn for display: 20×40, with the blue half now on top.
        assert cleaned.size == (20, 40)
        top = cleaned.getpixel((10, 5))
        bottom = cleaned.getpixel((10, 35))
        assert isinstance(top, tuple)
        assert isinstance(bottom, tuple)
        assert top[2] > top[0]
        assert bottom[0] > bottom[2]


@pytest.mark.parametrize("image_format", ["PNG", "GIF", "WEBP"])
def test_other_images_are_reencoded_without_metadata(world: World, image_format: str) -> None:
    image = Image.new("RGB", (8, 8), (10, 200, 10))
    output = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    options: dict[str, object] = {"exif": exif.tobytes()} if image_format != "GIF" else {"comment": b"Camera maker"}
    image.save(output, format=image_format, **options)
    assert b"Camera maker" in output.getvalue()
    case = start_case(world)
    document = document_attach(
        actor=world.specialist, case=case, kind="form", filename=f"a.{image_format.lower()}", content=output.getvalue()
    )
    assert document.content_type == f"image/{image_format.lower()}"
    data = document_open(actor=world.specialist, document=document, purpose="check")
    assert b"Camera maker" not in data
    with Image.open(io.BytesIO(data)) as cleaned:
        assert cleaned.format == image_format
        assert cleaned.size == (8, 8)
