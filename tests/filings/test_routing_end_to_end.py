"""A new owner's filing from sign-up to record number, over sockets: the owner signs up and applies from a province
with no filings yet (Sichuan); the filing goes to the unit serving Sichuan, whose specialist finds it in the desk
queue and takes it through the on-site verification to the province; the provider uploads through its own
province's system (Beijing's, 接入地), and the record number carries the owner's province (蜀, 备案地). A Beijing
owner filed at the same time gets 京, each province counting its own serials."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.services import org_unit_served_regions_set, owner_account_create
from regdesk.filings.models import Filing, FilingState, Website
from regdesk.filings.services import (
    filing_draft_create,
    filing_onsite_notice_send,
    filing_onsite_verification_record,
    filing_submit,
    filing_submit_to_regulator,
    filings_poll,
)
from regdesk.simulators.province import config as province_config
from tests.accounts.helpers import make_unit, make_user
from tests.filings.builders import World, complete_onsite, contacts_verified, filing_json
from tests.filings.desk_support import desk_client, text
from tests.fixtures.simulators import (
    IdentitySimulatorHandle,
    ProvinceSimulatorHandle,
    ProvisioningSimulatorHandle,
    RegistrySimulatorHandle,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.filings.urls")]
BEIJING, CHENGDU = 1, 2  # known_enterprises(): 北京天行科技有限公司, 瀚海（成都）电子商务有限公司
SERIAL = re.compile(r"ICP备([0-9]{8})号")


@pytest.fixture
def outside(
    use_province_simulator: ProvinceSimulatorHandle,
    use_identity_simulator: IdentitySimulatorHandle,
    use_registry_simulator: RegistrySimulatorHandle,
    use_provisioning_simulator: ProvisioningSimulatorHandle,
    settings: Settings,
) -> ProvinceSimulatorHandle:
    """Every outside system on loopback; the provider's own province system is Beijing's and files its network."""
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    account: dict[str, Any] = {**province_config.DEFAULTS["accounts"][0], "filed_ip_ranges": ["192.88.99.0/24"]}
    use_province_simulator.configure(
        {"accounts": [account], "province": {"code": 110000, "authority": "北京市通信管理局"}}
    )
    return use_province_simulator


def _through_the_desk(
    world: World, filing: Filing, captured: DjangoCaptureOnCommitCallbacks, *, expected_queue: Client
) -> Filing:
    """What the serving unit's specialist does: find it in the queue, verify on site, submit to the province."""
    assert filing.case is not None
    queue = expected_queue.get("/desk/filings/")
    assert queue.status_code == 200
    assert filing.case.reference in text(queue)
    filing = filing_onsite_notice_send(actor=world.specialist, filing=contacts_verified(world, filing))
    filing = filing_onsite_verification_record(actor=world.specialist, filing=complete_onsite(world, filing))
    with captured(execute=True):
        return filing_submit_to_regulator(actor=world.specialist, filing=filing)


def test_a_new_sichuan_owner_is_served_by_the_sichuan_unit_and_filed_with_the_sichuan_number(
    world: World,
    outside: ProvinceSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    sichuan = make_unit("sc-branch", UnitKind.BRANCH, parent=world.provider)
    org_unit_served_regions_set(actor=None, unit=sichuan, served_regions="510000")
    sichuan_world = dataclasses.replace(world, specialist=make_user("specialist-sc", (sichuan, Role.SPECIALIST)))

    newcomer = owner_account_create(
        actor=None, username="chengdu-owner", email="owner@chengdu-example.cn", password="x-Long-pass-2026"
    )
    filing = filing_draft_create(actor=newcomer, data=filing_json(CHENGDU))
    filing = filing_submit(actor=newcomer, filing=filing)
    assert filing.state == FilingState.SUBMITTED
    assert filing.owner.unit == sichuan
    # The branch's specialist does not see it; Sichuan's does.
    assert filing.case is not None
    assert filing.case.reference not in text(desk_client(world.specialist).get("/desk/filings/"))
    sichuan_queue = desk_client(sichuan_world.specialist)
    page = sichuan_queue.get(f"/desk/filings/{filing.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "四川省通信管理局" in text(page)
    sichuan_filing = _through_the_desk(
        sichuan_world, filing, django_capture_on_commit_callbacks, expected_queue=sichuan_queue
    )

    beijing_owner_filing = filing_submit(
        actor=world.owner, filing=filing_draft_create(actor=world.owner, data=filing_json(BEIJING))
    )
    assert beijing_owner_filing.owner.unit == world.branch, "nobody serves Beijing here: the intake unit"
    beijing_filing = _through_the_desk(
        world, beijing_owner_filing, django_capture_on_commit_callbacks, expected_queue=desk_client(world.specialist)
    )

    assert outside.review_now() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert filings_poll() >= 1
    sichuan_filing.refresh_from_db()
    beijing_filing.refresh_from_db()
    assert (sichuan_filing.state, beijing_filing.state) == (FilingState.APPROVED, FilingState.APPROVED)
    sichuan_number = sichuan_filing.owner.record_number
    beijing_number = beijing_filing.owner.record_number
    assert sichuan_number.startswith("蜀ICP备"), sichuan_number
    assert beijing_number.startswith("京ICP备"), beijing_number
    sichuan_serial, beijing_serial = (SERIAL.search(number) for number in (sichuan_number, beijing_number))
    assert sichuan_serial is not None
    assert beijing_serial is not None
    assert sichuan_serial[1] == beijing_serial[1], "each province counts from the same seed"
    assert Website.objects.get(filing=sichuan_filing).record_number == f"{sichuan_number}-1"
