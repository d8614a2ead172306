"""Writes of the self-inspection: generating an inspection with its findings (each followed up on a case), and
moving a finding's case (start the work, close it with a resolution)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.permissions import has_role, unit_descendant_ids
from regdesk.accounts.roles import Role
from regdesk.audit.services import audit_record
from regdesk.cases.services import TransitionRefused, case_start, case_transition
from regdesk.subscribers.agents.errors import SupervisionRefused
from regdesk.subscribers.config import inspection_interval_days
from regdesk.subscribers.inspection.process import FINDING_PROCESS
from regdesk.subscribers.inspection.sections import SECTIONS, FindingDraft, Scope
from regdesk.subscribers.models import InspectionFinding, SelfInspection

if TYPE_CHECKING:
    from regdesk.accounts.models import User

RULE_VERSION = "realname.self_inspection/1"
# How the case of a finding was resolved.
RESOLUTIONS = ("remedied", "risk_accepted", "not_confirmed")
# The longest period one inspection covers.
MAX_PERIOD_DAYS = 366


def _open_case_of(draft: FindingDraft) -> InspectionFinding | None:
    """An earlier finding of the same problem whose case is still open."""
    return (
        InspectionFinding.objects.filter(
            kind=draft.kind, subject=draft.subject, unit_id=draft.unit_id, case__is_open=True
        )
        .select_related("case")
        .order_by("pk")
        .first()
    )


def self_inspection_run(
    *,
    actor: User | None,
    unit: OrgUnit,
    period_start: datetime.date,
    period_end: datetime.date,
    now: datetime.datetime | None = None,
) -> SelfInspection:
    """Generate a self-inspection (自查) of ``unit`` and everything below it for the period, from the data, and
    open a ``realname.inspection_finding`` case for each finding — unless the same problem is already being
    followed up on an open case, which the new finding then points at (``repeated``). Compliance officers over the
    unit, or the system (the scheduled task and ``regdesk realname inspect``)."""
    if actor is not None and not has_role(actor, Role.COMPLIANCE_OFFICER, unit=unit):
        raise SupervisionRefused("forbidden", _("Only compliance officers run a self-inspection here."), status=403)
    now = now or timezone.now()
    if period_end < period_start:
        raise SupervisionRefused("period_reversed", _("The end date is before the start date."), field="period_end")
    if period_end > timezone.localdate(now):
        raise SupervisionRefused("period_future", _("The period cannot end in the future."), field="period_end")
    if (period_end - period_start).days >= MAX_PERIOD_DAYS:
        raise SupervisionRefused(
            "period_too_long",
            _("One inspection covers at most %(days)d days.") % {"days": MAX_PERIOD_DAYS},
            field="period_start",
        )
    scope = Scope(unit, unit_descendant_ids([unit.pk]), period_start, period_end, now)
    with transaction.atomic():
        sections = {}
        drafts: list[FindingDraft] = []
        for name, compute in SECTIONS:
            figures, found = compute(scope)
            sections[name] = figures
            drafts.extend(found)
        inspection = SelfInspection.objects.create(
            unit=unit,
            period_start=period_start,
            period_end=period_end,
            rule_version=RULE_VERSION,
            sections=sections,
            generated_by=actor,
            generated_at=now,
        )
        opened = repeated = 0
        for draft in drafts:
            earlier = _open_case_of(draft)
            finding = InspectionFinding.objects.create(
                inspection=inspection,
                kind=draft.kind,
                severity=draft.severity,
                unit_id=draft.unit_id,
                subject=draft.subject,
                details=draft.details,
                case=earlier.case if earlier is not None else None,
                repeated=earlier is not None,
            )
            if earlier is None:
                finding.case = case_start(actor=actor, process_key=FINDING_PROCESS, unit=finding.unit, subject=finding)
                finding.save(update_fields=["case"])
                opened += 1
            else:
                repeated += 1
        audit_record(
            actor=actor,
            action="self_inspection.run",
            object_type="subscribers.selfinspection",
            object_id=inspection.pk,
            changes={
                "unit": unit.code,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "findings": len(drafts),
                "cases_opened": opened,
                "repeated": repeated,
            },
            unit=unit,
        )
    return inspection


def self_inspection_due(*, now: datetime.datetime | None = None) -> list[SelfInspection]:
    """Run the scheduled inspection of every top unit whose last inspection is older than the interval (or that
    has none); the period runs from the day after the last one's end (or one interval back) to yesterday."""
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - datetime.timedelta(days=1)
    done = []
    for unit in OrgUnit.objects.filter(parent__isnull=True, active=True).order_by("code"):
        last = SelfInspection.objects.filter(unit=unit).order_by("-period_end", "-pk").first()
        start = (
            last.period_end + datetime.timedelta(days=1)
            if last is not None
            else yesterday - datetime.timedelta(days=inspection_interval_days() - 1)
        )
        if (yesterday - start).days + 1 < inspection_interval_days():
            continue
        start = max(start, yesterday - datetime.timedelta(days=MAX_PERIOD_DAYS - 1))
        done.append(self_inspection_run(actor=None, unit=unit, period_start=start, period_end=yesterday, now=now))
    return done


def _require_follower(actor: User, finding: InspectionFinding) -> None:
    if not has_role(actor, Role.COMPLIANCE_OFFICER, unit=finding.unit):
        raise SupervisionRefused("forbidden", _("Only compliance officers follow up this finding."), status=403)


def _transition(actor: User, finding: InspectionFinding, action: str, payload: dict[str, str]) -> None:
    if finding.case is None:
        raise SupervisionRefused("no_case", _("This finding has no case."))
    try:
        case_transition(actor=actor, case=finding.case, action=action, payload=payload)
    except TransitionRefused as refused:
        raise SupervisionRefused(f"case_{refused.code}", refused.message) from None


def inspection_finding_start_work(*, actor: User, finding: InspectionFinding) -> InspectionFinding:
    """Take up the follow-up of a finding (its case moves from open to in progress)."""
    _require_follower(actor, finding)
    _transition(actor, finding, "start_work", {})
    return finding


def inspection_finding_close(
    *, actor: User, finding: InspectionFinding, resolution: str, note: str = ""
) -> InspectionFinding:
    """Close the follow-up with its resolution (remedied, risk accepted, not confirmed) and a note (no personal
    data). The resolution goes on every finding that points at the case, then the case closes (its guard reads
    it)."""
    _require_follower(actor, finding)
    if finding.case is None:
        raise SupervisionRefused("no_case", _("This finding has no case."))
    if resolution not in RESOLUTIONS:
        raise SupervisionRefused("resolution_unknown", _("Choose how the finding was resolved."), field="resolution")
    note = note.strip()
    if len(note) > 2000:
        raise SupervisionRefused("note_too_long", _("At most %(limit)d characters.") % {"limit": 2000}, field="note")
    if resolution != "remedied" and not note:
        raise SupervisionRefused("note_missing", _("Say why the finding needs no remedy."), field="note")
    with transaction.atomic():
        now = timezone.now()
        InspectionFinding.objects.filter(case=finding.case).update(
            resolution=resolution, resolution_note=note, resolved_by=actor, resolved_at=now
        )
        _transition(actor, finding, "close", {"resolution": resolution})
        audit_record(
            actor=actor,
            action="inspection_finding.close",
            object_type="subscribers.inspectionfinding",
            object_id=finding.pk,
            changes={"kind": finding.kind, "subject": finding.subject, "resolution": resolution},
            unit=finding.unit,
        )
    finding.refresh_from_db()
    return finding
