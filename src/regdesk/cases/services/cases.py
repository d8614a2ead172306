"""Starting, moving and assigning cases. ``case_transition`` is the one service that changes a case's state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.roles import STAFF_ROLES
from regdesk.audit.services import audit_record
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.cases.definitions import (
    ASSIGN_EVENT,
    START_EVENT,
    SYSTEM,
    TRANSFER_EVENT,
    EffectContext,
    ProcessDefinition,
    Transition,
    get_process,
)
from regdesk.cases.models import Case, CaseEvent, CaseReferenceSequence, Clock, ClockState
from regdesk.cases.permissions import case_roles
from regdesk.cases.services.errors import CaseRefused, TransitionRefused
from regdesk.cases.services.processes import process_version_record

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User


def _next_reference(prefix: str, year: int) -> str:
    """``PREFIX-YYYY-NNNNNN``: the sequence row is locked until the case's transaction ends, so numbers are
    handed out in order and a rolled-back case returns its number (no gaps)."""
    sequence = CaseReferenceSequence.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if sequence is None:
        try:
            with transaction.atomic():
                CaseReferenceSequence.objects.create(prefix=prefix, year=year, last_number=0)
        except IntegrityError:
            pass  # created concurrently; lock theirs below
        sequence = CaseReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{sequence.last_number:06d}"


def _run_effects(definition_effects: tuple[Any, ...], context: EffectContext) -> None:
    for effect in definition_effects:
        effect.function(context)


def _close_if_terminal(case: Case, definition: ProcessDefinition, *, actor: User | None, now: datetime) -> None:
    """A case in a terminal state is closed and its clocks stop: a finished case cannot breach a deadline."""
    if case.state not in definition.terminal_states:
        return
    case.is_open = False
    case.save(update_fields=["is_open", "updated_at"])
    from regdesk.cases.services.clocks import clock_stop

    for clock in Clock.objects.filter(case=case, state__in=[ClockState.RUNNING, ClockState.PAUSED]):
        clock_stop(actor=actor, clock=clock, now=now)


def case_start(
    *,
    actor: User | None,
    process_key: str,
    unit: OrgUnit,
    subject: models.Model | None = None,
    version: int | None = None,
    assignee: User | None = None,
) -> Case:
    """Open a case of ``process_key`` (its highest registered version unless ``version`` is given) for ``unit``.

    Pins the process version (recording its snapshot on first use), hands out the next reference number
    (``ICP-2026-000123``), writes the start event, and runs the definition's ``on_start`` effects. The calling
    app's own service decides who may start its process.
    """
    definition = get_process(process_key, version)
    now = timezone.now()
    with transaction.atomic():
        process_version_record(definition=definition)
        reference = _next_reference(definition.reference_prefix, now.astimezone(LOCAL_ZONE).year)
        case = Case.objects.create(
            process_key=definition.key,
            process_version=definition.version,
            reference=reference,
            state=definition.initial_state,
            subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            subject_id=str(subject.pk) if subject is not None else "",
            unit=unit,
            assignee=assignee,
        )
        event = CaseEvent.objects.create(
            case=case, action=START_EVENT, from_state="", to_state=case.state, actor=actor, occurred_at=now
        )
        audit_record(
            actor=actor,
            action="case.start",
            object_type="cases.case",
            object_id=case.pk,
            changes={"process": f"{definition.key}@{definition.version}", "reference": reference, "state": case.state},
            unit=unit,
        )
        _run_effects(
            definition.on_start, EffectContext(case=case, actor=actor, action=START_EVENT, payload={}, event=event)
        )
    return case


def actor_guard_refusal(case: Case, transition: Transition, actor: User | None, role: str) -> str | None:
    """The first refusal of the transition's actor guards for ``actor`` acting in ``role``, or ``None``."""
    for guard in transition.actor_guards:
        reason = guard.function(case, actor, role)
        if reason:
            return str(reason)
    return None


def _acting_role(actor: User | None, case: Case, transition: Transition, role: str | None) -> str:
    """The role the action is taken in (the first usable one whose actor guards pass), or a refusal."""
    allowed = {str(name) for name in transition.roles}
    if actor is None:
        if SYSTEM in allowed:
            refusal = actor_guard_refusal(case, transition, None, SYSTEM)
            if refusal is not None:
                raise TransitionRefused("guard", refusal)
            return SYSTEM
        raise TransitionRefused(
            "role", _("The action “%(action)s” must be taken by a person.") % {"action": transition.name}
        )
    if transition.system_only:
        raise TransitionRefused(
            "role", _("The action “%(action)s” is taken by the system only.") % {"action": transition.name}
        )
    usable = case_roles(actor, case) & allowed
    if role is not None:
        if str(role) not in usable:
            raise TransitionRefused(
                "role",
                _("You do not hold the role “%(role)s” that the action “%(action)s” needs here.")
                % {"role": role, "action": transition.name},
            )
        usable = {str(role)}
    if not usable:
        raise TransitionRefused(
            "role", _("None of your roles allows the action “%(action)s” on this case.") % {"action": transition.name}
        )
    first_refusal: str | None = None
    for candidate in sorted(usable):
        refusal = actor_guard_refusal(case, transition, actor, candidate)
        if refusal is None:
            return candidate
        first_refusal = first_refusal or refusal
    raise TransitionRefused("guard", first_refusal or "")


def guard_refusal(case: Case, transition: Transition, payload: Mapping[str, Any], *, with_payload: bool) -> str | None:
    for guard in transition.guards:
        if guard.checks_payload and not with_payload:
            continue
        reason = guard.function(case, payload)
        if reason:
            return str(reason)
    return None


def case_transition(
    *,
    actor: User | None,
    case: Case,
    action: str,
    payload: Mapping[str, Any] | None = None,
    role: str | None = None,
) -> Case:
    """Take ``action`` on ``case``: the one way a case changes state.

    In one transaction: lock the case row, check that the action exists in the case's process version and leads
    out of the current state, that the actor holds an allowed role over the case's unit (``actor=None`` is the
    system, allowed only on ``SYSTEM`` actions), and that every guard passes; then move the case, append the case
    event (with only the payload keys the transition records) and the audit event, and run the effects. A case
    that reaches a terminal state is closed and its clocks stop. Actor guards (who may act) run with the role
    check; a failing one refuses with the code ``guard``.

    Raises ``TransitionRefused(code, message)``: ``unknown_action``, ``wrong_state``, ``role`` or ``guard``; nothing
    is changed then. Returns the locked, updated case; ``case`` itself is refreshed too.
    """
    payload = dict(payload or {})
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
        definition = get_process(locked.process_key, locked.process_version)
        transition = definition.transition(action)
        if transition is None:
            raise TransitionRefused(
                "unknown_action", _("There is no action “%(action)s” in this process.") % {"action": action}
            )
        if locked.state not in transition.sources:
            raise TransitionRefused(
                "wrong_state",
                _("The action “%(action)s” is not possible while the case is in the state “%(state)s”.")
                % {"action": action, "state": locked.state},
            )
        acting_role = _acting_role(actor, locked, transition, role)
        reason = guard_refusal(locked, transition, payload, with_payload=True)
        if reason is not None:
            raise TransitionRefused("guard", reason)
        now = timezone.now()
        from_state = locked.state
        locked.state = transition.target
        locked.save(update_fields=["state", "updated_at"])
        recorded = {key: payload[key] for key in transition.recorded_payload if key in payload}
        event = CaseEvent.objects.create(
            case=locked,
            action=action,
            from_state=from_state,
            to_state=locked.state,
            actor=actor,
            role=acting_role,
            payload=recorded,
            occurred_at=now,
        )
        audit_record(
            actor=actor,
            action="case.transition",
            object_type="cases.case",
            object_id=locked.pk,
            changes={"action": action, "from": from_state, "to": locked.state},
            role="" if acting_role == SYSTEM else acting_role,
            unit=locked.unit,
        )
        _run_effects(
            transition.effects,
            EffectContext(case=locked, actor=actor, action=action, payload=payload, event=event),
        )
        _close_if_terminal(locked, definition, actor=actor, now=now)
    case.state, case.is_open, case.updated_at = locked.state, locked.is_open, locked.updated_at
    return locked


def case_assign(*, actor: User | None, case: Case, assignee: User | None) -> Case:
    """Assign the case to a staff member of its unit (or an ancestor unit), or unassign it with ``None``."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
        if assignee is not None and not (case_roles(assignee, locked) & {str(role) for role in STAFF_ROLES}):
            raise CaseRefused("assignee", _("The assignee holds no staff role in the case's unit."))
        previous = locked.assignee_id
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        CaseEvent.objects.create(
            case=locked,
            action=ASSIGN_EVENT,
            from_state=locked.state,
            to_state=locked.state,
            actor=actor,
            payload={"assignee_id": assignee.pk if assignee is not None else None},
            occurred_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="case.assign",
            object_type="cases.case",
            object_id=locked.pk,
            changes={"assignee_id": [previous, assignee.pk if assignee is not None else None]},
            unit=locked.unit,
        )
    case.assignee = assignee
    return locked


def case_transfer(*, actor: User | None, case: Case, unit: OrgUnit, payload: Mapping[str, Any] | None = None) -> Case:
    """Move the case to another organisation unit (its staff then work it). An assignee who holds no staff role
    in the new unit is unassigned. ``payload`` (small, nothing personal) is kept on the history's event beside
    the units. The caller decides who may move a case; a case already in ``unit`` is left as it is."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
        if not unit.active:
            raise CaseRefused("unit", _("This organisation unit is no longer active."))
        previous = locked.unit
        if previous.pk == unit.pk:
            return locked
        locked.unit = unit
        fields = ["unit", "updated_at"]
        if locked.assignee is not None and not (case_roles(locked.assignee, locked) & {str(r) for r in STAFF_ROLES}):
            locked.assignee = None
            fields.append("assignee")
        locked.save(update_fields=fields)
        CaseEvent.objects.create(
            case=locked,
            action=TRANSFER_EVENT,
            from_state=locked.state,
            to_state=locked.state,
            actor=actor,
            payload={**dict(payload or {}), "from_unit": previous.pk, "to_unit": unit.pk},
            occurred_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="case.transfer",
            object_type="cases.case",
            object_id=locked.pk,
            changes={"unit": [previous.code, unit.code], "unassigned": "assignee" in fields},
            unit=unit,
        )
    case.unit, case.assignee = locked.unit, locked.assignee
    return locked
