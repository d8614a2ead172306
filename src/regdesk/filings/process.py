"""The process ``icp.new_filing`` version 1 (DOMAIN.md §1.4): states, actions, roles, guards, effects, clocks.

| state | actions (who) |
| --- | --- |
| draft | submit (owner, specialist), withdraw (owner) |
| submitted | return_for_changes, send_onsite_notice (contacts verified), reject (specialist); withdraw (owner) |
| needs_changes | submit (owner, specialist), withdraw (owner) |
| awaiting_onsite | record_onsite_verification (specialist), withdraw (owner), lapse (system, on breach) |
| verified | submit_to_regulator, reject (specialist) |
| submitted_to_regulator | record_regulator_result (system, from the downloaded result) |
| regulator_returned | return_for_changes, send_onsite_notice, submit_to_regulator, reject (specialist) |
| approved, rejected, withdrawn, lapsed | — |

The downloaded review result has two outcomes while a kernel transition has one target, so the system's action
``record_regulator_result`` (approval → ``approved``) has a twin, ``record_regulator_return`` (a return or a refusal
by the province's data checks → ``regulator_returned``); both are system-only and leave ``submitted_to_regulator``.

Who acts as "owner": a user with the website-owner role (every owner holds it in the provider's unit), and — the
actor guard ``actor_is_owner`` — the portal user of this filing's owner. ``Filing.state`` mirrors the case's state
(effect ``sync_state`` on every transition), which lets the database refuse a second operation in flight.

Clocks (working days; the definition names each budget's setting, and a clock keeps the value configured when it
started, so that a changed setting applies to the clocks started after it and breaks nothing):

* ``specialist_review`` (``REGDESK_ICP_SPECIALIST_REVIEW_DAYS``, 1): from each submission to the specialist's
  decision. When it runs out, the *specialist's supervisor* is warned — decided here as the compliance officers over
  the case's unit (a membership in an ancestor unit covers it): they supervise the specialists, and a specialist of a
  parent unit is a peer, not a supervisor.
* ``onsite`` (``REGDESK_ICP_ONSITE_DAYS``, 5): from the on-site notice. The owner is reminded the working day before
  the due day; on breach the system takes ``lapse`` and the owner is told why by e-mail.
* ``regulator_review`` (``REGDESK_ICP_REGULATOR_REVIEW_DAYS``, 20): from the upload. Five working days before the due
  day (at the start, for a budget of five days or less) the specialists are warned; on breach the compliance
  officers are (escalation). Each rung fires once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regdesk.accounts.roles import Role
from regdesk.cases import effects
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.cases.definitions import (
    SYSTEM,
    ActorGuard,
    BudgetUnit,
    ClockDefinition,
    DocumentKind,
    Effect,
    EffectContext,
    Guard,
    ProcessDefinition,
    Rung,
    RungContext,
    RungEffect,
    Transition,
    register_process,
)
from regdesk.cases.models import Case
from regdesk.filings import conditions, config
from regdesk.filings.models import AttachmentKind, Filing, FilingState

if TYPE_CHECKING:
    from regdesk.accounts.models import User

PROCESS_KEY = "icp.new_filing"
# Version 2 names the settings of its clocks' budgets instead of holding their values (version 1).
PROCESS_VERSION = 2
OWNER = Role.WEBSITE_OWNER
SPECIALIST = Role.SPECIALIST


# --------------------------------------------------------------------------------------------------------------
# Guards


def actor_is_owner(case: Case, actor: User | None, role: str) -> str | None:
    """Acting as website owner is for the portal user of this filing's owner only."""
    if role != OWNER:
        return None
    filing = conditions.filing_of(case)
    if actor is None or filing.owner.portal_user_id != actor.pk:
        return _("Only the website owner who applied may do this.")
    return None


def data_complete(case: Case, payload: Mapping[str, Any]) -> str | None:
    from regdesk.filings.services.drafts import stored_data
    from regdesk.filings.validation import Stage, check_filing_data

    filing = conditions.filing_of(case)
    findings = check_filing_data(stored_data(filing), stage=Stage.SUBMIT, owner=filing.owner, filing=filing)
    if findings.errors:
        return _("The filing is incomplete or has errors in %(count)d fields: correct them first.") % {
            "count": len({error.field for error in findings.errors})
        }
    return None


def one_operation_in_flight(case: Case, payload: Mapping[str, Any]) -> str | None:
    filing = conditions.filing_of(case)
    other = conditions.other_operation_in_flight(filing)
    if other is not None:
        return _(
            "The owner already has an operation in progress (%(reference)s): one operation at a time per owner."
        ) % {"reference": str(other)}
    return None


def reasons_given(case: Case, payload: Mapping[str, Any]) -> str | None:
    from regdesk.filings.services.drafts import return_reason_errors

    errors = return_reason_errors(conditions.filing_of(case), payload.get("reasons"))
    if errors:
        return errors[0].message_en if _is_english() else errors[0].message_zh
    return None


def _is_english() -> bool:
    from django.utils import translation

    return (translation.get_language() or "").startswith("en")


def reason_given(case: Case, payload: Mapping[str, Any]) -> str | None:
    reason = payload.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return _("Give the reason of the rejection.")
    return None


def contact_details_verified(case: Case, payload: Mapping[str, Any]) -> str | None:
    if not conditions.contacts_verified(conditions.filing_of(case)):
        return _(
            "The contact details of the person in charge are not verified: confirm both the e-mail link and the "
            "SMS code, or record a phone call that reached the person."
        )
    return None


def onsite_complete(case: Case, payload: Mapping[str, Any]) -> str | None:
    missing = conditions.onsite_missing(conditions.filing_of(case))
    return " ".join(missing) if missing else None


def upload_prepared(case: Case, payload: Mapping[str, Any]) -> str | None:
    if not conditions.filing_of(case).upload_ready:
        return _("Submit to the regulator through the filing's own action, which prepares the upload.")
    return None


def record_numbers_given(case: Case, payload: Mapping[str, Any]) -> str | None:
    numbers = payload.get("website_record_numbers")
    if not payload.get("owner_record_number") or not isinstance(numbers, Mapping) or not numbers:
        return _("The regulator's result carries no record numbers.")
    return None


# --------------------------------------------------------------------------------------------------------------
# Effects


def _sync_state(context: EffectContext) -> None:
    # An UPDATE, so that the partial unique index on in-flight filings is checked in this very transaction.
    Filing.objects.filter(case=context.case).update(state=context.case.state, updated_at=timezone.now())


def _on_submit(context: EffectContext) -> None:
    filing = conditions.filing_of(context.case)
    filing.submissions += 1
    filing.returned_fields = {}
    filing.returned_at = None
    filing.save(update_fields=["submissions", "returned_fields", "returned_at", "updated_at"])


def _on_return(context: EffectContext) -> None:
    filing = conditions.filing_of(context.case)
    reasons = {str(path): str(reason).strip() for path, reason in dict(context.payload.get("reasons") or {}).items()}
    filing.returned_fields = reasons
    filing.returned_at = timezone.now()
    filing.save(update_fields=["returned_fields", "returned_at", "updated_at"])
    from regdesk.filings.notices import notify_owner
    from regdesk.filings.selectors import field_label

    notify_owner(
        filing,
        template="returned",
        key=f"event:{context.event.pk}",
        context={"reasons": [{"field": field_label(path), "reason": reason} for path, reason in reasons.items()]},
    )


def _on_onsite_notice(context: EffectContext) -> None:
    from regdesk.filings.notices import notify_owner

    filing = conditions.filing_of(context.case)
    filing.onsite_rounds += 1
    filing.save(update_fields=["onsite_rounds", "updated_at"])
    clock = context.case.clocks.filter(name="onsite", state="running").first()
    notify_owner(
        filing,
        template="onsite_notice",
        key=f"event:{context.event.pk}",
        context=onsite_notice_context(filing, clock.due_at if clock else None)
        | {"days": clock.budget_amount if clock else config.onsite_days()},
        sms=True,
    )


def onsite_notice_context(filing: Filing, due_at: datetime | None) -> dict[str, Any]:
    """What the on-site notice says besides the reference: the deadline as a date (Beijing time, in the notices'
    language), the offices where to go, what to bring, and where to book a time slot."""
    from django.conf import settings
    from django.utils import translation

    from regdesk.filings import onsite_schedule

    with translation.override(settings.LANGUAGE_CODE):
        return {
            "due": onsite_schedule.date_label(due_at.astimezone(LOCAL_ZONE).date()) if due_at else "",
            "offices": [onsite_schedule.office_context(office) for office in onsite_schedule.offices_for(filing)],
            "bring": onsite_schedule.what_to_bring(filing),
            "booking_url": f"{config.public_base_url()}/portal/filings/{filing.pk}/#onsite",
        }


def _on_reject(context: EffectContext) -> None:
    from regdesk.filings.notices import notify_owner

    filing = conditions.filing_of(context.case)
    filing.rejection_reason = str(context.payload.get("reason", "")).strip()
    filing.save(update_fields=["rejection_reason", "updated_at"])
    notify_owner(
        filing, template="rejected", key=f"event:{context.event.pk}", context={"reason": filing.rejection_reason}
    )


def _on_lapse(context: EffectContext) -> None:
    from regdesk.filings.notices import notify_owner

    filing = conditions.filing_of(context.case)
    # The budget the owner was given: the breached clock's own.
    clock = context.case.clocks.filter(name="onsite").order_by("-started_at", "-pk").first()
    days = clock.budget_amount if clock is not None else config.onsite_days()
    notify_owner(filing, template="lapsed", key=f"event:{context.event.pk}", context={"days": days})


def _on_verified(context: EffectContext) -> None:
    verification = conditions.current_verification(conditions.filing_of(context.case))
    if verification is not None:
        verification.completed_at = timezone.now()
        verification.specialist = context.actor
        verification.save(update_fields=["completed_at", "specialist", "updated_at"])


def _on_regulator_upload(context: EffectContext) -> None:
    Filing.objects.filter(case=context.case).update(upload_ready=False)


def _on_regulator_return(context: EffectContext) -> None:
    from regdesk.filings.notices import notify_owner

    filing = conditions.filing_of(context.case)
    filing.regulator_codes = list(context.payload.get("codes") or [])
    filing.regulator_opinion = str(context.payload.get("opinion") or "")
    filing.regulator_result_at = timezone.now()
    filing.save(update_fields=["regulator_codes", "regulator_opinion", "regulator_result_at", "updated_at"])
    notify_owner(filing, template="regulator_returned", key=f"event:{context.event.pk}")


def _on_approval(context: EffectContext) -> None:
    from regdesk.filings.services.after_approval import filing_approval_apply

    filing_approval_apply(filing=conditions.filing_of(context.case), payload=context.payload, event=context.event)


def _remind_owner(context: RungContext) -> str:
    from regdesk.filings.notices import notify_owner

    filing = conditions.filing_of(context.case)
    count = notify_owner(
        filing,
        template="onsite_reminder",
        key=f"clock:{context.clock.pk}:{context.rung.name}",
        context=onsite_notice_context(filing, context.clock.due_at),
    )
    return f"notified:{count}"


def _effect(name: str, function: Any) -> Effect:
    return Effect(f"filings.{name}", function)


SYNC = _effect("sync_state", _sync_state)


# Version 1 held the budgets' values (these defaults, unless configured otherwise when it was recorded). Its
# running cases keep the budgets their clocks recorded, so the values below only describe it.
_VERSION_1_BUDGETS = {
    "REGDESK_ICP_SPECIALIST_REVIEW_DAYS": 1,
    "REGDESK_ICP_ONSITE_DAYS": 5,
    "REGDESK_ICP_REGULATOR_REVIEW_DAYS": 20,
}


def _clock_budget(version: int, setting: str) -> dict[str, Any]:
    """Version 2 names the setting (resolved when a clock starts, and recorded on the clock)."""
    if version >= 2:
        return {"budget_setting": setting}
    return {"budget": _VERSION_1_BUDGETS[setting]}


def _clocks(version: int) -> tuple[ClockDefinition, ...]:
    return (
        ClockDefinition(
            "specialist_review",
            unit=BudgetUnit.WORKING_DAYS,
            label=gettext_lazy("Specialist review"),
            rungs=(
                Rung(
                    "warning",
                    breach=True,
                    effect=effects.notify_role(Role.COMPLIANCE_OFFICER, "filings_review_overdue"),
                ),
            ),
            **_clock_budget(version, "REGDESK_ICP_SPECIALIST_REVIEW_DAYS"),
        ),
        ClockDefinition(
            "onsite",
            unit=BudgetUnit.WORKING_DAYS,
            label=gettext_lazy("On-site verification"),
            rungs=(
                Rung("reminder", before_due=1, effect=RungEffect("filings.remind_owner", _remind_owner)),
                Rung("breach", breach=True, effect=effects.system_action("lapse")),
            ),
            **_clock_budget(version, "REGDESK_ICP_ONSITE_DAYS"),
        ),
        ClockDefinition(
            "regulator_review",
            unit=BudgetUnit.WORKING_DAYS,
            label=gettext_lazy("Regulator review"),
            rungs=(
                # With a configured budget of five days or less, the warning fires at the start.
                Rung(
                    "warning",
                    before_due=5,
                    effect=effects.notify_role(Role.SPECIALIST, "filings_regulator_warning"),
                ),
                Rung(
                    "escalation",
                    breach=True,
                    effect=effects.notify_role(Role.COMPLIANCE_OFFICER, "filings_regulator_escalation"),
                ),
            ),
            **_clock_budget(version, "REGDESK_ICP_REGULATOR_REVIEW_DAYS"),
        ),
    )


def build_definition(version: int = PROCESS_VERSION) -> ProcessDefinition:
    """The definition at ``version`` (see the module docstring)."""
    owner_only = ActorGuard("filings.actor_is_owner", actor_is_owner)
    return ProcessDefinition(
        key=PROCESS_KEY,
        version=version,
        reference_prefix="ICP",
        label=gettext_lazy("ICP new filing"),
        states=tuple(str(state) for state in FilingState),
        initial_state=FilingState.DRAFT,
        terminal_states=(FilingState.APPROVED, FilingState.REJECTED, FilingState.WITHDRAWN, FilingState.LAPSED),
        on_start=(SYNC,),
        transitions=(
            Transition(
                "submit",
                sources=(FilingState.DRAFT, FilingState.NEEDS_CHANGES),
                target=FilingState.SUBMITTED,
                roles=(OWNER, SPECIALIST),
                label=gettext_lazy("Submit"),
                actor_guards=(owner_only,),
                guards=(
                    Guard("filings.one_operation_in_flight", one_operation_in_flight),
                    Guard("filings.data_complete", data_complete),
                ),
                effects=(SYNC, _effect("on_submit", _on_submit), effects.start_clock("specialist_review")),
            ),
            Transition(
                "withdraw",
                sources=(
                    FilingState.DRAFT,
                    FilingState.SUBMITTED,
                    FilingState.NEEDS_CHANGES,
                    FilingState.AWAITING_ONSITE,
                ),
                target=FilingState.WITHDRAWN,
                roles=(OWNER,),
                label=gettext_lazy("Withdraw"),
                actor_guards=(owner_only,),
                effects=(SYNC,),
            ),
            Transition(
                "return_for_changes",
                sources=(FilingState.SUBMITTED, FilingState.REGULATOR_RETURNED),
                target=FilingState.NEEDS_CHANGES,
                roles=(SPECIALIST,),
                label=gettext_lazy("Return for changes"),
                guards=(Guard("filings.reasons_given", reasons_given, checks_payload=True),),
                effects=(SYNC, effects.stop_clock("specialist_review"), _effect("on_return", _on_return)),
                recorded_payload=("reasons",),
            ),
            Transition(
                "send_onsite_notice",
                sources=(FilingState.SUBMITTED, FilingState.REGULATOR_RETURNED),
                target=FilingState.AWAITING_ONSITE,
                roles=(SPECIALIST,),
                label=gettext_lazy("Send the on-site verification notice"),
                guards=(Guard("filings.contact_details_verified", contact_details_verified),),
                effects=(
                    SYNC,
                    effects.stop_clock("specialist_review"),
                    effects.start_clock("onsite"),
                    _effect("on_onsite_notice", _on_onsite_notice),
                ),
            ),
            Transition(
                "reject",
                sources=(FilingState.SUBMITTED, FilingState.VERIFIED, FilingState.REGULATOR_RETURNED),
                target=FilingState.REJECTED,
                roles=(SPECIALIST,),
                label=gettext_lazy("Reject"),
                guards=(Guard("filings.reason_given", reason_given, checks_payload=True),),
                effects=(SYNC, _effect("on_reject", _on_reject)),
                recorded_payload=("reason",),
            ),
            Transition(
                "record_onsite_verification",
                sources=(FilingState.AWAITING_ONSITE,),
                target=FilingState.VERIFIED,
                roles=(SPECIALIST,),
                label=gettext_lazy("Record the on-site verification"),
                guards=(Guard("filings.onsite_complete", onsite_complete),),
                effects=(SYNC, effects.stop_clock("onsite"), _effect("on_verified", _on_verified)),
            ),
            Transition(
                "lapse",
                sources=(FilingState.AWAITING_ONSITE,),
                target=FilingState.LAPSED,
                roles=(SYSTEM,),
                effects=(SYNC, _effect("on_lapse", _on_lapse)),
                recorded_payload=("clock", "rung"),
            ),
            Transition(
                "submit_to_regulator",
                sources=(FilingState.VERIFIED, FilingState.REGULATOR_RETURNED),
                target=FilingState.SUBMITTED_TO_REGULATOR,
                roles=(SPECIALIST,),
                label=gettext_lazy("Submit to the regulator"),
                # Judged at the moment of the action (the service prepares the upload in the same transaction), so
                # that the action is listed before it: the kernel skips such guards when it lists actions.
                guards=(Guard("filings.upload_prepared", upload_prepared, checks_payload=True),),
                effects=(
                    SYNC,
                    _effect("on_regulator_upload", _on_regulator_upload),
                    effects.start_clock("regulator_review"),
                ),
                recorded_payload=("upload_sequence",),
            ),
            Transition(
                "record_regulator_result",
                sources=(FilingState.SUBMITTED_TO_REGULATOR,),
                target=FilingState.APPROVED,
                roles=(SYSTEM,),
                guards=(Guard("filings.record_numbers_given", record_numbers_given, checks_payload=True),),
                effects=(SYNC, _effect("on_approval", _on_approval)),
                recorded_payload=("owner_record_number", "website_record_numbers", "opinion", "download"),
            ),
            Transition(
                "record_regulator_return",
                sources=(FilingState.SUBMITTED_TO_REGULATOR,),
                target=FilingState.REGULATOR_RETURNED,
                roles=(SYSTEM,),
                effects=(
                    SYNC,
                    effects.stop_clock("regulator_review"),
                    _effect("on_regulator_return", _on_regulator_return),
                ),
                recorded_payload=("codes", "opinion", "download", "upload_sequence"),
            ),
        ),
        clocks=_clocks(version),
        document_kinds=tuple(DocumentKind(str(kind), label=kind.label) for kind in AttachmentKind),
    )


def register() -> ProcessDefinition:
    """Register the definition (``FilingsConfig.ready``), and the earlier versions that running cases still use."""
    for version in range(1, PROCESS_VERSION):
        register_process(build_definition(version))
    return register_process(build_definition())
