"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

Browsers are never downloaded here (no ``playwright install``): ``/usr/bin/chromium`` comes from Debian.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.accounts.helpers import with_account_middleware

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def _account_middleware_session() -> Iterator[None]:
    # Must be in force before the live server builds its handler (and loads the middleware) once per session.
    override = override_settings(MIDDLEWARE=with_account_middleware(list(django_settings.MIDDLEWARE)))
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def server(_account_middleware_session: None, live_server: LiveServer) -> LiveServer:
    return live_server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # zh-CN makes the browser ask for Chinese, the product's first language.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in_staff(page: Page, server: LiveServer, username: str, secret: str) -> None:
    """Staff login through the pages: password, then the TOTP code of the user's authenticator (``enrol_totp``)."""
    from tests.accounts.helpers import PASSWORD, current_code

    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="继续").click()
    page.wait_for_url(f"{server.url}/accounts/login/verify/")
    page.fill("#id_code", current_code(secret))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{server.url}/desk/")


def regdesk_command(*arguments: str, var_dir: Path) -> str:
    """Run the ``regdesk`` console command of this virtual environment (a separate process, as at a desk) with
    ``REGDESK_VAR_DIR`` set, and return its standard output."""
    import subprocess
    import sys

    command = Path(sys.executable).parent / "regdesk"
    result = subprocess.run(
        [str(command), *arguments],
        env={**os.environ, "REGDESK_VAR_DIR": str(var_dir)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout
