"""Writes of remediation campaigns: create and configure (compliance officers), launch, enrol the group's lines,
sweep the due steps, withdraw a line, close; the hook that restores service when a holder registers; and the
sending of provisioning commands.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.permissions import has_role, unit_descendant_ids
from regdesk.accounts.roles import Role
from regdesk.audit.services import audit_record
from regdesk.cases.services import TransitionRefused, case_start, case_transition
from regdesk.gateways.errors import GatewayError
from regdesk.rules.realname import UNREGISTERED_GROUPS, Group
from regdesk.subscribers import config
from regdesk.subscribers.campaigns.process import REMEDIATION_PROCESS, STEP_ACTIONS
from regdesk.subscribers.campaigns.steps import SUSPENDED, command_queue
from regdesk.subscribers.imports.classification import REAL_NAME_STATE_OF
from regdesk.subscribers.models import (
    Campaign,
    CampaignLine,
    CampaignStatus,
    CommandStatus,
    IntervalUnit,
    Line,
    LineStatus,
    NoticeChannel,
    ProvisioningCommand,
    RealNameState,
    Stage,
)
from regdesk.subscribers.services.errors import RegistrationRefused

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User

logger = logging.getLogger(__name__)

CAMPAIGN_ROLES = (Role.COMPLIANCE_OFFICER,)
VIEW_ROLES = (Role.COMPLIANCE_OFFICER, Role.AUDITOR)
MAX_INTERVAL_DAYS = 365
ENROL_CHUNK = 500
COMMAND_MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class Intervals:
    """The waits between the steps, each with its unit (``working_days`` or ``calendar_days``).

    The defaults are the ``REGDESK_CAMPAIGN_*`` settings (``config/settings.py``, which follows seed 004's schedule:
    one-way stop, reminder, two-way stop, cancellation).
    """

    one_way_after: int
    one_way_unit: str
    reminder_after: int
    reminder_unit: str
    two_way_after: int
    two_way_unit: str
    cancel_after: int
    cancel_unit: str

    @classmethod
    def defaults(cls) -> Intervals:
        return cls(
            one_way_after=config.campaign_one_way_after(),
            one_way_unit=config.campaign_one_way_unit(),
            reminder_after=config.campaign_reminder_after(),
            reminder_unit=config.campaign_reminder_unit(),
            two_way_after=config.campaign_two_way_after(),
            two_way_unit=config.campaign_two_way_unit(),
            cancel_after=config.campaign_cancel_after(),
            cancel_unit=config.campaign_cancel_unit(),
        )

    def problems(self) -> dict[str, str]:
        """Field → message for every value out of range."""
        found: dict[str, str] = {}
        for step in ("one_way", "reminder", "two_way", "cancel"):
            amount, unit = getattr(self, f"{step}_after"), getattr(self, f"{step}_unit")
            if not isinstance(amount, int) or not 1 <= amount <= MAX_INTERVAL_DAYS:
                found[f"{step}_after"] = _("Give a number of days from 1 to %(limit)d.") % {"limit": MAX_INTERVAL_DAYS}
            if unit not in IntervalUnit.values:
                found[f"{step}_unit"] = _("Choose working days or calendar days.")
        return found


def can_run_campaigns(user: User | None, unit: OrgUnit) -> bool:
    return has_role(user, *CAMPAIGN_ROLES, unit=unit)


def _require_officer(actor: User | None, unit: OrgUnit) -> None:
    if actor is not None and not can_run_campaigns(actor, unit):
        raise RegistrationRefused("forbidden", _("Only a compliance officer over the unit runs campaigns."), status=403)


def _check(name: str, group: str, notice_channel: str, intervals: Intervals) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise RegistrationRefused(
            "name_invalid", _("Give the campaign a name of at most 100 characters."), field="name"
        )
    if group not in {str(item) for item in UNREGISTERED_GROUPS}:
        raise RegistrationRefused("group_invalid", _("Choose a group of unregistered lines."), field="group")
    if notice_channel not in NoticeChannel.values:
        raise RegistrationRefused("channel_invalid", _("Choose SMS or letter."), field="notice_channel")
    problems = intervals.problems()
    if problems:
        field_name, message = next(iter(problems.items()))
        raise RegistrationRefused("interval_invalid", message, field=field_name)
    return name


def campaign_create(
    *, actor: User | None, unit: OrgUnit, name: str, group: str, notice_channel: str, intervals: Intervals
) -> Campaign:
    """Create a campaign (draft) for one group of unregistered lines sold under ``unit``, with its intervals
    (DOMAIN.md §2: set per campaign). Compliance officers over the unit, or the system."""
    _require_officer(actor, unit)
    name = _check(name, group, notice_channel, intervals)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            group=group,
            unit=unit,
            notice_channel=notice_channel,
            created_by=actor,
            **{key: getattr(intervals, key) for key in Intervals.__dataclass_fields__},
        )
        audit_record(
            actor=actor,
            action="campaign.create",
            object_type="subscribers.campaign",
            object_id=campaign.pk,
            changes={"group": group, "channel": notice_channel, **intervals.__dict__},
            unit=unit,
        )
    return campaign


def campaign_configure(
    *, actor: User | None, campaign: Campaign, name: str, notice_channel: str, intervals: Intervals
) -> Campaign:
    """Change a campaign's name, channel and intervals while it is a draft."""
    _require_officer(actor, campaign.unit)
    name = _check(name, campaign.group, notice_channel, intervals)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise RegistrationRefused("campaign_not_draft", _("Only a draft campaign can be changed."), field="status")
        locked.name, locked.notice_channel = name, notice_channel
        for key in Intervals.__dataclass_fields__:
            setattr(locked, key, getattr(intervals, key))
        locked.save()
        audit_record(
            actor=actor,
            action="campaign.configure",
            object_type="subscribers.campaign",
            object_id=locked.pk,
            changes={"channel": notice_channel, **intervals.__dict__},
            unit=locked.unit,
        )
    return locked


def eligible_lines(campaign: Campaign) -> QuerySet[Line]:
    """Lines of the campaign's group sold under its unit, not cancelled, not registered, in no open campaign."""
    group = Group(campaign.group)
    in_group = Q(record__group=group)
    if group != Group.INVALID_DOCUMENT:
        # Lines without an imported record (a dispute confirmed at the desk) by their registration state.
        in_group |= Q(record__isnull=True, real_name_state=REAL_NAME_STATE_OF[group])
    return (
        Line.objects.filter(in_group, outlet_id__in=unit_descendant_ids([campaign.unit_id]))
        .exclude(status=LineStatus.CANCELLED)
        .exclude(real_name_state=RealNameState.REGISTERED)
        .exclude(campaign_entries__is_open=True)
    )


def campaign_launch(*, actor: User | None, campaign: Campaign) -> Campaign:
    """Start a draft campaign: its lines are enrolled after commit (a task, in chunks), each is notified, and the
    sweep takes their steps when due."""
    _require_officer(actor, campaign.unit)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise RegistrationRefused("campaign_not_draft", _("The campaign has already started."), field="status")
        locked.status = CampaignStatus.RUNNING
        locked.launched_at = timezone.now()
        locked.save(update_fields=["status", "launched_at"])
        audit_record(
            actor=actor,
            action="campaign.launch",
            object_type="subscribers.campaign",
            object_id=locked.pk,
            changes={"eligible": eligible_lines(locked).count()},
            unit=locked.unit,
        )
        transaction.on_commit(lambda: _enqueue_enrol(locked.pk))
    return locked


def _enqueue_enrol(campaign_id: int) -> None:
    from regdesk.subscribers.campaigns.tasks import enrol_campaign

    enrol_campaign.enqueue(campaign_id)


def campaign_enrol(*, campaign: Campaign, limit: int = ENROL_CHUNK) -> int:
    """Enrol up to ``limit`` eligible lines of a running campaign (system): one ``line.remediation`` case each,
    whose start sends the notice. Returns how many were enrolled (0 when none are left)."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    if campaign.status != CampaignStatus.RUNNING:
        return 0
    enrolled = 0
    for line in list(eligible_lines(campaign).order_by("pk")[:limit]):
        now = timezone.now()
        try:
            with transaction.atomic():
                entry = CampaignLine.objects.create(campaign=campaign, line=line, entered_at=now, stage_changed_at=now)
                entry.case = case_start(actor=None, process_key=REMEDIATION_PROCESS, unit=line.outlet, subject=entry)
                entry.save(update_fields=["case"])
        except IntegrityError:
            continue  # enrolled meanwhile in another open campaign
        enrolled += 1
    return enrolled


def _take(entry: CampaignLine, action: str, *, actor: User | None, payload: dict[str, object]) -> None:
    """Move the entry's case, locking the line first: a registration locks the line before the case (through
    ``line_registered``), so every path takes the two in that order and none waits on the other in a cycle."""
    assert entry.case is not None  # noqa: S101 - enrolled entries have their case
    with transaction.atomic():
        Line.objects.select_for_update().filter(pk=entry.line_id).exists()
        case_transition(actor=actor, case=entry.case, action=action, payload=payload)


@dataclass
class SweepReport:
    fired: list[tuple[int, str]] = field(default_factory=list)
    refused: int = 0
    commands: int = 0


def campaign_sweep(now: dt.datetime | None = None, *, limit: int = 1000) -> SweepReport:
    """Take every due step of every running campaign (each once: the case moves only from the step's source
    state), then hand due provisioning commands (retries) to the task queue. Safe to run concurrently."""
    now = now or timezone.now()
    report = SweepReport()
    due = (
        CampaignLine.objects.filter(
            is_open=True, next_step_at__lte=now, campaign__status=CampaignStatus.RUNNING, case__isnull=False
        )
        .order_by("next_step_at", "pk")
        .values_list("pk", "next_step")[:limit]
    )
    for entry_id, step in list(due):
        entry = CampaignLine.objects.select_related("case").get(pk=entry_id)
        assert entry.case is not None  # noqa: S101 - filtered above
        try:
            _take(entry, STEP_ACTIONS[step], actor=None, payload={})
        except TransitionRefused:
            report.refused += 1
            continue
        except Exception:
            logger.exception("campaign line %s: step %s failed", entry_id, step)
            report.refused += 1
            continue
        report.fired.append((entry_id, step))
    for command_id in ProvisioningCommand.objects.filter(
        status=CommandStatus.QUEUED, next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:limit]:
        from regdesk.subscribers.campaigns.tasks import send_provisioning_command

        send_provisioning_command.enqueue(command_id)
        report.commands += 1
    return report


def campaign_line_withdraw(*, actor: User | None, entry: CampaignLine, reason: str) -> CampaignLine:
    """Take a line out of its campaign (wrongly classified, a complaint upheld): service restored if suspended,
    fees resumed. Compliance officers over the line's outlet, or the system."""
    reason = " ".join(reason.split())
    if not reason or len(reason) > 200:
        raise RegistrationRefused("reason_missing", _("Give the reason in at most 200 characters."), field="reason")
    _require_officer(actor, entry.line.outlet)
    if entry.case is None or not entry.is_open:
        raise RegistrationRefused("entry_closed", _("The line is no longer in the campaign."), field="entry")
    try:
        _take(entry, "withdraw", actor=actor, payload={"reason": reason})
    except TransitionRefused as refused:
        raise RegistrationRefused("entry_closed", refused.message, field="entry") from None
    entry.refresh_from_db()
    return entry


def campaign_close(*, actor: User | None, campaign: Campaign) -> Campaign:
    """End a running campaign: its open lines are withdrawn (service restored, fees resumed)."""
    _require_officer(actor, campaign.unit)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == CampaignStatus.CLOSED:
            raise RegistrationRefused("campaign_closed", _("The campaign is already closed."), field="status")
        entries = list(CampaignLine.objects.filter(campaign=locked, is_open=True).select_related("case"))
        for entry in entries:
            if entry.case is not None:
                _take(entry, "withdraw", actor=None, payload={"reason": "campaign closed"})
        locked.status = CampaignStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor,
            action="campaign.close",
            object_type="subscribers.campaign",
            object_id=locked.pk,
            changes={"withdrawn": len(entries)},
            unit=locked.unit,
        )
    return locked


def line_registered(*, line: Line, previous_status: str | None, registration_id: int) -> None:
    """Called by the registration service, in its transaction, when a holder has registered ``line``: the line's
    open remediation case ends as ``registered`` and its service is restored on the network at once (DOMAIN.md
    §2) — the command is sent as soon as the registration commits. A line suspended outside any campaign (taken
    over suspended) is restored too."""
    now = timezone.now()
    entry = CampaignLine.objects.select_related("case").filter(line=line, is_open=True, case__isnull=False).first()
    restored_by_campaign = False
    if entry is not None and entry.case is not None:
        restored_by_campaign = entry.stage != Stage.NOTIFIED
        case_transition(actor=None, case=entry.case, action="register", payload={"registration": registration_id})
    if previous_status in SUSPENDED and not restored_by_campaign:
        command_queue(
            line=line, entry=None, mode="normal", key=f"registration:{registration_id}:line:{line.pk}:normal", now=now
        )


def _retry_seconds(attempts: int) -> int:
    base = config.provisioning_retry_seconds()
    return int(min(base * 2 ** max(0, attempts - 1), 3600))


def provisioning_command_send(*, command_id: int) -> ProvisioningCommand:
    """Send one queued command with its idempotency key. A newer command for the same line supersedes it (the
    network must end in the latest state); a transient failure is retried later by the sweep; a refusal is
    recorded (non-personal code) for the desk."""
    from regdesk.gateways.provisioning import get_provisioning_gateway

    command = ProvisioningCommand.objects.select_related("line", "line__outlet").get(pk=command_id)
    if command.status != CommandStatus.QUEUED:
        return command
    now = timezone.now()
    if ProvisioningCommand.objects.filter(line_id=command.line_id, pk__gt=command.pk).exists():
        return _command_finish(command, status=CommandStatus.FAILED, error="superseded", now=now)
    try:
        receipt = get_provisioning_gateway().line_service(
            line_ref=f"line-{command.line_id}",
            mode=command.mode,  # type: ignore[arg-type]  # one of LINE_MODES, written by command_queue
            idempotency_key=command.idempotency_key,
        )
    except GatewayError as error:
        attempts = command.attempts + 1
        if error.transient and attempts < COMMAND_MAX_ATTEMPTS:
            with transaction.atomic():
                command.attempts = attempts
                command.last_error = error.code[:100]
                command.next_attempt_at = now + timedelta(seconds=_retry_seconds(attempts))
                command.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return command
        command.attempts = attempts
        return _command_finish(command, status=CommandStatus.FAILED, error=error.code, now=now)
    command.attempts += 1
    command.receipt_id = receipt.receipt_id[:100]
    return _command_finish(command, status=CommandStatus.SENT, error="", now=now)


def _command_finish(command: ProvisioningCommand, *, status: str, error: str, now: dt.datetime) -> ProvisioningCommand:
    with transaction.atomic():
        command.status = status
        command.last_error = error[:100]
        command.sent_at = now if status == CommandStatus.SENT else None
        command.next_attempt_at = None
        command.save(update_fields=["status", "last_error", "sent_at", "next_attempt_at", "attempts", "receipt_id"])
        audit_record(
            actor=None,
            action="line.provisioning",
            object_type="subscribers.line",
            object_id=command.line_id,
            changes={"mode": command.mode, "status": status, "receipt": command.receipt_id, "error": error},
            unit=command.line.outlet,
        )
    return command
