"""The processes of real-name registration on the case kernel: ``line.registration`` and ``line.dispute``.

``line.registration`` v1 (one registration at a counter)::

    started --capture_identity--> identity_captured --pass_checks--> checks_passed --register--> registered
                                  identity_captured --hold_for_review--> awaiting_supervisor
                                  identity_captured --fail_checks--> refused (identity_check_failed)
                                  awaiting_supervisor --approve--> checks_passed
                                  awaiting_supervisor --decline--> refused
    started/identity_captured/checks_passed --refuse--> refused (a reason code)
    any open state --abandon--> abandoned;  --lapse (system, when the counter clock breaches)--> abandoned

The services in ``regdesk.subscribers.services.registrations`` write the data a step needs and take the step in
the same transaction. The guards read that data from the ``Registration`` row, so the generic case API cannot
move a registration past a step whose data is missing. They are marked ``checks_payload`` because the data only
exists once the service has run: the kernel then lists the actions before and checks them on the move.

``line.dispute`` v1: a customer disputes a line registered under their ID (一证通查); compliance confirms (the
line is marked "holder is not the user" and enters the remedy for unregistered lines) or rejects it, within 15
working days.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.roles import Role
from regdesk.cases import effects
from regdesk.cases.definitions import (
    SYSTEM,
    ActorGuard,
    BudgetUnit,
    ClockDefinition,
    DocumentKind,
    Guard,
    ProcessDefinition,
    Rung,
    Transition,
    register_process,
)

if TYPE_CHECKING:
    from regdesk.accounts.models import User
    from regdesk.cases.models import Case

REGISTRATION_PROCESS = "line.registration"
DISPUTE_PROCESS = "line.dispute"

# Who registers at a counter: the outlet's clerks, and the agent's staff at its outlets.
CLERK_ROLES = (Role.COUNTER_CLERK, Role.AGENT)
# Who decides on a registration held for review: a compliance officer, or a counter clerk whose membership is
# above the outlet (the hall's supervisor at the branch); see ``supervisor_position``.
SUPERVISOR_ROLES = (Role.COMPLIANCE_OFFICER, Role.COUNTER_CLERK)

# Part of the definition: a changed budget needs a new process version.
COUNTER_HOURS = 24
REVIEW_HOURS = 4
DISPUTE_WORKING_DAYS = 15

OPEN_STATES = ("started", "identity_captured", "checks_passed", "awaiting_supervisor")
# Results of the identity check that let a registration go on, and the one that sends it to a supervisor.
CHECK_PASSED = frozenset({"match", "not_applicable"})
# The identity service's own photo mismatch, and documents with no public format that a person must look at
# (military and armed-police IDs, DOMAIN.md §3).
CHECK_FOR_REVIEW = frozenset({"photo_mismatch", "manual_review"})


def _registration(case: Case) -> Any:
    from regdesk.subscribers.models import Registration

    return Registration.objects.filter(case=case).first()


def _recorded(check: Any) -> Any:
    """A guard over the registration's data; refused when the service has not recorded it."""

    def run(case: Case, payload: Mapping[str, Any]) -> str | Promise | None:
        registration = _registration(case)
        if registration is None:
            return _("This case has no registration data.")
        result: str | Promise | None = check(registration, payload)
        return result

    return run


def _identity_recorded(registration: Any, payload: Mapping[str, Any]) -> str | Promise | None:
    if registration.captured_at is None or not registration.document_number_index:
        return _("Capture the subscriber's identity document through the registration service first.")
    return None


def face_is_low(registration: Any) -> bool:
    return (
        registration.face_score is not None
        and registration.face_threshold is not None
        and registration.face_score < registration.face_threshold
    )


def _checks_done(registration: Any) -> bool:
    return registration.checked_at is not None


def checks_failed(registration: Any) -> bool:
    outcomes = {registration.subscriber_check, registration.representative_check} - {""}
    return bool(outcomes - CHECK_PASSED - CHECK_FOR_REVIEW)


def needs_review(registration: Any) -> bool:
    outcomes = {registration.subscriber_check, registration.representative_check}
    return not checks_failed(registration) and (face_is_low(registration) or bool(outcomes & CHECK_FOR_REVIEW))


def _checks_passed(registration: Any, payload: Mapping[str, Any]) -> str | Promise | None:
    if not _checks_done(registration) or checks_failed(registration) or needs_review(registration):
        return _("The identity checks have not passed.")
    return None


def _checks_need_review(registration: Any, payload: Mapping[str, Any]) -> str | Promise | None:
    if not _checks_done(registration) or not needs_review(registration):
        return _("Only a registration whose face match is below the threshold is held for review.")
    return None


def _checks_failed(registration: Any, payload: Mapping[str, Any]) -> str | Promise | None:
    if not _checks_done(registration) or not checks_failed(registration):
        return _("The identity checks did not fail.")
    return None


def _decision(action: str) -> Any:
    def check(registration: Any, payload: Mapping[str, Any]) -> str | Promise | None:
        if registration.decision != action or registration.decided_by_id is None:
            return _("Record the decision through the registration service.")
        return None

    return check


def _line_recorded(registration: Any, payload: Mapping[str, Any]) -> str | Promise | None:
    if registration.line_id is None or registration.subscriber_id is None:
        return _("Complete the registration through the registration service.")
    return None


def _refusal_recorded(registration: Any, payload: Mapping[str, Any]) -> str | Promise | None:
    if not registration.refusal_reason or payload.get("reason") != registration.refusal_reason:
        return _("Record the refusal and its reason through the registration service.")
    return None


def supervisor_position(case: Case, actor: User | None, role: str) -> str | Promise | None:
    """Nobody decides on a registration they started; a counter clerk decides only through a membership in a unit
    above the outlet (the supervisor of the hall at its branch), never as a colleague at the same counter."""
    from regdesk.accounts.permissions import active_memberships, unit_ancestor_ids

    registration = _registration(case)
    if actor is None or registration is None:
        return _("A supervisor must decide.")
    if registration.started_by_id == actor.pk:
        return _("You cannot decide on a registration you started yourself.")
    if role == Role.COUNTER_CLERK:
        above = [unit_id for unit_id in unit_ancestor_ids(case.unit) if unit_id != case.unit_id]
        if not active_memberships(actor).filter(role=Role.COUNTER_CLERK, unit_id__in=above).exists():
            return _("Only a supervisor above the outlet or a compliance officer decides on this registration.")
    return None


def _dispute(case: Case) -> Any:
    from regdesk.subscribers.models import LineDispute

    return LineDispute.objects.filter(case=case).first()


def _dispute_decision(action: str) -> Any:
    def run(case: Case, payload: Mapping[str, Any]) -> str | Promise | None:
        dispute = _dispute(case)
        if dispute is None or dispute.outcome != action:
            return _("Record the decision on the dispute through the dispute service.")
        return None

    return run


def _service_guard(name: str, check: Any) -> Guard:
    return Guard(name, _recorded(check), checks_payload=True)


REGISTRATION = register_process(
    ProcessDefinition(
        key=REGISTRATION_PROCESS,
        version=1,
        reference_prefix="LRG",
        label=_("line registration"),
        states=(
            "started",
            "identity_captured",
            "checks_passed",
            "awaiting_supervisor",
            "registered",
            "refused",
            "abandoned",
        ),
        initial_state="started",
        terminal_states=("registered", "refused", "abandoned"),
        on_start=(effects.start_clock("counter"),),
        transitions=(
            Transition(
                "capture_identity",
                sources=("started",),
                target="identity_captured",
                roles=CLERK_ROLES,
                label=_("capture identity"),
                guards=(_service_guard("identity_recorded", _identity_recorded),),
                recorded_payload=("document_type", "acting_party", "read_by_reader"),
            ),
            Transition(
                "pass_checks",
                sources=("identity_captured",),
                target="checks_passed",
                roles=CLERK_ROLES,
                label=_("checks passed"),
                guards=(_service_guard("checks_passed", _checks_passed),),
                recorded_payload=("subscriber_check", "representative_check", "face_score"),
            ),
            Transition(
                "hold_for_review",
                sources=("identity_captured",),
                target="awaiting_supervisor",
                roles=CLERK_ROLES,
                label=_("hold for a supervisor"),
                guards=(_service_guard("checks_need_review", _checks_need_review),),
                effects=(effects.start_clock("review"),),
                recorded_payload=("subscriber_check", "representative_check", "face_score"),
            ),
            Transition(
                "fail_checks",
                sources=("identity_captured",),
                target="refused",
                roles=CLERK_ROLES,
                label=_("identity check failed"),
                guards=(_service_guard("checks_failed", _checks_failed),),
                recorded_payload=("reason", "subscriber_check", "representative_check"),
            ),
            Transition(
                "approve",
                sources=("awaiting_supervisor",),
                target="checks_passed",
                roles=SUPERVISOR_ROLES,
                label=_("approve"),
                guards=(_service_guard("approval_recorded", _decision("approve")),),
                actor_guards=(ActorGuard("supervisor_position", supervisor_position),),
                effects=(effects.stop_clock("review"),),
            ),
            Transition(
                "decline",
                sources=("awaiting_supervisor",),
                target="refused",
                roles=SUPERVISOR_ROLES,
                label=_("decline"),
                guards=(_service_guard("refusal_decision_recorded", _decision("decline")),),
                actor_guards=(ActorGuard("supervisor_position", supervisor_position),),
                recorded_payload=("reason",),
            ),
            Transition(
                "register",
                sources=("checks_passed",),
                target="registered",
                roles=CLERK_ROLES,
                label=_("register"),
                guards=(_service_guard("line_recorded", _line_recorded),),
                recorded_payload=("registration_kind",),
            ),
            Transition(
                "refuse",
                sources=("started", "identity_captured", "checks_passed"),
                target="refused",
                roles=CLERK_ROLES,
                label=_("refuse"),
                guards=(_service_guard("refusal_recorded", _refusal_recorded),),
                recorded_payload=("reason",),
            ),
            Transition(
                "abandon",
                sources=OPEN_STATES,
                target="abandoned",
                roles=(*CLERK_ROLES, Role.COMPLIANCE_OFFICER),
                label=_("abandon"),
            ),
            Transition("lapse", sources=OPEN_STATES, target="abandoned", roles=(SYSTEM,), label=_("lapse")),
        ),
        clocks=(
            ClockDefinition(
                "counter",
                budget=COUNTER_HOURS,
                unit=BudgetUnit.HOURS,
                label=_("registration at the counter"),
                rungs=(Rung("breach", breach=True, effect=effects.system_action("lapse")),),
            ),
            ClockDefinition(
                "review",
                budget=REVIEW_HOURS,
                unit=BudgetUnit.HOURS,
                label=_("supervisor's review"),
                rungs=(Rung("warning", percent=50, effect=effects.notify_role(Role.COMPLIANCE_OFFICER)),),
            ),
        ),
        document_kinds=(
            DocumentKind("authorisation_letter", _("organisation's letter of authorisation")),
            DocumentKind("organisation_certificate", _("copy of the organisation's certificate")),
            DocumentKind("agency_authorisation", _("the subscriber's authorisation of the agent")),
            DocumentKind("live_photo", _("photo taken at the counter")),
            DocumentKind("supervisor_evidence", _("supervisor's evidence")),
        ),
    )
)

# Version 2 keeps the customer's signature on the registration form and service agreement with the case (cases
# pinned to version 1 go on under it unchanged).
REGISTRATION_V2 = register_process(
    dataclasses.replace(
        REGISTRATION,
        version=2,
        document_kinds=(
            *REGISTRATION.document_kinds,
            DocumentKind("customer_signature", _("customer's signature on the registration form")),
        ),
    )
)

DISPUTE = register_process(
    ProcessDefinition(
        key=DISPUTE_PROCESS,
        version=1,
        reference_prefix="LDS",
        label=_("line dispute"),
        states=("open", "confirmed", "rejected"),
        initial_state="open",
        terminal_states=("confirmed", "rejected"),
        on_start=(effects.start_clock("answer"),),
        transitions=(
            Transition(
                "confirm",
                sources=("open",),
                target="confirmed",
                roles=(Role.COMPLIANCE_OFFICER,),
                label=_("confirm: the line is not the customer's"),
                guards=(Guard("confirmation_recorded", _dispute_decision("confirm"), checks_payload=True),),
            ),
            Transition(
                "reject",
                sources=("open",),
                target="rejected",
                roles=(Role.COMPLIANCE_OFFICER,),
                label=_("reject: the line is the customer's"),
                guards=(Guard("rejection_recorded", _dispute_decision("reject"), checks_payload=True),),
            ),
        ),
        clocks=(
            ClockDefinition(
                "answer",
                budget=DISPUTE_WORKING_DAYS,
                unit=BudgetUnit.WORKING_DAYS,
                label=_("answer to the customer"),
                rungs=(
                    Rung("warning", percent=80, effect=effects.notify_role(Role.COMPLIANCE_OFFICER)),
                    Rung("breach", breach=True, effect=effects.notify_role(Role.COMPLIANCE_OFFICER)),
                ),
            ),
        ),
    )
)
