"""The sections of a self-inspection, each computed from the data: its figures (aggregates and codes only, kept in
``SelfInspection.sections``) and the findings it raises.

* **rate** — lines in service and registered ones over the unit's subtree now, by channel, against the target in
  force; the rate at the period's start from the snapshots. Findings: the unit below the target (high), a
  channel below the target (medium).
* **refusals** — registrations refused in the period, by reason (no finding: a refusal is the control working).
* **readers** — readers that read no card in the period (low), readers deactivated in the period, outlets that sell
  in person with no active reader (medium), readings rejected by reason and by reader (a reader with many
  rejections: medium; a forged signature: high).
* **agents** — status, agreement in force, error rate of audited registrations. Findings: error rate above the
  threshold (high), no agreement in force (high), an agent below another agent (sub-delegation, high), no audit
  within the interval (low).
* **campaigns** — open remediation campaigns with their lines by stage, steps overdue (medium), and lines in service
  not registered that no open campaign covers (medium). Skipped with a note when campaigns are not installed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from regdesk.accounts.models import OrgUnit
from regdesk.audit.models import AuditEvent
from regdesk.rules.realname_rate import COUNTED_STATUSES, REGISTERED_STATE, target_at
from regdesk.subscribers.agents.selectors import agent_summaries
from regdesk.subscribers.config import (
    agent_audit_interval_days,
    agent_error_rate_threshold,
    inspection_rejected_readings,
    rate_targets,
)
from regdesk.subscribers.models import (
    AgentAudit,
    AgentStatus,
    CardReader,
    CardReading,
    Channel,
    FindingSeverity,
    Line,
    OutletProfile,
    Registration,
)
from regdesk.subscribers.reports.selectors import live_counts, snapshot_totals

# Channels that sell in person and must read resident ID cards with a reader (online channels verify by video).
IN_PERSON_CHANNELS = (Channel.OWN_HALL, Channel.COOPERATING_HALL, Channel.AGENT)
# A reader enrolled this close to the end of the period is not yet expected to have read a card.
NEW_READER_DAYS = 7
# Reasons of a rejected reading that point at a forged or tampered reader, not a clerk's slip.
FORGERY_REASONS = frozenset({"signature_invalid", "reading_replayed", "reader_unknown"})


@dataclass
class FindingDraft:
    """A finding before it is saved: kind, severity, the unit it belongs to, its subject and its figures."""

    kind: str
    severity: str
    unit_id: int
    subject: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scope:
    unit: OrgUnit
    unit_ids: set[int]
    period_start: datetime.date
    period_end: datetime.date
    now: datetime.datetime

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.period_start, datetime.time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime.datetime:
        """The end of the period (exclusive): midnight after its last day."""
        day_after = self.period_end + datetime.timedelta(days=1)
        return datetime.datetime.combine(day_after, datetime.time.min, tzinfo=timezone.get_current_timezone())


Section = tuple[dict[str, Any], list[FindingDraft]]


def _percent(value: Any) -> str | None:
    return str(value) if value is not None else None


def rate_section(scope: Scope) -> Section:
    targets = rate_targets()
    today = timezone.localdate(scope.now)
    target = target_at(targets, today)
    counts = live_counts(scope.unit_ids)
    overall = counts.total()
    by_channel: dict[str, Any] = {}
    findings: list[FindingDraft] = []
    for channel in Channel.values:
        outlets = [outlet for outlet in counts.by_outlet if counts.channel_of.get(outlet) == channel]
        count = counts.total(outlets)
        by_channel[channel] = {"registered": count.registered, "total": count.total, "percent": _percent(count.percent)}
        if count.meets(target) is False:
            findings.append(
                FindingDraft(
                    "channel_below_target",
                    FindingSeverity.MEDIUM,
                    scope.unit.pk,
                    channel,
                    {**by_channel[channel], "target": _percent(target.percent if target else None)},
                )
            )
    states: Counter[str] = Counter()
    for per_state in counts.by_outlet.values():
        states.update(per_state)
    start_totals = snapshot_totals(scope.unit_ids, scope.period_start - datetime.timedelta(days=31), scope.period_start)
    at_start = start_totals[max(start_totals)] if start_totals else None
    section = {
        "as_of": today.isoformat(),
        "registered": overall.registered,
        "total": overall.total,
        "percent": _percent(overall.percent),
        "target": _percent(target.percent if target else None),
        "meets": overall.meets(target),
        "by_channel": by_channel,
        "unregistered_by_state": {state: lines for state, lines in sorted(states.items()) if state != REGISTERED_STATE},
        "at_period_start": (
            {"registered": at_start.registered, "total": at_start.total, "percent": _percent(at_start.percent)}
            if at_start is not None
            else None
        ),
    }
    if overall.meets(target) is False:
        findings.insert(
            0,
            FindingDraft(
                "rate_below_target",
                FindingSeverity.HIGH,
                scope.unit.pk,
                scope.unit.code,
                {
                    "registered": overall.registered,
                    "total": overall.total,
                    "percent": _percent(overall.percent),
                    "target": _percent(target.percent if target else None),
                },
            ),
        )
    return section, findings


def refusals_section(scope: Scope) -> Section:
    refused = (
        Registration.objects.filter(outlet_id__in=scope.unit_ids, updated_at__gte=scope.start, updated_at__lt=scope.end)
        .exclude(refusal_reason="")
        .values_list("refusal_reason")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_reason = dict(sorted(refused))
    return {"by_reason": by_reason, "total": sum(by_reason.values())}, []


def readers_section(scope: Scope) -> Section:
    findings: list[FindingDraft] = []
    readers = list(CardReader.objects.filter(outlet_id__in=scope.unit_ids).select_related("outlet"))
    used = set(
        CardReading.objects.filter(
            reader__in=readers, verified_at__gte=scope.start, verified_at__lt=scope.end
        ).values_list("reader_id", flat=True)
    )
    active = [reader for reader in readers if reader.active]
    settled = scope.end - datetime.timedelta(days=NEW_READER_DAYS)
    unused = [reader for reader in active if reader.pk not in used and reader.enrolled_at < settled]
    for reader in unused:
        findings.append(
            FindingDraft(
                "reader_unused", FindingSeverity.LOW, reader.outlet_id, reader.device_id, {"outlet": reader.outlet.code}
            )
        )
    deactivated = [
        reader.device_id
        for reader in readers
        if reader.deactivated_at is not None and scope.start <= reader.deactivated_at < scope.end
    ]
    with_reader = {reader.outlet_id for reader in active}
    in_person = OutletProfile.objects.filter(
        unit_id__in=scope.unit_ids, unit__active=True, channel__in=[str(channel) for channel in IN_PERSON_CHANNELS]
    ).select_related("unit")
    # An agent's own unit sells through its outlets: only units without outlets below need a reader themselves.
    parents = set(OrgUnit.objects.filter(pk__in=scope.unit_ids).values_list("parent_id", flat=True))
    for profile in in_person:
        if profile.unit_id not in with_reader and profile.unit_id not in parents:
            findings.append(
                FindingDraft(
                    "outlet_without_reader",
                    FindingSeverity.MEDIUM,
                    profile.unit_id,
                    profile.unit.code,
                    {"channel": profile.channel},
                )
            )
    codes = dict(OrgUnit.objects.filter(pk__in=scope.unit_ids).values_list("code", "pk"))
    rejections = AuditEvent.objects.filter(
        action="card_reading.refuse", unit_code__in=list(codes), occurred_at__gte=scope.start, occurred_at__lt=scope.end
    ).values_list("object_id", "unit_code", "changes")
    by_reason: Counter[str] = Counter()
    by_device: Counter[tuple[str, str]] = Counter()
    forged: dict[tuple[str, str], set[str]] = {}
    for device_id, unit_code, changes in rejections:
        reason = str(changes.get("reason", "")) if isinstance(changes, dict) else ""
        by_reason[reason] += 1
        by_device[(device_id, unit_code)] += 1
        if reason in FORGERY_REASONS:
            forged.setdefault((device_id, unit_code), set()).add(reason)
    for (device_id, unit_code), count in sorted(by_device.items()):
        if (device_id, unit_code) in forged:
            severity = FindingSeverity.HIGH
        elif count >= inspection_rejected_readings():
            severity = FindingSeverity.MEDIUM
        else:
            continue
        findings.append(
            FindingDraft(
                "readings_rejected",
                severity,
                codes[unit_code],
                device_id,
                {
                    "rejected": count,
                    "outlet": unit_code,
                    "forgery_reasons": sorted(forged.get((device_id, unit_code), ())),
                },
            )
        )
    section = {
        "readers": len(readers),
        "active": len(active),
        "unused": [reader.device_id for reader in unused],
        "deactivated": deactivated,
        "rejected_readings": dict(sorted(by_reason.items())),
        "rejected_total": sum(by_reason.values()),
    }
    return section, findings


def agents_section(scope: Scope) -> Section:
    findings: list[FindingDraft] = []
    threshold = agent_error_rate_threshold()
    since = scope.now - datetime.timedelta(days=agent_audit_interval_days())
    rows = []
    for summary in agent_summaries(scope.unit_ids, day=scope.period_end):
        agent = summary.agent
        unit_id, code = agent.unit_id, agent.unit.code
        rate = summary.overall_rate
        rows.append(
            {
                "agent": code,
                "status": agent.status,
                "agreement": summary.agreement.reference if summary.agreement else None,
                "errors": rate.errors,
                "audited": rate.audited,
                "percent": _percent(rate.percent),
                "sub_delegated": summary.sub_delegated,
            }
        )
        if summary.over_threshold:
            details = {"errors": rate.errors, "audited": rate.audited, "percent": _percent(rate.percent)}
            findings.append(
                FindingDraft(
                    "agent_error_rate", FindingSeverity.HIGH, unit_id, code, {**details, "threshold": str(threshold)}
                )
            )
        if summary.sub_delegated:
            findings.append(FindingDraft("agent_sub_delegation", FindingSeverity.HIGH, unit_id, code))
        if agent.status != AgentStatus.ACTIVE:
            continue
        if summary.agreement is None:
            findings.append(FindingDraft("agent_without_agreement", FindingSeverity.HIGH, unit_id, code))
        if not AgentAudit.objects.filter(agent=agent, started_at__gte=since).exists():
            findings.append(
                FindingDraft(
                    "agent_not_audited", FindingSeverity.LOW, unit_id, code, {"days": agent_audit_interval_days()}
                )
            )
    statuses = Counter(row["status"] for row in rows)
    section = {
        "agents": rows,
        "suspended": statuses.get(AgentStatus.SUSPENDED, 0),
        "blacklisted": statuses.get(AgentStatus.BLACKLISTED, 0),
        "threshold": str(threshold),
    }
    return section, findings


def campaigns_section(scope: Scope) -> Section:
    try:
        from regdesk.subscribers.models import Campaign, CampaignLine, CampaignStatus
    except ImportError:
        return {"skipped": "remediation campaigns are not installed"}, []
    findings: list[FindingDraft] = []
    overdue_before = scope.now - datetime.timedelta(days=1)
    rows = []
    for campaign in Campaign.objects.filter(unit_id__in=scope.unit_ids, status=CampaignStatus.RUNNING).order_by("pk"):
        entries = CampaignLine.objects.filter(campaign=campaign)
        stages = dict(entries.values_list("stage").annotate(count=Count("id")).order_by())
        overdue = entries.filter(is_open=True, next_step_at__lt=overdue_before).count()
        rows.append({"campaign": campaign.pk, "group": campaign.group, "stages": stages, "overdue": overdue})
        if overdue:
            findings.append(
                FindingDraft(
                    "campaign_overdue", FindingSeverity.MEDIUM, campaign.unit_id, str(campaign.pk), {"overdue": overdue}
                )
            )
    uncovered = (
        Line.objects.filter(outlet_id__in=scope.unit_ids, status__in=COUNTED_STATUSES)
        .exclude(real_name_state=REGISTERED_STATE)
        .exclude(Q(campaign_entries__is_open=True))
        .count()
    )
    if uncovered:
        findings.append(
            FindingDraft(
                "unregistered_without_campaign",
                FindingSeverity.MEDIUM,
                scope.unit.pk,
                scope.unit.code,
                {"lines": uncovered},
            )
        )
    return {"running": rows, "unregistered_without_campaign": uncovered}, findings


SECTIONS = (
    ("rate", rate_section),
    ("refusals", refusals_section),
    ("readers", readers_section),
    ("agents", agents_section),
    ("campaigns", campaigns_section),
)
