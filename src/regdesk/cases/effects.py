"""Ready-made named effects for process definitions: transition effects and rung effects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.cases.definitions import Effect, EffectContext, RungContext, RungEffect

if TYPE_CHECKING:
    from regdesk.cases.models import Case, Clock

DEFAULT_RUNG_TEMPLATE = "cases_clock_rung"


def start_clock(name: str) -> Effect:
    """Start the case's clock ``name`` when the transition is taken."""

    def run(context: EffectContext) -> None:
        from regdesk.cases.services.clocks import clock_start

        clock_start(actor=context.actor, case=context.case, name=name)

    return Effect(f"start_clock:{name}", run)


def _active_clock(case: Case, name: str, states: tuple[str, ...]) -> Clock | None:
    from regdesk.cases.models import Clock

    return Clock.objects.filter(case=case, name=name, state__in=states).first()


def stop_clock(name: str) -> Effect:
    """Stop the case's clock ``name`` (if it runs or is paused) when the transition is taken."""

    def run(context: EffectContext) -> None:
        from regdesk.cases.services.clocks import clock_stop

        clock = _active_clock(context.case, name, ("running", "paused"))
        if clock is not None:
            clock_stop(actor=context.actor, clock=clock)

    return Effect(f"stop_clock:{name}", run)


def pause_clock(name: str, reason: str = "") -> Effect:
    """Pause the running clock ``name`` (waiting on the applicant) when the transition is taken."""

    def run(context: EffectContext) -> None:
        from regdesk.cases.services.clocks import clock_pause

        clock = _active_clock(context.case, name, ("running",))
        if clock is not None:
            clock_pause(actor=context.actor, clock=clock, reason=reason or context.action)

    return Effect(f"pause_clock:{name}", run)


def resume_clock(name: str) -> Effect:
    """Resume the paused clock ``name`` when the transition is taken."""

    def run(context: EffectContext) -> None:
        from regdesk.cases.services.clocks import clock_resume

        clock = _active_clock(context.case, name, ("paused",))
        if clock is not None:
            clock_resume(actor=context.actor, clock=clock)

    return Effect(f"resume_clock:{name}", run)


def system_action(action: str) -> RungEffect:
    """When the rung fires, the system takes ``action`` on the case (e.g. ``lapse``). If the case has moved on and
    the action no longer applies, the firing is recorded with the refusal and nothing else happens."""

    def run(context: RungContext) -> str:
        from regdesk.cases.services.cases import case_transition
        from regdesk.cases.services.errors import TransitionRefused

        try:
            case_transition(
                actor=None,
                case=context.case,
                action=action,
                payload={"clock": context.clock.name, "rung": context.rung.name},
            )
        except TransitionRefused as refused:
            return f"refused:{refused.code}"
        return f"action:{action}"

    return RungEffect(f"system_action:{action}", run)


def notify_role(role: str, template: str = DEFAULT_RUNG_TEMPLATE) -> RungEffect:
    """When the rung fires, e-mail every active holder of ``role`` over the case's unit (or an ancestor unit) who
    has an e-mail address. One notice per person and rung (the idempotency key says so)."""

    def run(context: RungContext) -> str:
        from regdesk.accounts.models import Membership
        from regdesk.accounts.permissions import unit_ancestor_ids
        from regdesk.cases.services.notices import notice_queue

        memberships = (
            Membership.objects.filter(
                role=str(role),
                active=True,
                unit__active=True,
                user__is_active=True,
                unit_id__in=unit_ancestor_ids(context.case.unit),
            )
            .exclude(user__email="")
            .select_related("user")
            .order_by("user_id")
        )
        users = {membership.user_id: membership.user for membership in memberships}
        for user in users.values():
            notice_queue(
                actor=None,
                channel="email",
                recipient=user.email,
                template=template,
                context={
                    "reference": context.case.reference,
                    "clock": context.clock.name,
                    "rung": context.rung.name,
                    "breach": context.rung.breach,
                    "due_at": context.clock.due_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M"),
                },
                idempotency_key=f"clock:{context.clock.pk}:rung:{context.rung.name}:user:{user.pk}",
                case=context.case,
            )
        return f"notified:{len(users)}"

    return RungEffect(f"notify_role:{role}:{template}", run)


def record_only() -> RungEffect:
    """The firing itself (and its audit event) is the record; nothing else happens."""
    return RungEffect("record", lambda context: "recorded")
