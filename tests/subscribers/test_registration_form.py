"""The end of a registration: the printed registration form and service agreement with the receipt (a PDF whose
text, read back with pdftotext, holds the masked ID, the outlet and the clerk, never the full number), and the
customer's signature drawn on the pad, kept encrypted in the vault with its audit, and printed on the form."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image, ImageDraw

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Document
from regdesk.cases.services import document_open
from regdesk.subscribers.models import Registration
from regdesk.subscribers.selectors import registration_view
from regdesk.subscribers.services import registration_check, registration_complete
from tests.accounts.helpers import login_fully
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import World, live_photo, mobile_number, start_with_reading, valid_people

pytestmark = pytest.mark.django_db
Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]


def _registered(world: World, checks: Checks, serial: int) -> tuple[Registration, str]:
    (who,) = valid_people(checks[0], 1, skip=serial)
    registration = start_with_reading(world, who, number=mobile_number(serial))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    registration = registration_complete(actor=world.clerk, registration=registration)
    assert registration.case is not None
    assert registration.case.state == "registered"
    return registration, who["id_number"]


def _client(world: World) -> Client:
    client = Client()
    login_fully(client, world.clerk)
    return client


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils' pdftotext is needed"
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def _drawn_signature() -> str:
    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).line([(40, 150), (200, 40), (320, 160), (560, 60)], fill="black", width=6)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return "data:image/png;base64," + base64.b64encode(output.getvalue()).decode("ascii")


def _form_url(registration: Registration) -> str:
    return f"/desk/subscribers/counter/registrations/{registration.pk}/form.pdf"


def test_the_printed_form_holds_the_masked_id_the_outlet_and_the_clerk(
    world: World, checks: Checks, tmp_path: Path
) -> None:
    registration, number = _registered(world, checks, 31)
    response = _client(world).get(_form_url(registration))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = _pdf_text(response.content, tmp_path)
    masked = registration_view(registration, world.clerk).document_number
    assert "*" in masked
    assert masked in text
    assert number not in text
    assert world.outlet.name in text
    assert world.clerk.username in text
    for words in ("入网登记表", "Registration form and service agreement", "回执", "Receipt"):
        assert words in text


def test_no_form_before_the_line_is_registered(world: World, checks: Checks) -> None:
    (who,) = valid_people(checks[0], 1, skip=32)
    registration = start_with_reading(world, who, number=mobile_number(32))
    assert _client(world).get(_form_url(registration)).status_code == 404


def test_the_signature_is_kept_encrypted_with_its_audit_and_printed(
    world: World, checks: Checks, tmp_path: Path
) -> None:
    registration, _number = _registered(world, checks, 33)
    client = _client(world)
    unsigned = client.get(_form_url(registration)).content
    drawn = _drawn_signature()
    response = client.post(f"/desk/subscribers/counter/registrations/{registration.pk}/signature", {"signature": drawn})
    assert response.status_code == 302
    document = Document.objects.get(kind="customer_signature")
    with default_storage.open(document.storage_name, "rb") as stored:
        sealed = stored.read()
    png = base64.b64decode(drawn.split(",", 1)[1])
    assert b"\x89PNG" not in sealed
    assert png[16:64] not in sealed
    opened = document_open(actor=world.clerk, document=document, purpose="test: the kept signature")
    assert opened.startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action="line_registration.sign", actor=world.clerk).count() == 1
    signed = client.get(_form_url(registration)).content
    assert b"/Subtype /Image" in signed
    assert b"/Subtype /Image" not in unsigned
    page = client.get(f"/desk/subscribers/counter/registrations/{registration.pk}/").content.decode()
    assert 'data-testid="signed"' in page


def test_an_empty_pad_is_refused_and_nothing_is_kept(world: World, checks: Checks) -> None:
    registration, _number = _registered(world, checks, 34)
    blank = Image.new("RGB", (600, 200), "white")
    output = io.BytesIO()
    blank.save(output, format="PNG")
    response = _client(world).post(
        f"/desk/subscribers/counter/registrations/{registration.pk}/signature",
        {"signature": "data:image/png;base64," + base64.b64encode(output.getvalue()).decode("ascii")},
        follow=True,
    )
    assert response.status_code == 200
    assert Document.objects.filter(kind="customer_signature").count() == 0
    assert AuditEvent.objects.filter(action="line_registration.sign").count() == 0
