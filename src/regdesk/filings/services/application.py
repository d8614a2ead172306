"""What the owner portal needs beside drafts: the scans sent with the application (申请材料) and the audited
read of a filing's data in full.

* ``filing_scan_upload``: the owner attaches scans of the certificate, of both sides of the ID documents and of the
  domain certificates to the application, so that the specialist can review them before the on-site verification.
  They are attachments of round 0 — the application — and never count as the copies the on-site verification
  keeps (those the specialist makes from the originals, in the round of the notice, ``services.onsite``). Like
  every copy of an identity document, each is marked "for ICP filing use only" with the date.
* ``filing_data_open``: the filing's data with personal values in full, for the forms of its own owner (who
  entered them) or a specialist of its unit; every such read is written to the audit trail with its purpose
  (DESIGN.md: "the audit trail, including every read of personal data").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.cases.services import DocumentRefused, document_attach
from regdesk.cases.services.documents import max_document_bytes
from regdesk.filings.data import FilingData
from regdesk.filings.errors import FilingRefused, FilingValidationError, field_error
from regdesk.filings.models import Attachment, AttachmentKind, Filing, Website
from regdesk.filings.models.filing import WEBSITE_ATTACHMENT_KINDS
from regdesk.filings.permissions import is_filing_owner, is_specialist_for, require_editor
from regdesk.filings.services.drafts import EDITABLE_STATES, stored_data
from regdesk.filings.services.onsite import _marking_text, marked_copy
from regdesk.rules.icp import FieldError

if TYPE_CHECKING:
    from regdesk.accounts.models import User

# The scans an applicant may send with the application (the photo and the verification form are the on-site
# verification's; pre-approval scans go through ``filing_document_upload`` and into the data).
APPLICATION_SCAN_KINDS = frozenset(
    {
        AttachmentKind.OWNER_CERTIFICATE,
        AttachmentKind.OWNER_PERSON_ID_FRONT,
        AttachmentKind.OWNER_PERSON_ID_BACK,
        AttachmentKind.WEBSITE_PERSON_ID_FRONT,
        AttachmentKind.WEBSITE_PERSON_ID_BACK,
        AttachmentKind.DOMAIN_CERTIFICATE,
    }
)
# Attachments of the application itself; on-site copies carry the round of their notice (1, 2, ...).
APPLICATION_ROUND = 0
MINIMUM_PURPOSE_LENGTH = 4


def _role(actor: User, filing: Filing) -> str:
    return "website_owner" if is_filing_owner(actor, filing) else "specialist"


def _bytes(content: bytes | File[Any]) -> bytes:
    """The upload's bytes, read no further than one byte beyond the document limit (the case kernel refuses a
    larger file with its own message)."""
    if isinstance(content, bytes):
        return content
    content.seek(0)
    data = content.read(max_document_bytes() + 1)
    return data if isinstance(data, bytes) else data.encode("utf-8")


def filing_scan_upload(
    *,
    actor: User,
    filing: Filing,
    kind: str,
    filename: str,
    content: bytes | File[Any],
    website: Website | None = None,
) -> Attachment:
    """Attach a scan to the application (申请材料): the owner's certificate, the front or back of an ID document,
    a domain certificate. Website kinds (the website's person in charge, the domain certificate) name one of the
    filing's websites. While the filing is a draft or returned for changes, by its owner or a specialist.

    Refusals change nothing: ``FilingRefused`` (``role``, ``wrong_state``), ``FilingValidationError`` at ``kind``
    or ``website`` (not a scan of the application, a website that is not this filing's) or at ``document`` (the
    case kernel's refusals: empty, type, size, unreadable image). A newer scan of the same kind (and website)
    replaces the older one for the review; both stay in the case's documents.
    """
    require_editor(actor, filing)
    if kind not in APPLICATION_SCAN_KINDS:
        raise FilingValidationError([field_error("kind", "unknown_field")])
    if (kind in WEBSITE_ATTACHMENT_KINDS) != (website is not None) or (
        website is not None and website.filing_id != filing.pk
    ):
        raise FilingValidationError([field_error("website", "unknown_field")])
    if filing.state not in EDITABLE_STATES or filing.case is None:
        raise FilingRefused(
            "wrong_state", _("Documents can be added only while the filing is a draft or returned for changes.")
        )
    data = _bytes(content)
    with transaction.atomic():
        try:
            document = document_attach(
                actor=actor,
                case=filing.case,
                kind=kind,
                filename=filename,
                content=marked_copy(data, _marking_text(filing)) if len(data) <= max_document_bytes() else data,
            )
        except DocumentRefused as refused:
            message = refused.message
            raise FilingValidationError(
                [FieldError(field="document", code=refused.code, message_zh=message, message_en=message)]
            ) from None
        # The purpose is recorded in the provider's language, whoever uploads (as for the on-site copies).
        with translation.override(settings.LANGUAGE_CODE):
            marked_purpose = _("For ICP filing use only: %(kind)s") % {"kind": AttachmentKind(kind).label}
        attachment = Attachment.objects.create(
            filing=filing,
            kind=kind,
            website=website,
            document=document,
            purpose=marked_purpose[:200],
            marked_on=timezone.now().astimezone(LOCAL_ZONE).date(),
            onsite_round=APPLICATION_ROUND,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="filing.scan_upload",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={"kind": kind, "document": document.pk, "website": website.pk if website is not None else None},
            role=_role(actor, filing),
            unit=filing.owner.unit,
        )
    return attachment


def filing_data_open(*, actor: User, filing: Filing, purpose: str) -> FilingData:
    """The filing's data with every personal value in full (解密查看), for its owner — who entered the values and
    needs them to edit or check their application — or a specialist of its unit, for a stated purpose of at least
    four characters. Written to the audit trail (``filing.data_open``: the purpose, never a value); refused with
    ``FilingRefused`` (``role``, ``purpose``) for anyone else, and nothing is read."""
    if not (is_filing_owner(actor, filing) or is_specialist_for(actor, filing)):
        raise FilingRefused("role", _("You may not see this filing's data."))
    stated = " ".join((purpose or "").split())
    if len(stated) < MINIMUM_PURPOSE_LENGTH:
        raise FilingRefused("purpose", _("State why the data is opened."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="filing.data_open",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={"state": filing.state},
            purpose=stated[:200],
            role=_role(actor, filing),
            unit=filing.owner.unit,
        )
    return stored_data(filing)
