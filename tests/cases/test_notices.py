"""The notice outbox, sent through the real simulators over sockets."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Notice, NoticeStatus
from regdesk.cases.services import NoticeRefused, clock_sweep, notice_deliver, notice_queue
from regdesk.gateways.mail import message_id_for
from tests.fixtures.simulators import SmsSimulatorHandle, SmtpSimulatorHandle

pytestmark = pytest.mark.django_db
PHONE = "+8613800138000"
CONTEXT = {"reference": "EXR-2026-000007", "clock": "review", "breach": False, "due_at": "2026-10-12 23:59"}


def queue_sms(captured: DjangoCaptureOnCommitCallbacks, key: str = "test:sms:1") -> Notice:
    with captured(execute=True), transaction.atomic():
        notice = notice_queue(
            actor=None,
            channel="sms",
            recipient=PHONE,
            template="cases_clock_rung",
            context=CONTEXT,
            idempotency_key=key,
        )
    notice.refresh_from_db()
    return notice


def test_sms_is_sent_after_commit_through_the_gateway(
    use_sms_simulator: SmsSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    notice = queue_sms(django_capture_on_commit_callbacks)
    assert (notice.status, notice.attempts, notice.last_error) == (NoticeStatus.SENT, 1, "")
    [message] = use_sms_simulator.messages()
    assert message["to"] == PHONE
    assert "EXR-2026-000007" in message["text"]
    assert message["idempotency_key"] == "test:sms:1"
    assert notice.provider_message_id == message["id"]
    # The phone number is personal data: sealed, and looked up by its blind index only.
    assert PHONE not in notice.recipient_sealed
    assert "13800138000" not in notice.recipient_sealed
    assert "EXR-2026-000007" not in notice.context_sealed
    assert len(notice.recipient_index) == 64
    for event in AuditEvent.objects.filter(object_type="cases.notice"):
        assert "13800138000" not in str(event.changes)


def test_nothing_is_sent_when_the_transaction_rolls_back(
    use_sms_simulator: SmsSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    def queue_then_fail() -> None:
        with transaction.atomic():
            notice_queue(
                actor=None,
                channel="sms",
                recipient=PHONE,
                template="cases_clock_rung",
                context=CONTEXT,
                idempotency_key="k",
            )
            raise RuntimeError("roll back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        queue_then_fail()
    assert not Notice.objects.exists()
    assert use_sms_simulator.messages() == []


def test_queueing_and_sending_twice_sends_one_message(
    use_sms_simulator: SmsSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first = queue_sms(django_capture_on_commit_callbacks)
    second = queue_sms(django_capture_on_commit_callbacks)
    assert first.pk == second.pk
    assert Notice.objects.count() == 1
    # A sent notice is not attempted again.
    assert notice_deliver(notice_id=first.pk).attempts == 1
    # Even a notice sent again after a lost answer (status back to queued) reaches the phone once: the gateway
    # recognises the idempotency key.
    Notice.objects.filter(pk=first.pk).update(status=NoticeStatus.QUEUED, next_attempt_at=timezone.now())
    again = notice_deliver(notice_id=first.pk)
    assert (again.status, again.provider_message_id) == (NoticeStatus.SENT, first.provider_message_id)
    assert len(use_sms_simulator.messages()) == 1


def test_transient_failure_is_retried_by_the_sweep(
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    settings.REGDESK_GATEWAY_ATTEMPTS = 1
    use_sms_simulator.fail_next(1, status=503)
    notice = queue_sms(django_capture_on_commit_callbacks)
    assert (notice.status, notice.attempts) == (NoticeStatus.QUEUED, 1)
    assert notice.last_error.startswith("http_503")
    assert "13800138000" not in notice.last_error
    assert notice.next_attempt_at is not None
    assert notice.next_attempt_at > timezone.now()
    assert use_sms_simulator.messages() == []
    # Before the backoff has passed, the sweep leaves it alone.
    clock_sweep()
    notice.refresh_from_db()
    assert notice.attempts == 1
    with time_machine.travel(notice.next_attempt_at + timedelta(seconds=1), tick=False):
        clock_sweep()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)
    assert len(use_sms_simulator.messages()) == 1


def test_permanent_failure_and_exhausted_attempts_fail_the_notice(
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    settings.REGDESK_GATEWAY_ATTEMPTS = 1
    use_sms_simulator.fail_next(1, status=400)
    refused = queue_sms(django_capture_on_commit_callbacks, key="permanent")
    assert (refused.status, refused.next_attempt_at) == (NoticeStatus.FAILED, None)
    assert refused.last_error.startswith("http_400")
    settings.REGDESK_NOTICE_MAX_ATTEMPTS = 1
    use_sms_simulator.fail_next(1, status=503)
    exhausted = queue_sms(django_capture_on_commit_callbacks, key="exhausted")
    assert (exhausted.status, exhausted.attempts) == (NoticeStatus.FAILED, 1)
    assert use_sms_simulator.messages() == []


def test_email_goes_through_the_smtp_sink_with_a_stable_message_id(
    use_smtp_simulator: SmtpSimulatorHandle, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notice = notice_queue(
            actor=None,
            channel="email",
            recipient="officer@example.cn",
            template="cases_clock_rung",
            context={**CONTEXT, "breach": True},
            idempotency_key="test:mail:1",
        )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    [message] = use_smtp_simulator.messages()
    assert message["message_id"] == message_id_for("test:mail:1") == notice.provider_message_id
    assert message["envelope_to"] == "officer@example.cn"
    # Rendered in the default language, Chinese.
    assert message["subject"] == "已超时：案件 EXR-2026-000007"
    assert "EXR-2026-000007" in message["text"]


@pytest.mark.parametrize(
    ("channel", "recipient", "template", "code"),
    [
        ("fax", PHONE, "cases_clock_rung", "channel"),
        ("sms", "call me", "cases_clock_rung", "recipient"),
        ("email", "not-an-address", "cases_clock_rung", "recipient"),
        ("sms", PHONE, "no_such_template", "template"),
    ],
)
def test_bad_notices_are_refused(channel: str, recipient: str, template: str, code: str) -> None:
    with pytest.raises(NoticeRefused) as raised:
        notice_queue(
            actor=None, channel=channel, recipient=recipient, template=template, context={}, idempotency_key="x"
        )
    assert raised.value.code == code
    assert recipient not in raised.value.message
    assert not Notice.objects.exists()


def test_a_claimed_notice_is_left_to_its_sender(use_sms_simulator: SmsSimulatorHandle) -> None:
    with transaction.atomic():
        notice = notice_queue(
            actor=None,
            channel="sms",
            recipient=PHONE,
            template="cases_clock_rung",
            context=CONTEXT,
            idempotency_key="c",
        )
    # Another sender holds the lease (its attempt is under way): this one finds nothing to do.
    leased_until = timezone.now() + timedelta(minutes=5)
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=leased_until, attempts=1)
    untouched = notice_deliver(notice_id=notice.pk)
    assert (untouched.status, untouched.attempts, untouched.next_attempt_at) == (NoticeStatus.QUEUED, 1, leased_until)
    assert use_sms_simulator.messages() == []
    # When the lease has run out (the sender died), the next delivery sends it.
    with time_machine.travel(leased_until + timedelta(seconds=1), tick=False):
        sent = notice_deliver(notice_id=notice.pk)
    assert (sent.status, sent.attempts) == (NoticeStatus.SENT, 2)
    assert len(use_sms_simulator.messages()) == 1
