"""End to end in chromium: a new website owner signs up, fills in the ICP filing application step by step (an error
appears under a field as they type, and goes away once corrected), uploads the scans, submits, and finds the
application "submitted" in its history and on the portal home."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.roles import UnitKind
from regdesk.filings.models import Filing, FilingState
from tests.accounts.helpers import PASSWORD, make_unit
from tests.browser.conftest import screenshot
from tests.filings.builders import filing_json

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = filing_json(0)
OWNER = DATA["owner"]
PERSON = OWNER["person_in_charge"]
WEBSITE = DATA["websites"][0]


@pytest.fixture
def filing_settings(settings: Settings, tmp_path: Path) -> None:
    settings.REGDESK_ICP_PROVIDER_NETWORKS = ["192.88.99.0/24"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def _scan(path: Path, colour: tuple[int, int, int]) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _sign_up(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/portal/signup/")
    page.fill("#id_username", "li.owner")
    page.fill("#id_email", "li.owner@example.cn")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.get_by_role("button", name="创建账户").click()
    expect(page).to_have_url(f"{server.url}/portal/")


def _first_questions(page: Page) -> None:
    """The questions that decide the form: an organisation, its province, one website."""
    page.get_by_label("单位：企业、事业单位、政府机关、社会团体等").check()
    page.select_option("#id_start-province", OWNER["address"]["province"])
    page.fill("#id_start-websites", "1")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("answers")).to_contain_text("单位备案")


def _owner_step(page: Page) -> None:
    page.select_option("#id_owner-nature", str(OWNER["nature"]))
    page.fill("#id_owner-name", OWNER["name"])
    page.select_option("#id_owner-certificate-type", str(OWNER["certificate"]["type"]))
    # A mistyped check character: the error appears under the field as one types, and nothing is stored.
    wrong = OWNER["certificate"]["number"][:-1] + ("X" if not OWNER["certificate"]["number"].endswith("X") else "Y")
    page.fill("#id_owner-certificate-number", wrong)
    error = page.get_by_test_id("error-owner.certificate.number")
    expect(error).to_have_text(re.compile(r"\S"))
    screenshot(page, "filing-owner-01-owner-step-error")
    page.fill("#id_owner-certificate-number", OWNER["certificate"]["number"])
    expect(error).to_have_text("")
    page.fill("#id_owner-certificate-address", OWNER["certificate"]["address"])
    page.select_option("#id_owner-address-province", OWNER["address"]["province"])
    expect(page.locator(f'#id_owner-address-city option[value="{OWNER["address"]["city"]}"]')).to_have_count(1)
    page.select_option("#id_owner-address-city", OWNER["address"]["city"])
    expect(page.locator(f'#id_owner-address-county option[value="{OWNER["address"]["county"]}"]')).to_have_count(1)
    page.select_option("#id_owner-address-county", OWNER["address"]["county"])
    page.fill("#id_owner-address-detail", OWNER["address"]["detail"])
    page.fill("#id_owner-investor", OWNER["investor"])
    screenshot(page, "filing-owner-02-owner-step")
    page.get_by_test_id("save-next").click()


def _person_step(page: Page) -> None:
    expect(page.get_by_test_id("step-title")).to_have_text("主体负责人")
    page.fill("#id_person-name", PERSON["name"])
    page.select_option("#id_person-document_type", str(PERSON["document_type"]))
    page.fill("#id_person-document_number", PERSON["document_number"])
    page.fill("#id_person-office_phone", PERSON["office_phone"])
    page.fill("#id_person-mobile", "1381234")
    expect(page.get_by_test_id("error-owner.person_in_charge.mobile")).to_contain_text("手机号码应为11位数字，以1开头")
    page.fill("#id_person-mobile", PERSON["mobile"])
    expect(page.get_by_test_id("error-owner.person_in_charge.mobile")).to_have_text("")
    page.fill("#id_person-email", PERSON["email"])
    screenshot(page, "filing-owner-03-person-step")
    page.get_by_test_id("save-next").click()


def _website_steps(page: Page) -> None:
    expect(page.get_by_test_id("no-websites")).to_be_visible()
    page.get_by_test_id("add-website").click()
    page.fill("#id_website0-name", WEBSITE["name"])
    page.fill("#id_website0-domains", "\n".join(WEBSITE["domains"]))
    page.fill("#id_website0-homepage_url", WEBSITE["homepage_url"])
    page.check(f'input[name="website0-service_contents"][value="{WEBSITE["service_contents"][0]}"]')
    expect(page.locator('input[name="website0-languages"][value="1"]')).to_be_checked()
    expect(page.locator("#id_same_as_owner")).to_be_checked()
    expect(page.locator("#website-person")).to_be_hidden()
    screenshot(page, "filing-owner-04-website")
    page.get_by_test_id("save-next").click()
    expect(page.get_by_test_id("website-row-0")).to_contain_text(WEBSITE["domains"][0])
    screenshot(page, "filing-owner-05-websites")
    page.get_by_test_id("save-next").click()


def _access_step(page: Page) -> None:
    access = WEBSITE["access"][0]
    page.select_option("#id_access0-method", str(access["method"]))
    page.select_option("#id_access0-server_location", OWNER["address"]["city"])
    page.fill("#id_access0-ip_ranges", "10.0.0.1")
    expect(page.get_by_test_id("error-websites[0].access[0].ip_ranges")).to_have_text(re.compile(r"\S"))
    page.fill("#id_access0-ip_ranges", access["ip_ranges"][0]["start"])
    expect(page.get_by_test_id("error-websites[0].access[0].ip_ranges")).to_have_text("")
    screenshot(page, "filing-owner-06-access")
    page.get_by_test_id("save-next").click()


def _documents_step(page: Page, tmp_path: Path) -> None:
    expect(page.get_by_test_id("step-title")).to_have_text("材料")
    for key, colour in (
        ("owner_certificate", (200, 40, 40)),
        ("owner_person_id_front", (40, 160, 40)),
        ("owner_person_id_back", (40, 40, 200)),
        ("domain_certificate-0", (160, 160, 40)),
    ):
        page.get_by_test_id(f"file-{key}").set_input_files(str(_scan(tmp_path / f"{key}.jpg", colour)))
        page.get_by_test_id(f"upload-{key}").click()
        expect(page.get_by_test_id(f"scan-state-{key}")).to_contain_text("已于")
    screenshot(page, "filing-owner-07-documents")
    page.get_by_test_id("save-next").click()


def test_a_new_owner_applies_step_by_step_and_submits(
    page: Page, server: LiveServer, filing_settings: None, tmp_path: Path
) -> None:
    make_unit("provider", UnitKind.PROVIDER)
    _sign_up(page, server)
    page.get_by_test_id("portal-new-filing").click()
    expect(page).to_have_url(f"{server.url}/portal/filings/new/")
    _first_questions(page)
    _owner_step(page)
    filing = Filing.objects.get()
    expect(page).to_have_url(f"{server.url}/portal/filings/{filing.pk}/person/")
    _person_step(page)
    _website_steps(page)
    _access_step(page)
    _documents_step(page, tmp_path)

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
