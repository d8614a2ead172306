"""The on-site verification screen (当面核验) against the identity and registry simulators: each part through its
service, the photo's specific refusals, a mismatch shown plainly, copies marked for filing use, the two-page form,
and the record refused until everything is there."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from PIL import Image
from skimage import data as pictures

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import DocumentView
from regdesk.filings.desk.views.onsite import PREVIEW_PURPOSE
from regdesk.filings.models import Attachment, AttachmentKind, Filing, FilingState
from regdesk.filings.services import (
    contact_phone_call_record,
    filing_draft_create,
    filing_onsite_notice_send,
    filing_submit,
)
from tests.api.snapshot import changed_tables, database_snapshot
from tests.filings.builders import World, awaiting_onsite, coffee, filing_json, photo, scan
from tests.filings.desk_support import desk_client, post, text, url
from tests.fixtures.simulators import IdentitySimulatorHandle, RegistrySimulatorHandle

pytestmark = pytest.mark.django_db
PLACE = "上海市杨浦区国定路200号 营业厅"


@pytest.fixture
def records(
    use_identity_simulator: IdentitySimulatorHandle, use_registry_simulator: RegistrySimulatorHandle
) -> IdentitySimulatorHandle:
    return use_identity_simulator


def _jpeg(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _copy_rows(page: str) -> list[tuple[str, str]]:
    """``(kind, website id or "")`` of every copy the screen asks for."""
    rows = []
    for block in re.findall(r'<tr data-testid="copy".*?</tr>', page, flags=re.S):
        kind = re.search(r'name="kind" value="([^"]+)"', block)
        website = re.search(r'name="website" value="([^"]+)"', block)
        assert kind is not None
        rows.append((kind.group(1), website.group(1) if website else ""))
    return rows


def _store_copies(client: Client, filing: Filing) -> None:
    for kind, website in _copy_rows(client.get(url(filing, "onsite/")).content.decode()):
        data: dict[str, object] = {"kind": kind, "file": _upload(f"{kind}.jpg", scan())}
        if website:
            data["website"] = website
        answer = post(client, url(filing, "onsite/copies/"), data, htmx=True)
        assert 'data-testid="onsite-notice"' in answer.content.decode(), text(answer)


def test_the_whole_verification_on_the_screen(world: World, records: IdentitySimulatorHandle, tmp_path: Path) -> None:
    filing = awaiting_onsite(world)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    screen = client.get(url(filing, "onsite/"))
    assert screen.status_code == 200
    assert 'data-testid="onsite-missing"' in screen.content.decode()

    early = post(client, url(filing, "onsite/record/"), htmx=True)
    assert 'data-testid="record-refusal"' in early.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.AWAITING_ONSITE

    checklist = {"owner_certificate": "on", "person_in_charge_id": "on"}
    checklist |= {"website_person_in_charge_ids": "on", "domain_certificates": "on"}
    saved = text(post(client, url(filing, "onsite/checklist/"), checklist, htmx=True))
    assert "The checklist of originals seen is saved." in saved
    assert "The photo of the person in charge has not been taken." in saved, "what is still missing"

    no_face = post(client, url(filing, "onsite/photo/"), {"photo": _upload("coffee.jpg", coffee())}, htmx=True)
    assert "No frontal face was found in the photo" in text(no_face)
    small = _jpeg(np.asarray(pictures.astronaut()))  # type: ignore[no-untyped-call]
    too_small = post(client, url(filing, "onsite/photo/"), {"photo": _upload("small.jpg", small)}, htmx=True)
    assert "at least 800×600 pixels" in text(too_small)
    assert "not 512×512" in text(too_small)
    assert not Attachment.objects.filter(filing=filing, kind=AttachmentKind.PHOTO_ORIGINAL).exists()

    taken = post(client, url(filing, "onsite/photo/"), {"photo": _upload("photo.jpg", photo())}, htmx=True)
    content = taken.content.decode()
    assert 'data-testid="photo-preview"' in content
    assert 'src="data:image/jpeg;base64,' in content
    assert "KB (the interface allows 100 KB)" in text(taken)
    assert DocumentView.objects.get().purpose == PREVIEW_PURPOSE

    identity = post(client, url(filing, "onsite/identity/"), htmx=True)
    assert 'data-outcome="consistent"' in identity.content.decode()
    assert "match the public-security records" in text(identity)
    confirmed = post(client, url(filing, "onsite/photo/confirm/"), {"face_matches": "on"}, htmx=True)
    assert 'data-testid="photo-confirmed"' in confirmed.content.decode()
    registry = post(client, url(filing, "onsite/registry/"), htmx=True)
    assert 'data-outcome="consistent"' in registry.content.decode()

    _store_copies(client, filing)
    marked = Attachment.objects.filter(filing=filing, kind=AttachmentKind.OWNER_PERSON_ID_FRONT).get()
    assert marked.purpose.startswith("仅供ICP备案使用") or "ICP" in marked.purpose
    assert marked.purpose in text(client.get(url(filing, "onsite/")))

    missing_place = post(client, url(filing, "onsite/form/"), {"place": ""}, htmx=True)
    assert "This field is required." in text(missing_place)
    generated = post(client, url(filing, "onsite/form/"), {"place": PLACE}, htmx=True)
    assert 'data-testid="form-generated"' in generated.content.decode()
    assert 'data-testid="onsite-complete"' in generated.content.decode()

    form_document = Attachment.objects.get(filing=filing, kind=AttachmentKind.VERIFICATION_FORM).document
    pdf = post(
        client, url(filing, f"documents/{form_document.pk}/open/"), {"purpose": "print the form", "download": "1"}
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info

    recorded = post(client, url(filing, "onsite/record/"), htmx=True)
    assert recorded["HX-Redirect"] == url(filing)
    filing.refresh_from_db()
    assert filing.state == FilingState.VERIFIED
    assert "The on-site verification is recorded" in text(client.get(url(filing)))


def _mismatched_filing(world: World, records: IdentitySimulatorHandle) -> Filing:
    example = records.example("name_mismatch")
    data = filing_json(4)
    for person in [data["owner"]["person_in_charge"], *(site["person_in_charge"] for site in data["websites"])]:
        person.update(name=example["name"], document_number=example["id_number"])
    filing = filing_draft_create(actor=world.owner, data=data)
    filing = filing_submit(actor=world.owner, filing=filing)
    contact_phone_call_record(actor=world.specialist, filing=filing, outcome="confirmed")
    return filing_onsite_notice_send(actor=world.specialist, filing=filing)


def test_a_name_that_differs_from_the_public_security_record_is_shown_as_a_mismatch(
    world: World, records: IdentitySimulatorHandle
) -> None:
    filing = _mismatched_filing(world, records)
    client = desk_client(world.specialist)
    answer = post(client, url(filing, "onsite/identity/"), htmx=True)
    content = answer.content.decode()
    assert 'class="mismatch"' in content
    assert 'data-outcome="inconsistent"' in content
    assert "不一致" in text(answer)
    assert "姓名与该身份证件号码的登记信息不符" in text(answer)
    assert records.example("name_mismatch")["name"] not in content, "the values themselves are not shown"
    refused = post(client, url(filing, "onsite/record/"), htmx=True)
    assert 'data-testid="record-refusal"' in refused.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.AWAITING_ONSITE


def test_an_unreachable_identity_service_is_reported_and_may_be_repeated(
    world: World, records: IdentitySimulatorHandle
) -> None:
    filing = awaiting_onsite(world)
    records.fail_next(10, status=503)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    answer = post(client, url(filing, "onsite/identity/"), htmx=True)
    assert 'data-outcome="not_available"' in answer.content.decode()
    assert "The service could not be reached; try again." in text(answer)
    records.reset()
    again = post(client, url(filing, "onsite/identity/"), htmx=True)
    assert 'data-outcome="consistent"' in again.content.decode()


def test_a_copy_for_a_website_of_another_filing_is_refused(world: World, records: IdentitySimulatorHandle) -> None:
    filing = awaiting_onsite(world)
    other = awaiting_onsite(world, 1)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    before = database_snapshot()
    answer = post(
        client,
        url(filing, "onsite/copies/"),
        {
            "kind": AttachmentKind.DOMAIN_CERTIFICATE,
            "website": other.websites.get().pk,
            "file": _upload("domain.jpg", scan()),
        },
        htmx=True,
    )
    assert "There is no such website in this filing." in text(answer)
    assert changed_tables(before, database_snapshot()) == []


def test_the_screen_is_read_only_outside_the_verification(world: World) -> None:
    filing = awaiting_onsite(world)
    page = desk_client(world.compliance).get(url(filing, "onsite/")).content.decode()
    assert 'data-testid="record-onsite"' not in page
    assert 'data-testid="photo-form"' not in page
    assert not AuditEvent.objects.filter(action__startswith="filing_onsite.").exists()


def test_without_htmx_the_photo_and_its_preview_answer_with_the_whole_screen(
    world: World, records: IdentitySimulatorHandle
) -> None:
    filing = awaiting_onsite(world)
    client = desk_client(world.specialist)
    taken = post(client, url(filing, "onsite/photo/"), {"photo": _upload("photo.jpg", photo())})
    assert taken.status_code == 200
    content = taken.content.decode()
    assert "<html" in content
    assert 'data-testid="photo-preview"' in content
    assert taken["Cache-Control"] == "no-store, private"
    refused = post(client, url(filing, "onsite/photo/"), {"photo": _upload("coffee.jpg", coffee())})
    assert refused.status_code == 302
    assert refused["Location"] == url(filing, "onsite/")
