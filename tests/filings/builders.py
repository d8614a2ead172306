"""Builders of the ICP filing tests: the unit tree, valid filing data, and filings in each state (through the
services). The default owner and person are the registry's and the identity simulator's "match" examples, so the
on-site checks against the simulators pass for them."""

from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from PIL import Image
from skimage import data as pictures

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.cases.models import Case
from regdesk.filings.models import AttachmentKind, Filing
from regdesk.filings.services import (
    contact_phone_call_record,
    filing_draft_create,
    filing_onsite_notice_send,
    filing_onsite_verification_record,
    filing_submit,
    onsite_checklist_record,
    onsite_copy_store,
    onsite_form_generate,
    onsite_identity_check,
    onsite_photo_confirm,
    onsite_photo_take,
    onsite_registry_check,
)
from regdesk.rules.identity.checksums import mod_11_2_check, organization_code_check, uscc_check
from regdesk.simulators import data as simulator_data
from tests.accounts.helpers import make_unit, make_user

# The registry simulator's "match" enterprise and its legal representative, who is in the identity data set.
OWNER_NAME = "上海青禾软件有限公司"
OWNER_USCC = "91310110MAPF9TJ48D"
PERSON_NAME = "张帅"
PERSON_ID = "320831197308202739"


@dataclass
class World:
    provider: OrgUnit
    branch: OrgUnit
    other_branch: OrgUnit
    specialist: User  # specialist of the branch (the intake unit)
    compliance: User  # compliance officer of the provider
    other_specialist: User  # specialist of another branch: cannot see the branch's filings
    auditor: User
    owner: User  # a website owner (portal user)
    other_owner: User  # another website owner


def make_world() -> World:
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("branch", UnitKind.BRANCH, parent=provider)
    other_branch = make_unit("other-branch", UnitKind.BRANCH, parent=provider)
    return World(
        provider=provider,
        branch=branch,
        other_branch=other_branch,
        specialist=make_user("specialist", (branch, Role.SPECIALIST)),
        compliance=make_user("compliance", (provider, Role.COMPLIANCE_OFFICER)),
        other_specialist=make_user("specialist-b", (other_branch, Role.SPECIALIST)),
        auditor=make_user("auditor", (provider, Role.AUDITOR)),
        owner=make_user("owner", (provider, Role.WEBSITE_OWNER)),
        other_owner=make_user("owner-b", (provider, Role.WEBSITE_OWNER)),
    )


def case_of(filing: Filing) -> Case:
    """The filing's case (every filing has one)."""
    assert filing.case is not None
    return filing.case


def resident_id(sequence: int, *, region: str = "320831", birth: str = "19730820") -> str:
    """A valid 18-digit resident ID number (GB 11643) that nobody holds unless the identity data set says so."""
    body = f"{region}{birth}{sequence:03d}"
    return body + mod_11_2_check(body)


def uscc(index: int, *, region: str = "310110") -> str:
    """A valid unified social credit code of an enterprise (category 91) registered in ``region``."""
    organisation = f"MA{index:06d}"
    body = f"91{region}{organisation}{organization_code_check(organisation)}"
    return body + uscc_check(body)


@cache
def _data_set(name: str) -> dict[str, Any]:
    with open(f"{simulator_data.__path__[0]}/{name}", encoding="utf-8") as handle:
        result: dict[str, Any] = json.load(handle)
    return result


def known_people() -> list[dict[str, Any]]:
    """People of the identity simulator whose photo checks pass."""
    return [
        entry
        for entry in _data_set("identity-people.json")["people"]
        if entry["status"] == "valid" and not entry["photo_never_matches"] and "·" not in entry["name"]
    ]


def known_enterprises() -> list[dict[str, Any]]:
    """Active enterprises of the registry simulator (category 91)."""
    return [
        entry
        for entry in _data_set("registry-enterprises.json")["enterprises"]
        if entry["status"] == "active" and entry["uscc"].startswith("91")
    ]


def person(index: int = 0) -> dict[str, Any]:
    """The person in charge of owner ``index``: someone the identity simulator knows."""
    entry = known_people()[index]
    name, number = entry["name"], entry["id_number"]
    return {
        "name": name,
        "document_type": 2,
        "document_number": number,
        "office_phone": "021-65432100",
        "mobile": f"1381234{index:04d}",
        "email": f"person{index}@example-owner{index}.cn",
    }


def filing_json(index: int = 0, *, websites: int = 1) -> dict[str, Any]:
    """Valid data of a new filing: an enterprise in Shanghai (Yangpu) with ``websites`` websites on the provider's
    filed network. ``index`` varies the owner, its domains and its contacts."""
    enterprise = known_enterprises()[index]
    core = enterprise["name"].removesuffix("股份有限公司").removesuffix("有限公司")
    region = enterprise["uscc"][2:8]
    contact = person(index)
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
            "investor": "上海投资有限公司",
            "person_in_charge": contact,
            "reporting_mode": 1,
            "remarks": None,
        },
        "websites": [
            {
                "name": f"{core}官方网站" if site == 0 else f"{core}技术博客",
                "homepage_url": f"https://www.owner{index}-site{site}.cn/",
                "domains": [f"owner{index}-site{site}.cn"],
                "service_contents": [2],
                "languages": [1],
                "person_in_charge": copy.deepcopy(contact),
                "access": [
                    {
                        "method": 3,
                        "server_location": region,
                        "ip_ranges": [{"start": f"192.88.99.{10 + site}", "end": f"192.88.99.{10 + site}"}],
                    }
                ],
            }
            for site in range(websites)
        ],
    }


# --------------------------------------------------------------------------------------------------------------
# Pictures


def _jpeg(pixels: np.ndarray, **options: Any) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


@cache
def photo() -> bytes:
    """A full-face colour photo on the provider's backdrop, 1024×768 (scikit-image's astronaut)."""
    face = np.asarray(pictures.astronaut())  # type: ignore[no-untyped-call]
    canvas = np.zeros((768, 1024, 3), np.uint8)
    canvas[:] = (38, 84, 150)
    top, left = (768 - face.shape[0]) // 2, (1024 - face.shape[1]) // 2
    canvas[top : top + face.shape[0], left : left + face.shape[1]] = face
    return _jpeg(canvas)


@cache
def coffee() -> bytes:
    """A colour picture without a face, large enough (scikit-image's coffee, 1200×800)."""
    pixels = np.asarray(pictures.coffee())  # type: ignore[no-untyped-call]
    return _jpeg(np.asarray(Image.fromarray(pixels).resize((1200, 800))))


@cache
def scan() -> bytes:
    """A colour scan of a document (noise, 1600×1000: larger than the interface's 100 K once encoded)."""
    rng = np.random.default_rng(7)
    return _jpeg(rng.integers(0, 255, (1000, 1600, 3), dtype=np.uint8))


# --------------------------------------------------------------------------------------------------------------
# Filings in each state


def draft(world: World, index: int = 0, *, actor: User | None = None, websites: int = 1) -> Filing:
    return filing_draft_create(actor=actor or world.owner, data=filing_json(index, websites=websites))


def submitted(world: World, index: int = 0, *, websites: int = 1) -> Filing:
    filing = draft(world, index, websites=websites)
    return filing_submit(actor=world.owner, filing=filing)


def contacts_verified(world: World, filing: Filing) -> Filing:
    contact_phone_call_record(actor=world.specialist, filing=filing, outcome="confirmed")
    return filing


def awaiting_onsite(world: World, index: int = 0, *, websites: int = 1) -> Filing:
    filing = contacts_verified(world, submitted(world, index, websites=websites))
    return filing_onsite_notice_send(actor=world.specialist, filing=filing)


def complete_onsite(world: World, filing: Filing, *, form: bool = True) -> Filing:
    """Every part of the on-site verification (needs the identity and registry simulators)."""
    specialist = world.specialist
    onsite_checklist_record(
        actor=specialist,
        filing=filing,
        originals={
            "owner_certificate": True,
            "person_in_charge_id": True,
            "website_person_in_charge_ids": True,
            "domain_certificates": True,
        },
    )
    onsite_photo_take(actor=specialist, filing=filing, content=photo())
    onsite_photo_confirm(actor=specialist, filing=filing, face_matches=True)
    onsite_identity_check(actor=specialist, filing=filing)
    onsite_registry_check(actor=specialist, filing=filing)
    for kind in (
        AttachmentKind.OWNER_CERTIFICATE,
        AttachmentKind.OWNER_PERSON_ID_FRONT,
        AttachmentKind.OWNER_PERSON_ID_BACK,
    ):
        onsite_copy_store(actor=specialist, filing=filing, kind=kind, filename=f"{kind}.jpg", content=scan())
    for website in filing.websites.all():
        onsite_copy_store(
            actor=specialist,
            filing=filing,
            kind=AttachmentKind.DOMAIN_CERTIFICATE,
            filename="domain.jpg",
            content=scan(),
            website=website,
        )
    if form:
        onsite_form_generate(actor=specialist, filing=filing, place="上海市杨浦区国定路200号 营业厅")
    return filing


def verified(world: World, index: int = 0, *, websites: int = 1) -> Filing:
    filing = complete_onsite(world, awaiting_onsite(world, index, websites=websites))
    return filing_onsite_verification_record(actor=world.specialist, filing=filing)
