"""In chromium: a compliance officer logs in with TOTP, opens the real-name-rate report, and Chart.js draws the rate
by unit and the rate over time (with the target); the XLSX download starts from the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from regdesk.audit.models import AuditEvent
from tests.accounts.helpers import enrol_totp
from tests.browser.conftest import log_in_staff, screenshot
from tests.subscribers.test_report_dataset import build_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_draws_its_charts_and_downloads(page: Page, server: LiveServer) -> None:
    dataset = build_dataset()
    secret = enrol_totp(dataset.users["compliance"])
    log_in_staff(page, server, "compliance", secret)

    page.goto(f"{server.url}/desk/subscribers/reports/?unit=provider")
    expect(page.get_by_role("heading", name="实名登记率", exact=True)).to_be_visible()
    expect(page.get_by_test_id("overall-rate")).to_have_text("73.33%")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart('chart-rate-by-unit') && Chart.getChart('chart-rate-over-time')"
    )
    # A bar for every unit of the table: the provider, its two branches, the agent and the outlets.
    bars = page.evaluate("() => Chart.getChart('chart-rate-by-unit').data.datasets[0].data")
    assert bars == [73.33, 60, 33.33, 33.33, 75, 66.67, 100, 100]
    rows = page.get_by_test_id("report-by-unit").locator("tbody tr")
    expect(rows).to_have_count(len(bars))
    target = page.evaluate("() => Chart.getChart('chart-rate-over-time').data.datasets[1].data.at(-1)")
    assert target == 100
    screenshot(page, "realname-rate-report")

    with page.expect_download() as download_info:
        page.get_by_test_id("download-xlsx").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    assert AuditEvent.objects.filter(action="realname_report.export").count() == 1
