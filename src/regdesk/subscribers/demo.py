"""Demo data of real-name registration: outlets with enrolled card readers, agents (one suspended), subscribers and
lines in every status and registration state, opened over the past year, registrations at the counter, and the
real-name rate's daily snapshots back-filled over the report's default period. Idempotent; through the services.

Runs after the accounts demo (``regdesk.demo.accounts``), whose units and users it builds on. Reader keys are kept
under ``var/readers`` so that ``regdesk reader-sim read --device <id>`` reads cards on the demo readers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import UnitKind
from regdesk.accounts.services import org_unit_create
from regdesk.privacy.crypto import blind_index
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers.config import report_default_months
from regdesk.subscribers.models import Agent, AgentStatus, CardReader, Channel, Line, Registration
from regdesk.subscribers.reports.forms import months_back
from regdesk.subscribers.reports.services import rate_snapshot_backfill
from regdesk.subscribers.services import (
    HolderRecord,
    LineRequest,
    agent_status_set,
    line_take_over,
    outlet_configure,
    reader_enrol,
    registration_refuse,
    registration_start,
)

DEMO_READER_LABEL = "demo reader"


@dataclass(frozen=True)
class DemoOutlet:
    code: str
    name: str
    kind: str
    parent: str
    channel: str
    reader: bool


OUTLETS = [
    DemoOutlet("bj-chaoyang-hall", "朝阳大悦城营业厅", UnitKind.OUTLET, "bj-branch", Channel.OWN_HALL, True),
    DemoOutlet("bj-haidian-hall", "海淀合作营业厅", UnitKind.OUTLET, "bj-branch", Channel.COOPERATING_HALL, True),
    DemoOutlet("bj-online", "网上营业厅", UnitKind.OUTLET, "bj-branch", Channel.ONLINE, False),
    DemoOutlet("agent-xinda", "信达通讯（代理商）", UnitKind.AGENT, "bj-branch", Channel.AGENT, False),
    DemoOutlet("agent-xinda-shop", "信达通讯中关村店", UnitKind.OUTLET, "agent-xinda", Channel.AGENT, True),
    DemoOutlet("agent-hengtong", "恒通卡号（代理商，已暂停）", UnitKind.AGENT, "bj-branch", Channel.AGENT, False),
    DemoOutlet("agent-hengtong-shop", "恒通卡号西单店", UnitKind.OUTLET, "agent-hengtong", Channel.AGENT, True),
]
SUSPENDED_AGENT = "agent-hengtong"
# An enterprise of the registry simulator's data set, for a group line under a unit's name.
DEMO_ENTERPRISE = ("91310110MAPF9TJ48D", "上海青禾软件有限公司", "上海市杨浦区国定路1号")


@dataclass(frozen=True)
class DemoLine:
    number: str
    outlet: str
    kind: str
    payment: str
    status: str
    real_name_state: str
    holder: int | None  # index into the sample cardholders; -1 for the demo enterprise
    installation_address: str = ""
    # Opened this many days before the load: the back-filled snapshots then draw a rate that moves over the year.
    opened_days_ago: int = 0


LINES = [
    DemoLine("13800100001", "bj-chaoyang-hall", "mobile", "postpaid", "active", "registered", 0, opened_days_ago=390),
    DemoLine("13800100002", "bj-chaoyang-hall", "data_card", "prepaid", "active", "registered", 0, opened_days_ago=150),
    DemoLine("13800100003", "bj-haidian-hall", "mobile", "prepaid", "active", "registered", 1, opened_days_ago=90),
    DemoLine(
        "01062001234",
        "bj-chaoyang-hall",
        "fixed",
        "postpaid",
        "active",
        "registered",
        1,
        "北京市朝阳区建国路88号",
        opened_days_ago=40,
    ),
    DemoLine("13800100004", "agent-xinda-shop", "mobile", "prepaid", "cancelled", "registered", 2, opened_days_ago=250),
    # The four groups of lines without a proper registration (DOMAIN.md §2), at each step of the remedy.
    DemoLine(
        "13800100005",
        "agent-hengtong-shop",
        "mobile",
        "prepaid",
        "unregistered",
        "temporary_account",
        None,
        opened_days_ago=420,
    ),
    DemoLine(
        "13800100006",
        "agent-hengtong-shop",
        "mobile",
        "prepaid",
        "one_way_suspended",
        "incomplete",
        None,
        opened_days_ago=380,
    ),
    DemoLine(
        "13800100007",
        "bj-haidian-hall",
        "mobile",
        "prepaid",
        "two_way_suspended",
        "owner_not_user",
        3,
        opened_days_ago=300,
    ),
    DemoLine("13800100008", "bj-chaoyang-hall", "mobile", "postpaid", "active", "unit_name", -1, opened_days_ago=200),
]


def _units() -> dict[str, OrgUnit]:
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    created = 0
    for demo in OUTLETS:
        if demo.code not in units and demo.parent in units:
            units[demo.code] = org_unit_create(
                actor=None, code=demo.code, name=demo.name, kind=demo.kind, parent=units[demo.parent]
            )
            created += 1
    return units


def _reader(outlet: OrgUnit, keys_dir: Path) -> int:
    """Enrol a demo reader at the outlet unless one with its key under ``keys_dir`` is active there."""
    for reader in CardReader.objects.filter(outlet=outlet, active=True, label=DEMO_READER_LABEL):
        if (keys_dir / f"{reader.device_id}.key").exists():
            return 0
    details = reader_sim.new_device(keys_dir, outlet.code)
    reader_enrol(actor=None, outlet=outlet, public_key=details["public_key"], label=DEMO_READER_LABEL)
    return 1


def _holder(index: int | None) -> HolderRecord | None:
    if index is None:
        return None
    if index < 0:
        number, name, address = DEMO_ENTERPRISE
        return HolderRecord(kind="organisation", document_type="uscc", number=number, name=name, address=address)
    person = [p for p in reader_sim.sample_people() if p["status"] == "valid"][index]
    card = reader_sim.card_of(person)
    return HolderRecord(
        kind="individual",
        document_type="resident_id",
        number=card["id_number"],
        name=card["name"],
        address=card["address"],
    )


def _lines(units: dict[str, OrgUnit]) -> int:
    now = timezone.now()
    created = 0
    for demo in LINES:
        if (
            demo.outlet not in units
            or Line.objects.filter(number_index=blind_index(demo.number, domain="phone")).exists()
        ):
            continue
        line_take_over(
            actor=None,
            outlet=units[demo.outlet],
            number=demo.number,
            line_kind=demo.kind,
            payment=demo.payment,
            status=demo.status,
            real_name_state=demo.real_name_state,
            holder=_holder(demo.holder),
            installation_address=demo.installation_address,
            opened_at=now - datetime.timedelta(days=demo.opened_days_ago),
        )
        created += 1
    return created


def _registrations(units: dict[str, OrgUnit]) -> int:
    """A registration refused at the counter (no ID shown) and one waiting for the customer's card."""
    clerk = User.objects.filter(username="clerk").first()
    outlet = units.get("bj-chaoyang-hall")
    if clerk is None or outlet is None:
        return 0
    created = 0
    for number, refuse in (("13800100101", True), ("13800100102", False)):
        if Registration.objects.filter(requested_number_index=blind_index(number, domain="phone")).exists():
            continue
        registration = registration_start(
            actor=clerk,
            outlet=outlet,
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number=number),
        )
        if refuse:
            registration_refuse(actor=clerk, registration=registration, reason="no_id_shown")
        created += 1
    return created


def _snapshots() -> int:
    """Back-fill the daily rate snapshots over the report's default period up to yesterday, so that a new
    installation's trend chart has a point on every day (the daily task records today and the days to come)."""
    today = timezone.localdate()
    if not Line.objects.exists():
        return 0
    return rate_snapshot_backfill(actor=None, date_from=months_back(today, report_default_months() - 1))


def load() -> dict[str, int]:
    """Load the demo data that is missing; returns what was created."""
    units = _units()
    keys_dir = Path(settings.VAR_DIR) / "readers"
    outlets = readers = 0
    for demo in OUTLETS:
        unit = units.get(demo.code)
        if unit is None:
            continue
        if not hasattr(unit, "outlet_profile"):
            outlet_configure(actor=None, unit=unit, channel=demo.channel)
            outlets += 1
        if demo.reader:
            readers += _reader(unit, keys_dir)
    suspended = units.get(SUSPENDED_AGENT)
    if suspended is not None and not Agent.objects.filter(unit=suspended, status=AgentStatus.SUSPENDED).exists():
        agent_status_set(
            actor=None,
            agent_unit=suspended,
            status=AgentStatus.SUSPENDED,
            reason="少数证件名下批量开卡，正在调查（演示数据）。",
        )
    lines = _lines(units)
    return {
        "outlets_configured": outlets,
        "readers_enrolled": readers,
        "lines_created": lines,
        "registrations_created": _registrations(units),
        "snapshot_days_backfilled": _snapshots(),
    }
