"""The specialist's work queue: the filings of the desk user's units, the most urgent deadline first.

Urgency is the due time of the clock that measures the filing's current step — the clock the process starts when
it enters that state (``specialist_review`` after a submission, ``onsite`` after the notice, ``regulator_review``
after the upload), read from the process definition. A breached clock is due in the past, so it comes first;
filings waiting on nobody's deadline come last, the most recently changed first.

Searching: the reference number and an organisation's name (public: the MIIT register shows it) by text; an
individual's name is personal data, sealed without a blind index, so individuals are found by their reference or
— through ``filings_by_identifier``, a POST so that the number never reaches a URL or a log — by the exact number
of a certificate, an ID document or a mobile phone, through the blind indexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from regdesk.accounts.permissions import AnyUser
from regdesk.cases.clock_display import RungStatus, rung_views
from regdesk.cases.definitions import get_process
from regdesk.cases.models import Clock, ClockState
from regdesk.filings.desk.access import desk_filings
from regdesk.filings.models import IN_FLIGHT_STATES, ContactMobile, Filing, FilingState, Owner, Website
from regdesk.filings.process import PROCESS_KEY
from regdesk.filings.selectors import owner_display_name
from regdesk.privacy.fields import blind_lookup

PAGE_SIZE = 25
IDENTIFIER_RESULTS_LIMIT = 50
# States of clocks that still measure something (a breached clock stays breached until the case moves on).
LIVE_CLOCK_STATES = (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)
OPEN_FILTER = "open"
ALL_FILTER = "all"
RUNG_LABELS = {
    "warning": gettext_lazy("warning"),
    "reminder": gettext_lazy("reminder to the owner"),
    "breach": gettext_lazy("deadline"),
    "escalation": gettext_lazy("escalation to compliance"),
}
# What each rung of process ``icp.new_filing`` does, by clock: the review clock's "warning" fires at its due time
# (it tells the compliance officers that the review is overdue), so it is named for what it does.
CLOCK_RUNG_LABELS = {
    ("specialist_review", "warning"): gettext_lazy("review overdue: compliance officers alerted"),
    ("onsite", "reminder"): gettext_lazy("reminder to the owner"),
    ("onsite", "breach"): gettext_lazy("the filing lapses"),
    ("regulator_review", "warning"): gettext_lazy("warning to the specialists"),
    ("regulator_review", "escalation"): gettext_lazy("escalation to compliance"),
}


def rung_label(clock_name: str, rung_name: str) -> str:
    """What a rung does, in the user's language (never its bare code)."""
    label = CLOCK_RUNG_LABELS.get((clock_name, rung_name)) or RUNG_LABELS.get(rung_name)
    return str(label) if label is not None else str(gettext_lazy("step of the deadline"))


@cache
def step_clocks() -> dict[str, str]:
    """``{state: clock name}``: the clock each transition starts, keyed by the state it leads to."""
    steps: dict[str, str] = {}
    for transition in get_process(PROCESS_KEY).transitions:
        for effect in transition.effects:
            if effect.name.startswith("start_clock:"):
                steps[transition.target] = effect.name.split(":", 1)[1]
    return steps


def _step_clock_predicate() -> Q:
    predicate = Q(pk__in=[])
    for state, clock_name in step_clocks().items():
        predicate |= Q(case__state=state, name=clock_name)
    return predicate


def step_clock_subquery() -> QuerySet[Clock]:
    """The live clock of the outer filing's current step (the latest started, should there be several)."""
    return (
        Clock.objects.filter(case=OuterRef("case"), state__in=[str(state) for state in LIVE_CLOCK_STATES])
        .filter(_step_clock_predicate())
        .order_by("-started_at", "-pk")
    )


def state_choices() -> list[tuple[str, str]]:
    """The queue's state filter: the filings in progress (default), every state, everything."""
    return [
        (OPEN_FILTER, str(gettext_lazy("In progress"))),
        *[(str(state.value), str(state.label)) for state in FilingState],
        (ALL_FILTER, str(gettext_lazy("All states"))),
    ]


def queue_filings(user: AnyUser | None, *, state: str = OPEN_FILTER, text: str = "") -> QuerySet[Filing]:
    """The queue: the user's desk filings in ``state`` (``open``: in progress; ``all``), whose reference or
    organisation name contains ``text``, the most urgent first."""
    filings = desk_filings(user).select_related("owner", "case")
    if state == OPEN_FILTER:
        filings = filings.filter(state__in=[str(value) for value in IN_FLIGHT_STATES])
    elif state != ALL_FILTER:
        filings = filings.filter(state=state)
    words = text.strip()
    if words:
        filings = filings.filter(Q(case__reference__icontains=words) | Q(owner__public_name__icontains=words))
    clock = step_clock_subquery()
    return filings.annotate(
        step_clock_id=Subquery(clock.values("pk")[:1]), step_due_at=Subquery(clock.values("due_at")[:1])
    ).order_by(F("step_due_at").asc(nulls_last=True), "-updated_at", "-pk")


_SEPARATORS = re.compile(r"[\s\-]+")


def filings_by_identifier(user: AnyUser | None, number: str) -> QuerySet[Filing]:
    """The user's desk filings whose owner holds ``number`` exactly — the owner's certificate, an ID document
    of a person in charge, or a contact's mobile — found through the blind indexes (no value is compared)."""
    value = _SEPARATORS.sub("", number)
    owner_ids: set[int] = set()
    owner_ids.update(blind_lookup(Owner.objects.all(), "certificate_number", value).values_list("pk", flat=True))
    owner_ids.update(blind_lookup(Owner.objects.all(), "person_document_number", value).values_list("pk", flat=True))
    owner_ids.update(blind_lookup(Owner.objects.all(), "person_mobile", value).values_list("pk", flat=True))
    owner_ids.update(
        blind_lookup(Website.objects.all(), "person_document_number", value).values_list("owner_id", flat=True)
    )
    owner_ids.update(blind_lookup(ContactMobile.objects.all(), "number", value).values_list("owner_id", flat=True))
    clock = step_clock_subquery()
    return (
        desk_filings(user)
        .filter(owner_id__in=owner_ids)
        .select_related("owner", "case")
        .annotate(step_clock_id=Subquery(clock.values("pk")[:1]), step_due_at=Subquery(clock.values("due_at")[:1]))
        .order_by(F("step_due_at").asc(nulls_last=True), "-updated_at", "-pk")
    )


@dataclass(frozen=True)
class ClockBadge:
    """The deadline of a queue line: its clock's name, due time and the rungs that fired."""

    name: str
    label: str
    state: str
    due_at: datetime
    provisional: bool
    breached: bool
    rungs_fired: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QueueLine:
    """One filing in the queue: nothing personal beyond a masked name."""

    id: int
    reference: str
    owner: str
    owner_kind: str
    websites: list[str]
    state: str
    state_label: str
    updated_at: datetime
    clock: ClockBadge | None


def clock_label(name: str) -> str:
    try:
        return str(get_process(PROCESS_KEY).clock(name).label or name)
    except KeyError:
        return name


def clock_badge(clock: Clock) -> ClockBadge:
    return ClockBadge(
        name=clock.name,
        label=clock_label(clock.name),
        state=clock.state,
        due_at=clock.due_at,
        provisional=clock.provisional,
        breached=clock.state == ClockState.BREACHED,
        # The breach itself shows as "overdue"; the other rungs (warnings, reminders, escalations) as badges.
        rungs_fired=[
            rung_label(clock.name, view.name)
            for view in rung_views(clock)
            if view.status == RungStatus.FIRED and not view.at_deadline
        ],
    )


def queue_lines(filings: list[Filing]) -> list[QueueLine]:
    """The lines of one page of the queue (the filings carry ``step_clock_id`` from ``queue_filings``)."""
    clock_ids = [getattr(filing, "step_clock_id", None) for filing in filings]
    clocks = {
        clock.pk: clock
        for clock in Clock.objects.filter(pk__in=[pk for pk in clock_ids if pk]).prefetch_related("fired_rungs")
    }
    websites: dict[int, list[str]] = {}
    for filing_id, name in (
        Website.objects.filter(filing__in=filings).order_by("position", "pk").values_list("filing_id", "name")
    ):
        websites.setdefault(filing_id, []).append(name)
    lines = []
    for filing in filings:
        clock = clocks.get(getattr(filing, "step_clock_id", None) or 0)
        lines.append(
            QueueLine(
                id=filing.pk,
                reference=str(filing),
                owner=owner_display_name(filing.owner),
                owner_kind=filing.owner.kind,
                websites=websites.get(filing.pk, []),
                state=filing.state,
                state_label=str(FilingState(filing.state).label),
                updated_at=filing.updated_at,
                clock=clock_badge(clock) if clock is not None else None,
            )
        )
    return lines
