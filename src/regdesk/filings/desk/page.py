"""What the filing's desk page shows, read from the filings app, the case kernel and the process definition.

Personal values appear masked (``张*三``, ``1101**********002X``, ``138****5678``) with the target of the reveal
form beside them; the plain value is only ever produced by ``reveal.reveal_value`` (permission, purpose, audit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from regdesk.accounts.models import User
from regdesk.accounts.permissions import AnyUser
from regdesk.cases.clock_display import deadline_shown, rung_views
from regdesk.cases.definitions import START_EVENT, SYSTEM, TRANSFER_EVENT, get_process
from regdesk.cases.models import Case, CaseEvent, Clock, ClockState, Document
from regdesk.cases.permissions import case_roles
from regdesk.cases.selectors import case_clocks
from regdesk.cases.services.cases import actor_guard_refusal, guard_refusal
from regdesk.filings.conditions import required_copies
from regdesk.filings.data import flatten, known_paths
from regdesk.filings.desk.queue import clock_label, rung_label
from regdesk.filings.models import Attachment, AttachmentKind, Filing, FilingState, Owner, Website
from regdesk.filings.selectors import field_label, owner_display_name, website_certificates
from regdesk.filings.services.drafts import stored_data
from regdesk.privacy.fields import PersonalValue
from regdesk.rules import divisions, icp

# --------------------------------------------------------------------------------------------------------------
# Summary


@dataclass(frozen=True)
class Row:
    """One line of the summary; ``target`` names the personal field a reveal form may ask for."""

    label: str
    value: str
    target: str = ""


@dataclass(frozen=True)
class WebsiteSummary:
    id: int
    name: str
    homepage_url: str
    domains: list[str]
    record_number: str
    access_status: str
    access_label: str
    rows: list[Row]
    accesses: list[Row]
    certificates: list[str]


@dataclass(frozen=True)
class Summary:
    owner_name: str
    owner_kind_label: str
    owner_rows: list[Row]
    person_rows: list[Row]
    websites: list[WebsiteSummary]
    owner_record_number: str


def _masked(value: PersonalValue | None) -> str:
    return value.masked if value is not None else ""


def _code_name(table: Any, code: int | None) -> str:
    entry = table.get(code) if code is not None else None
    if entry is None:
        return "" if code is None else str(code)
    return str(entry.name_en if (get_language() or "").startswith("en") else entry.name_zh)


def _division_name(code: str) -> str:
    if not code:
        return ""
    division = divisions.lookup(code)
    return f"{division.name} ({code})" if division is not None else code


def _person_rows(source: Owner | Website, prefix: str) -> list[Row]:
    tables = icp.default_code_tables()
    return [
        Row(pgettext("person", "Name"), _masked(source.person_name), f"{prefix}.person_name"),
        Row(_("ID type"), _code_name(tables.certificate_types, source.person_document_type)),
        Row(
            pgettext("filing", "ID number"), _masked(source.person_document_number), f"{prefix}.person_document_number"
        ),
        Row(_("Mobile"), _masked(source.person_mobile), f"{prefix}.person_mobile"),
        Row(_("Office phone"), _masked(source.person_office_phone), f"{prefix}.person_office_phone"),
        Row(_("E-mail"), _masked(source.person_email), f"{prefix}.person_email"),
    ]


def filing_summary(filing: Filing) -> Summary:
    """Owner, person in charge, websites with their domains and accesses — every personal value masked."""
    owner = filing.owner
    tables = icp.default_code_tables()
    owner_rows = [
        Row(
            pgettext("organisation or person", "Name"),
            owner_display_name(owner),
            "owner.name" if owner.is_individual else "",
        ),
        Row(_("Nature"), _code_name(tables.natures, owner.nature)),
        Row(_("Certificate type"), _code_name(tables.certificate_types, owner.certificate_type)),
        Row(_("Certificate number"), _masked(owner.certificate_number), "owner.certificate_number"),
        Row(_("Address on the certificate"), _masked(owner.certificate_address), "owner.certificate_address"),
        Row(
            _("Region"),
            " / ".join(
                name
                for name in (
                    _division_name(owner.province_code),
                    _division_name(owner.city_code),
                    _division_name(owner.county_code),
                )
                if name
            ),
        ),
        Row(_("Postal address"), _masked(owner.postal_address), "owner.postal_address"),
        Row(_("Investor or superior unit"), _masked(owner.investor), "owner.investor"),
    ]
    websites = []
    for website in filing.websites.prefetch_related("domains", "pre_approvals", "accesses__ip_ranges"):
        accesses = [
            Row(
                _code_name(tables.access_methods, access.method) or _("Access"),
                "; ".join(
                    [
                        _division_name(access.server_location),
                        *[
                            f"{item.start}–{item.end}" if item.end and item.end != item.start else item.start
                            for item in access.ip_ranges.all()
                        ],
                    ]
                ),
            )
            for access in website.accesses.all()
        ]
        approvals = [
            f"{_code_name(tables.pre_approval_types, item.type)} {item.number}" for item in website.pre_approvals.all()
        ]
        rows = [
            Row(
                _("Service contents"),
                ", ".join(_code_name(tables.service_contents, code) for code in website.service_contents),
            ),
            Row(_("Languages"), ", ".join(_code_name(tables.languages, code) for code in website.languages)),
            *([Row(_("Pre-approvals"), "; ".join(approvals))] if approvals else []),
            *_person_rows(website, f"website.{website.pk}"),
        ]
        websites.append(
            WebsiteSummary(
                id=website.pk,
                name=website.name,
                homepage_url=website.homepage_url,
                domains=[domain.name for domain in website.domains.all()],
                record_number=website.record_number,
                access_status=website.access_status,
                access_label=str(website.get_access_status_display()),
                rows=rows,
                accesses=accesses,
                certificates=[item.serial for item in website_certificates(website)],
            )
        )
    return Summary(
        owner_name=owner_display_name(owner),
        owner_kind_label=str(owner.get_kind_display()),
        owner_rows=owner_rows,
        person_rows=_person_rows(owner, "owner"),
        websites=websites,
        owner_record_number=owner.record_number,
    )


def rule_warnings(warnings: list[dict[str, Any]]) -> list[Row]:
    """The rules' warnings (``filing_detail``) with their field labels, in the user's language."""
    english = (get_language() or "").startswith("en")
    return [
        Row(field_label(str(item["field"])), str(item["message"]["en" if english else "zh-hans"])) for item in warnings
    ]


# --------------------------------------------------------------------------------------------------------------
# History


SYSTEM_ACTION_LABELS = {
    START_EVENT: gettext_lazy("Application created"),
    TRANSFER_EVENT: gettext_lazy("Moved to another unit"),
    "lapse": gettext_lazy("Lapsed: the on-site verification did not happen in time"),
    "record_regulator_result": gettext_lazy("Approved by the Communications Administration"),
    "record_regulator_return": gettext_lazy("Returned by the Communications Administration"),
}


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime
    actor: str
    role: str
    action: str
    action_label: str
    from_label: str
    to_label: str
    details: list[Row] = field(default_factory=list)


def _state_label(state: str) -> str:
    try:
        return str(FilingState(state).label)
    except ValueError:
        return state


def action_label(case: Case, name: str) -> str:
    """The action's label in the case's process version (the system's actions have labels of their own)."""
    if name in SYSTEM_ACTION_LABELS:
        return str(SYSTEM_ACTION_LABELS[name])
    transition = get_process(case.process_key, case.process_version).transition(name)
    return str(transition.label or name) if transition is not None else name


def _details(filing: Filing, payload: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    reasons = payload.get("reasons")
    if isinstance(reasons, dict):
        rows += [Row(field_label(str(path)), str(reason)) for path, reason in reasons.items()]
    if payload.get("reason"):
        rows.append(Row(pgettext("filings desk", "Reason"), str(payload["reason"])))
    for item in payload.get("codes") or []:
        if isinstance(item, dict):
            rows.append(Row(_("Code %(code)s") % {"code": item.get("code")}, str(item.get("description") or "")))
    if payload.get("opinion"):
        rows.append(Row(_("Reviewer's opinion"), str(payload["opinion"])))
    if payload.get("owner_record_number"):
        rows.append(Row(_("Owner's record number"), str(payload["owner_record_number"])))
    numbers = payload.get("website_record_numbers")
    if isinstance(numbers, dict):
        names = dict(Website.objects.filter(filing=filing).values_list("pk", "name"))
        for website_id, number in numbers.items():
            rows.append(Row(names.get(int(website_id), str(website_id)) if str(website_id).isdigit() else "", number))
    if payload.get("upload_sequence"):
        rows.append(Row(_("Upload sequence"), str(payload["upload_sequence"])))
    return rows


def filing_history(filing: Filing) -> list[HistoryEntry]:
    """The case's events, oldest first, with who acted, in which role, and the reasons recorded."""
    case = filing.case
    assert case is not None  # noqa: S101 - every filing has its case
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("occurred_at", "pk")
    roles = {value: str(label) for value, label in _role_choices()}
    entries = []
    for event in events:
        actor: User | None = event.actor
        entries.append(
            HistoryEntry(
                occurred_at=event.occurred_at,
                actor=str(actor) if actor is not None else _("System"),
                role=roles.get(event.role, "") if event.role and event.role != SYSTEM else "",
                action=event.action,
                action_label=action_label(case, event.action),
                from_label=_state_label(event.from_state) if event.from_state else "",
                to_label=_state_label(event.to_state),
                details=_details(filing, dict(event.payload or {})),
            )
        )
    return entries


def _role_choices() -> list[tuple[str, str]]:
    from regdesk.accounts.roles import Role

    return [(str(role.value), str(role.label)) for role in Role]


# --------------------------------------------------------------------------------------------------------------
# Clocks


@dataclass(frozen=True)
class RungLine:
    """A rung as the filing page shows it: fired (with its firing time), upcoming (with its planned time), due now,
    or skipped; a rung at the deadline is listed with the due time, not as a warning."""

    label: str
    status: str
    status_label: str
    at: datetime
    at_deadline: bool


@dataclass(frozen=True)
class ClockLine:
    name: str
    label: str
    state: str
    state_label: str
    started_at: datetime
    due_at: datetime
    provisional: bool
    breached_at: datetime | None
    stopped_at: datetime | None
    budget: str
    rungs: list[RungLine]
    deadline_shown: bool = True

    @property
    def warnings(self) -> list[RungLine]:
        return [rung for rung in self.rungs if not rung.at_deadline]

    @property
    def at_deadline(self) -> list[RungLine]:
        return [rung for rung in self.rungs if rung.at_deadline]

    @property
    def live(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)


def clock_line(clock: Clock, *, now: datetime | None = None) -> ClockLine:
    views = rung_views(clock, now=now)
    return ClockLine(
        name=clock.name,
        label=clock_label(clock.name),
        state=clock.state,
        state_label=str(clock.get_state_display()),
        started_at=clock.started_at,
        due_at=clock.due_at,
        provisional=clock.provisional,
        breached_at=clock.breached_at,
        stopped_at=clock.stopped_at,
        budget=f"{clock.budget_amount} {clock.get_budget_unit_display()}",
        rungs=[
            RungLine(
                label=rung_label(clock.name, view.name),
                status=view.status,
                status_label=view.status_label,
                at=view.at,
                at_deadline=view.at_deadline,
            )
            for view in views
        ],
        deadline_shown=deadline_shown(clock, now=now),
    )


def filing_clocks(case: Case) -> list[ClockLine]:
    """Every clock of the case, the live ones first."""
    lines = [clock_line(clock) for clock in case_clocks(case)]
    return sorted(lines, key=lambda line: (not line.live, line.started_at))


# --------------------------------------------------------------------------------------------------------------
# Actions


@dataclass(frozen=True)
class ActionState:
    """An action of the process from the current state that the user's roles allow: enabled, or disabled with
    the guard's reason (e.g. the on-site notice before the contact details are verified)."""

    name: str
    label: str
    enabled: bool
    reason: str = ""


def action_states(case: Case, user: AnyUser | None) -> list[ActionState]:
    """The actions the user may take now and those their role allows but a guard still refuses (with why).
    Payload guards (reasons, record numbers) are judged when the form is sent."""
    if user is None or not user.is_authenticated or not case.is_open:
        return []
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always our model
    roles = case_roles(user, case)
    definition = get_process(case.process_key, case.process_version)
    states = []
    for transition in definition.transitions:
        if case.state not in transition.sources or transition.system_only:
            continue
        usable = roles & ({str(role) for role in transition.roles} - {SYSTEM})
        if not any(actor_guard_refusal(case, transition, user, role) is None for role in usable):
            continue
        reason = guard_refusal(case, transition, {}, with_payload=False)
        states.append(
            ActionState(
                name=transition.name,
                label=str(transition.label or transition.name),
                enabled=reason is None,
                reason=reason or "",
            )
        )
    return states


# --------------------------------------------------------------------------------------------------------------
# Returns per field


_PART = re.compile(r"[^.\[\]]+|\[\d+\]")


def returnable_fields(filing: Filing) -> list[tuple[str, str]]:
    """``(path, label)`` of every field and part a return may name, in the order of the form."""
    data = stored_data(filing)
    known = known_paths(data)
    ordered: list[str] = []
    seen: set[str] = set()
    for path in flatten(data.to_json()):
        current = ""
        for part in _PART.findall(path):
            current = part if not current else (f"{current}{part}" if part.startswith("[") else f"{current}.{part}")
            if current not in seen and current in known:
                seen.add(current)
                ordered.append(current)
    return [(path, field_label(path)) for path in ordered]


# --------------------------------------------------------------------------------------------------------------
# Documents and copies


@dataclass(frozen=True)
class DocumentLine:
    id: int
    kind: str
    kind_label: str
    content_type: str
    size: int
    uploaded_at: datetime
    purpose: str
    marked_on: Any
    round_label: str
    website: str


def kind_label(kind: str) -> str:
    try:
        return str(AttachmentKind(kind).label)
    except ValueError:
        return kind


def filing_documents(filing: Filing, documents: list[Document]) -> list[DocumentLine]:
    """The case's documents with the "for filing use only" marking of each and the round it belongs to."""
    attachments = {
        item.document_id: item for item in Attachment.objects.filter(filing=filing).select_related("website")
    }
    lines = []
    for document in documents:
        attachment = attachments.get(document.pk)
        if attachment is None:
            round_label = ""
        elif attachment.onsite_round == 0:
            round_label = _("application")
        else:
            round_label = _("on-site verification %(round)s") % {"round": attachment.onsite_round}
        lines.append(
            DocumentLine(
                id=document.pk,
                kind=document.kind,
                kind_label=kind_label(document.kind),
                content_type=document.content_type,
                size=document.size,
                uploaded_at=document.uploaded_at,
                purpose=attachment.purpose if attachment is not None else "",
                marked_on=attachment.marked_on if attachment is not None else None,
                round_label=round_label,
                website=attachment.website.name if attachment is not None and attachment.website else "",
            )
        )
    return lines


@dataclass(frozen=True)
class CopyLine:
    """A copy the on-site verification keeps, and the one stored (if any) in the current round."""

    kind: str
    kind_label: str
    website_id: int | None
    website: str
    attachment: Attachment | None


def onsite_copies(filing: Filing) -> list[CopyLine]:
    names = dict(Website.objects.filter(filing=filing).values_list("pk", "name"))
    stored: dict[tuple[str, int | None], Attachment] = {}
    for attachment in Attachment.objects.filter(filing=filing, onsite_round=filing.onsite_rounds).order_by(
        "created_at", "pk"
    ):
        stored[(attachment.kind, attachment.website_id)] = attachment
    if filing.onsite_rounds == 0:
        stored = {}
    return [
        CopyLine(
            kind=str(kind),
            kind_label=kind_label(str(kind)),
            website_id=website_id,
            website=names.get(website_id, "") if website_id is not None else "",
            attachment=stored.get((str(kind), website_id)),
        )
        for kind, website_id in required_copies(filing)
    ]
