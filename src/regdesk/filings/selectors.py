"""Reads of ICP filing for the owner portal, the specialist desk, the API and the commands.

Personal values are shown masked (``138****8000``); a page that must show one in full goes through
``regdesk.privacy.services.personal_value_reveal`` (permission, stated purpose, audit event). Lists never carry
personal data: an organisation's name is public, an individual owner is shown by the masked name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from regdesk.accounts.permissions import AnyUser
from regdesk.cases.models import Clock, Document
from regdesk.cases.selectors import allowed_actions, case_clocks, case_documents
from regdesk.filings import conditions
from regdesk.filings.models import (
    Attachment,
    ContactCheck,
    Filing,
    FilingCertificate,
    FilingState,
    OnsiteVerification,
    Owner,
    Website,
)
from regdesk.filings.permissions import visible_filings
from regdesk.privacy.fields import PersonalValue
from regdesk.rules.icp import BEIAN_URL, footer_html

# --------------------------------------------------------------------------------------------------------------
# Field labels (for returns per field and error lists)

FIELD_LABELS: dict[str, Promise] = {
    "owner": gettext_lazy("Owner"),
    "websites": gettext_lazy("Websites"),
    "name": gettext_lazy("name"),
    "nature": gettext_lazy("nature"),
    "certificate": gettext_lazy("certificate"),
    "type": gettext_lazy("type"),
    "number": gettext_lazy("number"),
    "address": gettext_lazy("address"),
    "province": gettext_lazy("province"),
    "city": gettext_lazy("city"),
    "county": gettext_lazy("county"),
    "detail": gettext_lazy("postal address"),
    "investor": gettext_lazy("investor or superior unit"),
    "person_in_charge": gettext_lazy("person in charge"),
    "document_type": gettext_lazy("ID type"),
    "document_number": pgettext_lazy("filing", "ID number"),
    "office_phone": gettext_lazy("office phone"),
    "mobile": gettext_lazy("mobile"),
    "email": gettext_lazy("e-mail"),
    "reporting_mode": gettext_lazy("reporting mode"),
    "remarks": gettext_lazy("remarks"),
    "national_level": gettext_lazy("national body"),
    "aliases": gettext_lazy("other names"),
    "homepage_url": gettext_lazy("homepage URL"),
    "domains": gettext_lazy("domains"),
    "service_contents": gettext_lazy("service contents"),
    "languages": gettext_lazy("languages"),
    "content_categories": gettext_lazy("content needing approval"),
    "pre_approvals": gettext_lazy("pre-approvals"),
    "document_id": gettext_lazy("scanned document"),
    "document": gettext_lazy("scanned document"),
    "access": gettext_lazy("access"),
    "method": gettext_lazy("access method"),
    "server_location": gettext_lazy("server location"),
    "ip_ranges": gettext_lazy("IP ranges"),
    "start": gettext_lazy("first address"),
    "end": gettext_lazy("last address"),
}
_PART = re.compile(r"^(?P<name>[a-z_]+)(?P<indexes>(\[\d+\])*)$")


def field_label(path: str) -> str:
    """A readable label of a field path in the active language (``websites[0].name`` → "Websites 1 › name")."""
    parts: list[str] = []
    for segment in path.split("."):
        match = _PART.match(segment)
        if match is None:
            parts.append(segment)
            continue
        label = str(FIELD_LABELS.get(match["name"], match["name"]))
        numbers = [str(int(index) + 1) for index in re.findall(r"\[(\d+)\]", match["indexes"])]
        parts.append(" ".join([label, *numbers]))
    return " › ".join(parts)


# --------------------------------------------------------------------------------------------------------------
# Lists


def _masked(value: PersonalValue | None) -> str:
    return value.masked if value is not None else ""


def owner_display_name(owner: Owner) -> str:
    """An organisation's name (public), or an individual's masked name."""
    return owner.public_name or _masked(owner.name)


@dataclass(frozen=True)
class FilingSummary:
    """One line of a list: nothing personal beyond a masked name."""

    id: int
    reference: str
    state: str
    state_label: str
    owner: str
    owner_record_number: str
    websites: list[dict[str, str]]
    updated_at: datetime


def filings_for_user(user: AnyUser | None, *, state: str | None = None) -> QuerySet[Filing]:
    """The filings the user may see (their own as owner; their units' as staff), newest first."""
    filings = visible_filings(user).select_related("owner", "case")
    if state:
        filings = filings.filter(state=state)
    return filings.order_by("-updated_at", "-pk")


def filing_summary(filing: Filing) -> FilingSummary:
    return FilingSummary(
        id=filing.pk,
        reference=str(filing),
        state=filing.state,
        state_label=str(FilingState(filing.state).label),
        owner=owner_display_name(filing.owner),
        owner_record_number=filing.owner.record_number,
        websites=[
            {"name": website.name, "record_number": website.record_number, "access": website.access_status}
            for website in filing.websites.all()
        ],
        updated_at=filing.updated_at,
    )


def filing_summaries(user: AnyUser | None, *, state: str | None = None, limit: int = 200) -> list[FilingSummary]:
    return [
        filing_summary(filing) for filing in filings_for_user(user, state=state).prefetch_related("websites")[:limit]
    ]


def filings_of_owner(user: AnyUser | None, *, limit: int = 200) -> list[FilingSummary]:
    """The filings of the owners whose portal user ``user`` is — drafts included, newest first: what the owner
    portal lists. Staff visibility plays no part here (the desk has its own lists), so a specialist gets only the
    filings they applied for as an owner, if any."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    filings = (
        Filing.objects.filter(owner__portal_user_id=user.pk)
        .select_related("owner", "case")
        .prefetch_related("websites")
        .order_by("-updated_at", "-pk")[:limit]
    )
    return [filing_summary(filing) for filing in filings]


def filings_listing(*, state: str | None = None) -> list[dict[str, Any]]:
    """Every filing with its state and record numbers, for ``regdesk filings list`` (no personal data)."""
    filings = Filing.objects.select_related("owner", "case").prefetch_related("websites").order_by("pk")
    if state:
        filings = filings.filter(state=state)
    return [
        {
            "id": filing.pk,
            "reference": str(filing),
            "state": filing.state,
            "owner_kind": filing.owner.kind,
            "owner_record_number": filing.owner.record_number or None,
            "websites": [
                {"id": website.pk, "record_number": website.record_number or None, "access": website.access_status}
                for website in filing.websites.all()
            ],
        }
        for filing in filings
    ]


# --------------------------------------------------------------------------------------------------------------
# Detail


def masked_data(filing: Filing) -> dict[str, Any]:
    """The filing's data in the JSON form of ``FilingData``, every personal value masked."""
    owner = filing.owner

    def person(source: Owner | Website) -> dict[str, Any]:
        return {
            "name": _masked(source.person_name),
            "document_type": source.person_document_type,
            "document_number": _masked(source.person_document_number),
            "office_phone": _masked(source.person_office_phone),
            "mobile": _masked(source.person_mobile),
            "email": _masked(source.person_email),
        }

    websites = []
    for website in filing.websites.prefetch_related("domains", "pre_approvals", "accesses__ip_ranges"):
        websites.append(
            {
                "id": website.pk,
                "name": website.name,
                "homepage_url": website.homepage_url,
                "domains": [domain.name for domain in website.domains.all()],
                "service_contents": website.service_contents,
                "languages": website.languages,
                "content_categories": website.content_categories,
                "pre_approvals": [
                    {"type": item.type, "number": item.number, "document_id": item.document_id}
                    for item in website.pre_approvals.all()
                ],
                "person_in_charge": person(website),
                "access": [
                    {
                        "method": access.method,
                        "server_location": access.server_location,
                        "ip_ranges": [{"start": item.start, "end": item.end} for item in access.ip_ranges.all()],
                    }
                    for access in website.accesses.all()
                ],
                "remarks": website.remarks,
                "record_number": website.record_number,
                "access_status": website.access_status,
            }
        )
    return {
        "owner": {
            "id": owner.pk,
            "kind": owner.kind,
            "name": owner_display_name(owner),
            "nature": owner.nature,
            "certificate": {
                "type": owner.certificate_type,
                "number": _masked(owner.certificate_number),
                "address": _masked(owner.certificate_address),
            },
            "address": {
                "province": owner.province_code,
                "city": owner.city_code,
                "county": owner.county_code,
                "detail": _masked(owner.postal_address),
            },
            "investor": _masked(owner.investor),
            "person_in_charge": person(owner),
            "reporting_mode": owner.reporting_mode,
            "remarks": owner.remarks,
            "record_number": owner.record_number,
        },
        "websites": websites,
    }


@dataclass(frozen=True)
class ReturnedField:
    path: str
    label: str
    reason: str


def returned_fields(filing: Filing) -> list[ReturnedField]:
    """The fields returned for changes with their reasons: the portal offers these, and only these, to correct."""
    return [
        ReturnedField(path=path, label=field_label(path), reason=reason)
        for path, reason in (filing.returned_fields or {}).items()
    ]


@dataclass(frozen=True)
class ContactStatus:
    verified: bool
    checks: list[dict[str, Any]]


def contact_status(filing: Filing) -> ContactStatus:
    """The contact checks of the current submission (channel, status, times; no contact values)."""
    checks = ContactCheck.objects.filter(filing=filing, round=filing.submissions).order_by("created_at", "pk")
    return ContactStatus(
        verified=conditions.contacts_verified(filing),
        checks=[
            {
                "id": check.pk,
                "channel": check.channel,
                "status": check.status,
                "outcome": check.outcome,
                "attempts": check.attempts,
                "created_at": check.created_at,
                "confirmed_at": check.confirmed_at,
                "expires_at": check.expires_at,
            }
            for check in checks
        ],
    )


IDENTITY_RESULTS: dict[str, Promise] = {
    "match": gettext_lazy("The name, the ID number and the photo match the public-security records."),
    "name_mismatch": gettext_lazy("The name does not match the record of this ID number."),
    "number_not_found": gettext_lazy("The public-security records know no such ID number."),
    "number_cancelled": gettext_lazy("The ID number has been cancelled."),
    "photo_mismatch": gettext_lazy("The photo does not show the holder of this ID number."),
}
REGISTRY_RESULTS: dict[str, Promise] = {
    "match": gettext_lazy("The name, the code and the legal representative match the register."),
    "name_mismatch": gettext_lazy("The name differs from the registered name of this code."),
    "representative_mismatch": gettext_lazy(
        "The person in charge is not the registered legal representative: ask for the letter of authorisation."
    ),
    "not_found": gettext_lazy("The register knows no enterprise with this code."),
    "deregistered": gettext_lazy("The enterprise is deregistered or its licence revoked."),
}
REASONS: dict[str, Promise] = {
    "document_type": gettext_lazy("The identity service checks resident ID numbers only: check the document by hand."),
    "service": gettext_lazy("The service could not be reached; try again."),
    "not_an_enterprise": gettext_lazy("Not an enterprise: the enterprise registry does not apply."),
}


def _explained(detail: dict[str, Any], results: dict[str, Promise]) -> str:
    if "result" in detail:
        return str(results.get(str(detail["result"]), detail["result"]))
    if "reason" in detail:
        return str(REASONS.get(str(detail["reason"]), detail["reason"]))
    return ""


@dataclass(frozen=True)
class OnsiteProgress:
    """Where the on-site verification stands: what the guard still misses, each check's outcome and why."""

    round: int
    missing: list[str]
    originals: dict[str, bool]
    identity_outcome: str
    identity_explanation: str
    identity_similarity: int | None
    registry_outcome: str
    registry_explanation: str
    photo_confirmed: bool
    form_document_id: int | None
    attachments: list[dict[str, Any]] = field(default_factory=list)


def onsite_progress(filing: Filing) -> OnsiteProgress | None:
    """The current on-site verification (None before the first notice)."""
    if filing.onsite_rounds == 0:
        return None
    verification = conditions.current_verification(filing) or OnsiteVerification(
        filing=filing, round=filing.onsite_rounds
    )
    return OnsiteProgress(
        round=filing.onsite_rounds,
        missing=conditions.onsite_missing(filing),
        originals=dict(verification.originals or {}),
        identity_outcome=verification.identity_outcome,
        identity_explanation=_explained(verification.identity_detail or {}, IDENTITY_RESULTS),
        identity_similarity=(verification.identity_detail or {}).get("similarity"),
        registry_outcome=verification.registry_outcome,
        registry_explanation=_explained(verification.registry_detail or {}, REGISTRY_RESULTS),
        photo_confirmed=verification.photo_confirmed,
        form_document_id=verification.form_document_id,
        attachments=[
            {
                "id": attachment.pk,
                "kind": attachment.kind,
                "website_id": attachment.website_id,
                "document_id": attachment.document_id,
                "purpose": attachment.purpose,
                "marked_on": attachment.marked_on,
            }
            for attachment in conditions.current_attachments(filing)
        ],
    )


@dataclass(frozen=True)
class RegulatorStatus:
    """The filing's journey through the MIIT interface: its latest upload and the province's answers."""

    upload_sequence: int | None
    upload_file: str
    upload_status: str
    upload_response_code: int | None
    upload_response_message: str
    result_codes: list[dict[str, Any]]
    opinion: str
    result_at: datetime | None


def regulator_status(filing: Filing) -> RegulatorStatus:
    """What the desk shows about the regulator: an upload refused by the province shows its ``msg_code`` and
    reason; a refusal by the data checks (e.g. 1041) shows its code and description; a return, the opinion."""
    upload = filing.upload
    return RegulatorStatus(
        upload_sequence=upload.sequence if upload is not None else None,
        upload_file=upload.file_name if upload is not None else "",
        upload_status=upload.status if upload is not None else "",
        upload_response_code=upload.response_code if upload is not None else None,
        upload_response_message=upload.response_message if upload is not None else "",
        result_codes=list(filing.regulator_codes or []),
        opinion=filing.regulator_opinion,
        result_at=filing.regulator_result_at,
    )


def website_footer_html(website: Website) -> str | None:
    """The homepage footer snippet of a filed website (number centred, linked to beian.miit.gov.cn)."""
    return footer_html(website.record_number) if website.record_number else None


def website_certificates(website: Website) -> list[FilingCertificate]:
    return list(website.certificates.filter(revoked_at__isnull=True).order_by("-issued_at", "-pk"))


@dataclass(frozen=True)
class FilingDetail:
    """Everything the detail pages and the API show about a filing."""

    summary: FilingSummary
    is_open: bool
    actions: list[dict[str, str]]
    clocks: list[Clock]
    documents: list[Document]
    attachments: list[Attachment]
    returned: list[ReturnedField]
    data: dict[str, Any]
    warnings: list[dict[str, Any]]
    contacts: ContactStatus
    onsite: OnsiteProgress | None
    regulator: RegulatorStatus
    rejection_reason: str
    footers: dict[int, str]
    certificates: dict[int, list[str]]
    beian_url: str = BEIAN_URL


def filing_detail(filing: Filing, user: AnyUser | None) -> FilingDetail:
    """The filing as ``user`` may see it: the actions they may take now (the kernel's, owner-aware), the clocks,
    the documents, the per-field returns, the data masked, warnings of the rules, checks and regulator status."""
    from regdesk.filings.services.drafts import stored_data
    from regdesk.filings.validation import Stage, check_filing_data

    case = filing.case
    assert case is not None  # noqa: S101 - every filing has its case
    warnings = check_filing_data(stored_data(filing), stage=Stage.DRAFT, owner=filing.owner, filing=filing).warnings
    websites = list(filing.websites.all())
    return FilingDetail(
        summary=filing_summary(filing),
        is_open=case.is_open,
        actions=[
            {"name": transition.name, "label": str(transition.label or transition.name), "target": transition.target}
            for transition in allowed_actions(case, user)
        ],
        clocks=case_clocks(case),
        documents=case_documents(case),
        attachments=list(filing.attachments.order_by("created_at", "pk")),
        returned=returned_fields(filing),
        data=masked_data(filing),
        warnings=[
            {
                "field": warning.field,
                "code": warning.code,
                "message": {"zh-hans": warning.message_zh, "en": warning.message_en},
            }
            for warning in warnings
        ],
        contacts=contact_status(filing),
        onsite=onsite_progress(filing),
        regulator=regulator_status(filing),
        rejection_reason=filing.rejection_reason,
        footers={website.pk: html for website in websites if (html := website_footer_html(website))},
        certificates={website.pk: [item.serial for item in website_certificates(website)] for website in websites},
    )


# --------------------------------------------------------------------------------------------------------------
# Public verification page


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone may learn from a certificate's serial: nothing personal."""

    serial: str
    record_number: str
    website_name: str
    domains: list[str]
    status: str
    status_label: str
    issued_at: datetime
    provider: str


def certificate_public_view(serial: str) -> PublicCertificate | None:
    """The public verification page's content for ``serial``: the record number, the website, its domains and its
    current status (filed with access, filed without access, revoked)."""
    from regdesk.filings.config import provider_name

    issued = FilingCertificate.objects.select_related("website").filter(serial=serial).first()
    if issued is None:
        return None
    website = issued.website
    if issued.revoked_at is not None or website.record_number != issued.record_number:
        status, label = "revoked", _("This certificate is no longer valid.")
    elif website.access_status == "on":
        status, label = "filed", _("Filed; the website is hosted with access.")
    else:
        status, label = "filed_no_access", _("Filed; access is not turned on.")
    return PublicCertificate(
        serial=issued.serial,
        record_number=issued.record_number,
        website_name=website.name,
        domains=[domain.name for domain in website.domains.all()],
        status=status,
        status_label=str(label),
        issued_at=issued.issued_at,
        provider=provider_name(),
    )


def certificate_file(serial: str) -> bytes | None:
    """The signed ``bazs.cert`` file of a certificate (public: it holds nothing personal)."""
    issued = FilingCertificate.objects.filter(serial=serial, revoked_at__isnull=True).first()
    return issued.content.encode("utf-8") if issued is not None else None
