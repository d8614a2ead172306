"""Reads of the owner portal: the filing's history in the owner's words, the on-site notice, the scans of the
application, the SMS check waiting for its code, and what the owner needs after the approval.

Nothing here is personal beyond what the owner entered; values shown are masked by ``regdesk.filings.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.cases.models import CaseEvent, Clock, ClockState, Document
from regdesk.filings import config
from regdesk.filings.models import (
    Attachment,
    AttachmentKind,
    ContactChannel,
    ContactCheck,
    ContactCheckStatus,
    Filing,
    FilingState,
    Website,
)
from regdesk.filings.portal.choices import code_label
from regdesk.filings.selectors import ReturnedField, field_label, website_certificates, website_footer_html
from regdesk.filings.services.application import APPLICATION_ROUND

PUBLIC_SECURITY_URL = "https://beian.mps.gov.cn/"


def _local_date(moment: datetime | None) -> date | None:
    return moment.astimezone(LOCAL_ZONE).date() if moment is not None else None


# --------------------------------------------------------------------------------------------------------------
# Status and history


def status_sentence(filing: Filing) -> str:
    """Where the filing stands and what happens next, in one sentence for the owner."""
    sentences = {
        FilingState.DRAFT: _("Not submitted yet: complete the application step by step, then submit it."),
        FilingState.SUBMITTED: _(
            "In review: the provider's registration specialist checks your application and verifies the contact "
            "details of the person in charge by phone, SMS or e-mail."
        ),
        FilingState.NEEDS_CHANGES: _(
            "Sent back for changes: correct the fields named below and submit the application again."
        ),
        FilingState.AWAITING_ONSITE: _(
            "On-site verification: the person in charge comes to the provider's office with the original documents "
            "before the deadline below."
        ),
        FilingState.VERIFIED: _(
            "Identity verified: the provider is preparing the submission to the Communications Administration."
        ),
        FilingState.SUBMITTED_TO_REGULATOR: _(
            "With the Communications Administration, which reviews filings within %(days)d working days."
        )
        % {"days": config.regulator_review_days()},
        FilingState.REGULATOR_RETURNED: _(
            "Returned by the Communications Administration: the provider's specialist checks its opinion and tells "
            "you what to do."
        ),
        FilingState.APPROVED: _("Approved: your record number is below. Put it on your homepage."),
        FilingState.REJECTED: _("Rejected: the reason is in the history below."),
        FilingState.WITHDRAWN: _("Withdrawn: you withdrew this application."),
        FilingState.LAPSED: _("Lapsed: the on-site verification did not take place in time. You may apply again."),
    }
    return str(sentences.get(FilingState(filing.state), ""))


def onsite_bring_list(filing: Filing) -> list[str]:
    """What the person in charge brings to the on-site verification (seed 001, step 3), by the owner's kind."""
    from regdesk.filings.onsite_schedule import what_to_bring

    return what_to_bring(filing)


def _clock_deadline(clock: Clock | None, now: datetime) -> date | None:
    """The last day of a clock as a deadline still worth showing: a live clock's, or a finished clock's that had
    passed when it finished. A clock stopped before its due time (the filing lapsed, was withdrawn or moved on)
    shows none: its due day may still lie ahead, and it no longer binds anyone."""
    if clock is None:
        return None
    if clock.state in (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED):
        return _local_date(clock.due_at)
    ended = clock.breached_at or clock.stopped_at or now
    return _local_date(clock.due_at) if clock.due_at <= ended and clock.due_at <= now else None


@dataclass(frozen=True)
class TimelineEntry:
    """One step of the history in the owner's words."""

    action: str
    title: str
    occurred_at: datetime
    tone: str = "info"
    detail: str = ""
    reasons: list[ReturnedField] = field(default_factory=list)
    deadline: date | None = None
    bring: list[str] = field(default_factory=list)
    record_numbers: list[tuple[str, str]] = field(default_factory=list)


def _clocks(filing: Filing, name: str) -> list[Clock]:
    if filing.case is None:
        return []
    return list(filing.case.clocks.filter(name=name).order_by("started_at", "pk"))


def _regulator_detail(event: CaseEvent) -> str:
    codes = [
        str(item.get("description") or item.get("code"))
        for item in event.payload.get("codes") or []
        if isinstance(item, dict)
    ]
    opinion = str(event.payload.get("opinion") or "").strip()
    return "；".join(part for part in [opinion, *codes] if part)


def timeline(filing: Filing) -> list[TimelineEntry]:
    """The filing's history, oldest first (the case's events; assignments within the provider are left out)."""
    if filing.case is None:
        return []
    onsite_clocks = iter(_clocks(filing, "onsite"))
    regulator_clocks = iter(_clocks(filing, "regulator_review"))
    websites = {str(website.pk): website.name for website in filing.websites.all()}
    review_days = config.specialist_review_days()
    now = timezone.now()
    entries: list[TimelineEntry] = []
    submissions = 0
    for event in filing.case.events.exclude(action="assign").order_by("occurred_at", "pk"):
        at, action = event.occurred_at, event.action
        if action == "start":
            entries.append(TimelineEntry(action, _("Application started"), at))
        elif action == "submit":
            submissions += 1
            title = _("Application submitted") if submissions == 1 else _("Corrected application submitted")
            detail = _("The provider's registration specialist reviews it, normally within %(days)d working days.") % {
                "days": review_days
            }
            entries.append(TimelineEntry(action, title, at, "info", detail))
        elif action == "return_for_changes":
            reasons = [
                ReturnedField(path=str(path), label=field_label(str(path)), reason=str(reason))
                for path, reason in (event.payload.get("reasons") or {}).items()
            ]
            entries.append(
                TimelineEntry(
                    action,
                    _("Sent back for changes"),
                    at,
                    "warning",
                    _("Correct these fields and submit again:"),
                    reasons=reasons,
                )
            )
        elif action == "send_onsite_notice":
            clock = next(onsite_clocks, None)
            detail = _(
                "Come to the provider's registration office within %(days)d working days, by the date below."
            ) % {"days": config.onsite_days()}
            entries.append(
                TimelineEntry(
                    action,
                    _("On-site verification notice"),
                    at,
                    "warning",
                    detail,
                    deadline=_clock_deadline(clock, now),
                    bring=onsite_bring_list(filing) if filing.state == FilingState.AWAITING_ONSITE else [],
                )
            )
        elif action == "record_onsite_verification":
            entries.append(TimelineEntry(action, _("Identity verified on site"), at, "success"))
        elif action == "submit_to_regulator":
            clock = next(regulator_clocks, None)
            detail = _("The Communications Administration reviews it within %(days)d working days.") % {
                "days": config.regulator_review_days()
            }
            entries.append(
                TimelineEntry(
                    action,
                    _("Submitted to the Communications Administration"),
                    at,
                    "info",
                    detail,
                    deadline=_clock_deadline(clock, now),
                )
            )
        elif action == "record_regulator_return":
            detail = _regulator_detail(event) or _("The Communications Administration returned the filing.")
            entries.append(
                TimelineEntry(
                    action,
                    pgettext("owner portal", "Returned by the Communications Administration"),
                    at,
                    "warning",
                    detail,
                )
            )
        elif action == "record_regulator_result":
            numbers = [(pgettext("owner portal", "Owner"), str(event.payload.get("owner_record_number") or ""))]
            for website_id, number in (event.payload.get("website_record_numbers") or {}).items():
                numbers.append((websites.get(str(website_id), str(website_id)), str(number)))
            entries.append(
                TimelineEntry(action, _("Approved"), at, "success", _regulator_detail(event), record_numbers=numbers)
            )
        elif action == "reject":
            entries.append(
                TimelineEntry(action, _("Rejected: not filed"), at, "danger", str(event.payload.get("reason") or ""))
            )
        elif action == "withdraw":
            entries.append(TimelineEntry(action, _("Withdrawn"), at, "muted"))
        elif action == "lapse":
            detail = _("The on-site verification did not take place within %(days)d working days.") % {
                "days": config.onsite_days()
            }
            entries.append(TimelineEntry(action, _("Lapsed"), at, "danger", detail))
    return entries


def onsite_deadline(filing: Filing) -> date | None:
    """The last day of the running on-site verification clock."""
    if filing.state != FilingState.AWAITING_ONSITE or filing.case is None:
        return None
    clock = filing.case.clocks.filter(name="onsite", state="running").order_by("-started_at").first()
    return _local_date(clock.due_at) if clock is not None else None


def pending_sms_check(filing: Filing) -> ContactCheck | None:
    """The SMS code the specialist sent in this submission that waits for the owner to enter it."""
    if filing.state not in (FilingState.SUBMITTED, FilingState.REGULATOR_RETURNED):
        return None
    return (
        ContactCheck.objects.filter(
            filing=filing,
            round=filing.submissions,
            channel=ContactChannel.SMS,
            status=ContactCheckStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-pk")
        .first()
    )


# --------------------------------------------------------------------------------------------------------------
# Scans of the application


@dataclass(frozen=True)
class ScanSlot:
    """A document the application should carry, and the latest one uploaded for it."""

    kind: str
    label: str
    website_position: int | None = None
    website_name: str = ""
    approval_position: int | None = None
    document: Document | None = None

    @property
    def key(self) -> str:
        """A stable name for the page (``domain_certificate-0``, ``pre_approval-0-1``)."""
        parts = [self.kind]
        if self.website_position is not None:
            parts.append(str(self.website_position))
        if self.approval_position is not None:
            parts.append(str(self.approval_position))
        return "-".join(parts)


def _same_person(owner_type: int | None, owner_index: str | None, website: Website) -> bool:
    return (
        bool(owner_index)
        and website.person_document_type == owner_type
        and (website.person_document_number_index == owner_index)
    )


def scan_slots(filing: Filing) -> list[ScanSlot]:
    """The scans the application should carry: the owner's certificate (organisations), both sides of the ID of
    the person in charge, for each website its domain certificate, both sides of its person in charge's ID (unless
    it is the owner's person in charge) and the scan of each pre-approval."""
    latest: dict[tuple[str, int | None], Document] = {}
    for attachment in (
        Attachment.objects.filter(filing=filing, onsite_round=APPLICATION_ROUND)
        .select_related("document")
        .order_by("created_at", "pk")
    ):
        latest[(attachment.kind, attachment.website_id)] = attachment.document
    owner = filing.owner
    slots: list[ScanSlot] = []
    owner_kinds = [AttachmentKind.OWNER_PERSON_ID_FRONT, AttachmentKind.OWNER_PERSON_ID_BACK]
    if not owner.is_individual:
        owner_kinds.insert(0, AttachmentKind.OWNER_CERTIFICATE)
    for kind in owner_kinds:
        slots.append(ScanSlot(kind=kind, label=str(kind.label), document=latest.get((kind, None))))
    websites = filing.websites.prefetch_related("pre_approvals__document").order_by("position", "pk")
    for position, website in enumerate(websites):
        kinds = [AttachmentKind.DOMAIN_CERTIFICATE]
        if not _same_person(owner.person_document_type, owner.person_document_number_index, website):
            kinds += [AttachmentKind.WEBSITE_PERSON_ID_FRONT, AttachmentKind.WEBSITE_PERSON_ID_BACK]
        for kind in kinds:
            slots.append(
                ScanSlot(
                    kind=kind,
                    label=str(kind.label),
                    website_position=position,
                    website_name=website.name,
                    document=latest.get((kind, website.pk)),
                )
            )
        for index, approval in enumerate(website.pre_approvals.all()):
            slots.append(
                ScanSlot(
                    kind=AttachmentKind.PRE_APPROVAL,
                    label=_("Pre-approval: %(type)s") % {"type": code_label("pre_approval_types", approval.type)},
                    website_position=position,
                    website_name=website.name,
                    approval_position=index,
                    document=approval.document,
                )
            )
    return slots


# --------------------------------------------------------------------------------------------------------------
# After the approval


@dataclass(frozen=True)
class WebsiteRecord:
    position: int
    name: str
    domains: list[str]
    record_number: str
    access_on: bool
    footer_html: str
    certificate_serial: str
    certificate_download_url: str
    verification_url: str


@dataclass(frozen=True)
class ApprovalView:
    owner_record_number: str
    approved_at: datetime | None
    websites: list[WebsiteRecord]
    public_security_due: date | None
    public_security_url: str = PUBLIC_SECURITY_URL


def approval_view(filing: Filing) -> ApprovalView | None:
    """Record numbers, footer snippets, certificates and the public-security reminder of an approved filing."""
    if filing.state != FilingState.APPROVED:
        return None
    records = []
    for position, website in enumerate(filing.websites.prefetch_related("domains").order_by("position", "pk")):
        certificates = website_certificates(website)
        serial = certificates[0].serial if certificates else ""
        records.append(
            WebsiteRecord(
                position=position,
                name=website.name,
                domains=[domain.name for domain in website.domains.all()],
                record_number=website.record_number,
                access_on=website.access_status == "on",
                footer_html=website_footer_html(website) or "",
                certificate_serial=serial,
                certificate_download_url=reverse("filings:certificate_file", kwargs={"serial": serial})
                if serial
                else "",
                verification_url=reverse("filings:verify", kwargs={"serial": serial}) if serial else "",
            )
        )
    # 30 days from going online (DOMAIN.md §1.5); counted from the approval, the earliest day a website may go
    # online here (access follows the approval), so that the reminder is never late.
    days = config.public_security_days()
    due = _local_date(filing.approved_at + timedelta(days=days)) if filing.approved_at is not None else None
    return ApprovalView(
        owner_record_number=filing.owner.record_number,
        approved_at=filing.approved_at,
        websites=records,
        public_security_due=due,
    )
