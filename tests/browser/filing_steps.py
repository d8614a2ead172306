"""Steps of the ICP filing journey in chromium, shared by the browser tests: the owner's application in the portal
(first questions, each step, the scans) and the specialist's work on the desk (TOTP login, contact verification,
the on-site verification). Each step takes the filing's data (``tests.filings.builders.filing_json``) and the
words of the pages in the browser's language (``ZH`` or ``EN``), so that a journey can be walked for any owner in
either language."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer
from skimage import data as pictures

from regdesk.simulators.province import config as province_config
from tests.accounts.helpers import PASSWORD, current_code
from tests.browser.conftest import screenshot
from tests.filings.builders import filing_json, scan
from tests.fixtures.simulators import ProvinceSimulatorHandle

T = TypeVar("T")
DATA = filing_json(0)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def deploy_as_for_the_demo(
    settings: Settings,
    tmp_path: Path,
    server: LiveServer,
    province: ProvinceSimulatorHandle,
    *,
    province_code: int,
    authority: str,
) -> None:
    """The application as deployed for the demo: tasks run at once, uploads go out as they commit, links in e-mails
    point at the live server, and the provider's own province system (``province_code``) files the provider's
    network and reviews every upload at once."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REGDESK_ICP_PROVIDER_NETWORKS = ["192.88.99.0/24"]
    settings.REGDESK_PROVIDER_NAME = "华信云网络科技有限公司"
    settings.REGDESK_PROVIDER_LICENCE = "B1-20260000"
    settings.REGDESK_PROVIDER_SEAL_FILE = str(tmp_path / "keys" / "seal.png")
    settings.REGDESK_CERTIFICATE_KEY_FILE = str(tmp_path / "keys" / "certificate-key.pem")
    settings.REGDESK_PUBLIC_BASE_URL = server.url
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    settings.REGDESK_ICP_INTAKE_UNIT = "branch"
    account: dict[str, Any] = {**province_config.DEFAULTS["accounts"][0], "filed_ip_ranges": ["192.88.99.0/24"]}
    province.configure(
        {
            "accounts": [account],
            "province": {"code": province_code, "authority": authority},
            "review": {**province_config.DEFAULTS["review"], "delay_seconds": 0},
        }
    )
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}
    settings.STORAGES = {**settings.STORAGES, "default": storage}


@dataclass(frozen=True)
class Words:
    """What the journey reads and clicks on the pages, in one language (its ``locale`` for the browser)."""

    locale: str
    create_account: str
    organisation: str
    organisation_files: str
    person_step: str
    mobile_error: str
    documents_step: str
    uploaded: str
    proceed: str
    verify: str
    confirm: str
    icp_filing: str
    sms: str
    code_read_out: str
    confirm_code: str
    send_onsite_notice: str
    onsite_heading: str
    save_checklist: str
    checklist_saved: str
    store_photo: str
    record_comparison: str
    show_photo: str
    store_copy: str
    place: str
    generate_form: str
    submit_to_regulator: str


ZH = Words(
    locale="zh-CN",
    create_account="创建账户",
    organisation="单位：企业、事业单位、政府机关、社会团体等",
    organisation_files="单位备案",
    person_step="主体负责人",
    mobile_error="手机号码应为11位数字，以1开头",
    documents_step="材料",
    uploaded="已于",
    proceed="继续",
    verify="验证",
    confirm="确认",
    icp_filing="ICP备案",
    sms="短信",
    code_read_out="负责人读出的验证码",
    confirm_code="确认验证码",
    send_onsite_notice="发送当面核验通知",
    onsite_heading="当面核验",
    save_checklist="保存查验清单",
    checklist_saved="原件查验清单已保存",
    store_photo="保存照片",
    record_comparison="记录比对结果",
    show_photo="查看照片",
    store_copy="留存",
    place="核验地点",
    generate_form="生成核验单",
    submit_to_regulator="报送管局",
)
EN = Words(
    locale="en-GB",
    create_account="Create account",
    organisation="An organisation: an enterprise, a public institution, a government body, an association",
    organisation_files="An organisation files",
    person_step="Person in charge",
    mobile_error="must be 11 digits starting with 1",
    documents_step="Documents",
    uploaded="Uploaded",
    proceed="Continue",
    verify="Verify",
    confirm="Confirm",
    icp_filing="ICP filings",
    sms="SMS",
    code_read_out="Code read out by the person in charge",
    confirm_code="Confirm the code",
    send_onsite_notice="Send the on-site verification notice",
    onsite_heading="On-site verification",
    save_checklist="Save the checklist",
    checklist_saved="The checklist of originals seen is saved.",
    store_photo="Store the photo",
    record_comparison="Record the comparison",
    show_photo="Show the photo",
    store_copy="Store",
    place="Place of the verification",
    generate_form="Generate the form",
    submit_to_regulator="Submit to the regulator",
)


def eventually(produce: Callable[[], T | None], *, seconds: float = 15.0) -> T:
    """The first truthy answer of ``produce`` (messages reach the simulators after the request's commit)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = produce()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError("nothing arrived")
        time.sleep(0.1)


# --------------------------------------------------------------------------------------------------------------
# The owner, in the portal


def colour_scan(path: Path, colour: tuple[int, int, int]) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_up(page: Page, server: LiveServer, username: str = "li.owner", words: Words = ZH) -> None:
    page.goto(f"{server.url}/portal/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.cn")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.get_by_role("button", name=words.create_account).click()
    expect(page).to_have_url(f"{server.url}/portal/")


def first_questions(page: Page, data: dict[str, Any] = DATA, words: Words = ZH) -> None:
    """The questions that decide the form: an organisation, its province, its websites."""
    page.get_by_label(words.organisation).check()
    page.select_option("#id_start-province", data["owner"]["address"]["province"])
    page.fill("#id_start-websites", str(len(data["websites"])))
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("answers")).to_contain_text(words.organisation_files)


def owner_step(page: Page, data: dict[str, Any] = DATA, *, shots: str = "filing-owner") -> None:
    owner = data["owner"]
    page.select_option("#id_owner-nature", str(owner["nature"]))
    page.fill("#id_owner-name", owner["name"])
    page.select_option("#id_owner-certificate-type", str(owner["certificate"]["type"]))
    # A mistyped check character: the error appears under the field as one types, and nothing is stored.
    number = owner["certificate"]["number"]
    wrong = number[:-1] + ("X" if not number.endswith("X") else "Y")
    page.fill("#id_owner-certificate-number", wrong)
    error = page.get_by_test_id("error-owner.certificate.number")
    expect(error).to_have_text(re.compile(r"\S"))
    screenshot(page, f"{shots}-01-owner-step-error")
    page.fill("#id_owner-certificate-number", number)
    expect(error).to_have_text("")
    page.fill("#id_owner-certificate-address", owner["certificate"]["address"])
    # Each choice loads the next level's options (portal.js); wait for them, or a late answer for the province
    # would replace the cities after one was chosen (the first questions already rendered the province's cities).
    with page.expect_response(lambda response: "parent=" in response.url):
        page.select_option("#id_owner-address-province", owner["address"]["province"])
    expect(page.locator(f'#id_owner-address-city option[value="{owner["address"]["city"]}"]')).to_have_count(1)
    with page.expect_response(lambda response: "parent=" in response.url):
        page.select_option("#id_owner-address-city", owner["address"]["city"])
    expect(page.locator(f'#id_owner-address-county option[value="{owner["address"]["county"]}"]')).to_have_count(1)
    page.select_option("#id_owner-address-county", owner["address"]["county"])
    expect(page.locator("#id_owner-address-city")).to_have_value(owner["address"]["city"])
    page.fill("#id_owner-address-detail", owner["address"]["detail"])
    page.fill("#id_owner-investor", owner["investor"])
    screenshot(page, f"{shots}-02-owner-step")
    page.get_by_test_id("save-next").click()


def person_step(page: Page, data: dict[str, Any] = DATA, words: Words = ZH, *, shots: str = "filing-owner") -> None:
    person = data["owner"]["person_in_charge"]
    expect(page.get_by_test_id("step-title")).to_have_text(words.person_step)
    page.fill("#id_person-name", person["name"])
    page.select_option("#id_person-document_type", str(person["document_type"]))
    page.fill("#id_person-document_number", person["document_number"])
    page.fill("#id_person-office_phone", person["office_phone"])
    page.fill("#id_person-mobile", "1381234")
    expect(page.get_by_test_id("error-owner.person_in_charge.mobile")).to_contain_text(words.mobile_error)
    page.fill("#id_person-mobile", person["mobile"])
    expect(page.get_by_test_id("error-owner.person_in_charge.mobile")).to_have_text("")
    page.fill("#id_person-email", person["email"])
    screenshot(page, f"{shots}-03-person-step")
    page.get_by_test_id("save-next").click()


def website_steps(page: Page, data: dict[str, Any] = DATA, *, shots: str = "filing-owner") -> None:
    website = data["websites"][0]
    expect(page.get_by_test_id("no-websites")).to_be_visible()
    page.get_by_test_id("add-website").click()
    page.fill("#id_website0-name", website["name"])
    page.fill("#id_website0-domains", "\n".join(website["domains"]))
    page.fill("#id_website0-homepage_url", website["homepage_url"])
    page.check(f'input[name="website0-service_contents"][value="{website["service_contents"][0]}"]')
    expect(page.locator('input[name="website0-languages"][value="1"]')).to_be_checked()
    expect(page.locator("#id_same_as_owner")).to_be_checked()
    expect(page.locator("#website-person")).to_be_hidden()
    screenshot(page, f"{shots}-04-website")
    page.get_by_test_id("save-next").click()
    expect(page.get_by_test_id("website-row-0")).to_contain_text(website["domains"][0])
    screenshot(page, f"{shots}-05-websites")
    page.get_by_test_id("save-next").click()


def access_step(page: Page, data: dict[str, Any] = DATA, *, shots: str = "filing-owner") -> None:
    access = data["websites"][0]["access"][0]
    page.select_option("#id_access0-method", str(access["method"]))
    page.select_option("#id_access0-server_location", data["owner"]["address"]["city"])
    page.fill("#id_access0-ip_ranges", "10.0.0.1")
    expect(page.get_by_test_id("error-websites[0].access[0].ip_ranges")).to_have_text(re.compile(r"\S"))
    page.fill("#id_access0-ip_ranges", access["ip_ranges"][0]["start"])
    expect(page.get_by_test_id("error-websites[0].access[0].ip_ranges")).to_have_text("")
    screenshot(page, f"{shots}-06-access")
    page.get_by_test_id("save-next").click()


def documents_step(page: Page, tmp_path: Path, words: Words = ZH, *, shots: str = "filing-owner") -> None:
    expect(page.get_by_test_id("step-title")).to_have_text(words.documents_step)
    for key, colour in (
        ("owner_certificate", (200, 40, 40)),
        ("owner_person_id_front", (40, 160, 40)),
        ("owner_person_id_back", (40, 40, 200)),
        ("domain_certificate-0", (160, 160, 40)),
    ):
        page.get_by_test_id(f"file-{key}").set_input_files(str(colour_scan(tmp_path / f"{key}.jpg", colour)))
        page.get_by_test_id(f"upload-{key}").click()
        expect(page.get_by_test_id(f"scan-state-{key}")).to_contain_text(words.uploaded)
    screenshot(page, f"{shots}-07-documents")
    page.get_by_test_id("save-next").click()


# --------------------------------------------------------------------------------------------------------------
# The specialist, on the desk


def log_in_with_totp(page: Page, server: LiveServer, username: str, secret: str, words: Words = ZH) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=words.proceed).click()
    expect(page).to_have_url(f"{server.url}/accounts/login/verify/")
    page.fill("#id_code", current_code(secret))
    page.get_by_role("button", name=words.verify).click()
    expect(page).to_have_url(f"{server.url}/desk/")


def confirm_mail_link(
    browser: Browser, server: LiveServer, mail: Any, data: dict[str, Any] = DATA, words: Words = ZH
) -> None:
    """The person in charge opens the link in the e-mail (``SmtpSimulatorHandle``) and confirms."""
    address = data["owner"]["person_in_charge"]["email"]
    message = eventually(lambda: next((item for item in mail.messages() if item["to"] == address), None))
    link = re.search(rf"{re.escape(server.url)}/verify/contact/[^/\s]+/", message["text"])
    assert link is not None, message["text"]
    context = browser.new_context(locale=words.locale)
    person = context.new_page()
    person.goto(link.group(0))
    person.get_by_role("button", name=words.confirm, exact=True).click()
    expect(person.get_by_test_id("contact-confirmed")).to_be_visible()
    context.close()


def sms_code(sms: Any, data: dict[str, Any] = DATA) -> str:
    """The code the SMS simulator (``SmsSimulatorHandle``) delivered to the person in charge."""
    mobile = data["owner"]["person_in_charge"]["mobile"]
    message = eventually(lambda: next((item for item in sms.messages() if item["to"] == mobile), None))
    code = re.search(r"(?<![-\d])(\d{6})(?!\d)", message["text"])
    assert code is not None, message["text"]
    return code.group(1)


def astronaut_photo(path: Path) -> Path:
    """scikit-image's astronaut (a colour portrait with one face) on a backdrop, saved as a 1024×768 JPEG."""
    face = np.asarray(pictures.astronaut())  # type: ignore[no-untyped-call]
    canvas = np.zeros((768, 1024, 3), np.uint8)
    canvas[:] = (38, 84, 150)
    top, left = (768 - face.shape[0]) // 2, (1024 - face.shape[1]) // 2
    canvas[top : top + face.shape[0], left : left + face.shape[1]] = face
    Image.fromarray(canvas).save(path, format="JPEG", quality=90)
    return path


def onsite_verification(
    page: Page,
    tmp_path: Path,
    words: Words = ZH,
    *,
    place: str = "上海市杨浦区国定路200号 营业厅",
    shots: str = "desk-onsite",
) -> None:
    panel = page.get_by_test_id("onsite-panel")
    checklist = page.get_by_test_id("onsite-checklist")
    for original in ("owner_certificate", "person_in_charge_id", "website_person_in_charge_ids", "domain_certificates"):
        checklist.locator(f'input[name="{original}"]').check()
    checklist.get_by_role("button", name=words.save_checklist).click()
    expect(page.get_by_test_id("onsite-notice")).to_contain_text(words.checklist_saved)

    page.set_input_files("#id_photo", str(astronaut_photo(tmp_path / "astronaut.jpg")))
    page.get_by_role("button", name=words.store_photo).click()
    expect(page.get_by_test_id("photo-preview").locator("img")).to_be_visible()
    expect(page.get_by_test_id("photo-preview")).to_contain_text("KB")
    page.get_by_test_id("photo-confirm-form").get_by_role("checkbox").check()
    page.get_by_role("button", name=words.record_comparison).click()
    expect(page.get_by_test_id("photo-confirmed")).to_be_visible()

    page.get_by_test_id("run-identity-check").click()
    expect(page.get_by_test_id("identity-outcome")).to_have_attribute("data-outcome", "consistent")
    page.get_by_test_id("run-registry-check").click()
    expect(page.get_by_test_id("registry-outcome")).to_have_attribute("data-outcome", "consistent")
    page.get_by_role("button", name=words.show_photo).click()
    expect(page.get_by_test_id("photo-preview").locator("img")).to_be_visible()
    screenshot(page, f"{shots}-photo-and-checks")

    copy = tmp_path / "copy.jpg"
    copy.write_bytes(scan())
    while panel.locator('[data-testid="copy"][data-stored="false"]').count():
        row = panel.locator('[data-testid="copy"][data-stored="false"]').first
        kind = row.get_attribute("data-kind")
        row.locator('input[type="file"]').set_input_files(str(copy))
        row.get_by_role("button", name=words.store_copy, exact=True).click()
        expect(panel.locator(f'[data-testid="copy"][data-kind="{kind}"]').first).to_have_attribute(
            "data-stored", "true"
        )

    page.get_by_label(words.place).fill(place)
    page.get_by_role("button", name=words.generate_form).click()
    expect(page.get_by_test_id("form-generated")).to_be_visible()
    expect(page.get_by_test_id("onsite-complete")).to_be_visible()
