"""Reads of the case kernel: the actions a user may take now, and the desk's lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from regdesk.accounts.models import User
from regdesk.accounts.permissions import AnyUser
from regdesk.cases.definitions import SYSTEM, Transition, get_process
from regdesk.cases.models import Case, Clock, ClockState, Document
from regdesk.cases.permissions import case_roles, case_visibility
from regdesk.cases.services.cases import actor_guard_refusal, guard_refusal


def _active(user: AnyUser | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always our model
    return user


def allowed_actions(case: Case, user: AnyUser | None) -> list[Transition]:
    """The transitions the user may take on the case now: from its current state, in one of the user's roles
    over the case's unit for which the actor guards pass, with every guard passing. Guards that judge the payload
    are not run (the payload is not known yet); ``case_transition`` runs them. System actions are never listed."""
    active = _active(user)
    if active is None or not case.is_open:
        return []
    roles = case_roles(active, case)
    if not roles:
        return []
    definition = get_process(case.process_key, case.process_version)
    allowed = []
    for transition in definition.transitions:
        if case.state not in transition.sources:
            continue
        usable = roles & ({str(role) for role in transition.roles} - {SYSTEM})
        if not any(actor_guard_refusal(case, transition, active, role) is None for role in usable):
            continue
        if guard_refusal(case, transition, {}, with_payload=False) is not None:
            continue
        allowed.append(transition)
    return allowed


def visible_cases(user: AnyUser | None) -> QuerySet[Case]:
    """Cases in the units the user works in as staff, and the units below them."""
    active = _active(user)
    if active is None:
        return Case.objects.none()
    return Case.objects.filter(case_visibility(active))


def cases_assigned_to(user: AnyUser | None, limit: int = 20) -> list[Case]:
    """Open cases assigned to the user (and visible to them), least recently changed first."""
    active = _active(user)
    if active is None:
        return []
    return list(
        visible_cases(active)
        .filter(assignee=active, is_open=True)
        .select_related("unit")
        .order_by("updated_at", "pk")[:limit]
    )


@dataclass(frozen=True)
class ClockSummary:
    clock: Clock
    case: Case
    due_at: datetime
    provisional: bool


def clocks_closest_to_breach(user: AnyUser | None, limit: int = 10) -> list[ClockSummary]:
    """Running clocks of cases the user may see, the earliest due first."""
    active = _active(user)
    if active is None:
        return []
    clocks = (
        Clock.objects.filter(state=ClockState.RUNNING, case__in=visible_cases(active))
        .select_related("case", "case__unit")
        .order_by("due_at", "pk")[:limit]
    )
    return [
        ClockSummary(clock=clock, case=clock.case, due_at=clock.due_at, provisional=clock.provisional)
        for clock in clocks
    ]


def case_clocks(case: Case) -> list[Clock]:
    return list(case.clocks.prefetch_related("fired_rungs").order_by("started_at", "pk"))


def case_documents(case: Case) -> list[Document]:
    return list(case.documents.order_by("uploaded_at", "pk"))
