"""The owner's application as a new user meets it: the first questions that shape the form, a step that keeps its
valid fields when one is wrong, an empty step that creates nothing, the stepper's marks as one goes, errors in the
owner's terms, the access step naming the provider's networks, and the claim of an owner on file elsewhere."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from regdesk.audit.models import AuditEvent
from regdesk.filings.errors import MESSAGES as FILING_MESSAGES
from regdesk.filings.errors import FilingRefused, message
from regdesk.filings.models import Filing, Owner, OwnerClaim, OwnerClaimState, Website
from regdesk.filings.services import owner_claim_decide, owner_claim_request, stored_data
from regdesk.rules.icp.messages import MESSAGES as RULE_MESSAGES
from tests.filings.builders import World, draft, filing_json, person
from tests.filings.conftest import PROVIDER_NETWORKS
from tests.filings.portal_support import (
    client_for,
    owner_post,
    person_post,
    start_answers,
    table_snapshot,
    url,
    website_post,
)

pytestmark = pytest.mark.django_db
# An internal code shown bare: "工信部代码1041", "MIIT code 1063", "代码1041" with nothing saying what it means.
BARE_CODE = re.compile(r"(工信部代码|MIIT code|代码)\s*\d{4}")


def _status(body: str, step: str) -> str:
    found = re.search(rf'data-step="{step}" data-status="([a-z_]*)"', body)
    assert found is not None, step
    return found[1]


# --------------------------------------------------------------------------------------------------------------
# The first questions


def test_a_new_filing_starts_with_the_questions_that_decide_the_form(world: World) -> None:
    client = client_for(world.owner)
    page = client.get(url("new")).content.decode()
    assert 'data-testid="first-questions"' in page
    assert "网站由谁开办" in page
    assert "主办者所在省份" in page
    assert "本次备案的网站数量" in page
    assert 'data-testid="step-form"' not in page, "no owner form before the questions are answered"

    refused = client.get(url("new"), {"start-kind": "company", "start-province": "999999", "start-websites": "0"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "请选择网站由单位还是个人开办" in body
    assert "请从列表中选择主办者所在省份" in body
    assert "至少备案一个网站" in body
    assert not Filing.objects.exists()


def test_an_individual_is_offered_only_what_applies_to_a_person(world: World) -> None:
    client = client_for(world.owner)
    page = client.get(url("new"), {"start-kind": "individual", "start-province": "510000", "start-websites": "2"})
    body = page.content.decode()
    assert page.status_code == 200
    nature = re.search(r'<select name="owner-nature".*?</select>', body, re.S)
    assert nature is not None
    assert nature[0].count("<option") == 1
    assert "个人" in nature[0]
    types = re.search(r'<select name="owner-certificate-type".*?</select>', body, re.S)
    assert types is not None
    assert "居民身份证" in types[0]
    assert "营业执照" not in types[0], "only a person's documents"
    assert 'name="owner-investor"' not in body, "an individual has no investor or superior unit"
    assert re.search(r'<option value="510000" selected>', body), "the province answered is chosen"
    assert 'name="start-websites" value="2"' in body, "the answers travel with the form"

    organisation = client.get(url("new"), start_answers(0)).content.decode()
    types = re.search(r'<select name="owner-certificate-type".*?</select>', organisation, re.S)
    assert types is not None
    assert "居民身份证" not in types[0]
    assert 'data-natures="4"' in types[0]
    natures = re.search(r'<select name="owner-nature".*?</select>', organisation, re.S)
    assert natures is not None
    assert ">个人<" not in natures[0]
    assert 'data-certificate-types="id_owner-certificate-type"' in organisation


def test_an_individual_finds_the_person_in_charge_filled_in_with_themselves(world: World) -> None:
    individual = person(1)
    client = client_for(world.owner)
    answers = {"start-kind": "individual", "start-province": "320000", "start-websites": "1"}
    data = {
        **answers,
        "owner-nature": "5",
        "owner-name": individual["name"],
        "owner-certificate-type": "2",
        "owner-certificate-number": individual["document_number"],
        "go": "next",
    }
    response = client.post(url("new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    filing = Filing.objects.get()
    page = client.get(url("person", filing)).content.decode()
    assert individual["document_number"] in page
    assert individual["name"] in page


# --------------------------------------------------------------------------------------------------------------
# Saving: valid fields kept, empty steps create nothing


def test_a_step_with_one_invalid_field_keeps_the_valid_ones(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    data = person_post(mobile="1381234", email="new-address@example-owner0.cn")
    response = client.post(url("person", filing), {**data, "go": "next"})
    assert response.status_code == 422, "the step stays open to correct the wrong field"
    body = response.content.decode()
    assert "手机号码应为11位数字，以1开头" in body
    assert 'value="1381234"' in body, "what the owner typed stays in the form"
    assert _status(body, "person") == "error"
    stored = stored_data(Filing.objects.get(pk=filing.pk)).owner.person_in_charge
    assert stored.email == "new-address@example-owner0.cn", "the valid field is saved"
    assert stored.mobile == person(0)["mobile"], "the wrong value is not"
    # Leaving the step and coming back: the valid value is there.
    assert "new-address@example-owner0.cn" in client.get(url("person", filing)).content.decode()


def test_the_first_step_with_one_invalid_field_creates_the_draft_with_the_valid_ones(world: World) -> None:
    client = client_for(world.owner)
    wrong = owner_post(**{"owner-certificate-number": "91310110MAPF9TJ48X", "go": "next"})
    response = client.post(url("new"), wrong)
    assert response.status_code == 422
    filing = Filing.objects.get()
    owner = stored_data(filing).owner
    assert owner.name == filing_json(0)["owner"]["name"], "the valid fields are in the draft"
    assert owner.certificate.number is None, "the wrong number is not"
    body = response.content.decode()
    assert f'action="{url("owner", filing)}"' in body, "the next save goes to the draft, not to a new one"
    assert 'id="error-owner-certificate-number"' in body


def test_an_empty_step_creates_nothing(world: World) -> None:
    client = client_for(world.owner)
    before = table_snapshot(Owner, Website, Filing)
    response = client.post(url("new"), {**start_answers(0), "owner-name": "  ", "go": "next"})
    assert response.status_code == 422
    assert 'data-testid="notice"' in response.content.decode()
    assert table_snapshot(Owner, Website, Filing) == before

    filing = draft(world)
    before = table_snapshot(Website)
    empty = {"website1-languages": ["1"], "go": "next"}
    response = client.post(url("website", filing, position=1), empty)
    assert response.status_code == 422
    assert filing.websites.count() == 1, "an empty website form adds no website"
    assert table_snapshot(Website) == before


# --------------------------------------------------------------------------------------------------------------
# The stepper


def test_the_stepper_marks_each_step_as_one_goes(world: World) -> None:
    client = client_for(world.owner)
    response = client.post(url("new"), {**owner_post(), "go": "next"})
    filing = Filing.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert _status(page, "owner") == "done"
    assert _status(page, "person") == "incomplete"
    assert _status(page, "websites") == "incomplete"
    assert "未填完" in page, "the legend explains the marks"
    assert "有错误" in page

    # As one types: the validation answer marks the step with errors (out of band), nothing stored.
    validated = client.post(url("person_validate", filing), person_post(email="not-an-address")).content.decode()
    assert 'id="application-steps"' in validated
    assert 'hx-swap-oob="true"' in validated
    assert _status(validated, "person") == "error"
    fine = client.post(url("person_validate", filing), person_post()).content.decode()
    assert _status(fine, "person") == "done"

    client.post(url("person", filing), {**person_post(), "go": "next"})
    client.post(url("website", filing, position=0), {**website_post(), "go": "next"})
    page = client.get(url("access", filing)).content.decode()
    assert _status(page, "person") == "done"
    assert _status(page, "websites") == "done"
    assert _status(page, "access") == "incomplete"


# --------------------------------------------------------------------------------------------------------------
# Messages


@pytest.mark.parametrize("code", sorted(RULE_MESSAGES))
def test_no_rule_message_shows_a_bare_internal_code(code: str) -> None:
    chinese, english = RULE_MESSAGES[code]
    assert not BARE_CODE.search(chinese), chinese
    assert not BARE_CODE.search(english), english
    assert "实际为" not in chinese, "a length says what to do, not only the count"


@pytest.mark.parametrize("code", sorted(FILING_MESSAGES))
def test_no_filing_message_shows_a_bare_internal_code(code: str) -> None:
    for language in ("zh-hans", "en"):
        assert not BARE_CODE.search(message(code, language)), code


def test_the_access_step_names_the_provider_networks_and_its_error_too(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    page = client.get(url("access", filing)).content.decode()
    assert 'data-testid="provider-networks"' in page
    assert page.count(PROVIDER_NETWORKS[0]) >= 2, "in the step's explanation and in the field's hint"
    validated = client.post(url("access_validate", filing), {"access0-ip_ranges": "8.8.8.8"}).content.decode()
    assert f"该地址不属于本服务商的网络（{PROVIDER_NETWORKS[0]}）" in validated
    assert not BARE_CODE.search(validated)
    english = client_for(world.owner, language="en").post(
        url("access_validate", filing), {"access0-ip_ranges": "8.8.8.8"}
    )
    assert f"not in the provider's networks ({PROVIDER_NETWORKS[0]})" in html.unescape(english.content.decode())


def test_log_out_reads_as_leaving_the_session(world: World) -> None:
    body = client_for(world.owner).get(url("list")).content.decode()
    assert "退出登录" in body
    assert "注销" not in body


# --------------------------------------------------------------------------------------------------------------
# An owner on file under another account


def _on_file_elsewhere(world: World) -> Filing:
    world.branch.address = "上海市杨浦区国定路100号"
    world.branch.phone = "021-65430000"
    world.branch.save()
    return draft(world, actor=world.other_owner)


def test_an_owner_on_file_elsewhere_learns_whom_to_contact_and_asks_to_manage_it(world: World) -> None:
    filing = _on_file_elsewhere(world)
    unit = filing.owner.unit
    client = client_for(world.owner)
    response = client.post(url("new"), {**owner_post(), "go": "next"})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="claim-offer"' in body
    assert unit.name in body
    assert Filing.objects.count() == 1

    answer = client.post(
        url("claim_request"),
        {"certificate_type": "1", "certificate_number": filing_json(0)["owner"]["certificate"]["number"]},
    )
    assert answer.status_code == 302
    claim = OwnerClaim.objects.get()
    assert claim.requester == world.owner
    assert claim.state == OwnerClaimState.PENDING
    assert AuditEvent.objects.filter(action="filing.owner_claim_request", object_id=str(claim.pk)).exists()
    listing = client.get(url("list")).content.decode()
    assert f'data-testid="claim-{claim.pk}" data-state="pending"' in listing
    assert "待服务商处理" in listing


def test_the_serving_unit_contact_is_shown(world: World) -> None:
    _on_file_elsewhere(world)
    response = client_for(world.owner).post(url("new"), {**owner_post(), "go": "next"})
    body = response.content.decode()
    assert "上海市杨浦区国定路100号" in body
    assert "021-65430000" in body


@pytest.mark.parametrize("who", ["owner", "other_owner", "other_specialist", "compliance", "auditor", "anonymous"])
def test_only_a_specialist_of_the_owner_unit_decides_a_claim(world: World, who: str) -> None:
    filing = _on_file_elsewhere(world)
    claim = owner_claim_request(
        actor=world.owner, certificate_type=1, certificate_number=filing_json(0)["owner"]["certificate"]["number"]
    )
    user = None if who == "anonymous" else getattr(world, who)
    client = client_for(user) if user is not None else Client()
    before = table_snapshot(Owner, OwnerClaim)
    response = client.post(f"/desk/filings/claims/{claim.pk}/decide/", {"decision": "approve"})
    assert response.status_code in (302, 403, 404)
    assert table_snapshot(Owner, OwnerClaim) == before, who
    filing.owner.refresh_from_db()
    assert filing.owner.portal_user == world.other_owner


def test_a_specialist_approves_a_claim_and_the_owner_moves_to_the_requester(world: World) -> None:
    filing = _on_file_elsewhere(world)
    claim = owner_claim_request(
        actor=world.owner, certificate_type=1, certificate_number=filing_json(0)["owner"]["certificate"]["number"]
    )
    again = owner_claim_request(
        actor=world.owner, certificate_type=1, certificate_number=filing_json(0)["owner"]["certificate"]["number"]
    )
    assert again.pk == claim.pk, "asking again answers the waiting request"
    desk = client_for(world.specialist)
    listing = desk.get("/desk/filings/claims/").content.decode()
    assert f'data-testid="claim-{claim.pk}"' in listing
    assert desk.post(f"/desk/filings/claims/{claim.pk}/decide/", {"decision": "reject"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == OwnerClaimState.PENDING, "a rejection needs its reason"
    assert desk.post(f"/desk/filings/claims/{claim.pk}/decide/", {"decision": "approve"}).status_code == 302
    claim.refresh_from_db()
    filing.owner.refresh_from_db()
    assert claim.state == OwnerClaimState.APPROVED
    assert claim.decided_by == world.specialist
    assert filing.owner.portal_user == world.owner
    assert AuditEvent.objects.filter(action="filing.owner_claim_decide", object_id=str(claim.pk)).exists()
    assert client_for(world.owner).get(url("detail", filing)).status_code == 200
    assert client_for(world.other_owner).get(url("detail", filing)).status_code == 404
    with pytest.raises(FilingRefused, match="claim_decided"):
        owner_claim_decide(actor=world.specialist, claim=claim, approve=False, reason="重复")


def test_a_rejected_claim_shows_its_reason_to_the_requester(world: World) -> None:
    _on_file_elsewhere(world)
    claim = owner_claim_request(
        actor=world.owner, certificate_type=1, certificate_number=filing_json(0)["owner"]["certificate"]["number"]
    )
    owner_claim_decide(actor=world.specialist, claim=claim, approve=False, reason="电话核实时负责人不认识申请人")
    listing = client_for(world.owner).get(url("list")).content.decode()
    assert 'data-state="rejected"' in listing
    assert "电话核实时负责人不认识申请人" in listing
