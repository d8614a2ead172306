"""Reads of the self-inspection: the findings as sentences, with their cases' states and the actions open now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.permissions import AnyUser
from regdesk.cases.models import Clock, ClockState
from regdesk.cases.selectors import allowed_actions
from regdesk.subscribers.inspection.permissions import can_follow_up
from regdesk.subscribers.models import Channel, InspectionFinding, PurgeRecord, SelfInspection

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


# The kinds of record a retention purge removes or erases (``PurgeRecord.counts``), as the page names them.
PURGE_KIND_LABELS: dict[str, str | Promise] = {
    "lines": _("lines"),
    "lines_erased": _("lines kept with their personal data erased"),
    "registrations": _("registrations"),
    "registration_events": _("registration events"),
    "documents": _("documents"),
    "document_views": _("document views"),
    "card_readings": _("ID card readings"),
    "unused_card_readings": _("unused ID card readings"),
    "subscribers": _("subscribers"),
    "identities": _("identity index entries"),
    "disputes": _("disputes"),
    "lookup_grants": _("lookup permissions"),
    "lookup_challenges": _("lookup challenges"),
}
# Finding kinds whose subject is the code of a unit (an agent, an outlet): shown by the unit's name.
UNIT_SUBJECTS = frozenset(
    {
        "agent_error_rate",
        "agent_sub_delegation",
        "agent_without_agreement",
        "agent_not_audited",
        "outlet_without_reader",
    }
)


def rule_label(version: str) -> str:
    """A rule version such as ``realname.self_inspection/1`` as people read it ("self-inspection rules, version
    1"); an unknown rule keeps its text."""
    name, _separator, rest = version.partition("/")
    number = rest.split(":", 1)[0].strip()
    if name == "realname.self_inspection" and number:
        return gettext("self-inspection rules, version %(number)s") % {"number": number}
    if name == "realname.retention" and number:
        return gettext("retention rules, version %(number)s") % {"number": number}
    return version


def purge_kind_label(kind: str) -> str:
    """A kind of purged record in the active language (``erased:<model>`` by the model's own name)."""
    if kind.startswith("erased:"):
        try:
            model = apps.get_model(kind.removeprefix("erased:"))
        except (LookupError, ValueError):
            return gettext("other records, personal data erased")
        return gettext("%(records)s, personal data erased") % {"records": model._meta.verbose_name_plural}
    return str(PURGE_KIND_LABELS.get(kind, gettext("other records")))


def unit_names(codes: Iterable[str]) -> dict[str, str]:
    """The names of the units with these codes."""
    return dict(OrgUnit.objects.filter(code__in=set(codes)).values_list("code", "name"))


def finding_text(finding: InspectionFinding, names: dict[str, str] | None = None) -> str:
    """The finding as a sentence in the active language (built from its kind and figures: nothing personal).
    Units appear by name (``names``: code → name, looked up when not given)."""
    template = FINDING_TEXTS.get(finding.kind)
    if template is None:
        return gettext("Finding of an unknown kind about %(subject)s") % {"subject": finding.subject}
    values: dict[str, Any] = {"subject": finding.subject, **finding.details}
    if names is None:
        names = unit_names([finding.subject, str(finding.details.get("outlet", ""))])
    if finding.kind in UNIT_SUBJECTS:
        values["subject"] = names.get(finding.subject, finding.subject)
    if "outlet" in values:
        values["outlet"] = names.get(str(values["outlet"]), values["outlet"])
    if finding.kind == "channel_below_target":
        values["channel"] = dict(Channel.choices).get(finding.subject, finding.subject)
    try:
        text = str(template) % values
    except (KeyError, TypeError, ValueError):
        text = gettext("Finding of an unknown kind about %(subject)s") % {"subject": finding.subject}
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


@dataclass(frozen=True)
class CampaignRow:
    """A running remediation campaign as the inspection saw it: its group and its lines by stage, named."""

    campaign: int
    group: str
    stages: list[tuple[str, int]]
    overdue: int


@dataclass(frozen=True)
class PurgeRow:
    """A retention purge: what it removed, by kind of record named, and the rule it applied."""

    purge: PurgeRecord
    counts: list[tuple[str, int]]
    rule: str


def section_rows(inspection: SelfInspection) -> dict[str, Any]:
    """The coded figures of an inspection as rows with labels in the active language (no code is shown as is)."""
    from regdesk.subscribers.models import AgentStatus, RealNameState
    from regdesk.subscribers.models.campaigns import CAMPAIGN_GROUP_CHOICES, Stage
    from regdesk.subscribers.selectors import refusal_message

    channels = {value: str(label) for value, label in Channel.choices}
    states = {value: str(label) for value, label in RealNameState.choices}
    statuses = {value: str(label) for value, label in AgentStatus.choices}
    groups = {value: str(label) for value, label in CAMPAIGN_GROUP_CHOICES}
    stages = {value: str(label) for value, label in Stage.choices}
    rate = inspection.sections.get("rate", {})
    refusals = inspection.sections.get("refusals", {})
    agents = inspection.sections.get("agents", {}).get("agents", [])
    names = unit_names(row.get("agent", "") for row in agents)
    campaigns = inspection.sections.get("campaigns", {}).get("running", [])
    return {
        "agents": [
            (statuses.get(row.get("status"), row.get("status")), names.get(row.get("agent"), row.get("agent")), row)
            for row in agents
        ],
        "channels": [(channels.get(code, code), figures) for code, figures in rate.get("by_channel", {}).items()],
        "states": [(states.get(code, code), lines) for code, lines in rate.get("unregistered_by_state", {}).items()],
        "reasons": [
            (refusal_message(code) or gettext("other reason"), count)
            for code, count in refusals.get("by_reason", {}).items()
        ],
        "campaigns": [
            CampaignRow(
                campaign=row.get("campaign", 0),
                group=groups.get(row.get("group", ""), gettext("other group")),
                stages=[
                    (stages.get(stage, gettext("other stage")), count) for stage, count in row.get("stages", {}).items()
                ],
                overdue=row.get("overdue", 0),
            )
            for row in campaigns
        ],
        "rule": rule_label(inspection.rule_version),
    }


def purge_rows(purges: Iterable[PurgeRecord]) -> list[PurgeRow]:
    """Retention purges with the kinds of records and the rule named in the active language."""
    return [
        PurgeRow(
            purge=purge,
            counts=[(purge_kind_label(kind), count) for kind, count in purge.counts.items()],
            rule=rule_label(purge.rule_version),
        )
        for purge in purges
    ]


def finding_views(inspection: SelfInspection, user: AnyUser | None) -> list[FindingView]:
    views = []
    findings = list(inspection.findings.select_related("case", "unit").order_by("pk"))
    names = unit_names(
        code for finding in findings for code in (finding.subject, str(finding.details.get("outlet", "")))
    )
    for finding in findings:
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
                text=finding_text(finding, names),
                case_state=case.state if case is not None else "",
                case_state_label=str(CASE_STATE_LABELS.get(case.state, case.state)) if case is not None else "",
                due_at=clock.due_at if clock is not None else None,
                actions=actions,
                resolution=str(RESOLUTION_LABELS.get(finding.resolution, finding.resolution)),
            )
        )
    return views
