"""End to end in chromium: a counter clerk logs in with a TOTP code and registers a mobile line with a card read on
the counter's reader: ``regdesk reader-agent`` (a separate process, with the enrolled device key under the test's
``REGDESK_VAR_DIR``) sends the reading and it appears on the clerk's page by itself, nothing typed or pasted;
against the identity-check and face-match simulators; the form prints as a PDF and the customer signs on the pad.
The journey is walked with a browser that asks for Chinese and with one that asks for English. Then a hand-typed
resident ID number is refused, and so is a sixth line for an ID that already holds five."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers.models import Channel, Line, LineStatus
from regdesk.subscribers.services import HolderRecord, line_take_over, outlet_configure, reader_enrol
from tests.accounts.helpers import enrol_totp, make_unit, make_user
from tests.browser import filing_steps
from tests.browser.conftest import log_in_staff, regdesk_command, screenshot
from tests.browser.filing_steps import log_in_with_totp
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Words:
    """What the counter journey reads and clicks on the pages, in one language (its ``locale`` for the browser;
    ``login`` for the staff login's buttons). The states are also told by their code (``state-<code>``)."""

    locale: str
    login: filing_steps.Words
    menu: str
    start: str
    place_the_card: str
    started: str
    identity_captured: str
    checks_passed: str
    registered: str
    identity_confirmed: str
    line_registered: str


ZH = Words(
    locale="zh-CN",
    login=filing_steps.ZH,
    menu="实名登记",
    start="开始",
    place_the_card="请将证件放在读卡器上",
    started="待采集证件",
    identity_captured="证件已采集，待核验",
    checks_passed="核验通过，可办结",
    registered="已实名登记",
    identity_confirmed="公安身份核验一致",
    line_registered="号码 {number} 已完成实名登记。",
)
EN = Words(
    locale="en-GB",
    login=filing_steps.EN,
    menu="Real-name registration",
    start="Start",
    place_the_card="Place the card on the reader",
    started="waiting for the identity documents",
    identity_captured="identity captured, checks to run",
    checks_passed="checks passed, ready to complete",
    registered="registered",
    identity_confirmed="confirmed by the national identity service",
    line_registered="The line {number} is registered.",
)


@dataclass
class Counter:
    outlet: OrgUnit
    clerk: User
    secret: str
    device_id: str
    var_dir: Path
    sample: int
    person: dict[str, Any]

    def lay_card_on_reader(self, server: LiveServer) -> None:
        """The card on the counter's reader: ``regdesk reader-agent`` (a separate process, as on the counter's
        computer) sends its signed reading to the server."""
        output = regdesk_command(
            "reader-agent",
            "--server",
            server.url,
            "--device",
            self.device_id,
            "--sample",
            str(self.sample),
            var_dir=self.var_dir,
        )
        assert "reading" in output

    def camera_photo(self, sample: int | None = None) -> Path:
        """The counter camera's photo of the same person (``regdesk reader-sim photo``), or of another sample."""
        chosen = self.sample if sample is None else sample
        output = self.var_dir / f"live-{chosen}.jpg"
        regdesk_command("reader-sim", "photo", "--sample", str(chosen), "--output", str(output), var_dir=self.var_dir)
        return output


def ordinary_sample(skip: int = 0) -> int:
    """The first sample cardholder (after ``skip`` of them) whose identity check and face match pass."""
    ordinary = [
        index
        for index, person in enumerate(reader_sim.sample_people())
        if person["status"] == "valid" and not person.get("photo_never_matches") and "·" not in person["name"]
    ]
    return ordinary[skip]


@pytest.fixture
def counter(
    tmp_path: Path,
    settings: Settings,
    use_identity_simulator: IdentitySimulatorHandle,
    use_face_match_simulator: FaceMatchSimulatorHandle,
) -> Counter:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.REGDESK_GATEWAY_ATTEMPTS = 1
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("bj-branch", UnitKind.BRANCH, provider)
    outlet = OrgUnit.objects.create(
        code="bj-chaoyang-hall", name="朝阳大悦城营业厅", kind=UnitKind.OUTLET, parent=branch
    )
    outlet_configure(actor=None, unit=outlet, channel=Channel.OWN_HALL)
    clerk = make_user("li.clerk", (outlet, Role.COUNTER_CLERK))
    secret = enrol_totp(clerk)
    var_dir = tmp_path / "var"
    device = json.loads(regdesk_command("reader-sim", "enrol", "--outlet", outlet.code, var_dir=var_dir))
    reader_enrol(actor=None, outlet=outlet, public_key=device["public_key"], label="counter 1")
    sample = ordinary_sample()
    return Counter(
        outlet=outlet,
        clerk=clerk,
        secret=secret,
        device_id=device["device_id"],
        var_dir=var_dir,
        sample=sample,
        person=reader_sim.sample_people()[sample],
    )


@pytest.fixture
def page_in(browser: Browser, words: Words) -> Iterator[Page]:
    """A page in a browser that asks for the language of ``words``."""
    context = browser.new_context(locale=words.locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def expect_state(page: Page, code: str, text: str) -> None:
    state = page.get_by_test_id("state")
    expect(state).to_have_class(re.compile(rf"\bstate-{code}\b"))
    expect(state).to_have_text(text)


def start_registration(page: Page, server: LiveServer, counter: Counter, number: str, words: Words = ZH) -> None:
    page.goto(f"{server.url}/desk/subscribers/counter/outlets/{counter.outlet.code}/")
    page.select_option("#id_service", "open_mobile")
    page.fill("#id_number", number)
    page.locator("#start-form").get_by_role("button", name=words.start, exact=True).click()
    expect_state(page, "started", words.started)


def read_and_capture(page: Page, server: LiveServer, counter: Counter) -> None:
    expect(page.get_by_test_id("reader-wait")).to_contain_text(ZH.place_the_card)
    counter.lay_card_on_reader(server)
    expect(page.get_by_test_id("id-card-subscriber")).to_be_visible()
    page.get_by_test_id("capture-identity").click()
    expect_state(page, "identity_captured", ZH.identity_captured)


@pytest.mark.parametrize("words", [ZH, EN], ids=["zh", "en"])
def test_a_clerk_registers_a_line_with_a_card_reading(
    words: Words, page_in: Page, server: LiveServer, counter: Counter
) -> None:
    page = page_in
    shots = f"counter-{words.locale}"
    card = reader_sim.card_of(counter.person)
    log_in_with_totp(page, server, "li.clerk", counter.secret, words.login)
    page.get_by_role("link", name=words.menu, exact=True).click()
    expect(page).to_have_url(f"{server.url}/desk/subscribers/counter/outlets/{counter.outlet.code}/")
    expect(page.get_by_role("heading", name="朝阳大悦城营业厅")).to_be_visible()
    screenshot(page, f"{shots}-outlet")

    start_registration(page, server, counter, "13912345678", words)
    expect(page.get_by_test_id("reader-wait")).to_contain_text(words.place_the_card)
    screenshot(page, f"{shots}-waiting-for-the-reader")
    # Nothing is typed or pasted: the reader agent sends the reading and the page shows it by itself.
    counter.lay_card_on_reader(server)
    reading = page.get_by_test_id("id-card-subscriber")
    masked_number = card["id_number"][:4] + "*" * 10 + card["id_number"][-4:]
    expect(reading.get_by_test_id("masked-number")).to_have_text(masked_number)
    expect(reading.get_by_test_id("masked-name")).to_contain_text("*")
    expect(reading.get_by_test_id("masked-address")).not_to_have_text(card["address"])
    photo = reading.get_by_test_id("id-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("image => image.complete && image.naturalWidth > 0")
    assert card["id_number"] not in page.content()
    screenshot(page, f"{shots}-reading-verified")

    page.get_by_test_id("capture-identity").click()
    expect_state(page, "identity_captured", words.identity_captured)
    page.set_input_files("#id_live_photo", str(counter.camera_photo()))
    screenshot(page, f"{shots}-identity-captured")
    page.get_by_test_id("run-checks").click()
    expect_state(page, "checks_passed", words.checks_passed)
    expect(page.get_by_test_id("checks")).to_contain_text(words.identity_confirmed)
    screenshot(page, f"{shots}-checks-passed")

    page.get_by_test_id("complete").click()
    expect_state(page, "registered", words.registered)
    expect(page.get_by_test_id("outcome")).to_contain_text(words.line_registered.format(number="139****5678"))
    screenshot(page, f"{shots}-registered")

    # The printed form: a PDF (in both languages) with the masked ID and the outlet, read back with pdftotext.
    form = page.request.get(server.url + (page.get_by_test_id("print-form").get_attribute("href") or ""))
    assert (form.status, form.headers["content-type"]) == (200, "application/pdf")
    pdf = counter.var_dir / "registration-form.pdf"
    pdf.write_bytes(form.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert masked_number in text
    assert card["id_number"] not in text
    assert "朝阳大悦城营业厅" in text
    assert "Registration form and service agreement" in text
    # The customer signs on the pad (a canvas, drawn with the mouse).
    pad = page.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + box["height"] * (0.7 - 0.4 * (step % 2)))
    page.mouse.up()
    screenshot(page, f"{shots}-customer-signs")
    page.get_by_test_id("keep-signature").click()
    expect(page.get_by_test_id("signed")).to_be_visible()
    screenshot(page, f"{shots}-signature-kept")
    line = Line.objects.get()
    assert (line.number.reveal(), line.status) == ("13912345678", LineStatus.ACTIVE)


def test_a_hand_typed_resident_id_is_refused(page: Page, server: LiveServer, counter: Counter) -> None:
    card = reader_sim.card_of(counter.person)
    log_in_staff(page, server, "li.clerk", counter.secret)
    start_registration(page, server, counter, "13912345679")
    document = page.get_by_test_id("subscriber-document")
    document.get_by_label("其他证件，按证件手工录入").check()
    document.locator("summary").click()
    page.select_option("#id_subscriber_document_type", "resident_id")
    page.fill("#id_subscriber_number", card["id_number"])
    page.fill("#id_subscriber_name", card["name"])
    page.fill("#id_subscriber_address", card["address"])
    page.get_by_test_id("capture-identity").click()
    expect(document.get_by_test_id("field-errors")).to_contain_text("禁止人工录入居民身份证信息")
    expect_state(page, "started", ZH.started)
    screenshot(page, "counter-typed-resident-id-refused")


def test_a_sixth_line_for_an_id_holding_five_is_refused(page: Page, server: LiveServer, counter: Counter) -> None:
    card = reader_sim.card_of(counter.person)
    holder = HolderRecord(
        kind="individual", document_type="resident_id", number=card["id_number"], name=card["name"], address="北京市"
    )
    for serial in range(5):
        line_take_over(
            actor=None,
            outlet=counter.outlet,
            number=f"1370000000{serial}",
            line_kind="mobile",
            payment="prepaid",
            status="active",
            real_name_state="registered",
            holder=holder,
        )
    log_in_staff(page, server, "li.clerk", counter.secret)
    start_registration(page, server, counter, "13912345680")
    read_and_capture(page, server, counter)
    page.set_input_files("#id_live_photo", str(counter.camera_photo()))
    page.get_by_test_id("run-checks").click()
    expect_state(page, "refused", "已拒绝办理")
    expect(page.get_by_test_id("refusal-message")).to_contain_text("该证件已有 5 个在用号码")
    screenshot(page, "counter-per-id-limit")
    assert Line.objects.count() == 5


def test_a_low_face_match_goes_to_the_supervisor_who_approves(page: Page, server: LiveServer, counter: Counter) -> None:
    branch = counter.outlet.parent
    assert branch is not None
    supervisor = make_user("wang.supervisor", (branch, Role.COUNTER_CLERK))
    supervisor_secret = enrol_totp(supervisor)
    log_in_staff(page, server, "li.clerk", counter.secret)
    start_registration(page, server, counter, "13912345681")
    read_and_capture(page, server, counter)
    # Someone else stands at the counter: the camera photo shows another face.
    page.set_input_files("#id_live_photo", str(counter.camera_photo(ordinary_sample(skip=1))))
    page.get_by_test_id("run-checks").click()
    expect_state(page, "awaiting_supervisor", "待主管审核")
    expect(page.get_by_test_id("outcome")).to_contain_text("低于阈值")
    expect(page.get_by_test_id("complete")).to_have_count(0)
    screenshot(page, "counter-awaiting-supervisor")
    page.get_by_role("button", name="退出登录").click()

    log_in_staff(page, server, "wang.supervisor", supervisor_secret)
    page.goto(f"{server.url}/desk/subscribers/counter/")
    queue = page.get_by_test_id("registrations")
    expect(queue).to_contain_text("139****5681")
    queue.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="主管审核")).to_be_visible()
    expect(page.get_by_test_id("photos").locator("img")).to_have_count(2)
    screenshot(page, "counter-supervisor-decision")
    page.get_by_label("通过：办理人即证件持有人").check()
    page.fill("#id_note", "Compared the card with the customer in person: new glasses, same person.")
    page.get_by_test_id("decide").click()
    expect(page.get_by_role("status").first).to_contain_text("已审核通过")
    expect(page.get_by_test_id("registrations")).to_have_count(0)
