"""The owner portal's status pages: who may open what (and a refusal changes nothing), the history in the owner's
words, the correction of the returned fields only, the withdrawal, the SMS code, and the page after the approval."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from regdesk.accounts.models import User
from regdesk.audit.models import AuditEvent
from regdesk.cases.models import CaseEvent, Clock, Document
from regdesk.filings.models import Attachment, ContactCheck, Filing, FilingState, Owner, Website
from regdesk.filings.services import (
    contact_sms_code_send,
    filing_return_for_changes,
    filing_submit_to_regulator,
    filings_poll,
    stored_data,
)
from tests.filings.builders import World, awaiting_onsite, case_of, draft, filing_json, person, submitted, verified
from tests.filings.portal_support import client_for, person_post, table_snapshot, url
from tests.fixtures.simulators import (
    IdentitySimulatorHandle,
    ProvinceSimulatorHandle,
    ProvisioningSimulatorHandle,
    RegistrySimulatorHandle,
    SmsSimulatorHandle,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TABLES = (Owner, Website, Filing, Attachment, Document, ContactCheck, CaseEvent)
REASONS = {
    "websites[0].name": "网站名称应体现网站内容。",
    "owner.person_in_charge.office_phone": "办公电话无法接通，请核实。",
}


def _users(world: World) -> dict[str, User | None]:
    return {"owner": world.owner, "other_owner": world.other_owner, "staff": world.specialist, "anonymous": None}


def _denied(response: Any, who: str) -> None:
    """Another owner gets "not found", staff "forbidden" (the portal is the owners'), visitors the login."""
    expected = {"other_owner": 404, "staff": 403, "anonymous": 302}[who]
    assert response.status_code == expected, (who, response.status_code)
    if who == "anonymous":
        assert response["Location"].startswith("/portal/login/")


PAGES = ("detail", "owner", "person", "websites", "access", "documents", "review", "withdraw")


@pytest.mark.parametrize("who", ["other_owner", "staff", "anonymous"])
def test_nobody_but_the_owner_opens_a_filing_and_a_refused_request_changes_nothing(world: World, who: str) -> None:
    filing = draft(world)
    client = client_for(_users(world)[who])
    before = table_snapshot(*TABLES)
    audit_before = AuditEvent.objects.count()
    for page in PAGES:
        _denied(client.get(url(page, filing)), who)
    _denied(client.get(url("website", filing, position=0)), who)
    posts: list[tuple[str, dict[str, Any]]] = [
        (url("person", filing), {**person_post(mobile="13912345678"), "go": "next"}),
        (url("person_validate", filing), person_post()),
        (url("website_remove", filing, position=0), {}),
        (url("submit", filing), {}),
        (url("withdraw", filing), {"confirm": "on"}),
        (url("reveal", filing), {}),
        (url("correct", filing), {}),
        (url("sms_confirm", filing), {"code": "123456"}),
        (url("documents", filing), {"kind": "owner_certificate", "file": io.BytesIO(b"%PDF-1.4 x")}),
    ]
    for address, data in posts:
        _denied(client.post(address, data), who)
    assert table_snapshot(*TABLES) == before
    assert AuditEvent.objects.count() == audit_before, "no read of personal data either"


def test_the_owner_opens_every_page_of_their_draft(world: World) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    for page in PAGES:
        assert client.get(url(page, filing)).status_code == 200, page
    assert client.get(url("website", filing, position=0)).status_code == 200
    assert client.get(url("list")).status_code == 200
    assert client.get(url("new")).status_code == 200


def test_a_filing_that_does_not_exist_is_not_found(world: World) -> None:
    assert client_for(world.owner).get(url("detail", 999_999)).status_code == 404


def test_the_portal_home_lists_the_owners_filings_with_state_and_links(world: World) -> None:
    filing = submitted(world)
    draft(world, 1, actor=world.other_owner)
    body = client_for(world.owner).get("/portal/").content.decode()
    assert url("detail", filing) in body
    assert str(filing) in body
    assert "已提交" in body
    assert url("new") in body
    assert body.count("/portal/filings/") >= 2
    other = Filing.objects.exclude(pk=filing.pk).get()
    assert url("detail", other) not in body


# --------------------------------------------------------------------------------------------------------------
# The history


def test_the_history_shows_a_return_with_its_reasons_per_field(world: World) -> None:
    filing = filing_return_for_changes(actor=world.specialist, filing=submitted(world), reasons=REASONS)
    body = client_for(world.owner).get(url("detail", filing)).content.decode()
    assert 'data-state="needs_changes"' in body
    assert 'data-action="return_for_changes"' in body
    assert 'data-path="websites[0].name"' in body
    assert "网站名称应体现网站内容。" in body
    assert "办公电话无法接通，请核实。" in body
    assert url("correct", filing) in body


def test_the_on_site_notice_shows_its_deadline_and_what_to_bring(world: World) -> None:
    with time_machine.travel(datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI), tick=False):
        filing = awaiting_onsite(world)
        body = client_for(world.owner).get(url("detail", filing)).content.decode()
    clock = Clock.objects.get(case=case_of(filing), name="onsite")
    assert clock.due_at.astimezone(SHANGHAI).date().isoformat() == "2026-10-13"
    assert 'data-testid="onsite-notice"' in body
    assert "2026-10-13" in body
    assert 'data-action="send_onsite_notice"' in body
    assert "营业执照" in body, "an organisation brings its certificate"
    assert 'data-testid="withdraw"' in body, "the owner may still withdraw"


# --------------------------------------------------------------------------------------------------------------
# Correction of the returned fields


def _returned(world: World) -> Filing:
    return filing_return_for_changes(actor=world.specialist, filing=submitted(world), reasons=REASONS)


def test_only_the_returned_fields_are_editable(world: World) -> None:
    filing = _returned(world)
    body = client_for(world.owner).get(url("correct", filing)).content.decode()
    assert 'name="website0-name"' in body
    assert 'name="person-office_phone"' in body
    for other in ('name="owner-name"', 'name="person-mobile"', 'name="website0-domains"', 'name="access0-method"'):
        assert other not in body, other
    assert 'data-testid="value-owner.person_in_charge.mobile"' in body
    assert person(0)["mobile"] not in body, "read-only personal data is masked"
    assert person(0)["office_phone"] in body, "the returned field shows the owner's own value to correct"


def test_the_owner_corrects_the_returned_fields_and_submits_again(world: World) -> None:
    filing = _returned(world)
    client = client_for(world.owner)
    response = client.post(
        url("correct", filing),
        {
            "website0-name": "上海青禾软件产品与服务网站",
            "person-office_phone": "021-65432199",
            # Fields that were not returned are not in the form: a forged value is ignored.
            "owner-name": "另一家公司有限公司",
            "person-mobile": "13912345678",
            "go": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.state == FilingState.SUBMITTED
    data = stored_data(filing)
    assert data.websites[0].name == "上海青禾软件产品与服务网站"
    assert data.owner.person_in_charge.office_phone == "021-65432199"
    assert data.owner.name == filing_json(0)["owner"]["name"]
    assert data.owner.person_in_charge.mobile == person(0)["mobile"]


def test_a_wrong_correction_shows_its_error_and_changes_nothing(world: World) -> None:
    filing = _returned(world)
    client = client_for(world.owner)
    before = table_snapshot(*TABLES)
    response = client.post(url("correct", filing), {"person-office_phone": "phone", "go": "submit"})
    assert response.status_code == 422
    assert 'id="error-person-office_phone"' in response.content.decode()
    assert "办公电话" in response.content.decode()
    assert table_snapshot(*TABLES) == before
    validated = client.post(url("correct_validate", filing), {"person-office_phone": "phone"}).content.decode()
    assert "办公电话只能包含数字" in validated, "the error says what is wrong, not only a length"
    assert table_snapshot(*TABLES) == before


def test_the_correction_page_is_only_for_a_returned_filing(world: World) -> None:
    filing = submitted(world)
    client = client_for(world.owner)
    assert client.get(url("correct", filing))["Location"] == url("detail", filing)
    before = table_snapshot(*TABLES)
    client.post(url("correct", filing), {"person-office_phone": "021-65432199", "go": "submit"})
    assert table_snapshot(*TABLES) == before


# --------------------------------------------------------------------------------------------------------------
# Withdrawal


def test_the_owner_withdraws_after_confirming(world: World) -> None:
    filing = submitted(world)
    client = client_for(world.owner)
    assert 'data-testid="withdraw-confirmation"' in client.get(url("withdraw", filing)).content.decode()
    before = table_snapshot(*TABLES)
    unconfirmed = client.post(url("withdraw", filing), {})
    assert unconfirmed.status_code == 422
    assert table_snapshot(*TABLES) == before
    assert client.post(url("withdraw", filing), {"confirm": "on"})["Location"] == url("detail", filing)
    filing.refresh_from_db()
    assert filing.state == FilingState.WITHDRAWN
    body = client.get(url("detail", filing)).content.decode()
    assert 'data-action="withdraw"' in body
    assert 'data-testid="withdraw"' not in body, "nothing left to withdraw"


def test_a_filing_with_the_regulator_cannot_be_withdrawn(world: World) -> None:
    filing = submitted(world)
    Filing.objects.filter(pk=filing.pk).update(state=FilingState.VERIFIED)
    case = case_of(filing)
    type(case).objects.filter(pk=case.pk).update(state=FilingState.VERIFIED)
    client = client_for(world.owner)
    assert 'data-testid="withdraw"' not in client.get(url("detail", filing)).content.decode()
    before = table_snapshot(*TABLES)
    client.post(url("withdraw", filing), {"confirm": "on"})
    assert table_snapshot(*TABLES) == before


# --------------------------------------------------------------------------------------------------------------
# The SMS code of the contact check


def test_the_owner_enters_the_sms_code_in_the_portal(
    world: World,
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        contact_sms_code_send(actor=world.specialist, filing=filing)
    match = re.search(r"(?<![-\d])(\d{6})(?!\d)", use_sms_simulator.messages()[-1]["text"])
    assert match is not None
    client = client_for(world.owner)
    assert 'data-testid="sms-check"' in client.get(url("detail", filing)).content.decode()
    wrong = str((int(match.group(1)) + 1) % 1_000_000).zfill(6)
    client.post(url("sms_confirm", filing), {"code": wrong})
    assert ContactCheck.objects.get().attempts == 1
    client.post(url("sms_confirm", filing), {"code": match.group(1)})
    assert ContactCheck.objects.get().status == "confirmed"
    assert 'data-testid="sms-check"' not in client.get(url("detail", filing)).content.decode()


# --------------------------------------------------------------------------------------------------------------
# After the approval


def test_after_the_approval_the_owner_gets_numbers_footer_certificate_and_reminder(
    world: World,
    settings: Settings,
    use_province_simulator: ProvinceSimulatorHandle,
    use_identity_simulator: IdentitySimulatorHandle,
    use_registry_simulator: RegistrySimulatorHandle,
    use_provisioning_simulator: ProvisioningSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from regdesk.simulators.province import config as province_config

    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    account = {**province_config.DEFAULTS["accounts"][0], "filed_ip_ranges": ["192.88.99.0/24"]}
    use_province_simulator.configure(
        {"accounts": [account], "province": {"code": 310000, "authority": "上海市通信管理局"}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        filing = filing_submit_to_regulator(actor=world.specialist, filing=verified(world))
    assert use_province_simulator.review_now() == 1
    with django_capture_on_commit_callbacks(execute=True):
        filings_poll()
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.state == FilingState.APPROVED
    website = filing.websites.get()
    body = client_for(world.owner).get(url("detail", filing)).content.decode()
    assert f'data-testid="owner-record-number">{filing.owner.record_number}<' in body
    assert f'data-testid="website-record-number-0">{website.record_number}<' in body
    assert 'data-testid="footer-snippet-0"' in body
    assert "https://beian.miit.gov.cn/" in body
    assert "text-align: center;" in body
    serial = website.certificates.get().serial
    assert f"/verify/{serial}/bazs.cert" in body
    assert f'href="/verify/{serial}"' in body
    assert 'data-testid="public-security-reminder"' in body
    assert "https://beian.mps.gov.cn/" in body
    due = (filing.approved_at.astimezone(SHANGHAI).date()).toordinal() + 30  # type: ignore[union-attr]
    assert datetime.fromordinal(due).date().isoformat() in body
    assert 'data-action="record_regulator_result"' in body
    for personal in (person(0)["document_number"], person(0)["mobile"]):
        assert personal not in body
