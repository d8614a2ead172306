"""A new owner from a province with no demo data, from sign-up to record number, in chromium against every simulator
over sockets. A Chengdu company signs up in the portal and applies (first questions, every step, the scans); the
filing goes to the unit that serves Sichuan, whose specialist finds it in the desk queue, sees that Sichuan's
administration reviews it, verifies the contacts (mail link, SMS code) and the owner on site, and submits it through
the provider's own province system (Beijing's, 接入地). The province approves at once, and the record number the
owner reads in the portal carries Sichuan's abbreviation (蜀, 备案地), not Beijing's. The same journey is walked with
browsers that ask for Chinese and with browsers that ask for English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.services import org_unit_served_regions_set
from regdesk.filings.models import Filing, FilingState
from regdesk.rules.icp.administrations import administration_of
from tests.accounts.helpers import enrol_totp, make_unit, make_user
from tests.browser.conftest import screenshot
from tests.browser.filing_steps import (
    EN,
    ZH,
    Words,
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
CHENGDU = filing_json(2)  # known_enterprises()[2]: 瀚海（成都）电子商务有限公司, Chengdu Shuangliu, Sichuan
SICHUAN = "510000"
OWNER_USERNAME = "chengdu.owner"
SICHUAN_RECORD_NUMBER = re.compile(r"蜀ICP备[0-9]{8}号")


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
    """Deployed as for the demo: tasks run at once, uploads go out as they commit, e-mail links point at the live
    server; the provider's own province system is Beijing's, files the provider's network and reviews at once."""
    deploy_as_for_the_demo(
        settings, tmp_path, server, use_province_simulator, province_code=110000, authority="北京市通信管理局"
    )
    return use_simulators


def apply_from_chengdu(page: Page, server: LiveServer, tmp_path: Path, words: Words) -> Filing:
    shots = f"sichuan-owner-{words.locale}"
    sign_up(page, server, OWNER_USERNAME, words)
    page.get_by_test_id("portal-new-filing").click()
    first_questions(page, CHENGDU, words)
    owner_step(page, CHENGDU, shots=shots)
    person_step(page, CHENGDU, words, shots=shots)
    website_steps(page, CHENGDU, shots=shots)
    access_step(page, CHENGDU, shots=shots)
    documents_step(page, tmp_path, words, shots=shots)
    expect(page.get_by_test_id("review-ready")).to_be_visible()
    screenshot(page, f"{shots}-08-review")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted")
    screenshot(page, f"{shots}-09-submitted")
    return Filing.objects.get(owner__portal_user__username=OWNER_USERNAME)


@pytest.mark.parametrize("words", [ZH, EN], ids=["zh", "en"])
def test_a_new_sichuan_owner_is_served_by_the_sichuan_unit_and_approved_with_a_sichuan_number(
    words: Words,
    browser: Browser,
    server: LiveServer,
    outside: tuple[SmsSimulatorHandle, SmtpSimulatorHandle],
    tmp_path: Path,
) -> None:
    sms, mail = outside
    provider = make_unit("provider", UnitKind.PROVIDER)
    make_unit("branch", UnitKind.BRANCH, provider)  # the intake unit: serves no region, must not receive it
    sichuan = make_unit("sc-branch", UnitKind.BRANCH, provider)
    org_unit_served_regions_set(actor=None, unit=sichuan, served_regions=SICHUAN)
    specialist = make_user("zhou.specialist", (sichuan, Role.SPECIALIST))
    secret = enrol_totp(specialist)

    administration = administration_of(SICHUAN)
    assert administration is not None
    shots = f"sichuan-desk-{words.locale}"
    owner_context = browser.new_context(locale=words.locale, viewport={"width": 1280, "height": 900})
    owner_page = owner_context.new_page()
    owner_page.set_default_timeout(15_000)
    filing = apply_from_chengdu(owner_page, server, tmp_path, words)
    assert filing.owner.unit == sichuan
    reference = str(filing)

    # The Sichuan unit's specialist finds it in the queue.
    desk_context = browser.new_context(locale=words.locale, viewport={"width": 1366, "height": 900})
    page = desk_context.new_page()
    page.set_default_timeout(15_000)
    log_in_with_totp(page, server, "zhou.specialist", secret, words)
    confirmations: list[str] = []

    def agree(dialog: Dialog) -> None:
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", agree)
    page.get_by_role("link", name=words.icp_filing, exact=True).click()
    expect(page).to_have_url(f"{server.url}/desk/filings/")
    line = page.locator(f'[data-testid="queue-line"][data-reference="{reference}"]')
    expect(line).to_contain_text(re.compile("已提交|submitted", re.IGNORECASE))
    screenshot(page, f"{shots}-queue")
    line.get_by_role("link", name=reference).click()

    # The review: Sichuan's administration reviews it; personal data masked.
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted")
    name = administration.name_zh if words is ZH else administration.name_en
    expect(page.locator("main")).to_contain_text(name)
    summary = page.get_by_test_id("person-in-charge")
    expect(summary).to_contain_text("138****0002")
    expect(summary).not_to_contain_text(CHENGDU["owner"]["person_in_charge"]["mobile"])
    screenshot(page, f"{shots}-review")

    # Contact verification: the e-mail link and the SMS code.
    page.get_by_test_id("send-email-link").click()
    expect(page.get_by_test_id("contact-notice")).to_be_visible()
    confirm_mail_link(browser, server, mail, CHENGDU, words)
    page.get_by_test_id("send-sms-code").click()
    expect(page.get_by_test_id("contact-notice")).to_contain_text(words.sms)
    page.get_by_label(words.code_read_out).fill(sms_code(sms, CHENGDU))
    page.get_by_role("button", name=words.confirm_code).click()
    expect(page.get_by_test_id("contacts-verified")).to_be_visible()
    page.get_by_role("button", name=words.send_onsite_notice).click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "awaiting_onsite")

    # The on-site verification at the Chengdu office.
    page.get_by_test_id("onsite-link").click()
    expect(page.get_by_role("heading", name=re.compile(words.onsite_heading))).to_be_visible()
    onsite_verification(page, tmp_path, words, place="四川省成都市双流区创新大道188号 营业厅", shots=f"{shots}-onsite")
    page.get_by_test_id("record-onsite").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "verified")

    # Through Beijing's system (接入地) to Sichuan's administration (备案地), which approves at once.
    page.get_by_role("button", name=words.submit_to_regulator).click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted_to_regulator")
    assert len(confirmations) == 2, confirmations
    expect(page.get_by_test_id("upload-status")).to_have_attribute("data-status", "accepted")
    page.get_by_test_id("fetch-results").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "approved")
    number = page.get_by_test_id("owner-record-number").inner_text().strip()
    assert SICHUAN_RECORD_NUMBER.fullmatch(number), number
    expect(page.get_by_test_id("website-record-number")).to_have_text(f"{number}-1")
    screenshot(page, f"{shots}-approved")
    filing.refresh_from_db()
    assert filing.state == FilingState.APPROVED

    # The owner reads the Sichuan record number in the portal.
    owner_page.goto(f"{server.url}/portal/")
    expect(owner_page.get_by_test_id("my-filings")).to_contain_text(number)
    owner_page.get_by_test_id(f"my-filing-{filing.pk}").get_by_role("link").click()
    expect(owner_page.get_by_test_id("owner-record-number")).to_have_text(number)
    assert owner_page.get_by_test_id("owner-record-number").inner_text().startswith("蜀ICP备")
    screenshot(owner_page, f"sichuan-owner-{words.locale}-10-approved")
    owner_context.close()
    desk_context.close()
