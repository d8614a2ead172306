"""Reads of the counter pages: the registrations of an outlet, the supervisor's queue, and the registration as a
page shows it. Everything personal stays masked; photos are revealed one at a time by the photo views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import active_memberships
from regdesk.accounts.roles import Role, UnitKind
from regdesk.subscribers import config
from regdesk.subscribers.counter.common import KIND_LABELS, STATE_LABELS, label
from regdesk.subscribers.models import CardReading, Registration
from regdesk.subscribers.permissions import units_for_roles
from regdesk.subscribers.process import SUPERVISOR_ROLES
from regdesk.subscribers.selectors import (
    ReadingView,
    RegistrationView,
    reading_for_counter,
    reading_view,
    registration_view,
)

IN_PROGRESS = ("started", "identity_captured", "checks_passed")
AWAITING = ("awaiting_supervisor",)
CLOSED = ("registered", "refused", "abandoned")
LIST_LIMIT = 50
RECENT_LIMIT = 10


@dataclass(frozen=True)
class RegistrationRow:
    """One registration in a list (masked), with its labels."""

    id: int
    reference: str
    state: str
    state_label: str
    kind_label: str
    number: str
    name: str
    face_score: int | None
    face_threshold: int | None
    actions: list[str]


def row_of(view: RegistrationView) -> RegistrationRow:
    return RegistrationRow(
        id=view.id,
        reference=view.reference,
        state=view.state,
        state_label=label(STATE_LABELS, view.state),
        kind_label=label(KIND_LABELS, view.kind),
        number=view.number,
        name=view.name,
        face_score=view.face_score,
        face_threshold=view.face_threshold,
        actions=view.actions,
    )


def _registrations() -> QuerySet[Registration]:
    return Registration.objects.select_related("case", "outlet", "target_line").order_by("-created_at", "-pk")


def outlet_registrations(
    outlet: OrgUnit, user: User, states: tuple[str, ...], limit: int = LIST_LIMIT
) -> list[RegistrationRow]:
    """The outlet's registrations in ``states``, newest first, masked."""
    registrations = _registrations().filter(outlet=outlet, case__state__in=states)[:limit]
    return [row_of(registration_view(registration, user)) for registration in registrations]


def is_supervisor(user: User) -> bool:
    """Whether the user decides on registrations held for review somewhere: a compliance officer, or a counter
    clerk whose membership is above the outlets (a branch or the provider)."""
    return (
        active_memberships(user)
        .filter(
            Q(role=Role.COMPLIANCE_OFFICER)
            | Q(role=Role.COUNTER_CLERK, unit__kind__in=[UnitKind.BRANCH, UnitKind.PROVIDER])
        )
        .exists()
    )


def review_queue(user: User, limit: int = LIST_LIMIT) -> list[RegistrationRow]:
    """Registrations awaiting a supervisor that the user may decide on now, oldest first."""
    outlets = units_for_roles(user, tuple(str(role) for role in SUPERVISOR_ROLES))
    registrations = (
        _registrations()
        .filter(outlet_id__in=outlets, case__state__in=AWAITING)
        .order_by("created_at", "pk")[: limit * 2]
    )
    rows = [row_of(registration_view(registration, user)) for registration in registrations]
    return [row for row in rows if "approve" in row.actions][:limit]


@dataclass(frozen=True)
class SlotReading:
    """A verified reading waiting to be used by a registration (or a lookup), masked."""

    slot: str
    view: ReadingView
    usable: bool
    reading: CardReading


def usable_reading(user: User, reading_id: int | None, slot: str = "") -> SlotReading | None:
    """The reading (at one of the user's outlets) with whether it may still be used: not used by a registration
    and verified within ``REGDESK_READING_USE_SECONDS``."""
    if reading_id is None:
        return None
    reading: CardReading | None = reading_for_counter(user, reading_id)
    if reading is None:
        return None
    fresh = reading.verified_at >= timezone.now() - timedelta(seconds=config.reading_use_seconds())
    return SlotReading(
        slot=slot, view=reading_view(reading), usable=fresh and reading.consumed_at is None, reading=reading
    )
