"""Outlets (营业网点) and agents (代理商): the channel each outlet sells through and the status of each agent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.permissions import has_role, unit_ancestor_ids
from regdesk.accounts.roles import Role, UnitKind
from regdesk.audit.services import audit_record
from regdesk.subscribers.models import Agent, AgentStatus, Channel, OutletProfile
from regdesk.subscribers.services.errors import RegistrationRefused

if TYPE_CHECKING:
    from regdesk.accounts.models import User

OUTLET_KINDS = (UnitKind.OUTLET, UnitKind.AGENT)
# Who supervises outlets and agents: compliance officers (and administrators for the outlet's configuration).
OUTLET_ADMIN_ROLES = (Role.COMPLIANCE_OFFICER, Role.ADMINISTRATOR)


def require_outlet(outlet: OrgUnit) -> OutletProfile:
    """The outlet's profile; refused for a unit that is not an active outlet configured for registration."""
    profile = OutletProfile.objects.filter(unit=outlet).first()
    if profile is None or not outlet.active:
        raise RegistrationRefused(
            "not_an_outlet", _("This unit is not an active outlet that registers lines."), field="outlet"
        )
    return profile


def agent_of(outlet: OrgUnit) -> Agent | None:
    """The agent the outlet belongs to: the nearest unit of kind agent at or above it that has an agent record."""
    ancestor_ids = unit_ancestor_ids(outlet)
    agents = {agent.unit_id: agent for agent in Agent.objects.filter(unit_id__in=ancestor_ids)}
    for unit_id in ancestor_ids:
        if unit_id in agents:
            return agents[unit_id]
    return None


def require_open_for_registration(outlet: OrgUnit) -> OutletProfile:
    """Refused when the outlet is not configured, or its agent is suspended or blacklisted."""
    profile = require_outlet(outlet)
    agent = agent_of(outlet)
    if agent is not None and agent.status == AgentStatus.SUSPENDED:
        raise RegistrationRefused(
            "agent_suspended",
            _("The agent of this outlet is suspended: no line may be registered through it."),
            field="outlet",
        )
    if agent is not None and agent.status == AgentStatus.BLACKLISTED:
        raise RegistrationRefused(
            "agent_blacklisted",
            _("The agent of this outlet is blacklisted: no line may be registered through it."),
            field="outlet",
        )
    return profile


def _require_admin(actor: User | None, unit: OrgUnit) -> None:
    if actor is not None and not has_role(actor, *OUTLET_ADMIN_ROLES, unit=unit):
        raise RegistrationRefused("forbidden", _("You may not manage this outlet."), status=403)


def outlet_configure(*, actor: User | None, unit: OrgUnit, channel: str) -> OutletProfile:
    """Make ``unit`` (of kind outlet or agent) an outlet that registers lines through ``channel``, or change its
    channel. An agent unit gets its agent record (active) as well."""
    if unit.kind not in OUTLET_KINDS:
        raise RegistrationRefused("not_an_outlet", _("Only outlets and agents register lines."), field="unit")
    if channel not in Channel.values:
        raise RegistrationRefused("channel_unknown", _("Unknown sales channel."), field="channel")
    _require_admin(actor, unit)
    with transaction.atomic():
        profile, created = OutletProfile.objects.select_for_update().get_or_create(
            unit=unit, defaults={"channel": channel}
        )
        previous = "" if created else profile.channel
        if not created and profile.channel != channel:
            profile.channel = channel
            profile.save(update_fields=["channel", "updated_at"])
        if unit.kind == UnitKind.AGENT:
            Agent.objects.get_or_create(unit=unit)
        audit_record(
            actor=actor,
            action="outlet.configure",
            object_type="subscribers.outletprofile",
            object_id=profile.pk,
            changes={"unit": unit.code, "channel": [previous, channel]},
            unit=unit,
        )
    return profile


def agent_status_set(*, actor: User | None, agent_unit: OrgUnit, status: str, reason: str) -> Agent:
    """Suspend, blacklist or reinstate an agent (compliance officers over it). A reason is required for every
    change: an agent that registers falsely, opens cards in bulk or farms cards loses its agency (DOMAIN.md §2)."""
    if agent_unit.kind != UnitKind.AGENT:
        raise RegistrationRefused("not_an_agent", _("This unit is not an agent."), field="agent")
    if status not in AgentStatus.values:
        raise RegistrationRefused("status_unknown", _("Unknown agent status."), field="status")
    reason = " ".join(reason.split())
    if not reason:
        raise RegistrationRefused("reason_missing", _("Give the reason for the change."), field="reason")
    if actor is not None and not has_role(actor, Role.COMPLIANCE_OFFICER, unit=agent_unit):
        raise RegistrationRefused("forbidden", _("Only compliance officers change an agent's status."), status=403)
    with transaction.atomic():
        agent, _created = Agent.objects.select_for_update().get_or_create(unit=agent_unit)
        previous = agent.status
        if previous == AgentStatus.BLACKLISTED and status != AgentStatus.BLACKLISTED:
            # An industry-wide blacklisting is not undone by one operator's desk.
            raise RegistrationRefused(
                "agent_blacklisted", _("A blacklisted agent cannot be reinstated."), field="status"
            )
        agent.status = status
        agent.status_reason = reason[:500]
        agent.status_changed_at = timezone.now()
        agent.status_changed_by = actor
        agent.save()
        audit_record(
            actor=actor,
            action="agent.status",
            object_type="subscribers.agent",
            object_id=agent.pk,
            changes={"unit": agent_unit.code, "status": [previous, status], "reason": reason[:200]},
            unit=agent_unit,
        )
    return agent
