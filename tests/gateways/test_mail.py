"""The mail adapter: the SMTP sink over a socket, and SMTP refusals classified."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from pytest_django import Settings

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError
from regdesk.gateways.mail import message_id_for, send_mail_message
from tests.fixtures.simulators import SmtpSimulatorHandle, free_port


def test_message_id_is_stable_and_reveals_nothing(settings: Settings) -> None:
    settings.DEFAULT_FROM_EMAIL = "regdesk@provider.example.cn"
    first = message_id_for("notice:13800138000")
    assert first == message_id_for("notice:13800138000") != message_id_for("notice:2")
    assert first.startswith("<")
    assert first.endswith("@provider.example.cn>")
    assert "13800138000" not in first


def test_sends_through_the_sink(use_smtp_simulator: SmtpSimulatorHandle) -> None:
    message_id = send_mail_message(to="owner@example.cn", subject="主题", body="正文", idempotency_key="m-1")
    [message] = use_smtp_simulator.messages()
    assert (message["message_id"], message["subject"], message["envelope_to"]) == (
        message_id,
        "主题",
        "owner@example.cn",
    )
    assert message["text"].strip() == "正文"


class _RefusingHandler:
    def __init__(self, reply: str) -> None:
        self.reply = reply

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        return self.reply


@pytest.fixture(params=["550 5.1.1 mailbox unavailable", "451 4.3.0 try again later"])
def refusing_server(request: pytest.FixtureRequest, settings: Settings) -> Iterator[str]:
    port = free_port()
    controller = Controller(_RefusingHandler(request.param), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        yield str(request.param)
    finally:
        controller.stop()


def test_refusals_are_classified(refusing_server: str) -> None:
    expected = PermanentGatewayError if refusing_server.startswith("5") else TransientGatewayError
    with pytest.raises(expected) as raised:
        send_mail_message(to="someone@example.cn", subject="s", body="b", idempotency_key="m-2")
    assert raised.value.code == f"smtp_{refusing_server[:3]}"
    assert "someone@example.cn" not in str(raised.value)


def test_no_server_is_transient(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with pytest.raises(TransientGatewayError) as raised:
        send_mail_message(to="someone@example.cn", subject="s", body="b", idempotency_key="m-3")
    assert raised.value.code == "smtp_unreachable"
