"""Mail simulator: an SMTP sink (aiosmtpd) that keeps every message as an ``.eml`` file, and a small web page.

* SMTP on ``host:smtp_port`` accepts any sender and recipient and stores the message under
  ``<state dir>/mail/``, with the envelope prepended as ``X-Envelope-From`` / ``X-Envelope-To`` headers.
* The viewer on ``host:viewer_port``: ``GET /`` lists the messages (newest first), ``GET /messages/<name>`` shows
  one, ``GET /api/messages`` returns them as JSON (for tests), ``DELETE /api/messages`` removes them.
"""

from __future__ import annotations

import html
import itertools
import re
import threading
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from regdesk.simulators.serving import BackgroundHttpServer, JsonRequestHandler

DEFAULT_SMTP_PORT = 8025
DEFAULT_VIEWER_PORT = 8026
_NAME = re.compile(r"^[0-9A-Za-z_.-]+\.eml$")


class Mailbox:
    """A directory of ``.eml`` files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._counter = itertools.count(1)

    def store(self, *, mail_from: str, recipients: list[str], content: bytes) -> str:
        envelope = f"X-Envelope-From: {mail_from}\r\nX-Envelope-To: {', '.join(recipients)}\r\n".encode()
        with self._lock:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{next(self._counter):05d}.eml"
            temporary = self.directory / (name + ".tmp")
            temporary.write_bytes(envelope + content)
            temporary.rename(self.directory / name)
        return name

    def names(self) -> list[str]:
        return sorted((path.name for path in self.directory.glob("*.eml")), reverse=True)

    def read(self, name: str) -> EmailMessage | None:
        if not _NAME.match(name):
            return None
        path = self.directory / name
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            message = BytesParser(policy=policy.default).parse(handle)
        assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default always builds EmailMessage
        return message

    def clear(self) -> None:
        with self._lock:
            for path in self.directory.glob("*.eml"):
                path.unlink(missing_ok=True)


def message_summary(name: str, message: EmailMessage) -> dict[str, Any]:
    """The parts of a stored message that tests and the viewer show."""
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    return {
        "name": name,
        "message_id": str(message.get("Message-ID", "")),
        "from": str(message.get("From", "")),
        "to": str(message.get("To", "")),
        "envelope_to": str(message.get("X-Envelope-To", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
        "text": text,
    }


class _MailboxHandler:
    """aiosmtpd handler: every DATA is stored, nothing is relayed."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if isinstance(envelope.content, bytes) and not content:
            content = envelope.content
        self.mailbox.store(
            mail_from=str(envelope.mail_from or ""),
            recipients=[str(recipient) for recipient in envelope.rcpt_tos],
            content=content,
        )
        return "250 Message accepted for delivery"


class _ViewerHandler(JsonRequestHandler):
    mailbox: Mailbox

    def do_GET(self) -> None:
        if self.path == "/api/messages":
            self.send_json(200, {"messages": self._summaries()})
        elif self.path == "/":
            self.send_html(200, self._index())
        elif self.path.startswith("/messages/"):
            name = unquote(self.path.removeprefix("/messages/"))
            message = self.mailbox.read(name)
            if message is None:
                self.send_error_json(404, "not_found", "no such message")
                return
            self.send_html(200, self._message_page(message_summary(name, message)))
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def do_DELETE(self) -> None:
        if self.path == "/api/messages":
            self.mailbox.clear()
            self.send_json(200, {"ok": True})
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def _summaries(self) -> list[dict[str, Any]]:
        summaries = []
        for name in self.mailbox.names():
            message = self.mailbox.read(name)
            if message is not None:
                summaries.append(message_summary(name, message))
        return summaries

    @staticmethod
    def _head(title: str) -> str:
        return (
            f"<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ccc;padding:.3em .6em;"
            "text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style>"
            "</head><body>"
        )

    def _index(self) -> str:
        rows = "".join(
            f"<tr><td><a href='/messages/{html.escape(s['name'])}'>{html.escape(s['subject'] or '(no subject)')}</a>"
            f"</td><td>{html.escape(s['to'])}</td><td>{html.escape(s['date'])}</td></tr>"
            for s in self._summaries()
        )
        return (
            self._head("Demo mail / 演示邮件")
            + "<h1>Demo mail / 演示邮件</h1>"
            + "<table><tr><th>subject / 主题</th><th>to / 收件人</th><th>date / 时间</th></tr>"
            + rows
            + "</table></body></html>"
        )

    def _message_page(self, summary: dict[str, Any]) -> str:
        headers = "".join(
            f"<tr><th>{html.escape(label)}</th><td>{html.escape(summary[key])}</td></tr>"
            for label, key in (
                ("From", "from"),
                ("To", "to"),
                ("Subject", "subject"),
                ("Date", "date"),
                ("Message-ID", "message_id"),
            )
        )
        return (
            self._head(summary["subject"])
            + "<p><a href='/'>← all messages / 全部邮件</a></p>"
            + f"<table>{headers}</table><pre>{html.escape(summary['text'])}</pre></body></html>"
        )


class MailSimulator:
    """The SMTP sink and its viewer. Port 0 for the viewer picks a free port; the SMTP port must be given."""

    def __init__(
        self,
        *,
        state_dir: Path,
        host: str = "127.0.0.1",
        smtp_port: int = DEFAULT_SMTP_PORT,
        viewer_port: int = DEFAULT_VIEWER_PORT,
    ) -> None:
        self.mailbox = Mailbox(state_dir / "mail")
        self.host = host
        self.smtp_port = smtp_port
        self._controller = Controller(_MailboxHandler(self.mailbox), hostname=host, port=smtp_port)
        handler = type("ViewerHandler", (_ViewerHandler,), {"mailbox": self.mailbox})
        self._viewer = BackgroundHttpServer(host, viewer_port, handler)

    @property
    def viewer_url(self) -> str:
        return f"http://{self._viewer.host}:{self._viewer.port}"

    def start(self) -> None:
        self._controller.start()
        self._viewer.start()

    def stop(self) -> None:
        self._viewer.stop()
        self._controller.stop()
