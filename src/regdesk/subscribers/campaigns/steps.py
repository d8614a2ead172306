"""The effects of the ``line.remediation`` steps, run inside the case transition's transaction.

Each step changes the line's status through ``line_status_change`` (its own audit event), queues what must
leave the building after commit (an SMS in the notice outbox, a command in the provisioning outbox), records
billing facts, and moves the line's entry to its next step with the due time of that step.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from regdesk.cases.deadlines import LOCAL_ZONE, compute_schedule
from regdesk.cases.definitions import BudgetUnit, ClockDefinition, EffectContext
from regdesk.subscribers.models import (
    BillingEventKind,
    CampaignLetter,
    CampaignLine,
    CommandStatus,
    IntervalUnit,
    Line,
    LineBillingEvent,
    LineKind,
    LineRecord,
    LineStatus,
    NoticeChannel,
    Payment,
    ProvisioningCommand,
    Stage,
)

if TYPE_CHECKING:
    from regdesk.accounts.models import User
    from regdesk.subscribers.models import Campaign

# The step after each stage, and the stage each step leads to.
NEXT_STEP = {
    Stage.NOTIFIED: "one_way",
    Stage.ONE_WAY_SUSPENDED: "reminder",
    Stage.REMINDED: "two_way",
    Stage.TWO_WAY_SUSPENDED: "cancel",
}
SUSPENDED = (LineStatus.ONE_WAY_SUSPENDED, LineStatus.TWO_WAY_SUSPENDED)
NOTICE_TEMPLATES = {"notice": "subscribers_campaign_notice", "reminder": "subscribers_campaign_reminder"}


def due_after(start: dt.datetime, amount: int, unit: str) -> tuple[dt.datetime, bool]:
    """When a wait of ``amount`` working or calendar days that starts at ``start`` ends, and whether that rests on
    a year whose holidays are not announced yet (the kernel's conventions: ``regdesk.cases.deadlines``)."""
    budget_unit = BudgetUnit.WORKING_DAYS if unit == IntervalUnit.WORKING_DAYS else BudgetUnit.CALENDAR_DAYS
    schedule = compute_schedule(
        ClockDefinition("step", budget=amount, unit=budget_unit),
        started_at=start,
        paused_working_days=0,
        paused_seconds=0,
    )
    return schedule.due_at, schedule.provisional


def entry_of(context: EffectContext) -> CampaignLine:
    return (
        CampaignLine.objects.select_for_update()
        .select_related("campaign", "line", "line__outlet")
        .get(pk=int(context.case.subject_id))
    )


def _schedule_next(entry: CampaignLine, stage: str, now: dt.datetime) -> None:
    entry.stage = stage
    entry.stage_changed_at = now
    step = NEXT_STEP.get(Stage(stage))
    if step is None:
        entry.is_open = False
        entry.next_step, entry.next_step_at, entry.next_step_provisional = "", None, False
        return
    amount, unit = entry.campaign.interval(step)
    entry.next_step = step
    entry.next_step_at, entry.next_step_provisional = due_after(now, amount, unit)


def command_queue(*, line: Line, entry: CampaignLine | None, mode: str, key: str, now: dt.datetime) -> None:
    """Put a line-service command in the provisioning outbox; it is sent once the transaction commits."""
    command, created = ProvisioningCommand.objects.get_or_create(
        idempotency_key=key,
        defaults={"line": line, "entry": entry, "mode": mode, "created_at": now, "next_attempt_at": now},
    )
    if created or command.status == CommandStatus.QUEUED:
        transaction.on_commit(lambda: _enqueue_command(command.pk))


def _enqueue_command(command_id: int) -> None:
    from regdesk.subscribers.campaigns.tasks import send_provisioning_command

    send_provisioning_command.enqueue(command_id)


def _command(entry: CampaignLine, mode: str, step: str, now: dt.datetime) -> None:
    key = f"campaign:{entry.campaign_id}:line:{entry.line_id}:{step}"
    command_queue(line=entry.line, entry=entry, mode=mode, key=key, now=now)


def _billing(entry: CampaignLine, kind: str, now: dt.datetime, amount_fen: int = 0) -> None:
    LineBillingEvent.objects.get_or_create(
        idempotency_key=f"campaign:{entry.campaign_id}:line:{entry.line_id}:{kind}",
        defaults={
            "line_id": entry.line_id,
            "campaign_id": entry.campaign_id,
            "kind": kind,
            "amount_fen": amount_fen,
            "occurred_at": now,
        },
    )


def _notify(entry: CampaignLine, step: str, context: EffectContext) -> None:
    """The notice or the reminder: an SMS to the line itself, or a letter for the post (fixed lines always)."""
    from regdesk.cases.services import notice_queue

    campaign = entry.campaign
    line = entry.line
    if campaign.notice_channel == NoticeChannel.LETTER or line.kind == LineKind.FIXED:
        CampaignLetter.objects.get_or_create(entry=entry, step=step, defaults={"created_at": timezone.now()})
        return
    deadline = entry.next_step_at.astimezone(LOCAL_ZONE).date().isoformat() if entry.next_step_at else ""
    notice_queue(
        actor=None,
        channel="sms",
        recipient=line.number.reveal(),
        template=NOTICE_TEMPLATES[step],
        context={"deadline": deadline, "step": entry.next_step},
        idempotency_key=f"campaign:{campaign.pk}:line:{line.pk}:{step}",
        case=context.case,
    )


def _status(line: Line, status: str, campaign: Campaign, step: str) -> None:
    from regdesk.subscribers.services import line_status_change

    if line.status != status and line.status != LineStatus.CANCELLED:
        line_status_change(actor=None, line=line, status=status, reason=f"remediation campaign {campaign.pk}: {step}")


def _restore(entry: CampaignLine, now: dt.datetime, *, reason: str, actor: User | None = None) -> None:
    """Service back (the network and, unless the registration did it, the line), and fees again."""
    line = Line.objects.get(pk=entry.line_id)
    if entry.stage in (Stage.ONE_WAY_SUSPENDED, Stage.REMINDED, Stage.TWO_WAY_SUSPENDED) or line.status in SUSPENDED:
        if line.status in SUSPENDED:
            _status(line, LineStatus.UNREGISTERED, entry.campaign, reason)
        command_queue(
            line=line, entry=entry, mode="normal", key=f"campaign:{entry.campaign_id}:line:{line.pk}:normal", now=now
        )
    if entry.billing_held:
        _billing(entry, BillingEventKind.RELEASE, now)
        entry.billing_held = False


def apply(step: str, context: EffectContext) -> None:
    """Run the effect of ``step`` for the case's line (see the module docstring)."""
    now = timezone.now()
    entry = entry_of(context)
    campaign, line = entry.campaign, entry.line
    if step == "notice":
        _schedule_next(entry, Stage.NOTIFIED, now)
        _notify(entry, "notice", context)
    elif step == "one_way":
        _status(line, LineStatus.ONE_WAY_SUSPENDED, campaign, step)
        command_queue(
            line=line,
            entry=entry,
            mode="one_way_suspended",
            key=f"campaign:{campaign.pk}:line:{line.pk}:one_way",
            now=now,
        )
        # DOMAIN.md §2: no fees while the line is suspended.
        _billing(entry, BillingEventKind.HOLD, now)
        entry.billing_held = True
        _schedule_next(entry, Stage.ONE_WAY_SUSPENDED, now)
    elif step == "reminder":
        _schedule_next(entry, Stage.REMINDED, now)
        _notify(entry, "reminder", context)
    elif step == "two_way":
        _status(line, LineStatus.TWO_WAY_SUSPENDED, campaign, step)
        command_queue(
            line=line,
            entry=entry,
            mode="two_way_suspended",
            key=f"campaign:{campaign.pk}:line:{line.pk}:two_way",
            now=now,
        )
        _schedule_next(entry, Stage.TWO_WAY_SUSPENDED, now)
    elif step == "cancel":
        _status(line, LineStatus.CANCELLED, campaign, step)
        command_queue(
            line=line, entry=entry, mode="cancelled", key=f"campaign:{campaign.pk}:line:{line.pk}:cancel", now=now
        )
        # DOMAIN.md §2: the prepaid balance is refunded on cancellation.
        record = LineRecord.objects.filter(line=line).first()
        balance = record.prepaid_balance_fen if record is not None and line.payment == Payment.PREPAID else 0
        _billing(entry, BillingEventKind.REFUND, now, amount_fen=balance)
        _schedule_next(entry, Stage.CANCELLED, now)
    elif step == "registered":
        # The registration restored the line's status itself (services.completion); the network follows here.
        _restore(entry, now, reason="registered")
        _schedule_next(entry, Stage.REGISTERED, now)
    elif step == "withdrawn":
        _restore(entry, now, reason="withdrawn")
        _schedule_next(entry, Stage.WITHDRAWN, now)
    else:  # pragma: no cover - the process names only the steps above
        raise ValueError(step)
    entry.save()
