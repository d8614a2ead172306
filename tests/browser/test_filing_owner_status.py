"""In chromium, the owner's side after the submission: a return for changes corrected field by field (only the
returned fields editable, an error shown as one types) and submitted again, a withdrawal with its confirmation, and
the page after the approval — record numbers, the footer code with its copy button and live preview, the
certificate, the public-security reminder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from regdesk.filings.models import Filing, FilingState
from regdesk.filings.services import filing_return_for_changes, filing_submit_to_regulator, filings_poll
from regdesk.simulators.province import config as province_config
from tests.accounts.helpers import PASSWORD
from tests.browser.conftest import screenshot
from tests.filings.builders import make_world, submitted, verified
from tests.fixtures.simulators import (
    IdentitySimulatorHandle,
    ProvinceSimulatorHandle,
    ProvisioningSimulatorHandle,
    RegistrySimulatorHandle,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASONS = {
    "websites[0].name": "网站名称应体现网站内容。",
    "owner.person_in_charge.office_phone": "办公电话无法接通，请核实。",
}


@pytest.fixture
def filing_settings(settings: Settings, tmp_path: Path) -> None:
    """As in the filing tests: the intake unit, the provider's networks, tasks at once, files under tmp_path."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    settings.REGDESK_ICP_INTAKE_UNIT = "branch"
    settings.REGDESK_ICP_PROVIDER_NETWORKS = ["192.88.99.0/24"]
    settings.REGDESK_PROVIDER_SEAL_FILE = str(tmp_path / "keys" / "seal.png")
    settings.REGDESK_CERTIFICATE_KEY_FILE = str(tmp_path / "keys" / "certificate-key.pem")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def _log_in(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{server.url}/portal/")


def test_the_owner_corrects_the_returned_fields_submits_again_and_withdraws(
    page: Page, server: LiveServer, filing_settings: None
) -> None:
    world = make_world()
    filing = filing_return_for_changes(actor=world.specialist, filing=submitted(world), reasons=REASONS)
    _log_in(page, server, "owner")
    page.get_by_test_id(f"my-filing-{filing.pk}").get_by_role("link").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "needs_changes")
    expect(page.get_by_test_id("returned-fields")).to_contain_text("办公电话无法接通，请核实。")
    expect(page.get_by_test_id("timeline").locator('[data-action="return_for_changes"]')).to_contain_text(
        "网站名称应体现网站内容。"
    )
    screenshot(page, "filing-owner-11-returned")
    page.get_by_test_id("correct").click()

    expect(page.locator("#id_website0-name")).to_be_editable()
    expect(page.locator("#id_person-office_phone")).to_be_editable()
    expect(page.locator("#id_owner-name")).to_have_count(0)
    expect(page.locator("#id_person-mobile")).to_have_count(0)
    expect(page.get_by_test_id("value-owner.person_in_charge.mobile")).to_have_text(re.compile(r"\*"))
    page.fill("#id_person-office_phone", "021-6543")
    expect(page.get_by_test_id("error-owner.person_in_charge.office_phone")).to_have_text(re.compile(r"\S"))
    screenshot(page, "filing-owner-12-correction-error")
    page.fill("#id_person-office_phone", "021-65432199")
    expect(page.get_by_test_id("error-owner.person_in_charge.office_phone")).to_have_text("")
    page.fill("#id_website0-name", "上海青禾软件产品与服务网站")
    page.get_by_test_id("resubmit").click()

    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted")
    expect(page.get_by_test_id("timeline").locator('[data-action="submit"]').first).to_contain_text("重新提交")
    page.get_by_test_id("withdraw").click()
    page.get_by_test_id("withdraw-confirm").click()
    expect(page.get_by_test_id("withdraw-confirmation")).to_be_visible()
    screenshot(page, "filing-owner-13-withdraw-confirmation")
    page.get_by_label("是的，撤回此申请。我知道撤回后不能恢复。").check()
    page.get_by_test_id("withdraw-confirm").click()
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "withdrawn")
    filing.refresh_from_db()
    assert filing.state == FilingState.WITHDRAWN


def test_after_the_approval_the_owner_copies_the_footer_code_and_gets_the_certificate(
    page: Page,
    server: LiveServer,
    filing_settings: None,
    settings: Settings,
    use_province_simulator: ProvinceSimulatorHandle,
    use_identity_simulator: IdentitySimulatorHandle,
    use_registry_simulator: RegistrySimulatorHandle,
    use_provisioning_simulator: ProvisioningSimulatorHandle,
) -> None:
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    account: dict[str, Any] = {**province_config.DEFAULTS["accounts"][0], "filed_ip_ranges": ["192.88.99.0/24"]}
    use_province_simulator.configure(
        {"accounts": [account], "province": {"code": 310000, "authority": "上海市通信管理局"}}
    )
    world = make_world()
    filing = filing_submit_to_regulator(actor=world.specialist, filing=verified(world))
    assert use_province_simulator.review_now() == 1
    filings_poll()
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.state == FilingState.APPROVED
    website = filing.websites.get()

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _log_in(page, server, "owner")
    page.goto(f"{server.url}/portal/filings/{filing.pk}/")
    expect(page.get_by_test_id("owner-record-number")).to_have_text(filing.owner.record_number)
    expect(page.get_by_test_id("website-record-number-0")).to_have_text(website.record_number)
    expect(page.get_by_test_id("access-0")).to_have_text("已开通接入")
    snippet = page.get_by_test_id("footer-snippet-0")
    expect(snippet).to_have_value(re.compile(r'href="https://beian\.miit\.gov\.cn/"'))
    page.get_by_test_id("copy-footer-0").click()
    expect(page.get_by_test_id("copy-footer-0")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == snippet.input_value()
    preview = page.frame_locator('[data-testid="footer-preview-0"]')
    expect(preview.get_by_role("link")).to_have_text(website.record_number)
    snippet.fill(snippet.input_value().replace(website.record_number, f"{website.record_number} · 示例"))
    expect(preview.get_by_role("link")).to_have_text(f"{website.record_number} · 示例")
    serial = website.certificates.get().serial
    expect(page.get_by_test_id("certificate-download-0")).to_have_attribute("href", f"/verify/{serial}/bazs.cert")
    expect(page.get_by_test_id("public-security-reminder")).to_contain_text("公安联网备案")
    expect(page.get_by_test_id("timeline").locator('[data-action="record_regulator_result"]')).to_contain_text(
        website.record_number
    )
    screenshot(page, "filing-owner-14-approved")
    with page.expect_download() as download:
        page.get_by_test_id("certificate-download-0").click()
    assert download.value.suggested_filename == "bazs.cert"
