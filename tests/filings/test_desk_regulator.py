"""Submission to the regulator from the desk and what follows, over the province simulator (sockets): the upload's
sequence and the province's answer, "fetch results now", the record numbers, a return's codes and opinion."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from regdesk.filings.models import Filing, FilingState
from regdesk.simulators.province import config as province_config
from tests.filings.builders import World, verified
from tests.filings.desk_support import desk_client, post, text, url
from tests.fixtures.simulators import (
    IdentitySimulatorHandle,
    ProvinceSimulatorHandle,
    ProvisioningSimulatorHandle,
    RegistrySimulatorHandle,
)

pytestmark = pytest.mark.django_db
FETCH = "/desk/filings/fetch-results/"
OWNER_NUMBER = re.compile(r"沪ICP备[0-9]{8}号")


@pytest.fixture
def province(
    use_province_simulator: ProvinceSimulatorHandle,
    use_identity_simulator: IdentitySimulatorHandle,
    use_registry_simulator: RegistrySimulatorHandle,
    use_provisioning_simulator: ProvisioningSimulatorHandle,
    settings: Settings,
) -> ProvinceSimulatorHandle:
    """Shanghai's province system, which files the provider's network; uploads go out as soon as they commit."""
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    _file_networks(use_province_simulator, ["192.88.99.0/24"])
    use_province_simulator.configure({"province": {"code": 310000, "authority": "上海市通信管理局"}})
    return use_province_simulator


def _file_networks(province: ProvinceSimulatorHandle, networks: list[str]) -> None:
    account: dict[str, Any] = {**province_config.DEFAULTS["accounts"][0], "filed_ip_ranges": networks}
    province.configure({"accounts": [account]})


def _submit(world: World, filing: Filing, captured: DjangoCaptureOnCommitCallbacks) -> str:
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    with captured(execute=True):
        answer = post(client, url(filing, "actions/submit_to_regulator/"))
    assert answer.status_code == 302, text(answer)
    return str(client.get(url(filing)).content.decode())


def _fetch(world: World, filing: Filing, captured: DjangoCaptureOnCommitCallbacks) -> str:
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    with captured(execute=True):
        answer = post(client, FETCH, {"next": url(filing)})
    assert answer["Location"] == url(filing)
    return str(text(client.get(url(filing))))


def test_submitted_then_fetched_then_approved_with_the_record_numbers(
    world: World, province: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    filing = verified(world)
    page = _submit(world, filing, django_capture_on_commit_callbacks)
    assert '<td data-testid="upload-sequence">1</td>' in page
    assert 'data-status="accepted"' in page
    assert '<strong data-testid="upload-code">0</strong>' in page
    assert 'data-testid="fetch-results"' in page
    assert "Regulator review" in text_of(page)

    assert province.review_now() == 1
    after = _fetch(world, filing, django_capture_on_commit_callbacks)
    assert "result files arrived from the province" in after
    filing.refresh_from_db()
    assert filing.state == FilingState.APPROVED
    number = OWNER_NUMBER.search(after)
    assert number is not None
    assert f"{number.group(0)}-1" in after
    assert "Approved by the Communications Administration" in after


def text_of(content: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))


def test_a_refusal_by_the_provinces_checks_shows_its_code_and_reason(
    world: World, province: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    _file_networks(province, ["203.0.113.0/24"])
    filing = verified(world)
    _submit(world, filing, django_capture_on_commit_callbacks)
    province.review_now()
    after = _fetch(world, filing, django_capture_on_commit_callbacks)
    filing.refresh_from_db()
    assert filing.state == FilingState.REGULATOR_RETURNED
    assert "1063" in after
    assert filing.regulator_codes[0]["description"] in after
    # The specialist may act again: correct, send a new notice, submit again or reject.
    assert "Submit to the regulator" in after


def test_an_upload_the_province_refuses_shows_its_code_and_reason(
    world: World, province: ProvinceSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    province.configure({"maintenance": True})
    filing = verified(world)
    page = _submit(world, filing, django_capture_on_commit_callbacks)
    assert 'data-status="rejected"' in page
    assert '<strong data-testid="upload-code">901</strong>' in page
    assert "维护" in page
    assert "sends the same upload again" in text_of(page)


def test_only_specialists_fetch_results(world: World, province: ProvinceSimulatorHandle) -> None:
    assert post(desk_client(world.compliance), FETCH).status_code == 403
    assert post(desk_client(world.owner), FETCH).status_code == 403
    assert post(desk_client(None), FETCH)["Location"].startswith("/accounts/login/")
    elsewhere = post(desk_client(world.specialist), FETCH, {"next": "https://evil.example/"})
    assert elsewhere["Location"] == "/desk/filings/"
