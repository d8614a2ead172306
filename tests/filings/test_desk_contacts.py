"""Contact verification from the desk, over the SMTP and SMS simulators: the e-mail link the person confirms, the
SMS code the person reads out to the specialist, the phone call; the panel and the actions update together."""

from __future__ import annotations

import re

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.filings.models import ContactCheck, ContactCheckStatus, FilingState
from tests.api.snapshot import changed_tables, database_snapshot
from tests.filings.builders import World, awaiting_onsite, person, submitted
from tests.filings.desk_support import desk_client, post, text, url
from tests.fixtures.simulators import SmsSimulatorHandle, SmtpSimulatorHandle

pytestmark = pytest.mark.django_db
PERSON = person(0)
LINK = re.compile(r"https://beian\.provider\.example\.cn(/verify/contact/[^/\s]+/)")


def _onsite_notice_enabled(content: str) -> bool:
    start = content.index('data-testid="action-send_onsite_notice"')
    return 'data-enabled="true"' in content[start : start + 200]


def test_the_e_mail_link_and_the_sms_code_verify_the_contacts(
    world: World,
    use_simulators: tuple[SmsSimulatorHandle, SmtpSimulatorHandle],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    sms, mail = use_simulators
    filing = submitted(world)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        sent = post(client, url(filing, "contacts/email/"), htmx=True)
    assert sent.status_code == 200
    assert 'data-testid="contact-notice"' in sent.content.decode()
    assert "p***@example-owner0.cn" in text(sent), "the address is shown masked"
    [message] = mail.messages()
    assert message["to"] == PERSON["email"]
    link = LINK.search(message["text"])
    assert link is not None
    visitor = desk_client(None)
    assert visitor.post(link.group(1)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        post(client, url(filing, "contacts/sms/"), htmx=True)
    [sms_message] = sms.messages()
    assert sms_message["to"] == PERSON["mobile"]
    code = re.search(r"(?<![-\d])(\d{6})(?!\d)", sms_message["text"])
    assert code is not None
    wrong = str((int(code.group(1)) + 1) % 1_000_000).zfill(6)
    refused = post(client, url(filing, "contacts/sms/confirm/"), {"code": wrong}, htmx=True)
    assert "The code is wrong; 4 attempts left." in text(refused)
    assert not _onsite_notice_enabled(refused.content.decode())

    confirmed = post(client, url(filing, "contacts/sms/confirm/"), {"code": code.group(1)}, htmx=True)
    content = confirmed.content.decode()
    assert 'data-testid="contacts-verified"' in content
    # The actions panel comes along out of band: the on-site notice is now possible.
    assert 'id="actions-panel"' in content
    assert 'hx-swap-oob="true"' in content
    assert _onsite_notice_enabled(content)
    statuses = set(ContactCheck.objects.filter(filing=filing).values_list("channel", "status"))
    assert statuses == {("email", ContactCheckStatus.CONFIRMED), ("sms", ContactCheckStatus.CONFIRMED)}


def test_a_phone_call_that_reached_nobody_does_not_verify(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    answer = post(client, url(filing, "contacts/call/"), {"outcome": "not_reached", "note": "无人接听"}, htmx=True)
    assert 'data-testid="contacts-unverified"' in answer.content.decode()
    assert ContactCheck.objects.get(filing=filing).status == ContactCheckStatus.FAILED
    reached = post(client, url(filing, "contacts/call/"), {"outcome": "confirmed"}, htmx=True)
    assert 'data-testid="contacts-verified"' in reached.content.decode()


def test_a_call_without_a_valid_outcome_is_refused_at_its_field(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    before = database_snapshot()
    answer = post(client, url(filing, "contacts/call/"), {"outcome": "maybe"}, htmx=True)
    assert answer.status_code == 200
    assert "Select a valid choice" in text(answer)
    assert changed_tables(before, database_snapshot()) == []


def test_without_htmx_the_panel_answers_with_the_page_and_a_message(world: World) -> None:
    filing = submitted(world)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    answer = post(client, url(filing, "contacts/call/"), {"outcome": "confirmed"})
    assert answer.status_code == 302
    assert answer["Location"] == url(filing) + "#contacts"
    assert "The phone call is recorded." in text(client.get(answer["Location"]))


def test_after_the_notice_the_contacts_are_not_checked_again(world: World) -> None:
    filing = awaiting_onsite(world)
    client = desk_client(world.specialist)
    client.cookies["django_language"] = "en"
    page = client.get(url(filing)).content.decode()
    assert 'data-testid="send-sms-code"' not in page, "no buttons once the notice has gone"
    before = database_snapshot()
    refused = post(client, url(filing, "contacts/sms/"), htmx=True)
    assert "Contact details are verified after the submission" in text(refused)
    assert changed_tables(before, database_snapshot()) == []
    filing.refresh_from_db()
    assert filing.state == FilingState.AWAITING_ONSITE
