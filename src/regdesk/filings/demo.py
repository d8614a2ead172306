"""Demo data of ICP filing: owners in Beijing and one filing in every state of ``icp.new_filing``, each made
through the services (idempotent: an owner already there is left alone).

The people and enterprises are the identity and registry simulators' synthetic ones, so the on-site checks pass;
while the demo loads, both simulators run in this process on free loopback ports (the runner's simulators may not
be up yet). The regulator's answers of the approved and returned demo filings are recorded through the services
the download handlers call, with record numbers from a serial range the province simulator does not hand out.
Uploads are queued as usual: the worker sends them once it runs.

``regdesk.demo.loader`` calls ``load()``; it needs the demo accounts (``specialist``, ``owner``) and the unit
``bj-branch``.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from django.test.utils import override_settings
from PIL import Image, ImageDraw, ImageFont

from regdesk.accounts.models import OrgUnit, User
from regdesk.cases.services import case_transition
from regdesk.filings import config, services
from regdesk.filings.models import AttachmentKind, Filing, FilingState, Owner
from regdesk.rules.icp import format_record_number

UNIT = "bj-branch"
SPECIALIST = "specialist"
OWNER = "owner"
# Serials of the demo's record numbers: 10 digits, year-prefixed, far from the simulator's seed (18032650 and up).
SERIAL_BASE = 2026090000


@dataclass(frozen=True)
class DemoFiling:
    state: str
    person: int  # index among the identity simulator's people


DEMO = [
    DemoFiling(FilingState.DRAFT, 1),
    DemoFiling(FilingState.SUBMITTED, 2),
    DemoFiling(FilingState.NEEDS_CHANGES, 3),
    DemoFiling(FilingState.AWAITING_ONSITE, 4),
    DemoFiling(FilingState.VERIFIED, 5),
    DemoFiling(FilingState.SUBMITTED_TO_REGULATOR, 6),
    DemoFiling(FilingState.REGULATOR_RETURNED, 7),
    DemoFiling(FilingState.APPROVED, 8),
    DemoFiling(FilingState.REJECTED, 9),
    DemoFiling(FilingState.WITHDRAWN, 10),
    DemoFiling(FilingState.LAPSED, 11),
]
# Filings that reach the on-site verification need an owner the registry knows in the province of the demo
# provider (Beijing); the others take enterprises from elsewhere.
ONSITE_STATES = frozenset(
    {
        FilingState.VERIFIED,
        FilingState.SUBMITTED_TO_REGULATOR,
        FilingState.REGULATOR_RETURNED,
        FilingState.APPROVED,
    }
)


def _data_set(name: str) -> dict[str, Any]:
    import json

    text = resources.files("regdesk.simulators").joinpath("data", name).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _people() -> list[dict[str, Any]]:
    return [
        entry
        for entry in _data_set("identity-people.json")["people"]
        if entry["status"] == "valid" and not entry["photo_never_matches"] and "·" not in entry["name"]
    ]


def _enterprises() -> list[dict[str, Any]]:
    """The demo owners, in the order of ``DEMO``: active enterprises of the registry simulator (Beijing ones for
    the filings that reach the on-site verification)."""
    active = [
        entry
        for entry in _data_set("registry-enterprises.json")["enterprises"]
        if entry["status"] == "active" and entry["uscc"].startswith("91")
    ]
    beijing = iter([entry for entry in active if entry["uscc"][2:4] == "11"])
    elsewhere = iter([entry for entry in active if entry["uscc"][2:4] != "11"])
    return [next(beijing) if spec.state in ONSITE_STATES else next(elsewhere) for spec in DEMO]


def _addresses(count: int) -> list[str]:
    networks = [ipaddress.ip_network(text) for text in config.provider_networks()]
    hosts = [host for network in networks if network.version == 4 for host in network.hosts()]
    return [str(host) for host in hosts[20 : 20 + count]]


def filing_data(spec: DemoFiling, index: int) -> dict[str, Any]:
    """The application of one demo owner (a Beijing enterprise with one website on the provider's network)."""
    enterprise = _enterprises()[index]
    person = _people()[spec.person]
    region = enterprise["uscc"][2:8]
    core = enterprise["name"].removesuffix("股份有限公司").removesuffix("有限公司")
    address = _addresses(len(DEMO))[index]
    contact = {
        "name": person["name"],
        "document_type": 2,
        "document_number": person["id_number"],
        "office_phone": f"010-6{index:03d}8800",
        "mobile": f"1391000{index:04d}",
        "email": f"icp{index}@demo-owner{index}.cn",
    }
    return {
        "owner": {
            "name": enterprise["name"],
            "nature": 4,
            "certificate": {"type": 1, "number": enterprise["uscc"], "address": enterprise["address"]},
            "address": {
                "province": f"{region[:2]}0000",
                "city": f"{region[:4]}00",
                "county": region,
                "detail": enterprise["address"],
            },
            "investor": None,
            "person_in_charge": contact,
            "reporting_mode": 1,
        },
        "websites": [
            {
                "name": f"{core}官方网站",
                "homepage_url": f"https://www.demo-owner{index}.cn/",
                "domains": [f"demo-owner{index}.cn"],
                "service_contents": [2],
                "languages": [1],
                "person_in_charge": dict(contact),
                "access": [
                    {"method": 3, "server_location": "110105", "ip_ranges": [{"start": address, "end": address}]}
                ],
            }
        ],
    }


def _scan(title: str) -> bytes:
    """A stand-in scan of a document: a card with its title and the word SAMPLE."""
    image = Image.new("RGB", (1000, 630), (236, 240, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 980, 610), outline=(70, 90, 140), width=6)
    try:
        from regdesk.documents.fonts import find_cjk_font

        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(find_cjk_font()), 48, index=0)
    except Exception:  # a demo without the CJK font still gets its pictures
        font = ImageFont.load_default()
    draw.text((500, 250), title, font=font, fill=(40, 50, 80), anchor="mm")
    draw.text((500, 380), "样本 SAMPLE", font=font, fill=(180, 30, 30), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _photo() -> bytes:
    return resources.files("regdesk.filings").joinpath("data", "demo-photo.jpg").read_bytes()


@contextlib.contextmanager
def _checking_services() -> Iterator[None]:
    """The identity and registry simulators in this process, with the settings pointing at them."""
    from regdesk.simulators.identity import IdentitySimulator
    from regdesk.simulators.registry import RegistrySimulator

    with tempfile.TemporaryDirectory() as state_dir:
        identity = IdentitySimulator(host="127.0.0.1", port=0, state_dir=Path(state_dir))
        registry = RegistrySimulator(host="127.0.0.1", port=0)
        identity.start()
        registry.start()
        try:
            with override_settings(
                REGDESK_IDENTITY_GATEWAY_URL=identity.url, REGDESK_REGISTRY_GATEWAY_URL=registry.url
            ):
                yield
        finally:
            registry.stop()
            identity.stop()


def _onsite(specialist: User, filing: Filing) -> Filing:
    services.onsite_checklist_record(
        actor=specialist,
        filing=filing,
        originals={
            "owner_certificate": True,
            "person_in_charge_id": True,
            "website_person_in_charge_ids": True,
            "domain_certificates": True,
        },
    )
    services.onsite_photo_take(actor=specialist, filing=filing, content=_photo())
    services.onsite_photo_confirm(actor=specialist, filing=filing, face_matches=True)
    services.onsite_identity_check(actor=specialist, filing=filing)
    services.onsite_registry_check(actor=specialist, filing=filing)
    for kind, title in (
        (AttachmentKind.OWNER_CERTIFICATE, "营业执照"),
        (AttachmentKind.OWNER_PERSON_ID_FRONT, "居民身份证（人像面）"),
        (AttachmentKind.OWNER_PERSON_ID_BACK, "居民身份证（国徽面）"),
    ):
        services.onsite_copy_store(
            actor=specialist, filing=filing, kind=kind, filename=f"{kind}.jpg", content=_scan(title)
        )
    for website in filing.websites.all():
        services.onsite_copy_store(
            actor=specialist,
            filing=filing,
            kind=AttachmentKind.DOMAIN_CERTIFICATE,
            filename="domain.jpg",
            content=_scan("域名证书"),
            website=website,
        )
    services.onsite_form_generate(actor=specialist, filing=filing, place="北京市朝阳区 备案受理大厅")
    return services.filing_onsite_verification_record(actor=specialist, filing=filing)


def _to_state(spec: DemoFiling, index: int, specialist: User, owner: User, unit: OrgUnit) -> Filing:
    filing = services.filing_draft_create(actor=specialist, data=filing_data(spec, index), unit=unit, portal_user=owner)
    state = spec.state
    if state == FilingState.DRAFT:
        return filing
    if state == FilingState.WITHDRAWN:
        return services.filing_withdraw(actor=owner, filing=filing)
    filing = services.filing_submit(actor=owner, filing=filing)
    if state == FilingState.SUBMITTED:
        return filing
    if state == FilingState.NEEDS_CHANGES:
        return services.filing_return_for_changes(
            actor=specialist,
            filing=filing,
            reasons={
                "websites[0].name": "网站名称应体现网站内容，请修改。",
                "owner.address.detail": "请填写完整的通信地址。",
            },
        )
    if state == FilingState.REJECTED:
        return services.filing_reject(actor=specialist, filing=filing, reason="主办者证件已过有效期。")
    services.contact_phone_call_record(actor=specialist, filing=filing, outcome="confirmed", note="demo")
    filing = services.filing_onsite_notice_send(actor=specialist, filing=filing)
    if state == FilingState.AWAITING_ONSITE:
        _book_first_slot(owner, filing)
        return filing
    if state == FilingState.LAPSED:
        # What the clock sweep does when the five working days run out.
        case_transition(actor=None, case=filing.case, action="lapse", payload={"clock": "onsite", "rung": "breach"})  # type: ignore[arg-type]
        filing.refresh_from_db()
        return filing
    filing = _onsite(specialist, filing)
    if state == FilingState.VERIFIED:
        return filing
    filing = services.filing_submit_to_regulator(actor=specialist, filing=filing)
    if state == FilingState.REGULATOR_RETURNED:
        return services.filing_regulator_return_record(
            filing=filing,
            codes=[{"code": 1002, "description": "管局审核拒绝"}],
            opinion="网站名称与主办单位业务不符，请核实后重新报备。",
        )
    if state == FilingState.APPROVED:
        owner_number = format_record_number("110000", SERIAL_BASE + index)
        return services.filing_regulator_result_record(
            filing=filing,
            owner_record_number=owner_number,
            website_record_numbers={
                str(website.pk): f"{owner_number}-{position}"
                for position, website in enumerate(filing.websites.all(), start=1)
            },
            opinion="经审核，备案信息符合要求，同意备案。",
        )
    return filing


@dataclass(frozen=True)
class DemoOffice:
    unit: str
    name: str
    address: str
    opening_hours: str
    phone: str
    directions: str
    slots: tuple[tuple[str, str, int], ...]  # from, until, places; on every weekday Monday to Friday


OFFICES = [
    DemoOffice(
        UNIT,
        "北京分公司备案核验室",
        "北京市朝阳区建国路88号华信大厦3层302室",
        "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）",
        "010-6588 0000",
        "地铁1号线大望路站B口出，向东步行约300米。",
        (("09:00", "10:30", 2), ("10:30", "12:00", 2), ("13:30", "15:00", 2), ("15:00", "17:00", 2)),
    ),
    DemoOffice(
        "bj-chaoyang-hall",
        "朝阳大悦城营业厅（备案核验窗口）",
        "北京市朝阳区朝阳北路101号朝阳大悦城1层",
        "周一至周五 10:00–12:00，14:00–18:00（法定节假日除外）",
        "010-8555 1000",
        "",
        (("10:00", "12:00", 1), ("14:00", "16:00", 1), ("16:00", "18:00", 1)),
    ),
]


def load_offices(specialist: User) -> int:
    """The demo offices of the on-site verification with their weekday time slots (those missing); returns how
    many offices were created."""
    from datetime import time

    from regdesk.filings.models import OnsiteOffice, OnsiteSlot, Weekday
    from regdesk.filings.services.booking import onsite_office_save, onsite_slot_save

    created = 0
    for demo_office in OFFICES:
        unit = OrgUnit.objects.filter(code=demo_office.unit).first()
        if unit is None or OnsiteOffice.objects.filter(unit=unit, name=demo_office.name).exists():
            continue
        office = onsite_office_save(
            actor=specialist,
            office=OnsiteOffice(
                unit=unit,
                name=demo_office.name,
                address=demo_office.address,
                opening_hours=demo_office.opening_hours,
                phone=demo_office.phone,
                directions=demo_office.directions,
            ),
        )
        for weekday in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY):
            for starts, ends, places in demo_office.slots:
                onsite_slot_save(
                    actor=specialist,
                    slot=OnsiteSlot(
                        office=office,
                        weekday=weekday,
                        starts_at=time.fromisoformat(starts),
                        ends_at=time.fromisoformat(ends),
                        capacity=places,
                    ),
                )
        created += 1
    return created


def _book_first_slot(owner: User, filing: Filing) -> None:
    """The awaiting demo filing books the first free slot, so that the desk's appointments show one."""
    from regdesk.filings.onsite_schedule import available_slots

    options = available_slots(filing)
    if options:
        services.onsite_booking_make(actor=owner, filing=filing, slot_id=options[0].slot_id, day=options[0].day)


def load() -> dict[str, int]:
    """Create the demo offices and filings that are missing; returns how many were created and how many exist."""
    specialist = User.objects.filter(username=SPECIALIST).first()
    owner = User.objects.filter(username=OWNER).first()
    unit = OrgUnit.objects.filter(code=UNIT).first()
    if specialist is None or owner is None or unit is None:
        return {"created": 0, "filings": Filing.objects.count()}
    load_offices(specialist)
    enterprises = _enterprises()
    missing = [
        (index, spec)
        for index, spec in enumerate(DEMO)
        if not Owner.objects.filter(public_name=enterprises[index]["name"]).exists()
    ]
    created = 0
    if missing:
        with _checking_services():
            for index, spec in missing:
                _to_state(spec, index, specialist, owner, unit)
                created += 1
    return {"created": created, "filings": Filing.objects.count()}
