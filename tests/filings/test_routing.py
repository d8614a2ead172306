"""Where a filing goes: the unit serving the owner's region, the default intake unit, the compliance officer's
reassignment (service, desk, API), the alert about a filing no specialist can see, and the administration that
reviews it (备案地省管局)."""

from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django import Settings

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.services import org_unit_served_regions_set
from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case, Notice
from regdesk.filings.desk.access import desk_filings
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.permissions import routing_summary, serving_unit
from regdesk.filings.services import filing_draft_create, filing_draft_update, filing_return_for_changes, filing_submit
from regdesk.filings.services.routing import filing_reassign, unreachable_filings_alert
from tests.accounts.helpers import make_unit, make_user
from tests.filings.builders import World, case_of, filing_json
from tests.filings.desk_support import desk_client, text, url

pytestmark = pytest.mark.django_db

BEIJING = 1  # known_enterprises()[1]: 北京天行科技有限公司 (110106)
CHENGDU = 2  # known_enterprises()[2]: 瀚海（成都）电子商务有限公司 (510116)


@dataclass
class Regions:
    sichuan: OrgUnit  # serves the province of Sichuan
    chengdu: OrgUnit  # serves the city of Chengdu (more precise)
    sichuan_specialist: User
    chengdu_specialist: User
    chengdu_compliance: User  # compliance officer of the Chengdu unit only


@pytest.fixture
def regions(world: World) -> Regions:
    sichuan = make_unit("sc-branch", UnitKind.BRANCH, parent=world.provider)
    chengdu = make_unit("cd-branch", UnitKind.BRANCH, parent=world.provider)
    org_unit_served_regions_set(actor=None, unit=sichuan, served_regions="510000")
    org_unit_served_regions_set(actor=None, unit=chengdu, served_regions="510100, 500000")
    return Regions(
        sichuan=sichuan,
        chengdu=chengdu,
        sichuan_specialist=make_user("specialist-sc", (sichuan, Role.SPECIALIST)),
        chengdu_specialist=make_user("specialist-cd", (chengdu, Role.SPECIALIST)),
        chengdu_compliance=make_user("compliance-cd", (chengdu, Role.COMPLIANCE_OFFICER)),
    )


def _unit_of(filing: Filing) -> tuple[str, str]:
    """The unit of the filing's owner and of its case, read afresh."""
    fresh = Filing.objects.select_related("owner__unit", "case__unit").get(pk=filing.pk)
    return fresh.owner.unit.code, case_of(fresh).unit.code


def _unreachable_notices() -> list[Notice]:
    return list(Notice.objects.filter(template="filings_unreachable").order_by("pk"))


# --------------------------------------------------------------------------------------------------------------
# Routing by region


def test_an_owners_filing_goes_to_the_unit_that_serves_the_owners_region_most_precisely(
    world: World, regions: Regions
) -> None:
    filing = filing_draft_create(actor=world.owner, data=filing_json(CHENGDU))
    assert _unit_of(filing) == ("cd-branch", "cd-branch"), "Chengdu's unit before Sichuan's"
    assert serving_unit("510704") == regions.sichuan, "elsewhere in Sichuan: the province's unit"
    assert serving_unit("500101") == regions.chengdu
    assert serving_unit("440300") is None
    # The Chengdu specialist finds it in the queue; the branch's and Sichuan's do not.
    assert filing in desk_filings(regions.chengdu_specialist)
    assert filing not in desk_filings(world.specialist)
    assert filing not in desk_filings(regions.sichuan_specialist)


def test_without_an_address_the_certificate_gives_the_region(world: World, regions: Regions) -> None:
    data = filing_json(CHENGDU)
    data["owner"]["address"] = {"province": None, "city": None, "county": None, "detail": None}
    filing = filing_draft_create(actor=world.owner, data=data)
    assert _unit_of(filing) == ("cd-branch", "cd-branch"), "USCC characters 3-8: 510116"


def test_an_owner_in_a_region_nobody_serves_goes_to_the_default_intake_unit(
    world: World, regions: Regions, settings: Settings
) -> None:
    filing = filing_draft_create(actor=world.owner, data=filing_json(BEIJING))
    assert _unit_of(filing) == ("branch", "branch"), "REGDESK_ICP_INTAKE_UNIT"
    assert filing in desk_filings(world.specialist)
    assert _unreachable_notices() == [], "the intake unit has a specialist"


def test_a_specialists_entry_stays_in_the_specialists_unit(world: World, regions: Regions) -> None:
    filing = filing_draft_create(
        actor=world.specialist, data=filing_json(CHENGDU), unit=world.branch, portal_user=world.owner
    )
    filing = filing_submit(actor=world.owner, filing=filing)
    assert _unit_of(filing) == ("branch", "branch")


def test_the_submission_routes_by_the_region_the_owner_filled_in_since(world: World, regions: Regions) -> None:
    """An owner's draft without province or certificate lands in the intake unit; once the owner gives a Chengdu
    address and submits, the filing goes to Chengdu's unit, and its specialist can act on it."""
    complete = filing_json(CHENGDU)
    partial = copy.deepcopy(complete)
    partial["owner"]["address"] = {"province": None, "city": None, "county": None, "detail": None}
    partial["owner"]["certificate"]["number"] = None
    filing = filing_draft_create(actor=world.owner, data=partial)
    assert _unit_of(filing) == ("branch", "branch")
    filing_draft_update(actor=world.owner, filing=filing, data=complete)
    filing = filing_submit(actor=world.owner, filing=filing)
    assert filing.state == FilingState.SUBMITTED
    assert _unit_of(filing) == ("cd-branch", "cd-branch")
    assert AuditEvent.objects.filter(action="filing.route", object_id=str(filing.pk)).count() == 1
    filing_return_for_changes(actor=regions.chengdu_specialist, filing=filing, reasons={"websites[0].name": "请修改"})
    with pytest.raises(FilingRefused):
        filing_return_for_changes(actor=world.specialist, filing=filing, reasons={"websites[0].name": "请修改"})


# --------------------------------------------------------------------------------------------------------------
# The stranded filing and the alert


def test_a_filing_no_specialist_can_see_alerts_the_compliance_officers_over_its_unit_once(
    world: World, settings: Settings
) -> None:
    """The reported case: no intake unit, so the owner's application lands in the provider's root, where no
    specialist works. Compliance hears of it when it is created, not again when it is submitted or checked daily."""
    settings.REGDESK_ICP_INTAKE_UNIT = ""
    filing = filing_draft_create(actor=world.owner, data=filing_json(BEIJING))
    assert _unit_of(filing) == ("provider", "provider")
    [notice] = _unreachable_notices()
    assert notice.case_id == filing.case_id
    assert notice.channel == "email"
    filing_submit(actor=world.owner, filing=filing)
    output = io.StringIO()
    call_command("filings", "routing-check", stdout=output)
    assert "1 seen by no specialist" in output.getvalue()
    assert len(_unreachable_notices()) == 1
    assert routing_summary(Filing.objects.get(pk=filing.pk))["specialists_reach"] is False


def test_the_daily_check_finds_a_filing_whose_only_specialist_left(world: World, regions: Regions) -> None:
    from regdesk.accounts.services import membership_revoke

    filing = filing_draft_create(actor=world.owner, data=filing_json(CHENGDU))
    assert _unreachable_notices() == []
    membership = regions.chengdu_specialist.memberships.get(role=Role.SPECIALIST)
    membership_revoke(actor=None, membership=membership)
    report = unreachable_filings_alert()
    assert report == {"checked": 1, "unreachable": 1, "queued": 2}, "the provider's and Chengdu's officers"
    assert {notice.case_id for notice in _unreachable_notices()} == {filing.case_id}
    assert unreachable_filings_alert()["queued"] == 2, "queued again, but the outbox keeps one per key"
    assert len(_unreachable_notices()) == 2


# --------------------------------------------------------------------------------------------------------------
# Reassignment


def test_a_compliance_officer_over_both_units_reassigns_a_stranded_filing(
    world: World, regions: Regions, settings: Settings
) -> None:
    settings.REGDESK_ICP_INTAKE_UNIT = ""
    filing = filing_submit(actor=world.owner, filing=filing_draft_create(actor=world.owner, data=filing_json(0)))
    assert _unit_of(filing) == ("provider", "provider"), "a Shanghai owner: nobody serves Shanghai"
    filing = filing_reassign(actor=world.compliance, filing=filing, unit=world.branch, reason="上海的申请由分公司受理")
    assert _unit_of(filing) == ("branch", "branch")
    event = AuditEvent.objects.get(action="filing.reassign", object_id=str(filing.pk))
    assert event.changes["unit"] == ["provider", "branch"]
    assert event.changes["reason"] == "上海的申请由分公司受理"
    # The branch's specialist finds it and can act; the other branch's cannot see it.
    assert filing in desk_filings(world.specialist)
    assert filing not in desk_filings(world.other_specialist)
    filing_return_for_changes(actor=world.specialist, filing=filing, reasons={"websites[0].name": "请修改"})


@pytest.mark.parametrize("who", ["chengdu_compliance", "specialist", "auditor", "owner", "other_specialist"])
def test_nobody_else_may_reassign_and_a_refusal_changes_nothing(
    world: World, regions: Regions, settings: Settings, who: str
) -> None:
    settings.REGDESK_ICP_INTAKE_UNIT = ""
    filing = filing_submit(actor=world.owner, filing=filing_draft_create(actor=world.owner, data=filing_json(0)))
    actor = getattr(regions, who) if who == "chengdu_compliance" else getattr(world, who)
    before = (_unit_of(filing), AuditEvent.objects.count(), Case.objects.get(pk=case_of(filing).pk).updated_at)
    with pytest.raises(FilingRefused) as refused:
        filing_reassign(actor=actor, filing=filing, unit=regions.chengdu, reason="移交成都分公司")
    assert refused.value.code == "role"
    after = (_unit_of(filing), AuditEvent.objects.count(), Case.objects.get(pk=case_of(filing).pk).updated_at)
    assert after == before


def test_a_compliance_officer_of_one_unit_only_cannot_take_a_filing_from_another(
    world: World, regions: Regions
) -> None:
    """Over the target (Chengdu) but not over the source (Sichuan's unit): refused."""
    data = filing_json(CHENGDU)
    org_unit_served_regions_set(actor=None, unit=regions.chengdu, served_regions="500000")
    filing = filing_draft_create(actor=world.owner, data=data)
    assert _unit_of(filing) == ("sc-branch", "sc-branch")
    with pytest.raises(FilingRefused):
        filing_reassign(actor=regions.chengdu_compliance, filing=filing, unit=regions.chengdu, reason="由成都受理")
    assert _unit_of(filing) == ("sc-branch", "sc-branch")


def test_a_reassignment_needs_a_reason_an_active_other_unit_and_an_open_filing(world: World, regions: Regions) -> None:
    filing = filing_draft_create(actor=world.owner, data=filing_json(CHENGDU))
    for unit, reason, code in (
        (regions.sichuan, " 短 ", "reason"),
        (regions.chengdu, "原地不动的理由", "unit"),
    ):
        with pytest.raises(FilingRefused) as refused:
            filing_reassign(actor=world.compliance, filing=filing, unit=unit, reason=reason)
        assert refused.value.code == code
    regions.sichuan.active = False
    regions.sichuan.save()
    with pytest.raises(FilingRefused) as refused:
        filing_reassign(actor=world.compliance, filing=filing, unit=regions.sichuan, reason="移交四川分公司")
    assert refused.value.code == "unit"
    Filing.objects.filter(pk=filing.pk).update(state=FilingState.WITHDRAWN)
    with pytest.raises(FilingRefused) as refused:
        filing_reassign(actor=world.compliance, filing=filing, unit=world.branch, reason="移交分公司处理")
    assert refused.value.code == "wrong_state"
    assert _unit_of(filing) == ("cd-branch", "cd-branch")


def test_a_filing_placed_by_compliance_is_not_routed_again_on_submission(world: World, regions: Regions) -> None:
    filing = filing_draft_create(actor=world.owner, data=filing_json(CHENGDU))
    filing_reassign(actor=world.compliance, filing=filing, unit=regions.sichuan, reason="由四川分公司统一受理")
    filing = filing_submit(actor=world.owner, filing=filing)
    assert _unit_of(filing) == ("sc-branch", "sc-branch")


def test_reassigning_to_a_unit_without_specialists_alerts_compliance(world: World, regions: Regions) -> None:
    filing = filing_draft_create(actor=world.owner, data=filing_json(CHENGDU))
    empty = make_unit("empty-branch", UnitKind.BRANCH, parent=world.provider)
    filing_reassign(actor=world.compliance, filing=filing, unit=empty, reason="测试空单位提醒")
    assert [notice.case_id for notice in _unreachable_notices()] == [filing.case_id]


def test_the_desk_shows_the_unit_and_the_reviewing_administration_and_reassigns(world: World, regions: Regions) -> None:
    filing = filing_submit(actor=world.owner, filing=filing_draft_create(actor=world.owner, data=filing_json(CHENGDU)))
    client = desk_client(world.compliance)
    page = client.get(url(filing), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    shown = text(page)
    assert "四川省通信管理局" in shown
    assert "蜀ICP备" in shown
    assert regions.chengdu.name in shown
    assert 'data-testid="reassign-form"' in page.content.decode()
    refused = client.post(url(filing, "reassign/"), {"unit": "sc-branch", "reason": "短"})
    assert refused.status_code == 422
    assert _unit_of(filing) == ("cd-branch", "cd-branch")
    moved = client.post(url(filing, "reassign/"), {"unit": "sc-branch", "reason": "由四川分公司统一受理"})
    assert moved.status_code == 302
    assert _unit_of(filing) == ("sc-branch", "sc-branch")
    # A specialist sees the panel without the form, and may not post it.
    specialist = desk_client(regions.sichuan_specialist)
    specialist_page = specialist.get(url(filing))
    assert 'data-testid="reassign-form"' not in specialist_page.content.decode()
    assert "转交其他单位" in text(specialist_page), "the move is in the history, in words"
    assert specialist.post(url(filing, "reassign/"), {"unit": "cd-branch", "reason": "移回成都"}).status_code == 403
    assert _unit_of(filing) == ("sc-branch", "sc-branch")


def test_the_api_reassigns_and_shows_the_routing(world: World, regions: Regions) -> None:
    filing = filing_submit(actor=world.owner, filing=filing_draft_create(actor=world.owner, data=filing_json(CHENGDU)))
    address = f"/api/v1/filings/{filing.pk}/actions/reassign"

    def post(user: User, payload: dict[str, Any]) -> Any:
        return desk_client(user).post(address, data=json.dumps(payload), content_type="application/json")

    assert post(world.specialist, {"unit": "sc-branch", "reason": "移交四川"}).status_code == 404, "not visible"
    assert post(regions.chengdu_specialist, {"unit": "sc-branch", "reason": "移交四川"}).status_code == 403
    assert post(world.compliance, {"unit": "nowhere", "reason": "移交四川"}).status_code == 422
    assert post(world.compliance, {"unit": "sc-branch"}).status_code == 422
    assert _unit_of(filing) == ("cd-branch", "cd-branch")
    answer = post(world.compliance, {"unit": "sc-branch", "reason": "移交四川分公司"})
    assert answer.status_code == 200, answer.content
    routing = answer.json()["routing"]
    assert routing["unit"] == "sc-branch"
    assert routing["administration"]["province_code"] == "510000"
    assert routing["administration"]["abbreviation"] == "蜀"


def test_the_served_regions_refuse_anything_but_province_and_city_codes(world: World) -> None:
    from regdesk.accounts.errors import AccountsError

    for value in ("51000", "510104", "990000", "四川"):
        with pytest.raises(AccountsError) as refused:
            org_unit_served_regions_set(actor=None, unit=world.branch, served_regions=f"110000 {value}")
        assert refused.value.code == "served_regions_invalid"
    assert OrgUnit.objects.get(pk=world.branch.pk).served_regions == ""
    org_unit_served_regions_set(actor=None, unit=world.branch, served_regions="110000，120000、 510100")
    assert OrgUnit.objects.get(pk=world.branch.pk).served_regions == "110000 120000 510100"
