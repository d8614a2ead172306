"""Scans sent with the application, the audited read of a filing's data in full, and the owner's own filings."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Document
from regdesk.filings.errors import FilingRefused, FilingValidationError
from regdesk.filings.models import Attachment, AttachmentKind, Filing
from regdesk.filings.selectors import filings_of_owner
from regdesk.filings.services import filing_withdraw
from regdesk.filings.services.application import APPLICATION_ROUND, filing_data_open, filing_scan_upload
from tests.filings.builders import World, draft, person, submitted

pytestmark = pytest.mark.django_db


def _scan() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_the_owner_attaches_scans_of_the_application(world: World) -> None:
    filing = draft(world)
    website = filing.websites.get()
    owner_scan = filing_scan_upload(
        actor=world.owner, filing=filing, kind=AttachmentKind.OWNER_CERTIFICATE, filename="licence.jpg", content=_scan()
    )
    domain_scan = filing_scan_upload(
        actor=world.owner,
        filing=filing,
        kind=AttachmentKind.DOMAIN_CERTIFICATE,
        filename="domain.jpg",
        content=_scan(),
        website=website,
    )
    assert owner_scan.onsite_round == APPLICATION_ROUND
    assert owner_scan.website is None
    assert domain_scan.website == website
    assert owner_scan.purpose.startswith("仅供ICP备案使用")
    assert owner_scan.document.case == filing.case
    event = AuditEvent.objects.filter(action="filing.scan_upload").last()
    assert event is not None
    assert event.changes["kind"] == "domain_certificate"
    assert event.role == "website_owner"


@pytest.mark.parametrize(
    ("kind", "with_website", "field"),
    [
        (AttachmentKind.PHOTO_ORIGINAL, False, "kind"),
        (AttachmentKind.VERIFICATION_FORM, False, "kind"),
        (AttachmentKind.DOMAIN_CERTIFICATE, False, "website"),
        (AttachmentKind.OWNER_CERTIFICATE, True, "website"),
    ],
)
def test_a_scan_of_the_wrong_kind_or_website_is_refused(
    world: World, kind: str, with_website: bool, field: str
) -> None:
    filing = draft(world)
    website = filing.websites.get() if with_website else None
    with pytest.raises(FilingValidationError) as raised:
        filing_scan_upload(
            actor=world.owner, filing=filing, kind=kind, filename="x.jpg", content=_scan(), website=website
        )
    assert list(raised.value.codes) == [field]
    assert not Attachment.objects.exists()
    assert not Document.objects.exists()


def test_a_website_of_another_filing_is_refused(world: World) -> None:
    filing = draft(world)
    other = draft(world, 1, actor=world.other_owner)
    with pytest.raises(FilingValidationError) as raised:
        filing_scan_upload(
            actor=world.owner,
            filing=filing,
            kind=AttachmentKind.DOMAIN_CERTIFICATE,
            filename="x.jpg",
            content=_scan(),
            website=other.websites.get(),
        )
    assert raised.value.codes == {"website": ["unknown_field"]}
    assert not Attachment.objects.exists()


def test_a_file_that_is_not_a_document_is_refused_at_the_document_field(world: World) -> None:
    filing = draft(world)
    with pytest.raises(FilingValidationError) as raised:
        filing_scan_upload(
            actor=world.owner,
            filing=filing,
            kind=AttachmentKind.OWNER_PERSON_ID_FRONT,
            filename="id.txt",
            content=b"not a picture",
        )
    assert list(raised.value.codes) == ["document"]
    assert not Attachment.objects.exists()
    assert not Document.objects.exists()


def test_scans_are_refused_to_other_people_and_after_the_submission(world: World) -> None:
    filing = draft(world)
    for stranger in (world.other_owner, world.other_specialist, world.auditor):
        with pytest.raises(FilingRefused) as raised:
            filing_scan_upload(
                actor=stranger, filing=filing, kind=AttachmentKind.OWNER_CERTIFICATE, filename="a.jpg", content=_scan()
            )
        assert raised.value.code == "role"
    sent = submitted(world, 1)
    with pytest.raises(FilingRefused) as refused:
        filing_scan_upload(
            actor=world.owner, filing=sent, kind=AttachmentKind.OWNER_CERTIFICATE, filename="a.jpg", content=_scan()
        )
    assert refused.value.code == "wrong_state"
    assert not Attachment.objects.exists()


def test_the_owner_opens_their_data_in_full_and_the_read_is_audited(world: World) -> None:
    filing = draft(world)
    data = filing_data_open(actor=world.owner, filing=filing, purpose="edit my application")
    assert data.owner.person_in_charge.mobile == person(0)["mobile"]
    event = AuditEvent.objects.filter(action="filing.data_open").get()
    assert event.purpose == "edit my application"
    assert event.role == "website_owner"
    assert person(0)["mobile"] not in str(event.changes)
    assert filing_data_open(actor=world.specialist, filing=filing, purpose="review").owner.name


def test_nobody_else_opens_the_data_and_a_purpose_is_needed(world: World) -> None:
    filing = draft(world)
    for stranger in (world.other_owner, world.other_specialist, world.auditor, world.compliance):
        with pytest.raises(FilingRefused) as raised:
            filing_data_open(actor=stranger, filing=filing, purpose="curiosity")
        assert raised.value.code == "role"
    with pytest.raises(FilingRefused) as refused:
        filing_data_open(actor=world.owner, filing=filing, purpose="  ")
    assert refused.value.code == "purpose"
    assert not AuditEvent.objects.filter(action="filing.data_open").exists()


def test_the_owner_lists_their_own_filings_only(world: World) -> None:
    first = draft(world)
    withdrawn = filing_withdraw(actor=world.owner, filing=draft(world, 2))
    draft(world, 1, actor=world.other_owner)
    listed = filings_of_owner(world.owner)
    assert [item.id for item in listed] == [withdrawn.pk, first.pk]
    assert listed[0].state == "withdrawn"
    assert filings_of_owner(world.specialist) == []
    assert filings_of_owner(None) == []
    assert Filing.objects.count() == 3
