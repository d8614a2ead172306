"""The process ``line.remediation`` v1 on the case kernel: one case per line in a remediation campaign.

::

    notified --suspend_one_way--> one_way_suspended --remind--> reminded --suspend_two_way--> two_way_suspended
             --cancel--> cancelled
    any open state --register--> registered   (the holder registered at a counter: service restored at once)
    any open state --withdraw--> withdrawn    (a compliance officer, or the campaign's close)

The steps are system actions: the campaign sweep takes them when the line's next step is due. The intervals are
the campaign's (``Campaign.one_way_after`` ...), not the process's, so the process has no kernel clock: the due
time of each step is kept on ``CampaignLine.next_step_at``, computed with the kernel's deadline conventions
(``regdesk.cases.deadlines``: the end of the N-th working day in Asia/Shanghai, or N calendar days exactly).
The effects (suspension commands, notices, billing holds, refunds) run in the transition's transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from regdesk.accounts.roles import Role
from regdesk.cases.definitions import SYSTEM, Effect, EffectContext, ProcessDefinition, Transition, register_process

REMEDIATION_PROCESS = "line.remediation"
OPEN_STATES = ("notified", "one_way_suspended", "reminded", "two_way_suspended")
# The step the sweep takes when a line's next step is due, by the step's name.
STEP_ACTIONS = {
    "one_way": "suspend_one_way",
    "reminder": "remind",
    "two_way": "suspend_two_way",
    "cancel": "cancel",
}


def _effect(name: str) -> Effect:
    def run(context: EffectContext) -> None:
        from regdesk.subscribers.campaigns import steps

        steps.apply(name, context)

    return Effect(f"remediation:{name}", run)


REMEDIATION = register_process(
    ProcessDefinition(
        key=REMEDIATION_PROCESS,
        version=1,
        reference_prefix="LRM",
        label=_("remediation of an unregistered line"),
        states=(*OPEN_STATES, "cancelled", "registered", "withdrawn"),
        initial_state="notified",
        terminal_states=("cancelled", "registered", "withdrawn"),
        on_start=(_effect("notice"),),
        transitions=(
            Transition(
                "suspend_one_way",
                sources=("notified",),
                target="one_way_suspended",
                roles=(SYSTEM,),
                label=_("one-way suspension"),
                effects=(_effect("one_way"),),
            ),
            Transition(
                "remind",
                sources=("one_way_suspended",),
                target="reminded",
                roles=(SYSTEM,),
                label=_("reminder"),
                effects=(_effect("reminder"),),
            ),
            Transition(
                "suspend_two_way",
                sources=("reminded",),
                target="two_way_suspended",
                roles=(SYSTEM,),
                label=_("two-way suspension"),
                effects=(_effect("two_way"),),
            ),
            Transition(
                "cancel",
                sources=("two_way_suspended",),
                target="cancelled",
                roles=(SYSTEM,),
                label=_("cancellation"),
                effects=(_effect("cancel"),),
            ),
            Transition(
                "register",
                sources=OPEN_STATES,
                target="registered",
                roles=(SYSTEM,),
                label=_("registered by the holder"),
                effects=(_effect("registered"),),
                recorded_payload=("registration",),
            ),
            Transition(
                "withdraw",
                sources=OPEN_STATES,
                target="withdrawn",
                roles=(Role.COMPLIANCE_OFFICER, SYSTEM),
                label=_("withdraw from the campaign"),
                effects=(_effect("withdrawn"),),
                recorded_payload=("reason",),
            ),
        ),
    )
)
