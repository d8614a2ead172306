"""End to end in chromium: a new website owner signs up, fills in the ICP filing application step by step (an error
appears under a field as they type, and goes away once corrected), uploads the scans, submits, and finds the
application "submitted" in its history and on the portal home."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.roles import UnitKind
from regdesk.filings.models import Filing, FilingState
from tests.accounts.helpers import make_unit
from tests.browser.conftest import screenshot
from tests.browser.filing_steps import (
    access_step,
    documents_step,
    first_questions,
    owner_step,
    person_step,
    sign_up,
    website_steps,
)
from tests.filings.builders import filing_json

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PERSON = filing_json(0)["owner"]["person_in_charge"]


@pytest.fixture
def filing_settings(settings: Settings, tmp_path: Path) -> None:
    settings.REGDESK_ICP_PROVIDER_NETWORKS = ["192.88.99.0/24"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def test_a_new_owner_applies_step_by_step_and_submits(
    page: Page, server: LiveServer, filing_settings: None, tmp_path: Path
) -> None:
    make_unit("provider", UnitKind.PROVIDER)
    sign_up(page, server)
    page.get_by_test_id("portal-new-filing").click()
    expect(page).to_have_url(f"{server.url}/portal/filings/new/")
    first_questions(page)
    owner_step(page)
    filing = Filing.objects.get()
    expect(page).to_have_url(f"{server.url}/portal/filings/{filing.pk}/person/")
    person_step(page)
    website_steps(page)
    access_step(page)
    documents_step(page, tmp_path)

    expect(page.get_by_test_id("review-ready")).to_be_visible()
    expect(page.get_by_test_id("application-sections")).not_to_contain_text(PERSON["mobile"])
    screenshot(page, "filing-owner-08-review")
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("application-sections")).to_contain_text(PERSON["mobile"])
    page.get_by_test_id("submit").click()

    expect(page).to_have_url(f"{server.url}/portal/filings/{filing.pk}/")
    expect(page.get_by_test_id("filing-state")).to_have_attribute("data-state", "submitted")
    expect(page.get_by_test_id("filing-state")).to_have_text("已提交")
    submitted = page.get_by_test_id("timeline").locator('[data-action="submit"]')
    expect(submitted).to_contain_text("已提交申请")
    screenshot(page, "filing-owner-09-status")
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED

    page.goto(f"{server.url}/portal/")
    expect(page.get_by_test_id(f"my-filing-{filing.pk}")).to_contain_text("已提交")
    screenshot(page, "filing-owner-10-portal-home")
    page.get_by_test_id(f"my-filing-{filing.pk}").get_by_role("link").click()
    expect(page.get_by_test_id("filing-reference")).to_have_text(str(filing))
