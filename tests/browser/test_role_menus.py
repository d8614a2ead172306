"""Each staff role of the demo logs in with its TOTP code and opens every entry of the desk menu it sees: none
answers 403 or 404. A screenshot of every page lands in test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts import totp
from regdesk.demo import credentials
from tests.browser.conftest import screenshot
from tests.web.pages import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("specialist", "clerk", "compliance", "auditor", "admin")


def _log_in(page: Page, server: LiveServer, username: str) -> None:
    login = credentials.load()[username]
    secret = login["totp_secret"]
    assert secret is not None
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", login["password"])
    page.get_by_role("button", name="继续").click()
    page.wait_for_url(f"{server.url}/accounts/login/verify/")
    page.fill("#id_code", totp.code_at(secret, timezone.now()))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{server.url}/desk/")


def test_every_role_opens_every_menu_entry_it_sees(browser: Browser, server: LiveServer, tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        load_demo(tmp_path)
        for username in ROLES:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            _log_in(page, server, username)
            menu = page.locator("nav.desk-navigation a")
            expect(menu.first).to_be_visible()
            entries = [(menu.nth(index).inner_text().strip(), menu.nth(index).get_attribute("href") or "")
                       for index in range(menu.count())]  # fmt: skip
            assert entries, username
            for number, (label, address) in enumerate(entries):
                response = page.goto(f"{server.url}{address}")
                assert response is not None
                assert response.status not in (403, 404), (username, label, address, response.status)
                expect(page.locator("[data-testid=error-page]")).to_have_count(0)
                screenshot(page, f"menu-{username}-{number:02d}")
            context.close()
