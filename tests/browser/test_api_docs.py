"""The Swagger UI of /api/v1/docs in a real browser with no way out: it draws the API from our own static files
under the Content-Security-Policy (it used to load from a CDN and show a blank page without internet), and the
desk's login page runs with no policy violation either."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page: Page, server: LiveServer) -> tuple[list[str], list[str]]:
    """Refuse every request that leaves the live server; collect them and the policy violations the page logs."""
    outside: list[str] = []
    violations: list[str] = []
    own = urlsplit(server.url).netloc

    def route(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == own or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.route("**/*", route)
    page.on("console", console)
    return outside, violations


def test_the_api_docs_work_offline_under_the_policy(page: Page, server: LiveServer) -> None:
    outside, violations = offline(page, server)
    page.goto(f"{server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("regdesk API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    screenshot(page, "api-docs")
    assert outside == []
    assert violations == []


def test_the_login_page_runs_without_a_policy_violation(page: Page, server: LiveServer) -> None:
    outside, violations = offline(page, server)
    page.goto(f"{server.url}/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("window.htmx.config.includeIndicatorStyles") is False
    assert outside == []
    assert violations == []
