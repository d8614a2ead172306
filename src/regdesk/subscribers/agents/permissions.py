"""Who supervises agents: compliance officers act (agreements, audits, suspension); auditors read. Both only over
the agents below their memberships' units. Objects come through gates that answer "not found" alike for missing and
forbidden ones."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.permissions import AnyUser, get_object_for_user_or_404, has_role
from regdesk.accounts.roles import Role
from regdesk.subscribers.models import AgencyAgreement, Agent, AgentAudit, AgentAuditItem
from regdesk.subscribers.permissions import units_for_roles

SUPERVISOR_ROLES = (Role.COMPLIANCE_OFFICER,)
READER_ROLES = (Role.COMPLIANCE_OFFICER, Role.AUDITOR)


def agent_unit_ids(user: AnyUser | None) -> set[int]:
    """The units whose agents the user may see."""
    return units_for_roles(user, READER_ROLES)


def can_supervise(user: AnyUser | None, agent_unit: OrgUnit) -> bool:
    return has_role(user, *SUPERVISOR_ROLES, unit=agent_unit)


def access_agent_by_id(user: AnyUser | None, agent_id: Any) -> Agent:
    """The agent if the user is a compliance officer or auditor over it; ``Http404`` alike otherwise."""
    return get_object_for_user_or_404(
        Agent.objects.select_related("unit"),
        user,
        agent_id,
        visible=lambda active: Q(unit_id__in=agent_unit_ids(active)),
    )


def access_agreement_by_id(user: AnyUser | None, agreement_id: Any) -> AgencyAgreement:
    return get_object_for_user_or_404(
        AgencyAgreement.objects.select_related("agent", "agent__unit"),
        user,
        agreement_id,
        visible=lambda active: Q(agent__unit_id__in=agent_unit_ids(active)),
    )


def access_audit_by_id(user: AnyUser | None, audit_id: Any) -> AgentAudit:
    return get_object_for_user_or_404(
        AgentAudit.objects.select_related("agent", "agent__unit"),
        user,
        audit_id,
        visible=lambda active: Q(agent__unit_id__in=agent_unit_ids(active)),
    )


def access_audit_item_by_id(user: AnyUser | None, audit: AgentAudit, item_id: Any) -> AgentAuditItem:
    return get_object_for_user_or_404(
        AgentAuditItem.objects.select_related("audit", "audit__agent", "audit__agent__unit"),
        user,
        item_id,
        visible=lambda active: Q(audit=audit, audit__agent__unit_id__in=agent_unit_ids(active)),
    )
