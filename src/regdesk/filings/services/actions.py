"""The actions of the process taken by people: each checks what it can explain best (the data, the owner's other
operations, the reasons) and then moves the case through the kernel, whose guards check again.

Every refusal says why: ``FilingValidationError`` (field by field), ``FilingRefused`` (a stable code and a message)
or the kernel's ``TransitionRefused`` (``wrong_state``, ``role``, ``guard``). Nothing changes on a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.services import TransitionRefused, case_transition
from regdesk.filings import conditions
from regdesk.filings.errors import FilingRefused, FilingValidationError
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.permissions import require_specialist
from regdesk.filings.services.drafts import return_reason_errors, stored_data
from regdesk.filings.services.routing import filing_reassign, filing_route, unreachable_filing_alert
from regdesk.filings.validation import Stage, check_filing_data

if TYPE_CHECKING:
    from regdesk.accounts.models import User


def _case(filing: Filing) -> Any:
    if filing.case is None:  # pragma: no cover - every filing gets its case when it is created
        raise FilingRefused("no_case", _("The filing has no case."))
    return filing.case


def _move(
    *, actor: User, filing: Filing, action: str, payload: Mapping[str, Any] | None = None, changes: dict[str, Any]
) -> Filing:
    """Take ``action`` and write the filing's own audit event, in one transaction."""
    with transaction.atomic():
        case = case_transition(actor=actor, case=_case(filing), action=action, payload=payload)
        audit_record(
            actor=actor,
            action=f"filing.{action}",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={"case": case.reference, "state": case.state, **changes},
            unit=case.unit,
        )
    filing.refresh_from_db()
    return filing


def _in_flight_refusal(filing: Filing) -> FilingRefused:
    other = conditions.other_operation_in_flight(filing)
    return FilingRefused(
        "operation_in_flight",
        _("The owner already has an operation in progress (%(reference)s): one operation at a time per owner.")
        % {"reference": str(other) if other is not None else "—"},
    )


def filing_submit(*, actor: User, filing: Filing) -> Filing:
    """Submit the application (提交) for the specialist's review: by the owner or by a specialist.

    Refused while the owner has another operation in flight (checked here, by the process's guard, and by a
    unique index of the database for submissions that race each other), and when the data breaks a rule or
    lacks a value (``FilingValidationError`` with every field's error). Starts the specialist's review clock.
    """
    if filing.state not in (FilingState.DRAFT, FilingState.NEEDS_CHANGES):
        # Let the kernel word the refusal (wrong state) exactly as for every other action.
        return _move(actor=actor, filing=filing, action="submit", changes={})
    if conditions.other_operation_in_flight(filing) is not None:
        raise _in_flight_refusal(filing)
    findings = check_filing_data(stored_data(filing), stage=Stage.SUBMIT, owner=filing.owner, filing=filing)
    if findings.errors:
        raise FilingValidationError(findings.errors)
    try:
        with transaction.atomic():
            # An owner's own application goes to the unit that serves the owner's region as submitted.
            filing_route(actor=actor, filing=filing)
            moved = _move(actor=actor, filing=filing, action="submit", changes={"submission": filing.submissions + 1})
            unreachable_filing_alert(filing=moved)
        return moved
    except IntegrityError:
        # Another submission for the same owner committed between our check and our write.
        raise _in_flight_refusal(filing) from None
    except TransitionRefused as refused:
        if conditions.other_operation_in_flight(filing) is not None:
            raise _in_flight_refusal(filing) from None
        raise refused from None


def filing_withdraw(*, actor: User, filing: Filing) -> Filing:
    """The owner withdraws the application (撤回) before it reaches the regulator; every clock stops."""
    return _move(actor=actor, filing=filing, action="withdraw", changes={})


def filing_return_for_changes(*, actor: User, filing: Filing, reasons: Mapping[str, str]) -> Filing:
    """Return the filing to the owner with a reason per field (``{"websites[0].name": "…"}``; a path may name a
    whole part, ``websites[0]``). Only those fields may then be changed. The owner is told by e-mail."""
    require_specialist(actor, filing)
    errors = return_reason_errors(filing, reasons)
    if errors:
        raise FilingValidationError(errors)
    cleaned = {str(path): str(reason).strip() for path, reason in reasons.items()}
    return _move(
        actor=actor,
        filing=filing,
        action="return_for_changes",
        payload={"reasons": cleaned},
        changes={"fields": sorted(cleaned)},
    )


def filing_onsite_notice_send(*, actor: User, filing: Filing) -> Filing:
    """Send the on-site verification notice (当面核验通知) by e-mail and SMS; the 5-working-day clock starts.
    Refused until the contact details of the person in charge are verified."""
    require_specialist(actor, filing)
    return _move(actor=actor, filing=filing, action="send_onsite_notice", changes={})


def filing_reject(*, actor: User, filing: Filing, reason: str) -> Filing:
    """Reject the filing (不予备案) with a reason the owner receives by e-mail."""
    require_specialist(actor, filing)
    return _move(actor=actor, filing=filing, action="reject", payload={"reason": reason}, changes={})


def filing_onsite_verification_record(*, actor: User, filing: Filing) -> Filing:
    """Record that the on-site verification is complete (checklist, record checks, copies, photo, form); refused
    with the list of what is missing otherwise (see ``selectors.onsite_progress``)."""
    require_specialist(actor, filing)
    return _move(actor=actor, filing=filing, action="record_onsite_verification", changes={})


def filing_action(*, actor: User, filing: Filing, action: str, payload: Mapping[str, Any] | None = None) -> Filing:
    """Take a process action by its name (the API's ``POST /filings/{id}/actions/{action}``) with its payload:
    ``return_for_changes`` needs ``{"reasons": {path: reason}}``, ``reject`` needs ``{"reason": "…"}``."""
    from regdesk.filings.services.regulator import filing_submit_to_regulator

    body = dict(payload or {})
    if action == "submit":
        return filing_submit(actor=actor, filing=filing)
    if action == "withdraw":
        return filing_withdraw(actor=actor, filing=filing)
    if action == "return_for_changes":
        reasons = body.get("reasons")
        return filing_return_for_changes(
            actor=actor, filing=filing, reasons=reasons if isinstance(reasons, Mapping) else {}
        )
    if action == "send_onsite_notice":
        return filing_onsite_notice_send(actor=actor, filing=filing)
    if action == "reject":
        return filing_reject(actor=actor, filing=filing, reason=str(body.get("reason") or ""))
    if action == "record_onsite_verification":
        return filing_onsite_verification_record(actor=actor, filing=filing)
    if action == "submit_to_regulator":
        return filing_submit_to_regulator(actor=actor, filing=filing)
    if action == "reassign":
        return _reassign(actor=actor, filing=filing, body=body)
    # Unknown names and the system's actions are refused by the kernel with its own reason.
    return _move(actor=actor, filing=filing, action=action, payload=body, changes={})


def _reassign(*, actor: User, filing: Filing, body: Mapping[str, Any]) -> Filing:
    """``reassign`` with ``{"unit": "<unit code>", "reason": "…"}`` (``routing.filing_reassign``)."""
    from regdesk.accounts.models import OrgUnit
    from regdesk.accounts.permissions import has_role
    from regdesk.accounts.roles import Role

    if not has_role(actor, Role.COMPLIANCE_OFFICER, unit=filing.owner.unit):
        raise FilingRefused("role", _("Only a compliance officer over both units may reassign a filing."))
    code = body.get("unit")
    unit = OrgUnit.objects.filter(code=code, active=True).first() if isinstance(code, str) and code else None
    if unit is None:
        raise FilingRefused("unit", _("Name an active organisation unit by its code."))
    return filing_reassign(actor=actor, filing=filing, unit=unit, reason=str(body.get("reason") or ""))
