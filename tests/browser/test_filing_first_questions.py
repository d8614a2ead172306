"""End to end in chromium: a new application starts with the questions that decide its form, in Chinese and in
English. An individual in Sichuan is offered only a person's documents and no investor; an organisation's nature
leaves only the certificates of its kind; a wrong answer is explained under its question."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.roles import Role, UnitKind
from tests.accounts.helpers import PASSWORD, make_unit, make_user
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SICHUAN = "510000"


def _log_in_owner(page: Page, server: LiveServer) -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    make_user("wang.owner", (provider, Role.WEBSITE_OWNER))
    page.goto(f"{server.url}/portal/login/")
    page.fill("#id_username", "wang.owner")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{server.url}/portal/")


def test_the_first_questions_shape_the_form_in_chinese(page: Page, server: LiveServer) -> None:
    _log_in_owner(page, server)
    page.goto(f"{server.url}/portal/filings/new/")
    questions = page.get_by_test_id("first-questions")
    expect(questions).to_contain_text("网站由谁开办？")
    expect(questions).to_contain_text("主办者所在省份")
    expect(page.get_by_test_id("step-form")).to_have_count(0)
    # No answer: each question says what to do.
    page.fill("#id_start-websites", "0")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("error-start-kind")).to_have_text("请选择网站由单位还是个人开办。")
    expect(page.get_by_test_id("error-start-websites")).to_have_text("至少备案一个网站。")
    screenshot(page, "first-questions-zh-errors")

    page.get_by_label("个人：以个人身份备案个人网站").check()
    page.select_option("#id_start-province", SICHUAN)
    page.fill("#id_start-websites", "2")
    screenshot(page, "first-questions-zh")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("answers")).to_contain_text("个人备案")
    expect(page.get_by_test_id("answers")).to_contain_text("2个网站")
    expect(page.locator("#id_owner-nature option")).to_have_count(1)
    expect(page.locator("#id_owner-certificate-type")).to_contain_text("居民身份证")
    expect(page.locator("#id_owner-certificate-type")).not_to_contain_text("营业执照")
    expect(page.locator("#id_owner-investor")).to_have_count(0)
    expect(page.locator("#id_owner-address-province")).to_have_value(SICHUAN)
    expect(page.get_by_test_id("steps").locator('[data-step="owner"]')).to_have_attribute("data-status", "not_started")
    screenshot(page, "first-questions-zh-individual-owner-step")

    page.get_by_test_id("change-answers").click()
    page.get_by_label("单位：企业、事业单位、政府机关、社会团体等").check()
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("answers")).to_contain_text("单位备案")
    page.select_option("#id_owner-nature", "6")  # 社会团体: only its registration certificate fits
    certificate = page.locator("#id_owner-certificate-type")
    expect(certificate.locator('option[value="8"]')).to_be_enabled()
    expect(certificate.locator('option[value="1"]')).to_be_disabled()
    expect(certificate.locator('option[value="2"]')).to_have_count(0)
    screenshot(page, "first-questions-zh-organisation-owner-step")


def test_the_first_questions_in_english(page: Page, server: LiveServer) -> None:
    _log_in_owner(page, server)
    page.goto(f"{server.url}/portal/filings/new/")
    page.get_by_role("button", name="English").click()
    questions = page.get_by_test_id("first-questions")
    expect(questions).to_contain_text("Who runs the websites?")
    expect(questions).to_contain_text("In which province is the owner registered?")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("error-start-kind")).to_have_text(
        "Choose whether an organisation or an individual runs the websites."
    )
    page.get_by_label("An individual: a private person filing a personal website").check()
    page.select_option("#id_start-province", SICHUAN)
    screenshot(page, "first-questions-en")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("answers")).to_contain_text("An individual files")
    expect(page.get_by_test_id("answers")).to_contain_text("1 website")
    expect(page.locator("#id_owner-certificate-type")).to_contain_text("Resident identity card")
    screenshot(page, "first-questions-en-individual-owner-step")
