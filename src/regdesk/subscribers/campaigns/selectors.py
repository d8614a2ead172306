"""Reads of campaigns and imports for the desk: what a user may see, progress per step, lines per group.

Line numbers are shown masked (``PersonalValue`` prints its mask); nothing here reveals a plain value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import AnyUser, get_object_for_user_or_404
from regdesk.accounts.roles import Role
from regdesk.rules.realname import GROUP_ORDER, Group
from regdesk.subscribers.models import (
    BillingEventKind,
    Campaign,
    CampaignLetter,
    CampaignLine,
    CommandStatus,
    ImportJob,
    Line,
    LineBillingEvent,
    LineRecord,
    ProvisioningCommand,
    Stage,
)
from regdesk.subscribers.permissions import units_for_roles

OFFICER_ROLES = (Role.COMPLIANCE_OFFICER,)
READER_ROLES = (Role.COMPLIANCE_OFFICER, Role.AUDITOR)


def officer_units(user: AnyUser | None) -> QuerySet[OrgUnit]:
    """Units (and those below) where the user is a compliance officer: where campaigns and imports are run."""
    return OrgUnit.objects.filter(pk__in=units_for_roles(user, OFFICER_ROLES), active=True).order_by("code")


def can_read(user: AnyUser | None) -> bool:
    return bool(units_for_roles(user, READER_ROLES))


def campaigns_visible(user: AnyUser | None) -> QuerySet[Campaign]:
    return Campaign.objects.filter(unit_id__in=units_for_roles(user, READER_ROLES)).select_related("unit")


def access_campaign_by_id(user: AnyUser | None, campaign_id: Any) -> Campaign:
    """The campaign if the user is a compliance officer or auditor over its unit; ``Http404`` alike otherwise."""
    return get_object_for_user_or_404(
        Campaign.objects.select_related("unit"),
        user,
        campaign_id,
        visible=lambda active: Q(unit_id__in=units_for_roles(active, READER_ROLES)),
    )


def access_import_by_id(user: AnyUser | None, job_id: Any) -> ImportJob:
    """The import job if the user is a compliance officer or auditor over its unit; ``Http404`` alike otherwise."""
    return get_object_for_user_or_404(
        ImportJob.objects.select_related("unit"),
        user,
        job_id,
        visible=lambda active: Q(unit_id__in=units_for_roles(active, READER_ROLES)),
    )


def imports_visible(user: AnyUser | None) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(unit_id__in=units_for_roles(user, READER_ROLES)).select_related("unit")


@dataclass(frozen=True)
class CampaignProgress:
    """Lines per stage (in the order of the steps), letters waiting to be printed, commands not yet sent."""

    stages: list[tuple[str, str, int]]
    total: int
    letters_waiting: int
    commands_pending: int
    commands_failed: int
    refunded_fen: int


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    counts = dict(
        CampaignLine.objects.filter(campaign=campaign).values_list("stage").annotate(count=Count("pk")).order_by()
    )
    stages = [(str(stage.value), str(stage.label), int(counts.get(stage.value, 0))) for stage in Stage]
    commands = ProvisioningCommand.objects.filter(entry__campaign=campaign)
    refunds = LineBillingEvent.objects.filter(campaign=campaign, kind=BillingEventKind.REFUND)
    return CampaignProgress(
        stages=stages,
        total=sum(count for _stage, _label, count in stages),
        letters_waiting=CampaignLetter.objects.filter(entry__campaign=campaign, printed_at__isnull=True).count(),
        commands_pending=commands.filter(status=CommandStatus.QUEUED).count(),
        commands_failed=commands.filter(status=CommandStatus.FAILED).exclude(last_error="superseded").count(),
        refunded_fen=sum(refunds.values_list("amount_fen", flat=True)),
    )


def group_counts(user: User) -> list[tuple[str, int]]:
    """Imported lines per group (``registered`` first, then the groups of unregistered lines) in the user's
    units."""
    counts: Counter[str] = Counter(
        dict(
            LineRecord.objects.filter(line__outlet_id__in=units_for_roles(user, READER_ROLES))
            .values_list("group")
            .annotate(count=Count("pk"))
            .order_by()
        )
    )
    return [(str(group), counts.get(str(group), 0)) for group in (Group.REGISTERED, *GROUP_ORDER)]


def lines_in_group(user: User, group: str) -> QuerySet[Line]:
    """Imported lines of ``group`` in the user's units, newest first (numbers are shown masked)."""
    if group not in {str(item) for item in Group}:
        raise Http404
    return (
        Line.objects.filter(record__group=group, outlet_id__in=units_for_roles(user, READER_ROLES))
        .select_related("outlet", "record")
        .order_by("-pk")
    )


def billing_held(line: Line) -> bool:
    """Whether the line's fees are held (DOMAIN.md §2: no fees while suspended): the latest hold is not released."""
    latest = (
        LineBillingEvent.objects.filter(line=line, kind__in=[BillingEventKind.HOLD, BillingEventKind.RELEASE])
        .order_by("-occurred_at", "-pk")
        .first()
    )
    return latest is not None and latest.kind == BillingEventKind.HOLD
