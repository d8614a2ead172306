"""Reads of the self-inspection: the findings as sentences, with their cases' states and the actions open now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.permissions import AnyUser
from regdesk.cases.models import Clock, ClockState
from regdesk.cases.selectors import allowed_actions
from regdesk.subscribers.inspection.permissions import can_follow_up
from regdesk.subscribers.models import Channel, InspectionFinding, SelfInspection

FINDING_TEXTS: dict[str, str | Promise] = {
    "rate_below_target": _(
        "The real-name rate is %(percent)s%% (%(registered)s of %(total)s lines in service), below the target of "
        "%(target)s%%."
    ),
    "channel_below_target": _(
        "The rate of the channel “%(channel)s” is %(percent)s%%, below the target of %(target)s%%."
    ),
    "reader_unused": _("The card reader %(subject)s at %(outlet)s read no card in the period."),
    "outlet_without_reader": _("The outlet %(subject)s sells in person but has no active card reader."),
    "readings_rejected": _(
        "The card reader %(subject)s at %(outlet)s had %(rejected)s readings rejected in the period."
    ),
    "agent_error_rate": _(
        "The agent %(subject)s has an error rate of %(percent)s%% (%(errors)s of %(audited)s audited registrations), "
        "above the threshold of %(threshold)s%%."
    ),
    "agent_sub_delegation": _("The agent %(subject)s sits below another agent: registration was delegated onwards."),
    "agent_without_agreement": _("The agent %(subject)s registers lines without an agency agreement in force."),
    "agent_not_audited": _("The agent %(subject)s was not audited in the last %(days)s days."),
    "campaign_overdue": _("%(overdue)s lines of remediation campaign #%(subject)s are overdue for their next step."),
    "unregistered_without_campaign": _(
        "%(lines)s lines in service are not registered and are in no open remediation campaign."
    ),
}
RESOLUTION_LABELS: dict[str, str | Promise] = {
    "remedied": _("remedied"),
    "risk_accepted": _("risk accepted"),
    "not_confirmed": _("not confirmed"),
}
CASE_STATE_LABELS: dict[str, str | Promise] = {
    "open": pgettext_lazy("finding case", "open"),
    "in_progress": pgettext_lazy("finding case", "in progress"),
    "closed": pgettext_lazy("finding case", "closed"),
}
SECTION_LABELS: dict[str, str | Promise] = {
    "rate": _("Real-name rate"),
    "refusals": _("Registrations refused"),
    "readers": _("Card readers"),
    "agents": _("Agents"),
    "campaigns": _("Remediation campaigns"),
}


def finding_text(finding: InspectionFinding) -> str:
    """The finding as a sentence in the active language (built from its kind and figures: nothing personal)."""
    template = FINDING_TEXTS.get(finding.kind)
    if template is None:
        return finding.kind
    values: dict[str, Any] = {"subject": finding.subject, **finding.details}
    if finding.kind == "channel_below_target":
        values["channel"] = dict(Channel.choices).get(finding.subject, finding.subject)
    try:
        text = str(template) % values
    except (KeyError, TypeError, ValueError):
        text = gettext("%(kind)s: %(subject)s") % {"kind": finding.kind, "subject": finding.subject}
    if finding.kind == "readings_rejected" and finding.details.get("forgery_reasons"):
        text += " " + gettext("Some were forged or replayed readings.")
    return text


@dataclass(frozen=True)
class FindingView:
    finding: InspectionFinding
    text: str
    case_state: str
    case_state_label: str
    due_at: Any
    actions: list[str]
    resolution: str


def section_rows(inspection: SelfInspection) -> dict[str, list[tuple[str, Any]]]:
    """The coded figures of an inspection as (label, value) rows, in the active language."""
    from regdesk.subscribers.models import AgentStatus, RealNameState
    from regdesk.subscribers.selectors import refusal_message

    channels = {value: str(label) for value, label in Channel.choices}
    states = {value: str(label) for value, label in RealNameState.choices}
    statuses = {value: str(label) for value, label in AgentStatus.choices}
    rate = inspection.sections.get("rate", {})
    refusals = inspection.sections.get("refusals", {})
    agents = inspection.sections.get("agents", {}).get("agents", [])
    return {
        "agents": [(statuses.get(row.get("status"), row.get("status")), row) for row in agents],
        "channels": [(channels.get(code, code), figures) for code, figures in rate.get("by_channel", {}).items()],
        "states": [(states.get(code, code), lines) for code, lines in rate.get("unregistered_by_state", {}).items()],
        "reasons": [(refusal_message(code) or code, count) for code, count in refusals.get("by_reason", {}).items()],
    }


def finding_views(inspection: SelfInspection, user: AnyUser | None) -> list[FindingView]:
    views = []
    for finding in inspection.findings.select_related("case", "unit").order_by("pk"):
        case = finding.case
        clock = (
            Clock.objects.filter(case=case, name="follow_up").exclude(state=ClockState.STOPPED).first()
            if case is not None
            else None
        )
        actions = (
            [transition.name for transition in allowed_actions(case, user)]
            if case is not None and can_follow_up(user, finding)
            else []
        )
        views.append(
            FindingView(
                finding=finding,
                text=finding_text(finding),
                case_state=case.state if case is not None else "",
                case_state_label=str(CASE_STATE_LABELS.get(case.state, case.state)) if case is not None else "",
                due_at=clock.due_at if clock is not None else None,
                actions=actions,
                resolution=str(RESOLUTION_LABELS.get(finding.resolution, finding.resolution)),
            )
        )
    return views
