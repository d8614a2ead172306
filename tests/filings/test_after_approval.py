"""What follows an approval: record numbers, certificates (issued again when the key was missing), the footer, the
public page; and access that never precedes the record number."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django import Settings

from regdesk.filings.config import certificate_signing_key
from regdesk.filings.documents import certificate
from regdesk.filings.models import Filing, FilingCertificate, FilingState, Website
from regdesk.filings.selectors import certificate_public_view, website_footer_html
from regdesk.filings.services import (
    certificate_issue,
    filing_regulator_result_record,
    filing_submit_to_regulator,
)
from tests.filings.builders import World, draft, verified
from tests.fixtures.simulators import IdentitySimulatorHandle, RegistrySimulatorHandle

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.filings.urls")]
NUMBER = "沪ICP备2026000042号"


@pytest.fixture
def at_the_regulator(
    world: World, use_identity_simulator: IdentitySimulatorHandle, use_registry_simulator: RegistrySimulatorHandle
) -> Filing:
    return filing_submit_to_regulator(actor=world.specialist, filing=verified(world))


def _approve(filing: Filing) -> Filing:
    website = Website.objects.get(filing=filing)
    return filing_regulator_result_record(
        filing=filing, owner_record_number=NUMBER, website_record_numbers={str(website.pk): f"{NUMBER}-1"}
    )


def test_an_approval_is_recorded_even_when_the_certificate_cannot_be_signed(
    world: World, at_the_regulator: Filing, settings: Settings, tmp_path: Path
) -> None:
    broken = tmp_path / "broken-key.pem"
    broken.write_text("not a key")
    good = settings.REGDESK_CERTIFICATE_KEY_FILE
    settings.REGDESK_CERTIFICATE_KEY_FILE = str(broken)
    filing = _approve(at_the_regulator)
    assert filing.state == FilingState.APPROVED
    website = Website.objects.get(filing=filing)
    assert website.record_number == f"{NUMBER}-1"
    assert not FilingCertificate.objects.filter(website=website).exists()
    settings.REGDESK_CERTIFICATE_KEY_FILE = good
    issued = certificate_issue(actor=world.specialist, website=website)
    payload = certificate.verify(issued.content.encode(), certificate_signing_key().public_key())
    assert payload.verification_url == f"https://beian.provider.example.cn/verify/{issued.serial}"
    assert payload.owner_name == "上海青禾软件有限公司"


def test_the_public_page_follows_the_websites_status(at_the_regulator: Filing) -> None:
    filing = _approve(at_the_regulator)
    website = Website.objects.get(filing=filing)
    issued = FilingCertificate.objects.get(website=website)
    view = certificate_public_view(issued.serial)
    assert view is not None
    assert (view.record_number, view.status) == (f"{NUMBER}-1", "filed_no_access")
    Website.objects.filter(pk=website.pk).update(record_number="")
    view = certificate_public_view(issued.serial)
    assert view is not None
    assert view.status == "revoked"
    assert Client().get("/verify/0000000000000000").status_code == 404
    assert certificate_public_view("0000000000000000") is None


def test_no_footer_and_no_certificate_without_a_record_number(world: World) -> None:
    website = Website.objects.get(filing=draft(world))
    assert website_footer_html(website) is None
    from regdesk.filings.errors import FilingRefused

    with pytest.raises(FilingRefused) as raised:
        certificate_issue(actor=world.specialist, website=website)
    assert raised.value.code == "not_filed"
