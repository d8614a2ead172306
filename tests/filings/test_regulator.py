"""Filing with the province, end to end over sockets: the real province simulator (its own XSD checks and review),
the identity, registry and provisioning simulators, the MIIT adapter, the download handlers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from lxml import etree
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from regdesk.cases.models import CaseEvent
from regdesk.filings.config import certificate_signing_key
from regdesk.filings.documents import certificate
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import AccessStatus, Filing, FilingCertificate, FilingState, Website
from regdesk.filings.selectors import regulator_status, website_footer_html
from regdesk.filings.services import filing_submit_to_regulator, filings_poll, website_access_turn_on
from regdesk.miit.models import UploadStatus
from regdesk.miit.services import upload_document
from regdesk.simulators.province import config as province_config
from tests.filings.builders import World, case_of, draft, verified
from tests.fixtures.simulators import (
    IdentitySimulatorHandle,
    ProvinceSimulatorHandle,
    ProvisioningSimulatorHandle,
    RegistrySimulatorHandle,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.filings.urls")]
UPLOAD_XSD = Path(__file__).resolve().parents[2] / "docs" / "miit-interface" / "upload.xsd"  # see its SOURCE.md
OWNER_NUMBER = re.compile(r"沪ICP备[0-9]{8}号")


@pytest.fixture
def outside(
    use_province_simulator: ProvinceSimulatorHandle,
    use_identity_simulator: IdentitySimulatorHandle,
    use_registry_simulator: RegistrySimulatorHandle,
    use_provisioning_simulator: ProvisioningSimulatorHandle,
    settings: Settings,
) -> ProvinceSimulatorHandle:
    """Every outside system on loopback; the province is Shanghai's (the test owner's) and files the provider's
    network; uploads are sent as soon as they commit."""
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    _file_networks(use_province_simulator, ["192.88.99.0/24"])
    use_province_simulator.configure({"province": {"code": 310000, "authority": "上海市通信管理局"}})
    return use_province_simulator


def _file_networks(province: ProvinceSimulatorHandle, networks: list[str]) -> None:
    account: dict[str, Any] = {**province_config.DEFAULTS["accounts"][0], "filed_ip_ranges": networks}
    province.configure({"accounts": [account]})


def _submit(world: World, filing: Filing, captured: DjangoCaptureOnCommitCallbacks) -> Filing:
    with captured(execute=True):
        return filing_submit_to_regulator(actor=world.specialist, filing=filing)


def _poll(captured: DjangoCaptureOnCommitCallbacks) -> int:
    with captured(execute=True):
        return filings_poll()


def _upload_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(UPLOAD_XSD)))


def test_a_filing_goes_to_the_province_and_comes_back_approved_with_access_and_certificate(
    world: World, outside: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    filing = _submit(world, verified(world), django_capture_on_commit_callbacks)
    assert filing.state == FilingState.SUBMITTED_TO_REGULATOR
    assert filing.upload is not None
    upload = filing.upload
    assert (upload.status, upload.sequence, upload.response_code) == (UploadStatus.ACCEPTED, 1, 0)
    document = upload_document(upload)
    assert document is not None
    schema = _upload_schema()
    assert schema.validate(etree.fromstring(document)), schema.error_log
    # The province saw the same file, validated it on its own and holds it for review.
    [seen] = outside.state()["uploads"]
    assert (seen["data_sequence"], seen["msg_code"]) == (1, 0)
    assert outside.review_now() == 1
    assert _poll(django_capture_on_commit_callbacks) >= 1

    filing.refresh_from_db()
    assert filing.state == FilingState.APPROVED
    owner_number = filing.owner.record_number
    assert OWNER_NUMBER.fullmatch(owner_number), owner_number
    website = Website.objects.get(filing=filing)
    assert website.record_number == f"{owner_number}-1"
    assert website.access_status == AccessStatus.ON, "access turned on through the provisioning simulator"
    event = CaseEvent.objects.get(case=case_of(filing), action="record_regulator_result")
    assert event.payload["owner_record_number"] == owner_number
    assert website_footer_html(website) == (
        '<div class="icp-record" style="text-align: center;"><a href="https://beian.miit.gov.cn/" target="_blank" '
        f'rel="noopener noreferrer">{owner_number}-1</a></div>'
    )
    # The certificate is signed with the provider's key and its public page shows the filing, nothing personal.
    issued = FilingCertificate.objects.get(website=website)
    payload = certificate.verify(issued.content.encode(), certificate_signing_key().public_key())
    assert (payload.record_number, payload.website_name) == (website.record_number, website.name)
    page = Client().get(f"/verify/{issued.serial}")
    assert page.status_code == 200
    text = page.content.decode()
    assert website.record_number in text
    assert 'data-status="filed"' in text
    for personal in ("张帅", "320831197308202739", "13812340000"):
        assert personal not in text
    assert Client().get(f"/verify/{issued.serial}/bazs.cert").content == issued.content.encode()


def test_a_refusal_of_the_province_shows_its_code_and_reason_on_the_case(
    world: World, outside: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # The province's IP filing of the provider lacks our network: its data check answers 1063.
    _file_networks(outside, ["203.0.113.0/24"])
    filing = _submit(world, verified(world), django_capture_on_commit_callbacks)
    outside.review_now()
    _poll(django_capture_on_commit_callbacks)
    filing.refresh_from_db()
    assert filing.state == FilingState.REGULATOR_RETURNED
    status = regulator_status(filing)
    assert [item["code"] for item in status.result_codes] == [1063]
    assert "IP" in status.result_codes[0]["description"]
    event = CaseEvent.objects.get(case=case_of(filing), action="record_regulator_return")
    assert event.payload["codes"][0]["code"] == 1063
    assert not Website.objects.filter(filing=filing, access_status=AccessStatus.ON).exists()


def test_a_homepage_the_province_finds_without_its_domain_comes_back_with_1041(
    world: World, outside: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """The province checks on its own: data changed behind the services' back (here the homepage, edited in the
    database) is refused by the province, and its code and reason show on the case."""
    filing = verified(world)
    Website.objects.filter(filing=filing).update(homepage_url="https://www.elsewhere-example.cn/")
    filing = _submit(world, filing, django_capture_on_commit_callbacks)
    outside.review_now()
    _poll(django_capture_on_commit_callbacks)
    filing.refresh_from_db()
    assert filing.state == FilingState.REGULATOR_RETURNED
    [code] = regulator_status(filing).result_codes
    assert code["code"] == 1041
    assert "首页" in code["description"]


def test_a_returned_filing_carries_the_reviewers_opinion(
    world: World, outside: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    outside.configure(
        {"review": {"return_rules": [{"website_name_contains": "官方网站", "opinion": "网站名称请具体化。"}]}}
    )
    filing = _submit(world, verified(world), django_capture_on_commit_callbacks)
    outside.review_now()
    _poll(django_capture_on_commit_callbacks)
    filing.refresh_from_db()
    assert filing.state == FilingState.REGULATOR_RETURNED
    assert filing.regulator_opinion == "网站名称请具体化。"
    assert 1002 in [item["code"] for item in filing.regulator_codes]


def test_an_upload_the_province_refuses_shows_its_code_on_the_case(
    world: World, outside: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    outside.configure({"maintenance": True})
    filing = _submit(world, verified(world), django_capture_on_commit_callbacks)
    status = regulator_status(filing)
    assert (status.upload_status, status.upload_response_code) == (UploadStatus.REJECTED, 901)
    assert "维护" in status.upload_response_message
    assert filing.state == FilingState.SUBMITTED_TO_REGULATOR, "the same upload is sent again later"


def test_access_is_never_turned_on_without_a_record_number(
    world: World, use_provisioning_simulator: ProvisioningSimulatorHandle
) -> None:
    website = Website.objects.get(filing=draft(world))
    with pytest.raises(FilingRefused) as raised:
        website_access_turn_on(actor=world.specialist, website=website)
    assert raised.value.code == "not_filed"
    assert use_provisioning_simulator.requests().get("PUT", 0) == 0
    website.refresh_from_db()
    assert website.access_status == AccessStatus.OFF
