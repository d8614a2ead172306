"""End to end in chromium: a customer sees the lines registered under their ID after an SMS code (一证通查) sent
through the SMS simulator, and disputes one. The self-service pages are mounted here at /self-service/lines/, as
config/urls.py is meant to mount them."""

from __future__ import annotations

import re
from typing import cast

import pytest
from django.urls import URLPattern, URLResolver, include, path
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.roles import UnitKind
from regdesk.config.urls import urlpatterns as site_urlpatterns
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers.models import Channel, LineDispute
from regdesk.subscribers.services import HolderRecord, line_take_over, outlet_configure
from tests.accounts.helpers import make_unit
from tests.browser.conftest import screenshot
from tests.fixtures.simulators import SmsSimulatorHandle

urlpatterns: list[URLPattern | URLResolver] = [
    path("self-service/lines/", include("regdesk.subscribers.counter.self_service_urls")),
    *cast("list[URLPattern | URLResolver]", site_urlpatterns),
]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def test_a_customer_lists_their_lines_with_an_sms_code_and_disputes_one(
    page: Page, server: LiveServer, settings: Settings, use_sms_simulator: SmsSimulatorHandle
) -> None:
    settings.ROOT_URLCONF = __name__
    settings.TASKS = IMMEDIATE_TASKS
    provider = make_unit("provider", UnitKind.PROVIDER)
    outlet = OrgUnit.objects.create(code="bj-hall", name="朝阳营业厅", kind=UnitKind.OUTLET, parent=provider)
    outlet_configure(actor=None, unit=outlet, channel=Channel.OWN_HALL)
    person = next(p for p in reader_sim.sample_people() if p["status"] == "valid")
    holder = HolderRecord(
        kind="individual", document_type="resident_id", number=person["id_number"], name=person["name"], address="北京"
    )
    lines = [
        line_take_over(
            actor=None,
            outlet=outlet,
            number=number,
            line_kind="mobile",
            payment="prepaid",
            status="active",
            real_name_state="registered",
            holder=holder,
        )
        for number in ("13800138001", "13800138002")
    ]

    page.goto(f"{server.url}/self-service/lines/")
    page.fill("#id_document_number", person["id_number"])
    page.fill("#id_line_number", "13800138002")
    screenshot(page, "self-service-start")
    page.get_by_role("button", name="发送验证码").click()
    expect(page).to_have_url(f"{server.url}/self-service/lines/code/")
    [message] = use_sms_simulator.messages()
    assert message["to"].endswith("13800138002")
    match = re.search(r"\d{6}", message["text"])
    assert match is not None
    page.fill("#id_code", match.group(0))
    page.get_by_role("button", name="查看我的号码").click()
    expect(page).to_have_url(f"{server.url}/self-service/lines/mine/")
    rows = page.get_by_test_id("line-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("lines")).to_contain_text("138****8001")
    assert "13800138001" not in page.content()
    screenshot(page, "self-service-lines")

    first = rows.first
    first.locator("summary").click()
    first.locator("textarea").fill("我从未办理过这个号码。")
    first.get_by_role("button", name="对该号码提出异议").click()
    expect(page.get_by_role("status").first).to_contain_text("已受理")
    screenshot(page, "self-service-disputed")
    assert LineDispute.objects.get().line_id == lines[0].pk
