"""The real-name rate, computed from the lines (now) and from the daily snapshots (the past).

What counts, what is registered and how targets are compared: ``regdesk.rules.realname_rate``. A line belongs to
the outlet it was sold through (``Line.outlet``); the outlet belongs to its channel (``OutletProfile.channel``) and to
its region: its own administrative division code, or else the nearest code of a unit above it (a branch's). The unit
breakdown follows the organisation tree as it is today (provider → branch → outlet or agent → agent's outlets).

The time series reads ``RealNameRateSnapshot`` (see its module for why the past is not recomputed): the value of a
day is that day's snapshot; the value of a month is the last snapshot taken in that month. Today's value is always
computed live.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.roles import UnitKind
from regdesk.rules import divisions
from regdesk.rules.realname_rate import (
    COUNTED_STATUSES,
    REGISTERED_STATE,
    UNREGISTERED_STATES,
    ZERO,
    RateCount,
    RateTarget,
    next_target,
    sample_days,
    target_at,
)
from regdesk.subscribers.config import rate_targets
from regdesk.subscribers.models import Channel, Line, OutletProfile, RealNameRateSnapshot, RealNameState

GRANULARITIES = ("month", "day")
# The translation context of short words other catalogues translate for another meaning ("Channel", "Unit" ...).
CONTEXT = "real-name supervision"


@dataclass(frozen=True)
class ReportFilters:
    """What the report covers: the units (a subtree of the reader's scope), a channel, a region and a period."""

    unit_ids: frozenset[int]
    date_from: datetime.date
    date_to: datetime.date
    unit_code: str = ""
    channel: str = ""
    region: str = ""
    granularity: str = "month"

    def described(self) -> list[tuple[str, str]]:
        """The filters as (label, value) pairs for the headers of the page and the exports."""
        channel_labels = dict(Channel.choices)
        region_label = ""
        if self.region:
            details = divisions.region_details(self.region)
            region_label = f"{self.region} {details['name']}" if details else self.region
        return [
            (pgettext(CONTEXT, "Unit"), self.unit_code or _("all units in your scope")),
            (
                pgettext(CONTEXT, "Channel"),
                str(channel_labels.get(self.channel, "")) if self.channel else _("all channels"),
            ),
            (pgettext(CONTEXT, "Region"), region_label or _("all regions")),
            (_("Period"), f"{self.date_from.isoformat()} – {self.date_to.isoformat()}"),
            (_("Series"), _("by month") if self.granularity == "month" else _("by day")),
        ]


@dataclass(frozen=True)
class RateRow:
    """One row of a breakdown: a unit, a channel or a region, at a depth in its tree."""

    key: str
    label: str
    count: RateCount
    meets: bool | None
    depth: int = 0
    kind: str = ""

    @property
    def percent(self) -> Decimal | None:
        return self.count.percent


@dataclass(frozen=True)
class StateRow:
    """Lines in service in one registration state (registered, or one of the four unregistered groups)."""

    state: str
    label: str
    lines: int


@dataclass(frozen=True)
class SeriesPoint:
    """The rate as of one day, from a snapshot (``snapshot``), computed now (``live``), or unknown (``""``)."""

    day: datetime.date
    count: RateCount | None
    target: Decimal | None
    source: str

    @property
    def percent(self) -> Decimal | None:
        return self.count.percent if self.count is not None else None


@dataclass(frozen=True)
class RateReport:
    generated_at: datetime.datetime
    as_of: datetime.date
    filters: ReportFilters
    targets: tuple[RateTarget, ...]
    target: RateTarget | None
    next_target: RateTarget | None
    overall: RateCount
    overall_meets: bool | None
    by_unit: list[RateRow]
    by_channel: list[RateRow]
    by_region: list[RateRow]
    by_state: list[StateRow]
    series: list[SeriesPoint] = field(default_factory=list)


@dataclass(frozen=True)
class _Unit:
    id: int
    parent_id: int | None
    code: str
    name: str
    kind: str
    region_code: str


def _units() -> dict[int, _Unit]:
    return {
        row[0]: _Unit(*row)
        for row in OrgUnit.objects.values_list("id", "parent_id", "code", "name", "kind", "region_code")
    }


def _region_of(unit_id: int, units: dict[int, _Unit]) -> str:
    """The unit's own division code, else the nearest one above it; empty when no unit on the way has one."""
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen and current in units:
        seen.add(current)
        if units[current].region_code:
            return units[current].region_code
        current = units[current].parent_id
    return ""


def region_matches(region_code: str, wanted: str) -> bool:
    """Whether a unit's division code lies in ``wanted`` (a province, a city or a county code)."""
    if not wanted:
        return True
    if not region_code:
        return False
    if wanted.endswith("0000"):
        return region_code[:2] == wanted[:2]
    if wanted.endswith("00"):
        return region_code[:4] == wanted[:4]
    return region_code == wanted


def region_prefix(wanted: str) -> str:
    """The prefix of the division codes inside ``wanted`` (for snapshot queries)."""
    if wanted.endswith("0000"):
        return wanted[:2]
    if wanted.endswith("00"):
        return wanted[:4]
    return wanted


@dataclass
class LiveCounts:
    """Counted lines per outlet and registration state, with each outlet's channel and region."""

    by_outlet: dict[int, dict[str, int]]
    channel_of: dict[int, str]
    region_of: dict[int, str]

    def count_of(self, outlet_id: int) -> RateCount:
        states = self.by_outlet.get(outlet_id, {})
        return RateCount(states.get(REGISTERED_STATE, 0), sum(states.values()))

    def total(self, outlet_ids: Iterable[int] | None = None) -> RateCount:
        result = ZERO
        for outlet_id in self.by_outlet if outlet_ids is None else outlet_ids:
            result = result + self.count_of(outlet_id)
        return result


def live_counts(unit_ids: Iterable[int], *, channel: str = "", region: str = "") -> LiveCounts:
    """Lines in service now, per outlet and registration state, for outlets in ``unit_ids`` that match the
    channel and region filters."""
    units = _units()
    wanted = set(unit_ids)
    channels = dict(OutletProfile.objects.filter(unit_id__in=wanted).values_list("unit_id", "channel"))
    rows = (
        Line.objects.filter(status__in=COUNTED_STATUSES, outlet_id__in=wanted)
        .values_list("outlet_id", "real_name_state")
        .annotate(lines=Count("id"))
        .order_by()
    )
    by_outlet: dict[int, dict[str, int]] = defaultdict(dict)
    region_of: dict[int, str] = {}
    for outlet_id, state, lines in rows:
        region_of.setdefault(outlet_id, _region_of(outlet_id, units))
        if channel and channels.get(outlet_id, "") != channel:
            continue
        if not region_matches(region_of[outlet_id], region):
            continue
        by_outlet[outlet_id][state] = by_outlet[outlet_id].get(state, 0) + lines
    return LiveCounts(by_outlet=dict(by_outlet), channel_of=channels, region_of=region_of)


def _unit_rows(counts: LiveCounts, unit_ids: frozenset[int], target: RateTarget | None) -> list[RateRow]:
    """The organisation tree of the reported units, each unit with the lines of its whole subtree. Units without
    lines are left out, except the top ones."""
    units = {unit_id: unit for unit_id, unit in _units().items() if unit_id in unit_ids}
    children: dict[int | None, list[_Unit]] = defaultdict(list)
    for unit in units.values():
        children[unit.parent_id if unit.parent_id in units else None].append(unit)
    subtree_total: dict[int, RateCount] = {}

    def accumulate(unit: _Unit) -> RateCount:
        result = counts.count_of(unit.id)
        for child in children.get(unit.id, []):
            result = result + accumulate(child)
        subtree_total[unit.id] = result
        return result

    roots = sorted(children.get(None, []), key=lambda unit: unit.code)
    for root in roots:
        accumulate(root)
    kind_labels = dict(UnitKind.choices)
    rows: list[RateRow] = []

    def walk(unit: _Unit, depth: int) -> None:
        count = subtree_total[unit.id]
        if depth > 0 and count.total == 0:
            return
        rows.append(
            RateRow(
                key=unit.code,
                label=unit.name,
                count=count,
                meets=count.meets(target),
                depth=depth,
                kind=str(kind_labels.get(unit.kind, unit.kind)),
            )
        )
        for child in sorted(children.get(unit.id, []), key=lambda item: item.code):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return rows


def _channel_rows(counts: LiveCounts, target: RateTarget | None, only: str) -> list[RateRow]:
    per_channel: dict[str, RateCount] = defaultdict(lambda: ZERO)
    for outlet_id in counts.by_outlet:
        per_channel[counts.channel_of.get(outlet_id, "")] += counts.count_of(outlet_id)
    rows = []
    for value, label in Channel.choices:
        if only and value != only:
            continue
        count = per_channel.pop(value, ZERO)
        rows.append(RateRow(key=value, label=str(label), count=count, meets=count.meets(target)))
    for value, count in sorted(per_channel.items()):
        # Lines of units that lost their profile: shown, so that the table adds up to the total.
        rows.append(RateRow(key=value, label=value or _("no channel"), count=count, meets=count.meets(target)))
    return rows


def _region_rows(counts: LiveCounts, target: RateTarget | None) -> list[RateRow]:
    """Provinces, and the cities within them, by division code; lines of units without a code come last."""
    per_code: dict[str, RateCount] = defaultdict(lambda: ZERO)
    for outlet_id in counts.by_outlet:
        per_code[counts.region_of.get(outlet_id, "")] += counts.count_of(outlet_id)
    provinces: dict[str, RateCount] = defaultdict(lambda: ZERO)
    cities: dict[str, dict[str, RateCount]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    names: dict[str, str] = {}
    unknown = ZERO
    for code, count in per_code.items():
        details = divisions.region_details(code) if code else None
        if details is None or details["province"] is None:
            unknown = unknown + count
            continue
        province = details["province"]
        names[province["code"]] = province["name"]
        provinces[province["code"]] += count
        city = details["city"]
        if city is not None:
            names[city["code"]] = city["name"]
            cities[province["code"]][city["code"]] += count
    rows: list[RateRow] = []
    for province_code in sorted(provinces):
        count = provinces[province_code]
        rows.append(
            RateRow(
                key=province_code,
                label=names[province_code],
                count=count,
                meets=count.meets(target),
                kind=pgettext(CONTEXT, "province"),
            )
        )
        for city_code in sorted(cities.get(province_code, {})):
            city_count = cities[province_code][city_code]
            rows.append(
                RateRow(
                    key=city_code,
                    label=names[city_code],
                    count=city_count,
                    meets=city_count.meets(target),
                    depth=1,
                    kind=pgettext(CONTEXT, "city"),
                )
            )
    if unknown.total:
        rows.append(RateRow(key="", label=_("no region code"), count=unknown, meets=unknown.meets(target)))
    return rows


def _state_rows(counts: LiveCounts) -> list[StateRow]:
    labels = dict(RealNameState.choices)
    per_state: dict[str, int] = defaultdict(int)
    for states in counts.by_outlet.values():
        for state, lines in states.items():
            per_state[state] += lines
    return [
        StateRow(state=state, label=str(labels.get(state, state)), lines=per_state.get(state, 0))
        for state in (REGISTERED_STATE, *UNREGISTERED_STATES)
    ]


def snapshot_totals(
    unit_ids: Iterable[int],
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    channel: str = "",
    region: str = "",
) -> dict[datetime.date, RateCount]:
    """The snapshots' totals per day in ``[date_from, date_to]`` for the outlets, channel and region."""
    snapshots = RealNameRateSnapshot.objects.filter(day__gte=date_from, day__lte=date_to, outlet_id__in=set(unit_ids))
    if channel:
        snapshots = snapshots.filter(channel=channel)
    if region:
        snapshots = snapshots.filter(region_code__startswith=region_prefix(region))
    rows = (
        snapshots.values_list("day")
        .annotate(total=Sum("lines_total"), registered=Sum("lines_registered"))
        .order_by("day")
    )
    return {day: RateCount(int(registered or 0), int(total or 0)) for day, total, registered in rows}


def rate_series(
    filters: ReportFilters, *, today: datetime.date, live: RateCount, targets: tuple[RateTarget, ...]
) -> list[SeriesPoint]:
    """The rate as of each sampled day of the period (see the module docstring)."""
    end = min(filters.date_to, today)
    days = sample_days(filters.date_from, end, filters.granularity)
    totals = snapshot_totals(filters.unit_ids, filters.date_from, end, channel=filters.channel, region=filters.region)
    snapshot_days = sorted(totals)
    points: list[SeriesPoint] = []
    for day in days:
        target = target_at(targets, day)
        target_percent = target.percent if target is not None else None
        if day == today:
            points.append(SeriesPoint(day, live, target_percent, "live"))
            continue
        if filters.granularity == "month":
            start = max(filters.date_from, day.replace(day=1))
            candidates = [snapshot_day for snapshot_day in snapshot_days if start <= snapshot_day <= day]
        else:
            candidates = [day] if day in totals else []
        if candidates:
            points.append(SeriesPoint(day, totals[candidates[-1]], target_percent, "snapshot"))
        else:
            points.append(SeriesPoint(day, None, target_percent, ""))
    return points


def rate_report(filters: ReportFilters, *, now: datetime.datetime | None = None) -> RateReport:
    """The whole report for ``filters``: the overall rate against the target in force, the breakdowns by unit,
    channel, region and registration state, and the time series."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    targets = rate_targets()
    target = target_at(targets, today)
    counts = live_counts(filters.unit_ids, channel=filters.channel, region=filters.region)
    overall = counts.total()
    return RateReport(
        generated_at=now,
        as_of=today,
        filters=filters,
        targets=targets,
        target=target,
        next_target=next_target(targets, today),
        overall=overall,
        overall_meets=overall.meets(target),
        by_unit=_unit_rows(counts, filters.unit_ids, target),
        by_channel=_channel_rows(counts, target, filters.channel),
        by_region=_region_rows(counts, target),
        by_state=_state_rows(counts),
        series=rate_series(filters, today=today, live=overall, targets=targets),
    )


SnapshotRow = tuple[int, str, str, RateCount]


@dataclass(frozen=True)
class _Outlets:
    """What a snapshot row says of its outlet: the organisation tree (for the region), the channels and the
    outlets that are open for business."""

    units: dict[int, _Unit]
    channels: dict[int, str]
    active: frozenset[int]

    @classmethod
    def now(cls) -> _Outlets:
        return cls(
            units=_units(),
            channels=dict(OutletProfile.objects.values_list("unit_id", "channel")),
            active=frozenset(OutletProfile.objects.filter(unit__active=True).values_list("unit_id", flat=True)),
        )

    def rows(self, by_outlet: dict[int, dict[str, int]]) -> list[SnapshotRow]:
        """Every outlet that sells lines, with its channel, region and the counts of ``by_outlet`` (outlet → state
        → lines). Outlets without a line in service get a row of zeros only while they are active (so a new outlet
        shows up at 0 of 0, and a closed one with no lines left drops out)."""
        outlets = self.active | {outlet_id for outlet_id, states in by_outlet.items() if states}
        rows = []
        for outlet_id in sorted(outlets):
            states = by_outlet.get(outlet_id, {})
            count = RateCount(states.get(REGISTERED_STATE, 0), sum(states.values()))
            rows.append((outlet_id, self.channels.get(outlet_id, ""), _region_of(outlet_id, self.units), count))
        return rows


def outlet_snapshot_rows() -> list[SnapshotRow]:
    """What a snapshot records now: every outlet that sells lines, with its channel, region and counts."""
    return _Outlets.now().rows(live_counts(OrgUnit.objects.values_list("id", flat=True)).by_outlet)


def estimated_snapshot_rows(moments: Sequence[datetime.datetime]) -> list[list[SnapshotRow]]:
    """What a snapshot would have recorded at each of ``moments`` (ascending), as far as the lines tell now: a line
    counts from its opening until its cancellation (a line's current status and registration state are all it
    keeps, see ``RealNameRateSnapshot``), in its current registration state.

    One pass over the lines: each adds one to its (outlet, state) from the first moment after its opening and takes
    it away again from the first moment after its cancellation.
    """
    steps: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * (len(moments) + 1))
    lines = Line.objects.filter(outlet_id__isnull=False).values_list(
        "outlet_id", "real_name_state", "opened_at", "status", "status_changed_at"
    )
    for outlet_id, state, opened_at, status, changed_at in lines.iterator(chunk_size=5000):
        first = bisect_right(moments, opened_at)
        last = len(moments) if status in COUNTED_STATUSES else bisect_right(moments, changed_at)
        if first < last:
            steps[(outlet_id, state)][first] += 1
            steps[(outlet_id, state)][last] -= 1
    per_moment: list[dict[int, dict[str, int]]] = [defaultdict(dict) for _ in moments]
    for (outlet_id, state), changes in steps.items():
        running = 0
        for index in range(len(moments)):
            running += changes[index]
            if running:
                per_moment[index][outlet_id][state] = running
    outlets = _Outlets.now()
    return [outlets.rows(by_outlet) for by_outlet in per_moment]
