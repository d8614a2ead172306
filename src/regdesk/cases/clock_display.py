"""How a clock's rungs read on a page: what has happened, what is still to come, and what happens at the deadline.

A rung is *fired* only when the sweep recorded it (its firing time is shown, never its planned one); a rung whose
time has not come is *upcoming*, with its planned time; a rung whose time has passed on a running clock is *due*
(the next sweep fires it); a rung of a clock that ended before it is *skipped*. A rung at the due time itself (the
breach rung) is what happens *at the deadline*: it is shown with the due time, not as a warning of its own, so a
page never shows a "warning" and the due time as the same moment twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regdesk.cases.models import Clock, ClockState

LIVE_STATES = (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)


class RungStatus(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    DUE = "due", _("due now")
    FIRED = "fired", _("fired")
    SKIPPED = "skipped", _("not needed")


@dataclass(frozen=True)
class RungView:
    """One rung of a clock as a page shows it."""

    name: str
    status: str
    at: datetime  # when it fired, if it did; when it is planned otherwise
    at_deadline: bool  # a breach rung: it happens at the due time

    @property
    def status_label(self) -> str:
        return str(RungStatus(self.status).label)

    @property
    def fired(self) -> bool:
        return self.status == RungStatus.FIRED


def rung_views(clock: Clock, *, now: datetime | None = None) -> list[RungView]:
    """The clock's rungs in time order, each with its status (see the module docstring). Uses the clock's
    prefetched ``fired_rungs`` when there are any."""
    now = now or timezone.now()
    fired = {row.rung: row.fired_at for row in clock.fired_rungs.all()}
    ended = clock.state not in LIVE_STATES
    views: list[RungView] = []
    for entry in clock.schedule:
        name = str(entry["rung"])
        planned = datetime.fromisoformat(str(entry["fire_at"]))
        at_deadline = bool(entry.get("breach")) or planned == clock.due_at
        fired_at = fired.get(name)
        if fired_at is not None and fired_at <= now:
            views.append(RungView(name, RungStatus.FIRED, fired_at, at_deadline))
        elif ended:
            views.append(RungView(name, RungStatus.SKIPPED, planned, at_deadline))
        elif planned > now or clock.state == ClockState.PAUSED:
            views.append(RungView(name, RungStatus.UPCOMING, planned, at_deadline))
        else:
            views.append(RungView(name, RungStatus.DUE, planned, at_deadline))
    return views


def warnings_of(clock: Clock, *, now: datetime | None = None) -> list[RungView]:
    """The rungs before the deadline (warnings, reminders), never the one at the due time."""
    return [view for view in rung_views(clock, now=now) if not view.at_deadline]


def next_warning(clock: Clock, *, now: datetime | None = None) -> RungView | None:
    """The earliest warning still to come on a live clock, if any."""
    if clock.state not in LIVE_STATES:
        return None
    upcoming = [view for view in warnings_of(clock, now=now) if view.status == RungStatus.UPCOMING]
    return upcoming[0] if upcoming else None


def deadline_shown(clock: Clock, *, now: datetime | None = None) -> bool:
    """Whether the clock's due time is still a deadline worth showing: a live clock's, or a finished clock's that
    had passed when it finished (a clock stopped before its due time binds nobody any more)."""
    now = now or timezone.now()
    if clock.state in LIVE_STATES:
        return True
    ended = clock.breached_at or clock.stopped_at or now
    return clock.due_at <= ended
