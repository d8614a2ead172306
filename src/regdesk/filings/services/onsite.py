"""On-site verification (当面核验, seed 001 steps 3-6): the specialist records, while the person in charge is at
the office, each part the process's guard ``onsite_complete`` asks for.

1. ``onsite_checklist_record``: the originals seen (the verification form's checklist).
2. ``onsite_photo_take`` then ``onsite_photo_confirm``: the full-face colour photo (kept as taken, plus an upload
   copy within the interface's limit) and the specialist's confirmation that the face matches the ID.
3. ``onsite_identity_check``: name + ID number + photo against the public-security records (identity gateway).
4. ``onsite_registry_check``: an enterprise's name and code against the enterprise registry (registry gateway).
5. ``onsite_copy_store``: copies of the certificate, both sides of the ID documents, the domain certificates —
   each a case document marked "for ICP filing use only" with the date (also printed on an image copy).
6. ``onsite_form_generate``: the verification form PDF, both copies, the second with the provider's seal.

Then ``filing_onsite_verification_record`` (``services.actions``). Check outcomes keep codes only — which part
did not match, never the values; gateway failures are recorded as "could not be checked" and may be repeated.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from regdesk.audit.services import audit_record
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.cases.models import Document
from regdesk.cases.services import DocumentRefused, document_attach, document_open
from regdesk.filings import conditions, config
from regdesk.filings.documents.errors import DocumentError
from regdesk.filings.errors import FilingRefused, FilingValidationError, field_error
from regdesk.filings.models import (
    Attachment,
    AttachmentKind,
    CheckOutcome,
    Filing,
    FilingState,
    OnsiteVerification,
    Website,
)
from regdesk.filings.models.filing import WEBSITE_ATTACHMENT_KINDS
from regdesk.filings.permissions import require_specialist
from regdesk.gateways.errors import GatewayError
from regdesk.privacy.fields import PersonalValue
from regdesk.rules import icp
from regdesk.rules.icp import FieldError

if TYPE_CHECKING:
    from regdesk.accounts.models import User

ORIGINALS = ("owner_certificate", "person_in_charge_id", "website_person_in_charge_ids", "domain_certificates",
             "pre_approvals")  # fmt: skip
COPY_KINDS = frozenset(
    {
        AttachmentKind.OWNER_CERTIFICATE,
        AttachmentKind.OWNER_PERSON_ID_FRONT,
        AttachmentKind.OWNER_PERSON_ID_BACK,
        AttachmentKind.WEBSITE_PERSON_ID_FRONT,
        AttachmentKind.WEBSITE_PERSON_ID_BACK,
        AttachmentKind.DOMAIN_CERTIFICATE,
    }
)
# Numbers the public-security service can look up: 18 characters of GB 11643 form.
RESIDENT_NUMBER_TYPES = frozenset({2, 26, 27})
ENTERPRISE_NATURE = 4
DOCUMENT_PURPOSE = "on-site verification of the ICP filing"


def _verification(filing: Filing) -> OnsiteVerification:
    """The verification of the current on-site notice, locked; refused outside ``awaiting_onsite``."""
    if filing.state != FilingState.AWAITING_ONSITE:
        raise FilingRefused(
            "wrong_state", _("The on-site verification is recorded while the filing awaits it (after the notice).")
        )
    verification, _created = OnsiteVerification.objects.get_or_create(filing=filing, round=filing.onsite_rounds)
    return OnsiteVerification.objects.select_for_update().get(pk=verification.pk)


def _audit(actor: User | None, filing: Filing, action: str, **changes: object) -> None:
    audit_record(
        actor=actor,
        action=f"filing_onsite.{action}",
        object_type="filings.filing",
        object_id=filing.pk,
        changes={"round": filing.onsite_rounds, **changes},
        unit=filing.owner.unit,
    )


def _stale_form(verification: OnsiteVerification) -> list[str]:
    """A change after the form was generated makes the form stale: it must be generated again."""
    if verification.form_document_id is None:
        return []
    verification.form_document = None
    verification.form_number = ""
    return ["form_document", "form_number"]


def onsite_checklist_record(*, actor: User, filing: Filing, originals: Mapping[str, Any]) -> OnsiteVerification:
    """Record the originals the specialist inspected: ``owner_certificate``, ``person_in_charge_id``,
    ``website_person_in_charge_ids``, ``domain_certificates`` and ``pre_approvals`` (each yes or no)."""
    require_specialist(actor, filing)
    errors: list[FieldError] = []
    for key, value in originals.items():
        if key not in ORIGINALS:
            errors.append(field_error(f"originals.{key}", "unknown_field"))
        elif not isinstance(value, bool):
            errors.append(field_error(f"originals.{key}", "not_yes_no"))
    if errors:
        raise FilingValidationError(errors)
    with transaction.atomic():
        verification = _verification(filing)
        verification.originals = {key: bool(originals.get(key, False)) for key in ORIGINALS}
        fields = ["originals", "updated_at", *_stale_form(verification)]
        verification.save(update_fields=fields)
        _audit(actor, filing, "checklist", originals=verification.originals)
    return verification


def _current(filing: Filing, kind: str) -> Attachment | None:
    return (
        Attachment.objects.filter(filing=filing, onsite_round=filing.onsite_rounds, kind=kind)
        .select_related("document")
        .order_by("-created_at", "-pk")
        .first()
    )


def onsite_identity_check(*, actor: User, filing: Filing) -> OnsiteVerification:
    """Check the person in charge's name, ID number and photo (the upload copy, when taken) with the
    public-security identity service. The outcome and what did not match are kept; the values are not."""
    require_specialist(actor, filing)
    owner = filing.owner
    name = owner.person_name.reveal() if owner.person_name is not None else ""
    number = owner.person_document_number.reveal() if owner.person_document_number is not None else ""
    photo_attachment = _current(filing, AttachmentKind.PHOTO_UPLOAD)
    photo = (
        document_open(actor=actor, document=photo_attachment.document, purpose=DOCUMENT_PURPOSE)
        if photo_attachment is not None
        else None
    )
    outcome: str = CheckOutcome.NOT_AVAILABLE
    detail: dict[str, Any] = {}
    if owner.person_document_type not in RESIDENT_NUMBER_TYPES or len(number) != 18:
        detail = {"reason": "document_type"}
    else:
        from regdesk.gateways.identity import IdentityCheckOutcome, get_identity_check_gateway

        photo_verdicts = (IdentityCheckOutcome.MATCH, IdentityCheckOutcome.PHOTO_MISMATCH)

        try:
            result = get_identity_check_gateway().verify(
                name=name,
                id_number=number,
                photo=photo,
                idempotency_key=f"filings:{filing.pk}:identity:{secrets.token_hex(8)}",
            )
        except GatewayError as error:
            detail = {"reason": "service", "error": error.code}
        else:
            verdict, threshold = result.outcome, None
            if result.similarity is not None and result.outcome in photo_verdicts:
                # The service's own photo verdict applies its own threshold; the deployment's one decides, as at
                # the counter (one REGDESK_FACE_MATCH_THRESHOLD).
                threshold = config.face_match_threshold()
                verdict = photo_verdicts[0] if result.similarity >= threshold else photo_verdicts[1]
            outcome = CheckOutcome.CONSISTENT if verdict is photo_verdicts[0] else CheckOutcome.INCONSISTENT
            detail = {
                "result": verdict.value,
                "similarity": result.similarity,
                "threshold": threshold,
                "photo": photo is not None,
                "verification": result.verification_id,
            }
    with transaction.atomic():
        verification = _verification(filing)
        verification.identity_outcome = outcome
        verification.identity_detail = detail
        verification.identity_checked_at = timezone.now()
        fields = [
            "identity_outcome",
            "identity_detail",
            "identity_checked_at",
            "updated_at",
            *_stale_form(verification),
        ]
        verification.save(update_fields=fields)
        _audit(actor, filing, "identity_check", outcome=outcome, detail=detail)
    return verification


def onsite_registry_check(*, actor: User, filing: Filing) -> OnsiteVerification:
    """Check an enterprise owner's name and unified social credit code with the enterprise registry; the person in
    charge is given as the legal representative and a difference is noted (an authorisation letter is then needed)
    without making the check fail. Other owners (individuals, bodies outside the register) are "not applicable"."""
    require_specialist(actor, filing)
    owner = filing.owner
    number = owner.certificate_number.reveal() if owner.certificate_number is not None else ""
    uscc = icp.default_code_tables().certificate_types.get(owner.certificate_type or 0)
    outcome: str = CheckOutcome.NOT_APPLICABLE
    detail: dict[str, Any] = {"reason": "not_an_enterprise"}
    if not owner.is_individual and owner.nature == ENTERPRISE_NATURE and uscc is not None and "uscc" in uscc.formats:
        from regdesk.gateways.registry import RegistryCheckOutcome, get_enterprise_registry_gateway

        try:
            result = get_enterprise_registry_gateway().verify(
                name=owner.public_name,
                uscc=number,
                legal_representative=owner.person_name.reveal() if owner.person_name is not None else "",
            )
        except (GatewayError, ValueError) as error:
            outcome = CheckOutcome.NOT_AVAILABLE
            detail = {"reason": "service", "error": getattr(error, "code", "invalid_code")}
        else:
            consistent = result.outcome in (RegistryCheckOutcome.MATCH, RegistryCheckOutcome.REPRESENTATIVE_MISMATCH)
            outcome = CheckOutcome.CONSISTENT if consistent else CheckOutcome.INCONSISTENT
            detail = {"result": result.outcome.value, "status": result.status.value if result.status else None}
    with transaction.atomic():
        verification = _verification(filing)
        verification.registry_outcome = outcome
        verification.registry_detail = detail
        verification.registry_checked_at = timezone.now()
        fields = [
            "registry_outcome",
            "registry_detail",
            "registry_checked_at",
            "updated_at",
            *_stale_form(verification),
        ]
        verification.save(update_fields=fields)
        _audit(actor, filing, "registry_check", outcome=outcome, detail=detail)
    return verification


def _marking_text(filing: Filing) -> str:
    day = timezone.now().astimezone(LOCAL_ZONE).strftime("%Y-%m-%d")
    with translation.override(settings.LANGUAGE_CODE):
        return _("For ICP filing use only · %(reference)s · %(day)s") % {"reference": str(filing), "day": day}


def marked_copy(data: bytes, text: str) -> bytes:
    """An image copy with ``text`` printed across it (a photocopy of an ID is marked with its purpose and date);
    anything that is not an image is returned as it is."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image_format = opened.format
            opened.load()
            image = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return data
    if image_format not in ("JPEG", "PNG"):
        return data
    from regdesk.documents.fonts import find_cjk_font

    band = Image.new("RGBA", image.size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(band)
    size = max(12, image.width // 28)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(find_cjk_font()), size, index=0)
    except Exception:  # no CJK font: the mark is still recorded on the attachment
        font = ImageFont.load_default()
    for row in range(1, 4):
        draw.text((image.width / 2, image.height * row / 4), text, font=font, fill=(200, 0, 0, 110), anchor="mm")
    marked = Image.alpha_composite(image, band).convert("RGB")
    buffer = io.BytesIO()
    marked.save(buffer, format="JPEG" if image_format == "JPEG" else "PNG", quality=90)
    return buffer.getvalue()


def _attach(
    *,
    actor: User,
    filing: Filing,
    kind: str,
    filename: str,
    content: bytes,
    website: Website | None = None,
) -> Attachment:
    assert filing.case is not None  # noqa: S101 - every filing has its case
    try:
        document = document_attach(actor=actor, case=filing.case, kind=kind, filename=filename, content=content)
    except DocumentRefused as refused:
        raise FilingValidationError(
            [FieldError(field="document", code=refused.code, message_zh=refused.message, message_en=refused.message)]
        ) from None
    with translation.override(settings.LANGUAGE_CODE):
        purpose = _("For ICP filing use only: %(kind)s") % {"kind": AttachmentKind(kind).label}
    return Attachment.objects.create(
        filing=filing,
        kind=kind,
        website=website,
        document=document,
        purpose=purpose[:200],
        marked_on=timezone.now().astimezone(LOCAL_ZONE).date(),
        onsite_round=filing.onsite_rounds,
        created_by=actor,
    )


def onsite_copy_store(
    *,
    actor: User,
    filing: Filing,
    kind: str,
    filename: str,
    content: bytes,
    website: Website | None = None,
) -> Attachment:
    """Keep a copy of an original seen (certificate, ID front or back, domain certificate) as a case document
    marked "for ICP filing use only" with the date; website kinds name the website (one of this filing's)."""
    require_specialist(actor, filing)
    if kind not in COPY_KINDS:
        raise FilingValidationError([field_error("kind", "unknown_field")])
    if (kind in WEBSITE_ATTACHMENT_KINDS) != (website is not None) or (
        website is not None and website.filing_id != filing.pk
    ):
        raise FilingValidationError([field_error("website", "unknown_field")])
    with transaction.atomic():
        verification = _verification(filing)
        attachment = _attach(
            actor=actor,
            filing=filing,
            kind=kind,
            filename=filename,
            content=marked_copy(content, _marking_text(filing)),
            website=website,
        )
        stale = _stale_form(verification)
        if stale:
            verification.save(update_fields=[*stale, "updated_at"])
        _audit(
            actor, filing, "copy", kind=kind, document=attachment.document_id, website=website.pk if website else None
        )
    return attachment


def onsite_photo_take(*, actor: User, filing: Filing, content: bytes, filename: str = "photo.jpg") -> Attachment:
    """Store the photo of the person in charge: checked (colour, at least 800×600, exactly one frontal face),
    kept as taken, plus its upload copy within the interface's limit. A new photo needs a new confirmation and a
    new identity check."""
    require_specialist(actor, filing)
    from regdesk.filings.documents.photo import prepare_photo

    try:
        prepared = prepare_photo(content)
    except DocumentError as error:
        raise FilingValidationError(
            [FieldError(field="photo", code=error.code, message_zh=error.message_zh, message_en=error.message_en)]
        ) from None
    with transaction.atomic():
        verification = _verification(filing)
        _attach(
            actor=actor, filing=filing, kind=AttachmentKind.PHOTO_ORIGINAL, filename=filename, content=prepared.original
        )
        upload = _attach(
            actor=actor,
            filing=filing,
            kind=AttachmentKind.PHOTO_UPLOAD,
            filename="photo-upload.jpg",
            content=prepared.upload,
        )
        verification.photo_confirmed = False
        verification.photo_confirmed_at = None
        verification.identity_outcome = ""
        verification.identity_detail = {}
        fields = ["photo_confirmed", "photo_confirmed_at", "identity_outcome", "identity_detail", "updated_at"]
        verification.save(update_fields=[*fields, *_stale_form(verification)])
        _audit(actor, filing, "photo", width=prepared.upload_width, height=prepared.upload_height)
    return upload


def onsite_photo_confirm(*, actor: User, filing: Filing, face_matches: bool) -> OnsiteVerification:
    """The specialist's confirmation that the person photographed is the person on the ID (or that it is not)."""
    require_specialist(actor, filing)
    if _current(filing, AttachmentKind.PHOTO_UPLOAD) is None:
        raise FilingRefused("no_photo", _("Take the photo of the person in charge first."))
    with transaction.atomic():
        verification = _verification(filing)
        verification.photo_confirmed = bool(face_matches)
        verification.photo_confirmed_at = timezone.now()
        fields = ["photo_confirmed", "photo_confirmed_at", "updated_at", *_stale_form(verification)]
        verification.save(update_fields=fields)
        _audit(actor, filing, "photo_confirm", face_matches=bool(face_matches))
    return verification


def _label(table: Any, code: int | None) -> str:
    entry = table.get(code) if code is not None else None
    return str(entry.name_zh) if entry is not None else "—"


def _plain(value: PersonalValue | None) -> str:
    return value.reveal() if value is not None else ""


def onsite_form_generate(*, actor: User, filing: Filing, place: str) -> Attachment:
    """Generate the verification form (网站备案信息真实性核验单) from the filing and this verification: both
    copies in one PDF, the second with the provider's seal (``REGDESK_PROVIDER_SEAL_FILE``), stored as a case
    document. Needs the checklist, both record checks and the confirmed photo first."""
    require_specialist(actor, filing)
    from regdesk.filings.documents import verification_form as form

    place = place.strip()
    if not place:
        raise FilingValidationError([field_error("place", "not_text")])
    verification = conditions.current_verification(filing)
    if verification is None or not verification.originals or not verification.identity_outcome:
        raise FilingRefused("incomplete", _("Record the originals seen and the identity check first."))
    if not verification.registry_outcome:
        raise FilingRefused("incomplete", _("Run the enterprise registry check first."))
    if not verification.photo_confirmed:
        raise FilingRefused("incomplete", _("Take the photo and confirm that it shows the person on the ID first."))
    tables = icp.default_code_tables()
    owner = filing.owner

    def person(source: Any) -> form.FormPerson:
        return form.FormPerson(
            name=_plain(source.person_name),
            document_type=_label(tables.certificate_types, source.person_document_type),
            document_number=_plain(source.person_document_number),
            mobile=_plain(source.person_mobile),
            office_phone=_plain(source.person_office_phone),
            email=_plain(source.person_email),
        )

    websites = []
    for website in filing.websites.prefetch_related("domains", "pre_approvals"):
        domains = tuple(domain.name for domain in website.domains.all())
        websites.append(
            form.FormWebsite(
                name=website.name,
                domains=domains,
                homepage_url=website.homepage_url or (f"http://{domains[0]}" if domains else "—"),
                person_in_charge=person(website),
                pre_approvals=tuple(
                    f"{_label(tables.pre_approval_types, approval.type)} {approval.number}"
                    for approval in website.pre_approvals.all()
                ),
            )
        )
    originals = verification.originals
    outcome = {
        CheckOutcome.CONSISTENT: form.CheckOutcome.CONSISTENT,
        CheckOutcome.INCONSISTENT: form.CheckOutcome.INCONSISTENT,
    }
    checks = [
        form.RecordCheck(
            source=form.RecordSource.PUBLIC_SECURITY,
            subject="主体负责人姓名、身份证件号码及照片 Name, ID number and photo of the person in charge",
            outcome=outcome.get(CheckOutcome(verification.identity_outcome), form.CheckOutcome.NOT_AVAILABLE),
            reference=str(verification.identity_detail.get("verification", "")),
        )
    ]
    if verification.registry_outcome != CheckOutcome.NOT_APPLICABLE:
        checks.append(
            form.RecordCheck(
                source=form.RecordSource.ENTERPRISE_REGISTRY,
                subject="主办单位名称及统一社会信用代码 Owner's name and unified social credit code",
                outcome=outcome.get(CheckOutcome(verification.registry_outcome), form.CheckOutcome.NOT_AVAILABLE),
            )
        )
    now = timezone.now()
    form_number = f"{filing}-{filing.onsite_rounds}"
    data = form.VerificationFormData(
        form_number=form_number,
        owner=form.FormOwner(
            name=_plain(owner.name),
            nature=_label(tables.natures, owner.nature),
            certificate_type=_label(tables.certificate_types, owner.certificate_type),
            certificate_number=_plain(owner.certificate_number),
            certificate_address=_plain(owner.certificate_address),
        ),
        person_in_charge=person(owner),
        websites=tuple(websites),
        provider_name=config.provider_name(),
        provider_licence=config.provider_licence(),
        originals_seen=form.OriginalsSeen(
            owner_certificate=bool(originals.get("owner_certificate")),
            person_in_charge_id=bool(originals.get("person_in_charge_id")),
            website_person_in_charge_ids=bool(originals.get("website_person_in_charge_ids")),
            domain_certificates=bool(originals.get("domain_certificates")),
            pre_approvals=bool(originals.get("pre_approvals"))
            if any(site.pre_approvals for site in websites)
            else None,
        ),
        face_matches_id=verification.photo_confirmed,
        record_checks=tuple(checks),
        method=form.VerificationMethod.ON_SITE,
        specialist_name=actor.display_name or actor.get_username(),
        verified_at=now,
        place=place[:200],
    )
    try:
        pdf = form.render_verification_form(data, seal_png=config.provider_seal_png())
    except DocumentError as error:
        raise FilingValidationError(
            [FieldError(field="form", code=error.code, message_zh=error.message_zh, message_en=error.message_en)]
        ) from None
    with transaction.atomic():
        verification = _verification(filing)
        attachment = _attach(
            actor=actor,
            filing=filing,
            kind=AttachmentKind.VERIFICATION_FORM,
            filename=f"{form_number}.pdf",
            content=pdf,
        )
        verification.form_document = attachment.document
        verification.form_number = form_number
        verification.place = place[:200]
        verification.save(update_fields=["form_document", "form_number", "place", "updated_at"])
        _audit(actor, filing, "form", document=attachment.document_id, form_number=form_number)
    return attachment


def onsite_document(filing: Filing, kind: str) -> Document | None:
    """The latest document of ``kind`` stored in the current verification (for the desk pages)."""
    attachment = _current(filing, kind)
    return attachment.document if attachment is not None else None
