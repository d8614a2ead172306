"""The real-name rate (实名率) of phone and data lines and its targets, as data and pure functions.

Definitions (used by the report, the snapshots and the self-inspection alike):

* A line **counts** (is in the denominator) while it is in service: every status but ``cancelled`` — active,
  one-way or two-way suspended, and "in service, not registered". A suspended line is still a number in the
  network, so it still counts; a cancelled one does not.
* A counted line is **registered** (is in the numerator) when its real-name state is ``registered``. The four
  groups of lines without a proper registration (temporary account, incomplete data, holder not the user, group
  line under a unit's or handler's name) are not registered, whatever their service status.
* The **rate** is registered / counted; with no counted line there is no rate (``None``), not 0 % or 100 %.
* A target is **met** when registered × 100 ≥ target % × counted, compared exactly (no rounding), so 99.999 %
  never meets a 100 % target. Percentages shown to people are rounded half up to two decimals (5 of 9 is
  55.56 %), except at the ends: a rate below 100 % shows at most 99.99 and a rate above 0 % at least 0.01, so the
  figure never claims a full or an empty base that is not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The statuses of a line that count (every status but "cancelled"); the values of ``LineStatus``.
COUNTED_STATUSES = ("active", "one_way_suspended", "two_way_suspended", "unregistered")
REGISTERED_STATE = "registered"
# The groups of lines without a proper registration (DOMAIN.md §2), in the order the report lists them.
UNREGISTERED_STATES = ("temporary_account", "incomplete", "owner_not_user", "unit_name")

PERCENT_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RateTarget:
    """From ``effective`` on, the rate must be at least ``percent``."""

    effective: datetime.date
    percent: Decimal
    source: str = ""


# 工信部网安〔2016〕182号 (MIIT notice of 24 May 2016, implementing the Anti-Terrorism Law art. 21): 95 % by
# 31 December 2016, every line by 30 June 2017 — and every line ever since.
DEFAULT_TARGETS = (
    RateTarget(datetime.date(2016, 12, 31), Decimal(95), "工信部网安〔2016〕182号"),
    RateTarget(datetime.date(2017, 6, 30), Decimal(100), "工信部网安〔2016〕182号"),
)


class TargetsError(ValueError):
    """A configured list of targets that cannot be read."""


def _target_from(item: object) -> RateTarget:
    if isinstance(item, RateTarget):
        return item
    if isinstance(item, str):
        day_text, separator, percent_text = item.partition(":")
        if not separator:
            raise TargetsError(f"target {item!r} is not DATE:PERCENT")
        item = (day_text.strip(), percent_text.strip())
    if not isinstance(item, Sequence) or isinstance(item, str) or len(item) not in (2, 3):
        raise TargetsError(f"target {item!r} is not a (date, percent) pair")
    day_value, percent_value = item[0], item[1]
    source = str(item[2]) if len(item) == 3 else ""
    if isinstance(day_value, datetime.datetime):
        raise TargetsError(f"target {item!r}: give a date, not a date and time")
    if isinstance(day_value, datetime.date):
        day = day_value
    else:
        try:
            day = datetime.date.fromisoformat(str(day_value))
        except ValueError:
            raise TargetsError(f"target {item!r}: the date is not YYYY-MM-DD") from None
    try:
        percent = Decimal(str(percent_value))
    except InvalidOperation:
        raise TargetsError(f"target {item!r}: the percentage is not a number") from None
    if not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100):
        raise TargetsError(f"target {item!r}: the percentage must lie between 0 and 100")
    return RateTarget(day, percent, source)


def parse_targets(value: object) -> tuple[RateTarget, ...]:
    """Targets from configuration: ``"2016-12-31:95,2017-06-30:100"`` or a list of ``(date, percent)`` pairs.

    Sorted by date; two targets on the same date are refused. Raises ``TargetsError``.
    """
    if isinstance(value, str):
        items: Iterable[object] = [part for part in value.split(",") if part.strip()]
    elif isinstance(value, Iterable):
        items = value
    else:
        raise TargetsError("targets must be a text or a list of (date, percent) pairs")
    targets = sorted((_target_from(item) for item in items), key=lambda target: target.effective)
    days = [target.effective for target in targets]
    if len(days) != len(set(days)):
        raise TargetsError("two targets take effect on the same date")
    return tuple(targets)


def target_at(targets: Sequence[RateTarget], day: datetime.date) -> RateTarget | None:
    """The target in force on ``day``: the last one effective on or before it (``None`` before the first)."""
    current: RateTarget | None = None
    for target in sorted(targets, key=lambda item: item.effective):
        if target.effective <= day:
            current = target
    return current


def next_target(targets: Sequence[RateTarget], day: datetime.date) -> RateTarget | None:
    """The first target that takes effect after ``day``."""
    later = [target for target in targets if target.effective > day]
    return min(later, key=lambda target: target.effective) if later else None


@dataclass(frozen=True)
class RateCount:
    """Counted and registered lines of one group (a unit, a channel, a region, a day)."""

    registered: int
    total: int

    def __post_init__(self) -> None:
        if self.total < 0 or not 0 <= self.registered <= self.total:
            raise ValueError("0 <= registered <= total must hold")

    def __add__(self, other: RateCount) -> RateCount:
        return RateCount(self.registered + other.registered, self.total + other.total)

    @property
    def unregistered(self) -> int:
        return self.total - self.registered

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, rounded half up to two decimals but never to 100 or 0 when the rate is not (see the
        module docstring); ``None`` without lines."""
        if self.total == 0:
            return None
        shown = (Decimal(self.registered) * 100 / Decimal(self.total)).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
        if shown == HUNDRED and self.registered < self.total:
            return HUNDRED - PERCENT_PLACES
        if shown == 0 and self.registered > 0:
            return PERCENT_PLACES
        return shown

    @property
    def ratio(self) -> float | None:
        """The rate as a ratio 0-1 (for spreadsheets, which format it as a percentage)."""
        return None if self.total == 0 else self.registered / self.total

    def meets(self, target: RateTarget | None) -> bool | None:
        """Whether the rate reaches ``target`` (exactly); ``None`` without a target or without lines."""
        if target is None or self.total == 0:
            return None
        return Decimal(self.registered) * 100 >= target.percent * Decimal(self.total)


ZERO = RateCount(0, 0)


def total(counts: Iterable[RateCount]) -> RateCount:
    result = ZERO
    for count in counts:
        result = result + count
    return result


def province_code(region_code: str) -> str:
    """The province of a six-digit division code (GB/T 2260): its first two digits and ``0000``."""
    return region_code[:2] + "0000" if len(region_code) == 6 and region_code.isdigit() else ""


def city_code(region_code: str) -> str:
    """The prefecture-level city of a division code: its first four digits and ``00`` (empty for a province)."""
    if len(region_code) != 6 or not region_code.isdigit() or region_code[2:4] == "00":
        return ""
    return region_code[:4] + "00"


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def sample_days(start: datetime.date, end: datetime.date, granularity: str) -> list[datetime.date]:
    """The days of a time series from ``start`` to ``end`` (inclusive): every day (``day``), or the last day of
    every month, with ``end`` itself for the month in progress (``month``)."""
    if end < start:
        return []
    if granularity == "day":
        return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]
    if granularity != "month":
        raise ValueError(f"unknown granularity {granularity!r}")
    days: list[datetime.date] = []
    current = month_end(start)
    while current < end:
        days.append(current)
        current = month_end(current + datetime.timedelta(days=1))
    days.append(end)
    return days
