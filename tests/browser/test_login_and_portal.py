"""End to end in chromium: staff login with TOTP, a wrong code refused, owner sign-up to the portal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.roles import Role, UnitKind
from tests.accounts.helpers import PASSWORD, current_code, enrol_totp, make_unit, make_user
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_with_password(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="继续").click()
    expect(page).to_have_url(f"{server.url}/accounts/login/verify/")


def test_staff_log_in_with_a_totp_code_and_see_the_desk(page: Page, server: LiveServer) -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    user = make_user("wang.specialist", (make_unit("beijing", UnitKind.BRANCH, provider), Role.SPECIALIST))
    secret = enrol_totp(user)
    log_in_with_password(page, server, "wang.specialist")
    page.fill("#id_code", current_code(secret))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(f"{server.url}/desk/")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="我的案件")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("wang.specialist")
    # The menu offers what a specialist may open: the filings, not the audit trail.
    expect(page.get_by_role("link", name="ICP备案")).to_have_attribute("href", "/desk/filings/")
    expect(page.get_by_role("link", name="审计日志")).to_have_count(0)
    screenshot(page, "staff-desk")


def test_a_wrong_code_is_refused_with_a_clear_message(page: Page, server: LiveServer) -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    user = make_user("li.clerk", (make_unit("haidian", UnitKind.OUTLET, provider), Role.COUNTER_CLERK))
    secret = enrol_totp(user)
    log_in_with_password(page, server, "li.clerk")
    wrong = str((int(current_code(secret)) + 1) % 1_000_000).zfill(6)
    page.fill("#id_code", wrong)
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_test_id("field-errors")).to_contain_text("验证码错误或已过期")
    expect(page).to_have_url(f"{server.url}/accounts/login/verify/")
    screenshot(page, "wrong-code")
    page.goto(f"{server.url}/desk/")
    expect(page).to_have_url(f"{server.url}/accounts/login/verify/")


def test_owner_signs_up_and_sees_the_portal(page: Page, server: LiveServer) -> None:
    make_unit("provider", UnitKind.PROVIDER)
    page.goto(f"{server.url}/")
    expect(page).to_have_url(f"{server.url}/portal/login/?next=/portal/")
    page.get_by_role("link", name="还没有账户？立即注册。").click()
    page.fill("#id_username", "zhang.owner")
    page.fill("#id_email", "zhang.owner@example.cn")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.get_by_role("button", name="创建账户").click()
    expect(page).to_have_url(f"{server.url}/portal/")
    expect(page.get_by_test_id("my-account")).to_contain_text("zhang.owner")
    expect(page.get_by_test_id("my-filings")).to_contain_text("我的备案")
    expect(page.get_by_test_id("my-filings")).to_contain_text("您还没有 ICP 备案")
    screenshot(page, "owner-portal")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("my-filings")).to_contain_text("You have no ICP filings yet")


def test_staff_without_an_authenticator_enrol_with_the_qr_code_page(page: Page, server: LiveServer) -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    make_user("zhao.auditor", (provider, Role.AUDITOR))
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", "zhao.auditor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="继续").click()
    expect(page).to_have_url(f"{server.url}/accounts/totp/enrol/")
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    screenshot(page, "totp-enrolment")
    page.fill("#id_code", current_code(secret))
    page.get_by_role("button", name="确认").click()
    expect(page).to_have_url(f"{server.url}/desk/")
    expect(page.get_by_role("status")).to_contain_text("身份验证器已设置完成")
