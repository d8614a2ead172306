"""The process ``realname.inspection_finding`` v1: the follow-up of one finding of a self-inspection.

::

    open --start_work--> in_progress --close--> closed

A compliance officer over the finding's unit starts the work and closes the case with a resolution, which the
inspection service records on the finding first (the guard reads it there). The ``follow_up`` clock runs from the
start: a warning to the unit's compliance officers at 80 % of the budget and again at its breach.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.roles import Role
from regdesk.cases import effects
from regdesk.cases.definitions import (
    BudgetUnit,
    ClockDefinition,
    Guard,
    ProcessDefinition,
    Rung,
    Transition,
    register_process,
)

if TYPE_CHECKING:
    from regdesk.cases.models import Case

FINDING_PROCESS = "realname.inspection_finding"
# Part of the definition: a changed budget needs a new process version.
FOLLOW_UP_DAYS = 30
FOLLOWERS = (Role.COMPLIANCE_OFFICER,)


def _resolution_recorded(case: Case, payload: Mapping[str, Any]) -> str | Promise | None:
    from regdesk.subscribers.models import InspectionFinding

    resolution = payload.get("resolution")
    if not resolution or not InspectionFinding.objects.filter(case=case, resolution=resolution).exists():
        return _("Record the resolution of the finding through the inspection service.")
    return None


FINDING = register_process(
    ProcessDefinition(
        key=FINDING_PROCESS,
        version=1,
        reference_prefix="RNF",
        label=_("follow-up of a self-inspection finding"),
        states=("open", "in_progress", "closed"),
        initial_state="open",
        terminal_states=("closed",),
        on_start=(effects.start_clock("follow_up"),),
        transitions=(
            Transition(
                "start_work", sources=("open",), target="in_progress", roles=FOLLOWERS, label=_("start the work")
            ),
            Transition(
                "close",
                sources=("in_progress",),
                target="closed",
                roles=FOLLOWERS,
                label=_("close"),
                guards=(Guard("resolution_recorded", _resolution_recorded, checks_payload=True),),
                recorded_payload=("resolution",),
            ),
        ),
        clocks=(
            ClockDefinition(
                "follow_up",
                budget=FOLLOW_UP_DAYS,
                unit=BudgetUnit.CALENDAR_DAYS,
                label=_("follow-up of the finding"),
                rungs=(
                    Rung("warning", percent=80, effect=effects.notify_role(Role.COMPLIANCE_OFFICER)),
                    Rung("breach", breach=True, effect=effects.notify_role(Role.COMPLIANCE_OFFICER)),
                ),
            ),
        ),
    )
)
