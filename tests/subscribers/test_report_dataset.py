"""A small organisation with a known set of lines, shared by the report, agent, retention and inspection tests.

::

    provider                                  (no region code)
    ├── bj       branch                        110000 北京市
    │   ├── hall-a        own hall             110105 朝阳区   4 counted: 3 registered, 1 unit name (+1 cancelled)
    │   ├── hall-b        cooperating hall     110108 海淀区   3 counted: 2 registered, 1 holder not the user
    │   └── agent-x       agent                (inherits 110000)
    │       └── agent-x-shop  agent outlet     (inherits 110000) 3 counted: 1 registered (one-way suspended),
    │                                                            2 temporary accounts (+1 cancelled, incomplete)
    └── gd       branch                        440300 深圳市
        └── gd-online     online               440305 南山区   5 counted: 5 registered

15 lines counted, 11 registered: 73.33 %. The lines are taken over through ``line_take_over`` (the system).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers.models import Channel, Line, LineStatus
from regdesk.subscribers.services import HolderRecord, line_take_over, outlet_configure
from tests.accounts.helpers import make_unit, make_user

# (outlet, status, real-name state, how many)
LINES = [
    ("hall-a", "active", "registered", 3),
    ("hall-a", "active", "unit_name", 1),
    ("hall-a", "cancelled", "registered", 1),
    ("hall-b", "active", "registered", 2),
    ("hall-b", "two_way_suspended", "owner_not_user", 1),
    ("agent-x-shop", "one_way_suspended", "registered", 1),
    ("agent-x-shop", "unregistered", "temporary_account", 2),
    ("agent-x-shop", "cancelled", "incomplete", 1),
    ("gd-online", "active", "registered", 5),
]


@dataclass
class Dataset:
    units: dict[str, OrgUnit]
    users: dict[str, User]
    lines: dict[str, list[Line]] = field(default_factory=dict)


def holder(index: int = 0) -> HolderRecord:
    person = [p for p in reader_sim.sample_people() if p["status"] == "valid"][index]
    card = reader_sim.card_of(person)
    return HolderRecord(
        kind="individual", document_type="resident_id", number=card["id_number"], name=card["name"], address="-"
    )


def _unit(code: str, kind: str, parent: OrgUnit | None, region: str = "") -> OrgUnit:
    unit = make_unit(code, kind, parent=parent)
    if region:
        # Units come from configuration; no service sets the division code yet.
        OrgUnit.objects.filter(pk=unit.pk).update(region_code=region)
        unit.region_code = region
    return unit


def build_dataset() -> Dataset:
    provider = _unit("provider", UnitKind.PROVIDER, None)
    bj = _unit("bj", UnitKind.BRANCH, provider, "110000")
    gd = _unit("gd", UnitKind.BRANCH, provider, "440300")
    units = {
        "provider": provider,
        "bj": bj,
        "gd": gd,
        "hall-a": _unit("hall-a", UnitKind.OUTLET, bj, "110105"),
        "hall-b": _unit("hall-b", UnitKind.OUTLET, bj, "110108"),
        "agent-x": _unit("agent-x", UnitKind.AGENT, bj),
    }
    units["agent-x-shop"] = _unit("agent-x-shop", UnitKind.OUTLET, units["agent-x"])
    units["gd-online"] = _unit("gd-online", UnitKind.OUTLET, gd, "440305")
    for code, channel in [
        ("hall-a", Channel.OWN_HALL),
        ("hall-b", Channel.COOPERATING_HALL),
        ("agent-x", Channel.AGENT),
        ("agent-x-shop", Channel.AGENT),
        ("gd-online", Channel.ONLINE),
    ]:
        outlet_configure(actor=None, unit=units[code], channel=channel)
    users = {
        "compliance": make_user("compliance", (provider, Role.COMPLIANCE_OFFICER)),
        "auditor_gd": make_user("auditor-gd", (gd, Role.AUDITOR)),
        "manager_bj": make_user("manager-bj", (bj, Role.COUNTER_CLERK)),
        "clerk_a": make_user("clerk-a", (units["hall-a"], Role.COUNTER_CLERK)),
        "agent_staff": make_user("agent-staff", (units["agent-x"], Role.AGENT)),
        "owner": make_user("owner", (provider, Role.WEBSITE_OWNER)),
        "administrator": make_user("admin", (provider, Role.ADMINISTRATOR)),
    }
    dataset = Dataset(units=units, users=users)
    serial = 0
    for outlet, status, state, count in LINES:
        for _ in range(count):
            serial += 1
            line = line_take_over(
                actor=None,
                outlet=units[outlet],
                number=f"139{serial:08d}",
                line_kind="mobile",
                payment="prepaid",
                status=status,
                real_name_state=state,
                holder=holder() if state in ("registered", "owner_not_user") else None,
            )
            dataset.lines.setdefault(f"{outlet}:{status}:{state}", []).append(line)
    return dataset


@pytest.mark.django_db
def test_the_data_set_holds_fifteen_counted_lines_eleven_registered() -> None:
    build_dataset()
    counted = Line.objects.exclude(status=LineStatus.CANCELLED)
    assert counted.count() == 15
    assert counted.filter(real_name_state="registered").count() == 11
    assert Line.objects.filter(status=LineStatus.CANCELLED).count() == 2
