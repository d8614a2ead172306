"""Contact verification of the person in charge before the on-site notice: an e-mail link (through the SMTP
simulator), an SMS code (through the SMS simulator), or a phone call the specialist records."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.audit.models import AuditEvent
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import ContactCheck, ContactCheckStatus, Filing, FilingState
from regdesk.filings.selectors import contact_status
from regdesk.filings.services import (
    contact_email_link_send,
    contact_phone_call_record,
    contact_sms_code_confirm,
    contact_sms_code_send,
    filing_onsite_notice_send,
    filing_return_for_changes,
    filing_submit,
)
from tests.filings.builders import World, filing_json, submitted
from tests.fixtures.simulators import SmsSimulatorHandle, SmtpSimulatorHandle

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.filings.urls")]
PERSON = filing_json()["owner"]["person_in_charge"]
LINK = re.compile(r"https://beian\.provider\.example\.cn(/verify/contact/[^/\s]+/)")


def _send_link(world: World, filing: Filing, captured: DjangoCaptureOnCommitCallbacks) -> ContactCheck:
    with captured(execute=True):
        return contact_email_link_send(actor=world.specialist, filing=filing)


def _link(mail: SmtpSimulatorHandle) -> str:
    [message] = mail.messages()
    assert message["to"] == PERSON["email"]
    match = LINK.search(message["text"])
    assert match is not None, message["text"]
    return match.group(1)


def _send_code(world: World, filing: Filing, captured: DjangoCaptureOnCommitCallbacks, sms: SmsSimulatorHandle) -> str:
    with captured(execute=True):
        contact_sms_code_send(actor=world.specialist, filing=filing)
    message = sms.messages()[-1]
    assert message["to"] == PERSON["mobile"]
    match = re.search(r"(?<![-\d])(\d{6})(?!\d)", message["text"])
    assert match is not None, message["text"]
    return match.group(1)


def test_the_e_mail_link_confirms_once_on_post_only(
    world: World,
    use_smtp_simulator: SmtpSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    check = _send_link(world, filing, django_capture_on_commit_callbacks)
    path = _link(use_smtp_simulator)
    browser = Client()
    page = browser.get(path)
    assert page.status_code == 200
    assert b'<form method="post">' in page.content
    check.refresh_from_db()
    assert check.status == ContactCheckStatus.PENDING, "opening the link changes nothing"
    confirmed = browser.post(path)
    assert confirmed.status_code == 200
    assert b'data-testid="contact-confirmed"' in confirmed.content
    check.refresh_from_db()
    assert check.status == ContactCheckStatus.CONFIRMED
    again = browser.post(path)
    assert again.status_code == 410
    # The address and the secret stay out of the stored check and the audit trail.
    assert PERSON["email"] not in str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert path.split("/")[-2] not in check.secret_hash


def test_a_tampered_or_expired_link_is_refused(
    world: World,
    use_smtp_simulator: SmtpSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    _send_link(world, filing, django_capture_on_commit_callbacks)
    path = _link(use_smtp_simulator)
    browser = Client()
    assert browser.post(path[:-3] + "xx/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        assert browser.post(path).status_code == 410
    assert ContactCheck.objects.get(filing=filing).status == ContactCheckStatus.PENDING


def test_a_new_link_replaces_the_pending_one(
    world: World,
    use_smtp_simulator: SmtpSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    _send_link(world, filing, django_capture_on_commit_callbacks)
    first = _link(use_smtp_simulator)
    use_smtp_simulator.reset()
    _send_link(world, filing, django_capture_on_commit_callbacks)
    second = _link(use_smtp_simulator)
    browser = Client()
    with translation.override("en"):
        refused = browser.post(first, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 410
    assert browser.post(second).status_code == 200


def test_the_sms_code_confirms_and_wrong_codes_are_counted(
    world: World,
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    code = _send_code(world, filing, django_capture_on_commit_callbacks, use_sms_simulator)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(FilingRefused) as raised:
        contact_sms_code_confirm(actor=world.owner, filing=filing, code=wrong)
    assert raised.value.code == "code_wrong"
    check = ContactCheck.objects.get(filing=filing)
    assert check.attempts == 1, "the wrong attempt is recorded"
    assert code not in check.secret_hash
    confirmed = contact_sms_code_confirm(actor=world.owner, filing=filing, code=code)
    assert confirmed.status == ContactCheckStatus.CONFIRMED


def test_too_many_wrong_codes_need_a_new_code(
    world: World,
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    code = _send_code(world, filing, django_capture_on_commit_callbacks, use_sms_simulator)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        with pytest.raises(FilingRefused):
            contact_sms_code_confirm(actor=world.specialist, filing=filing, code=wrong)
    with pytest.raises(FilingRefused) as raised:
        contact_sms_code_confirm(actor=world.specialist, filing=filing, code=code)
    assert raised.value.code == "code_attempts"
    assert ContactCheck.objects.get(filing=filing).status == ContactCheckStatus.FAILED


def test_an_expired_code_is_refused(
    world: World,
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    code = _send_code(world, filing, django_capture_on_commit_callbacks, use_sms_simulator)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)), pytest.raises(FilingRefused) as raised:
        contact_sms_code_confirm(actor=world.owner, filing=filing, code=code)
    assert raised.value.code == "code_expired"


def test_both_channels_verify_the_contacts_and_the_notice_goes_out_by_mail_and_sms(
    world: World,
    use_sms_simulator: SmsSimulatorHandle,
    use_smtp_simulator: SmtpSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    filing = submitted(world)
    _send_link(world, filing, django_capture_on_commit_callbacks)
    assert Client().post(_link(use_smtp_simulator)).status_code == 200
    assert not contact_status(filing).verified, "the e-mail alone is not enough"
    code = _send_code(world, filing, django_capture_on_commit_callbacks, use_sms_simulator)
    contact_sms_code_confirm(actor=world.owner, filing=filing, code=code)
    assert contact_status(filing).verified
    use_smtp_simulator.reset()
    with django_capture_on_commit_callbacks(execute=True):
        filing = filing_onsite_notice_send(actor=world.specialist, filing=filing)
    assert filing.state == FilingState.AWAITING_ONSITE
    [notice] = use_smtp_simulator.messages()
    assert str(filing) in notice["subject"]
    assert "当面核验" in notice["subject"]
    assert any(str(filing) in message["text"] for message in use_sms_simulator.messages())


def test_a_phone_call_that_reached_the_person_verifies_the_contacts(world: World) -> None:
    filing = submitted(world)
    contact_phone_call_record(actor=world.specialist, filing=filing, outcome="not_reached")
    assert not contact_status(filing).verified
    contact_phone_call_record(actor=world.specialist, filing=filing, outcome="confirmed")
    assert contact_status(filing).verified
    with pytest.raises(FilingRefused):
        contact_phone_call_record(actor=world.owner, filing=filing, outcome="confirmed")


def test_a_new_submission_is_verified_again(world: World) -> None:
    filing = submitted(world)
    contact_phone_call_record(actor=world.specialist, filing=filing, outcome="confirmed")
    filing = filing_return_for_changes(
        actor=world.specialist, filing=filing, reasons={"owner.person_in_charge.mobile": "手机号码无法接通。"}
    )
    filing = filing_submit(actor=world.owner, filing=filing)
    assert not contact_status(filing).verified


def test_contacts_are_verified_only_before_the_notice(world: World) -> None:
    filing = Filing.objects.get(pk=submitted(world).pk)
    contact_phone_call_record(actor=world.specialist, filing=filing, outcome="confirmed")
    filing = filing_onsite_notice_send(actor=world.specialist, filing=filing)
    with pytest.raises(FilingRefused) as raised:
        contact_sms_code_send(actor=world.specialist, filing=filing)
    assert raised.value.code == "wrong_state"
