"""Reads of agent supervision: each agent with its agreement in force, its audits and its error rate."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.permissions import unit_ancestor_ids
from regdesk.accounts.roles import UnitKind
from regdesk.subscribers.config import agent_error_rate_threshold
from regdesk.subscribers.models import AgencyAgreement, Agent, AgentAudit

PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ErrorRate:
    """Registrations with errors among the audited ones."""

    errors: int
    audited: int

    @property
    def percent(self) -> Decimal | None:
        if self.audited == 0:
            return None
        return (Decimal(self.errors) * 100 / Decimal(self.audited)).quantize(PLACES, rounding=ROUND_HALF_UP)

    def above(self, threshold: Decimal) -> bool:
        """Whether the rate exceeds ``threshold`` percent (compared exactly)."""
        return self.audited > 0 and Decimal(self.errors) * 100 > threshold * Decimal(self.audited)


def error_rate(audits: Iterable[AgentAudit]) -> ErrorRate:
    """The error rate over closed audits."""
    errors = audited = 0
    for audit in audits:
        if audit.closed_at is not None and audit.errors_found is not None:
            errors += audit.errors_found
            audited += audit.sample_size
    return ErrorRate(errors, audited)


@dataclass(frozen=True)
class AgentSummary:
    agent: Agent
    agreement: AgencyAgreement | None
    last_audit: AgentAudit | None
    open_audits: int
    last_rate: ErrorRate
    overall_rate: ErrorRate
    over_threshold: bool
    # The agent sits below another agent: registration delegated onwards, which the rules forbid.
    sub_delegated: bool


def agreement_in_force(agent: Agent, day: datetime.date | None = None) -> AgencyAgreement | None:
    day = day or timezone.localdate()
    return AgencyAgreement.objects.filter(agent=agent, valid_from__lte=day, valid_until__gte=day).first()


def is_sub_delegated(agent: Agent) -> bool:
    """Whether a unit above the agent is itself an agent (an agent that appointed its own agents)."""
    above = unit_ancestor_ids(agent.unit)[1:]
    return OrgUnit.objects.filter(pk__in=above, kind=UnitKind.AGENT).exists()


def agent_summary(agent: Agent, *, day: datetime.date | None = None) -> AgentSummary:
    audits = list(AgentAudit.objects.filter(agent=agent).order_by("-started_at", "-id"))
    closed = [audit for audit in audits if audit.closed_at is not None]
    last = closed[0] if closed else None
    overall = error_rate(closed)
    return AgentSummary(
        agent=agent,
        agreement=agreement_in_force(agent, day),
        last_audit=last,
        open_audits=sum(1 for audit in audits if audit.closed_at is None),
        last_rate=error_rate([last] if last is not None else []),
        overall_rate=overall,
        over_threshold=overall.above(agent_error_rate_threshold()),
        sub_delegated=is_sub_delegated(agent),
    )


def agent_summaries(unit_ids: Iterable[int], *, day: datetime.date | None = None) -> list[AgentSummary]:
    """Every agent in the units, by code."""
    agents = Agent.objects.filter(unit_id__in=set(unit_ids)).select_related("unit").order_by("unit__code")
    return [agent_summary(agent, day=day) for agent in agents]
