"""ICP filing end to end in chromium, against every simulator over sockets.

A new website owner signs up in the portal and submits a filing; the registration specialist logs in with a TOTP
code, reviews it on the desk (revealing one value for a stated purpose), verifies the contact details through the
mail link (SMTP simulator) and the SMS code (SMS simulator), sends the on-site notice, records the on-site
verification (identity and registry checks against their simulators, the photo, the copies, the verification form),
submits to the province (its simulator reviews at once), fetches the result — approved, with a record number in the
official format — and the owner finds the record number in the portal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.roles import Role, UnitKind
from regdesk.filings.models import Filing, FilingState
from tests.accounts.helpers import enrol_totp, make_unit, make_user
from tests.browser.conftest import screenshot
from tests.browser.filing_steps import (
    access_step,
    confirm_mail_link,
    deploy_as_for_the_demo,
    documents_step,
    first_questions,
    log_in_with_totp,
    onsite_verification,
    owner_step,
    person_step,
    sign_up,
    sms_code,
    website_steps,
)
from tests.filings.builders import filing_json
from tests.fixtures.simulators import (
    IdentitySimulatorHandle,
    ProvinceSimulatorHandle,
    ProvisioningSimulatorHandle,
    RegistrySimulatorHandle,
    SmsSimulatorHandle,
    SmtpSimulatorHandle,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RECORD_NUMBER = re.compile(r"沪ICP备[0-9]{8}号")
PERSON = filing_json(0)["owner"]["person_in_charge"]
OWNER_USERNAME = "li.owner"  # the portal's journey signs this owner up


@pytest.fixture
def outside(
    server: LiveServer,
    settings: Settings,
    tmp_path: Path,
    use_simulators: tuple[SmsSimulatorHandle, SmtpSimulatorHandle],
    use_identity_simulator: IdentitySimulatorHandle,
    use_registry_simulator: RegistrySimulatorHandle,
    use_provisioning_simulator: ProvisioningSimulatorHandle,
    use_province_simulator: ProvinceSimulatorHandle,
) -> tuple[SmsSimulatorHandle, SmtpSimulatorHandle]:
    """The application as deployed for the demo: tasks run at once, uploads go out as they commit, links in
    e-mails point at the live server, and the province (Shanghai) reviews every upload at once."""
    deploy_as_for_the_demo(
        settings, tmp_path, server, use_province_simulator, province_code=310000, authority="上海市通信管理局"
    )
    return use_simulators


def apply_in_the_portal(page: Page, server: LiveServer, tmp_path: Path) -> Filing:
    """A new owner signs up and fills in the application step by step in the portal (the portal's own browser
    test drives each step), then submits it."""
    sign_up(page, server)
    page.get_by_test_id("portal-new-filing").click()
    first_questions(page)
    owner_step(page)
    person_step(page)
    website_steps(page)
    access_step(page)
    documents_step(page, tmp_path)
    expect(page.get_by_test_id("review-ready")).to_be_visible()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted")
    return Filing.objects.get(owner__portal_user__username=OWNER_USERNAME)


def test_a_new_owner_is_filed_and_approved_through_the_desk(
    browser: Browser,
    page: Page,
    server: LiveServer,
    outside: tuple[SmsSimulatorHandle, SmtpSimulatorHandle],
    tmp_path: Path,
) -> None:
    sms, mail = outside
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("branch", UnitKind.BRANCH, provider)
    specialist = make_user("wang.specialist", (branch, Role.SPECIALIST))
    secret = enrol_totp(specialist)

    # The owner signs up in the portal and applies.
    owner_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    owner_page = owner_context.new_page()
    filing = apply_in_the_portal(owner_page, server, tmp_path)
    reference = str(filing)

    # The specialist logs in with a TOTP code and finds the filing in the queue.
    log_in_with_totp(page, server, "wang.specialist", secret)
    # Irreversible actions ask first and say what will happen; the specialist reads and agrees.
    confirmations: list[str] = []

    def agree(dialog: Dialog) -> None:
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", agree)
    page.get_by_role("link", name="ICP备案").click()
    expect(page).to_have_url(f"{server.url}/desk/filings/")
    line = page.locator(f'[data-testid="queue-line"][data-reference="{reference}"]')
    expect(line).to_contain_text("已提交")
    expect(line).to_contain_text("专员审核")
    screenshot(page, "desk-filings-queue")
    line.get_by_role("link", name=reference).click()

    # The review: personal data masked; one value revealed for a stated purpose.
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted")
    summary = page.get_by_test_id("person-in-charge")
    expect(summary).to_contain_text("138****0000")
    expect(summary).not_to_contain_text(PERSON["mobile"])
    mobile = summary.locator("#pv-ownerperson_mobile")
    mobile.locator("summary").click()
    mobile.get_by_placeholder("用途").fill("电话核实联系方式")
    mobile.get_by_role("button", name="查看明文").click()
    expect(page.get_by_test_id("revealed-value")).to_have_text(PERSON["mobile"])
    notice = page.get_by_test_id("action-send_onsite_notice")
    expect(notice).to_have_attribute("data-enabled", "false")
    expect(notice.get_by_test_id("why-not")).to_be_visible()
    screenshot(page, "desk-filing-review")

    # Contact verification: the e-mail link and the SMS code.
    page.get_by_test_id("send-email-link").click()
    expect(page.get_by_test_id("contact-notice")).to_be_visible()
    confirm_mail_link(browser, server, mail)
    page.get_by_test_id("send-sms-code").click()
    expect(page.get_by_test_id("contact-notice")).to_contain_text("短信")
    page.get_by_label("负责人读出的验证码").fill(sms_code(sms))
    page.get_by_role("button", name="确认验证码").click()
    expect(page.get_by_test_id("contacts-verified")).to_be_visible()
    expect(page.get_by_test_id("action-send_onsite_notice")).to_have_attribute("data-enabled", "true")
    page.get_by_role("button", name="发送当面核验通知").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "awaiting_onsite")

    # The on-site verification.
    page.get_by_test_id("onsite-link").click()
    expect(page.get_by_role("heading", name=re.compile("当面核验"))).to_be_visible()
    onsite_verification(page, tmp_path)
    screenshot(page, "desk-onsite-verification")
    page.get_by_test_id("record-onsite").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "verified")

    # To the province, and back.
    page.get_by_role("button", name="报送管局").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted_to_regulator")
    assert len(confirmations) == 2, confirmations
    assert "无法撤回" in confirmations[0]
    assert "管局答复之前不能再修改" in confirmations[1]
    expect(page.get_by_test_id("upload-status")).to_have_attribute("data-status", "accepted")
    expect(page.get_by_test_id("upload-sequence")).to_have_text("1")
    page.get_by_test_id("fetch-results").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "approved")
    number = page.get_by_test_id("owner-record-number").inner_text().strip()
    assert RECORD_NUMBER.fullmatch(number), number
    expect(page.get_by_test_id("website-record-number")).to_have_text(f"{number}-1")
    screenshot(page, "desk-filing-approved")
    filing.refresh_from_db()
    assert filing.state == FilingState.APPROVED

    # The owner sees the record number in the portal.
    owner_page.goto(f"{server.url}/portal/")
    expect(owner_page.get_by_test_id("my-filings")).to_contain_text(number)
    owner_page.get_by_test_id(f"my-filing-{filing.pk}").get_by_role("link").click()
    expect(owner_page.get_by_test_id("owner-record-number")).to_have_text(number)
    expect(owner_page.get_by_test_id("website-record-number-0")).to_have_text(f"{number}-1")
    screenshot(owner_page, "owner-portal-approved")
    owner_context.close()
