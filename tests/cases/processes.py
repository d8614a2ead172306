"""The example process of the kernel tests: ``example.review``.

draft --submit--> waiting --approve--> done
                  waiting --request_supplement--> supplementing --resubmit--> waiting
                  waiting --lapse (system)--> lapsed
  draft/waiting/supplementing --withdraw--> withdrawn

The review clock has 5 working days: a warning to compliance officers at 60 %, a record the working day before
the due day, and a breach that lapses the case. Two more clocks exercise hours and calendar days.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regdesk.accounts.roles import Role
from regdesk.cases import effects
from regdesk.cases.definitions import (
    SYSTEM,
    BudgetUnit,
    ClockDefinition,
    DocumentKind,
    Guard,
    ProcessDefinition,
    Rung,
    RungContext,
    RungEffect,
    Transition,
    register_process,
)
from regdesk.cases.models import Case


def has_document(case: Case, payload: Mapping[str, Any]) -> str | None:
    return None if case.documents.exists() else "Attach the application form first."


def note_given(case: Case, payload: Mapping[str, Any]) -> str | None:
    return None if str(payload.get("note", "")).strip() else "Give a note with the decision."


REVIEW = ProcessDefinition(
    key="example.review",
    version=1,
    reference_prefix="EXR",
    states=("draft", "waiting", "supplementing", "done", "lapsed", "withdrawn"),
    initial_state="draft",
    terminal_states=("done", "lapsed", "withdrawn"),
    transitions=(
        Transition(
            "submit",
            sources=("draft",),
            target="waiting",
            roles=(Role.SPECIALIST,),
            guards=(Guard("has_document", has_document),),
            effects=(effects.start_clock("review"),),
        ),
        Transition(
            "approve",
            sources=("waiting",),
            target="done",
            roles=(Role.COMPLIANCE_OFFICER,),
            guards=(Guard("note_given", note_given, checks_payload=True),),
            recorded_payload=("note",),
        ),
        Transition(
            "request_supplement",
            sources=("waiting",),
            target="supplementing",
            roles=(Role.SPECIALIST,),
            effects=(effects.pause_clock("review", "waiting on the applicant"),),
        ),
        Transition(
            "resubmit",
            sources=("supplementing",),
            target="waiting",
            roles=(Role.SPECIALIST,),
            effects=(effects.resume_clock("review"),),
        ),
        Transition("lapse", sources=("waiting",), target="lapsed", roles=(SYSTEM,), recorded_payload=("clock", "rung")),
        Transition(
            "withdraw", sources=("draft", "waiting", "supplementing"), target="withdrawn", roles=(Role.SPECIALIST,)
        ),
    ),
    clocks=(
        ClockDefinition(
            "review",
            budget=5,
            unit=BudgetUnit.WORKING_DAYS,
            rungs=(
                Rung("warning", percent=60, effect=effects.notify_role(Role.COMPLIANCE_OFFICER)),
                Rung("eve", before_due=1, effect=effects.record_only()),
                Rung("breach", breach=True, effect=effects.system_action("lapse")),
            ),
        ),
        ClockDefinition(
            "callback",
            budget=48,
            unit=BudgetUnit.HOURS,
            rungs=(
                Rung("half", percent=50, effect=effects.record_only()),
                Rung("breach", breach=True, effect=effects.record_only()),
            ),
        ),
        ClockDefinition(
            "appeal",
            budget=10,
            unit=BudgetUnit.CALENDAR_DAYS,
            rungs=(Rung("two_days_left", before_due=2, effect=effects.record_only()),),
        ),
    ),
    document_kinds=(DocumentKind("form"), DocumentKind("archive", allow_any_type=True)),
)

register_process(REVIEW)


def _failing_effect(context: RungContext) -> str:
    raise RuntimeError("the escalation service is down")


# A process whose breach effect always fails: the sweep must roll the firing back and leave the rung unfired.
FRAGILE = register_process(
    ProcessDefinition(
        key="example.fragile",
        version=1,
        reference_prefix="EXF",
        states=("open", "closed"),
        initial_state="open",
        terminal_states=("closed",),
        transitions=(Transition("close", sources=("open",), target="closed", roles=(Role.SPECIALIST,)),),
        clocks=(
            ClockDefinition(
                "answer",
                budget=2,
                unit=BudgetUnit.HOURS,
                rungs=(
                    Rung("half", percent=50, effect=effects.record_only()),
                    Rung("breach", breach=True, effect=RungEffect("fail", _failing_effect)),
                ),
            ),
        ),
    )
)
