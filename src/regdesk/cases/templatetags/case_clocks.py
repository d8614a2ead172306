"""Template filters of deadline clocks: the next warning still to come (see ``regdesk.cases.clock_display``)."""

from __future__ import annotations

from django import template

from regdesk.cases.clock_display import RungView
from regdesk.cases.clock_display import next_warning as _next_warning
from regdesk.cases.models import Clock

register = template.Library()


@register.filter
def next_warning(clock: Clock | None) -> RungView | None:
    """The clock's earliest upcoming warning (never the rung at its due time), or ``None``."""
    return _next_warning(clock) if isinstance(clock, Clock) else None
