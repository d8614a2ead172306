"""Between a filing and the MIIT interface: the filing as an XZBA record (``miit.records.NewFiling``), and the
downloaded review results (``BAJG``, ``BASJ``) as the process's system actions.

Identifiers: our record ids (``IspZtid``, ``IspWzid``, ``IspYmid``, ``IspJrid``, ``IspIpid``) are the primary keys
of the owner, website, domain, access and IP range rows; the province's results name the owner by ``IspZtid``.

Code tables the specification leaves to the province (published in its JCDM downloads, not in the text):

* 分布地点 ``Fbdd`` (1-64): the position of the server location's province in GB/T 2260 order (北京 1 … 新疆 31),
  unless ``REGDESK_ICP_SERVER_LOCATION_CODES`` maps a province code (``"110000"``) to the province's id;
* 附件文件格式 ``Fjwjgs``: 1 JPEG, 2 PDF; 附件用途 ``Fjyt``: 1 the owner's certificate, 2 the person in charge's
  ID, 3 the website person in charge's ID, 4 the verification form, 5 the photo — as the adapter's samples use
  them; ``REGDESK_ICP_ATTACHMENT_FORMATS`` and ``REGDESK_ICP_ATTACHMENT_PURPOSES`` override them.

Attachments are fitted into the interface's limits (stricter reading, ``filings.documents.limits``): a scan is
re-encoded smaller until its base64 text fits 100 K; the photo's upload copy and the form already fit.
"""

from __future__ import annotations

import base64
import io
import ipaddress
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from regdesk.cases.services.documents import document_open
from regdesk.filings import conditions, config
from regdesk.filings.documents.limits import PHOTO_LIMIT_ENCODED, VERIFICATION_FORM_LIMIT_ENCODED, base64_length
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import AttachmentKind, Filing, FilingState, Website
from regdesk.miit import records
from regdesk.privacy.fields import PersonalValue
from regdesk.rules.icp.record_numbers import default_provinces

if TYPE_CHECKING:
    from regdesk.accounts.models import User
    from regdesk.miit.models import MiitDownload

logger = logging.getLogger(__name__)

# Source: MIIT enterprise interface v3.0, Fjnr: "主办单位有效证件不超过100K" (stricter reading, as in limits).
SCAN_LIMIT_ENCODED = 100 * 1000
DEFAULT_FORMATS = {"image/jpeg": 1, "application/pdf": 2}
DEFAULT_PURPOSES = {
    AttachmentKind.OWNER_CERTIFICATE: 1,
    AttachmentKind.OWNER_PERSON_ID_FRONT: 2,
    AttachmentKind.OWNER_PERSON_ID_BACK: 2,
    AttachmentKind.WEBSITE_PERSON_ID_FRONT: 3,
    AttachmentKind.WEBSITE_PERSON_ID_BACK: 3,
    AttachmentKind.VERIFICATION_FORM: 4,
    AttachmentKind.PHOTO_UPLOAD: 5,
}
# Result codes that report progress, not a decision (核验单成功入库, IP比对成功).
INFORMATIONAL_CODES = frozenset({1060, 1062})
APPROVED_CODE = 1001
RETURNED_CODE = 1002
PURPOSE = "submission of the filing to the Communications Administration"


class MappingRefused(FilingRefused):
    """The filing cannot be written as interface records (a value the interface cannot carry)."""


def _text(value: PersonalValue | str | None) -> str | None:
    if value is None:
        return None
    text = value.reveal() if isinstance(value, PersonalValue) else value
    text = text.strip()
    return text or None


def _required(value: PersonalValue | str | None, field: str) -> str:
    text = _text(value)
    if text is None:
        raise MappingRefused(
            "missing", _("The filing lacks a value the regulator needs: %(field)s.") % {"field": field}
        )
    return text


def server_location_code(division: str) -> int:
    """``Fbdd`` of a server location (see the module docstring)."""
    province = f"{division[:2]}0000"
    configured = config.server_location_codes()
    if province in configured:
        return int(configured[province])
    codes = [entry.code for entry in default_provinces()]
    if province not in codes:
        raise MappingRefused("server_location", _("The server location is not in a province of the mainland."))
    return codes.index(province) + 1


def _ipv4(text: str) -> ipaddress.IPv4Address:
    address = ipaddress.ip_address(text.strip())
    if not isinstance(address, ipaddress.IPv4Address):
        raise MappingRefused("ipv6", _("The interface carries IPv4 ranges only; file the IPv6 ranges separately."))
    return address


def _person(
    *,
    name: PersonalValue | None,
    document_type: int | None,
    document_number: PersonalValue | None,
    office_phone: PersonalValue | None,
    mobile: PersonalValue | None,
    email: PersonalValue | None,
    where: str,
) -> records.PersonInCharge:
    return records.PersonInCharge(
        name=_text(name),
        office_phone=_text(office_phone),
        mobile=_required(mobile, f"{where}.mobile"),
        email=_required(email, f"{where}.email"),
        certificate_type_id=document_type,
        certificate_number=_text(document_number),
    )


def fit_scan(data: bytes, content_type: str, limit: int = SCAN_LIMIT_ENCODED) -> tuple[bytes, str]:
    """A scan within ``limit`` characters of base64: a PDF as it is (if it fits), an image re-encoded as a JPEG,
    smaller and smaller, until it fits. Returns the bytes and their content type."""
    if base64_length(len(data)) <= limit and content_type in DEFAULT_FORMATS:
        return data, content_type
    if content_type == "application/pdf":
        raise MappingRefused("attachment_too_large", _("A scanned PDF is larger than the interface allows (100 K)."))
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = opened.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise MappingRefused("attachment_unreadable", _("A scanned document cannot be read.")) from error
    scale = 1.0
    while True:
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        candidate = image.resize(size, Image.Resampling.LANCZOS) if scale < 1 else image
        for quality in (85, 70, 55, 40):
            buffer = io.BytesIO()
            candidate.save(buffer, format="JPEG", quality=quality, optimize=True)
            if base64_length(buffer.tell()) <= limit:
                return buffer.getvalue(), "image/jpeg"
        if min(size) < 200:
            raise MappingRefused("attachment_too_large", _("A scanned document cannot be made small enough."))
        scale *= 0.75


def _formats() -> dict[str, int]:
    return {**DEFAULT_FORMATS, **config.attachment_formats()}


def _purposes() -> dict[str, int]:
    configured = config.attachment_purposes()
    return {str(kind): int(configured.get(str(kind), code)) for kind, code in DEFAULT_PURPOSES.items()}


def _attachments(filing: Filing, actor: User) -> tuple[records.Attachment, ...]:
    purposes, formats = _purposes(), _formats()
    result: list[records.Attachment] = []
    for attachment in conditions.current_attachments(filing):
        purpose = purposes.get(attachment.kind)
        if purpose is None:
            continue
        # Every opening is recorded with its purpose, like any other reading of a stored copy.
        data = document_open(actor=actor, document=attachment.document, purpose=PURPOSE)
        content_type = attachment.document.content_type
        if attachment.kind == AttachmentKind.PHOTO_UPLOAD:
            # The kernel re-encodes images it stores; fit the copy again if that made it larger (the photo was
            # checked when it was taken).
            data, content_type = fit_scan(data, content_type, limit=PHOTO_LIMIT_ENCODED)
        elif attachment.kind == AttachmentKind.VERIFICATION_FORM:
            if base64_length(len(data)) > VERIFICATION_FORM_LIMIT_ENCODED:
                raise MappingRefused("form_too_large", _("The verification form is larger than the interface allows."))
        else:
            data, content_type = fit_scan(data, content_type)
        website = attachment.website
        result.append(
            records.Attachment(
                file_format_id=formats.get(content_type, 1),
                purpose_id=purpose,
                content=data,
                owner_type=records.AttachmentOwnerType.WEBSITE if website else records.AttachmentOwnerType.OWNER,
                owner_record_id=website.pk if website else filing.owner_id,
                remarks=None,
            )
        )
    return tuple(result)


def _pre_approval_scans(website: Website, actor: User) -> tuple[records.PreApproval, ...]:
    approvals: list[records.PreApproval] = []
    for approval in website.pre_approvals.select_related("document"):
        if approval.type is None or approval.document is None:
            raise MappingRefused("pre_approval", _("A pre-approval lacks its type or its scanned document."))
        data = document_open(actor=actor, document=approval.document, purpose=PURPOSE)
        scan, _content_type = fit_scan(data, approval.document.content_type)
        if _content_type != "image/jpeg":
            # Spwj is "JPG格式数据": a PDF approval is rendered as an image by the specialist beforehand.
            raise MappingRefused("pre_approval", _("A pre-approval scan must be an image (JPEG), not a PDF."))
        approvals.append(
            records.PreApproval(content_type_id=approval.type, approval_number=approval.number, documents=(scan,))
        )
    return tuple(approvals)


def new_filing_record(filing: Filing, *, actor: User) -> records.NewFiling:
    """The filing as one XZBA ``Baxx``: owner, websites, verification materials (personal values revealed for the
    regulator; the upload is stored sealed by the adapter). ``MappingRefused`` names what cannot be written."""
    owner = filing.owner
    if owner.certificate_type is None or owner.reporting_mode is None:
        raise MappingRefused("missing", _("The owner's certificate type or reporting mode is missing."))
    websites = []
    for website in filing.websites.prefetch_related("domains", "accesses__ip_ranges"):
        accesses = tuple(
            records.Access(
                record_id=access.pk,
                location_ids=(server_location_code(access.server_location),),
                method_ids=(access.method,) if access.method is not None else (),
                ip_ranges=tuple(
                    records.IpRange(record_id=item.pk, start=_ipv4(item.start), end=_ipv4(item.end))
                    for item in access.ip_ranges.all()
                ),
            )
            for access in website.accesses.all()
        )
        websites.append(
            records.Website(
                record_id=website.pk,
                name=website.name,
                service_content_ids=tuple(website.service_contents),
                language_ids=tuple(website.languages),
                domains=tuple(
                    records.Domain(record_id=domain.pk, name=domain.name) for domain in website.domains.all()
                ),
                accesses=accesses,
                person_in_charge=_person(
                    name=website.person_name,
                    document_type=website.person_document_type,
                    document_number=website.person_document_number,
                    office_phone=website.person_office_phone,
                    mobile=website.person_mobile,
                    email=website.person_email,
                    where=f"websites[{website.position}].person_in_charge",
                ),
                pre_approvals=_pre_approval_scans(website, actor),
                homepage_url=website.homepage_url or None,
                remarks=website.remarks or None,
            )
        )
    return records.NewFiling(
        owner=records.Owner(
            record_id=owner.pk,
            name=_required(owner.name, "owner.name"),
            nature_id=owner.nature,
            investor=_text(owner.investor),
            address=records.Address(
                province_id=int(owner.province_code),
                city_id=int(owner.city_code),
                county_id=int(owner.county_code) if owner.county_code else None,
                detail=_text(owner.postal_address),
            ),
            certificate=records.Certificate(
                type_id=owner.certificate_type,
                number=_required(owner.certificate_number, "owner.certificate.number"),
                residence=_required(owner.certificate_address, "owner.certificate.address"),
            ),
            person_in_charge=_person(
                name=owner.person_name,
                document_type=owner.person_document_type,
                document_number=owner.person_document_number,
                office_phone=owner.person_office_phone,
                mobile=owner.person_mobile,
                email=owner.person_email,
                where="owner.person_in_charge",
            ),
            reporting_mode=records.ReportingMode(owner.reporting_mode),
            remarks=owner.remarks or None,
        ),
        websites=tuple(websites),
        attachments=_attachments(filing, actor),
    )


def encoded_size(record: records.NewFiling) -> int:
    """The base64 characters of the record's attachments (for the desk: how close to the limits)."""
    return sum(len(base64.b64encode(attachment.content)) for attachment in record.attachments)


# --------------------------------------------------------------------------------------------------------------
# Downloads


@dataclass(frozen=True)
class ReviewOutcome:
    """What a downloaded result says about one filing."""

    filing: Filing
    approved: bool | None  # None: nothing decided yet (informational codes only)
    codes: tuple[dict[str, Any], ...]
    opinion: str


def _waiting_filing(owner_record_id: str | int | None) -> Filing | None:
    try:
        owner_id = int(str(owner_record_id))
    except (TypeError, ValueError):
        return None
    return (
        Filing.objects.select_related("owner", "case")
        .filter(owner_id=owner_id, state=FilingState.SUBMITTED_TO_REGULATOR)
        .first()
    )


def _apply_published(
    filing: Filing, published: records.PublishedFiling, *, opinion: str, download: MiitDownload
) -> None:
    from regdesk.filings.services.regulator import filing_regulator_result_record

    numbers = {
        str(entry.isp_record_id): entry.record_number
        for entry in published.websites
        if entry.isp_record_id is not None and entry.record_number
    }
    province_ids = {str(entry.isp_record_id): entry.province_id for entry in published.websites if entry.isp_record_id}
    filing_regulator_result_record(
        filing=filing,
        owner_record_number=published.owner.record_number or "",
        website_record_numbers=numbers,
        province_owner_id=published.owner.province_id,
        province_website_ids=province_ids,
        opinion=opinion,
        download_id=download.pk,
    )


def filing_results_received(section: records.DownloadSection, download: MiitDownload) -> None:
    """``BAJG`` handler: an approval (with the ``BASJ`` record numbers of the same file) takes
    ``record_regulator_result``; a return (1002) or a refusal by the province's data checks (1003, 1041, 1063 …)
    takes ``record_regulator_return`` with the codes, their descriptions and the reviewer's opinion. Results for
    owners with no filing waiting are logged (by id) and skipped: they must not block the download."""
    from regdesk.filings.services.regulator import filing_regulator_pending_record, filing_regulator_return_record

    if not isinstance(section, records.FilingResults):
        return
    for result in section.results:
        if result.operation != records.FilingOperationType.NEW_FILING:
            continue
        filing = _waiting_filing(result.identifier)
        if filing is None:
            logger.info("MIIT result for owner record %s: no filing is waiting for it", result.identifier)
            continue
        review = next(
            (
                item
                for item in section.reviews
                if item.record_id == filing.owner_id
                and item.operation in (None, records.FilingOperationType.NEW_FILING)
            ),
            None,
        )
        codes = tuple({"code": item.code, "description": item.description or item.meaning} for item in result.results)
        opinion = (review.opinion or "") if review is not None else (result.remarks or "")
        if APPROVED_CODE in result.codes or (review is not None and review.approved):
            published = section.published_for_owner(filing.owner_id)
            if published is not None:
                _apply_published(filing, published, opinion=opinion, download=download)
            else:
                filing_regulator_pending_record(filing=filing, codes=list(codes), opinion=opinion)
        elif (
            RETURNED_CODE in result.codes
            or review is not None
            or (result.codes and not set(result.codes) <= INFORMATIONAL_CODES)
        ):
            filing_regulator_return_record(filing=filing, codes=list(codes), opinion=opinion, download_id=download.pk)


def filings_published_received(section: records.DownloadSection, download: MiitDownload) -> None:
    """``BASJ`` handler: the record numbers of an approved filing that arrive on their own."""
    if not isinstance(section, records.PublishedFilings):
        return
    for entry in section.filings:
        filing = _waiting_filing(entry.owner.isp_record_id)
        if filing is None:
            continue
        _apply_published(filing, entry, opinion=filing.regulator_opinion, download=download)


def register_handlers() -> None:
    from regdesk.miit.handlers import register_download_handler

    register_download_handler("BAJG", filing_results_received)
    register_download_handler("BASJ", filings_published_received)
