"""The SMTP sink and its viewer over real sockets, and the ``python -m regdesk.simulators`` entry."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import urllib.error
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.fixtures.simulators import SmtpSimulatorHandle, free_simulator_ports, simulator_port_arguments


@pytest.fixture
def smtp(smtp_simulator: SmtpSimulatorHandle) -> SmtpSimulatorHandle:
    smtp_simulator.reset()
    return smtp_simulator


def _send(smtp: SmtpSimulatorHandle, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = "regdesk@provider.example.cn"
    message["To"] = "owner@example.cn"
    message["Subject"] = subject
    message["Message-ID"] = "<test-1@provider.example.cn>"
    message.set_content(body)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.send_message(message)


def test_stores_messages_as_eml_and_lists_them(smtp: SmtpSimulatorHandle) -> None:
    _send(smtp, "备案进度通知", "您的备案申请已受理。")
    files = list((smtp.state_dir / "mail").glob("*.eml"))
    assert len(files) == 1
    [summary] = smtp.messages()
    assert summary["subject"] == "备案进度通知"
    assert summary["envelope_to"] == "owner@example.cn"
    assert summary["message_id"] == "<test-1@provider.example.cn>"
    assert "已受理" in summary["text"]
    with urllib.request.urlopen(f"{smtp.viewer_url}/", timeout=10) as response:
        assert "备案进度通知" in response.read().decode()
    with urllib.request.urlopen(f"{smtp.viewer_url}/messages/{summary['name']}", timeout=10) as response:
        assert "已受理" in response.read().decode()


def test_viewer_refuses_names_outside_the_mailbox(smtp: SmtpSimulatorHandle) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{smtp.viewer_url}/messages/..%2F..%2Fetc%2Fpasswd", timeout=10)
    assert raised.value.code == 404


@pytest.mark.usefixtures("default_ports_taken")
def test_module_entry_starts_everything_and_stops_on_sigterm(tmp_path: Path) -> None:
    ports = free_simulator_ports()
    process = subprocess.Popen(
        [sys.executable, "-m", "regdesk.simulators", "--state-dir", str(tmp_path), *simulator_port_arguments(ports)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert f"127.0.0.1:{ports['sms']}" in lines[0]
        assert f"127.0.0.1:{ports['smtp']}" in lines[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{ports['sms']}/sms", timeout=10) as response:
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
