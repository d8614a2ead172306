"""Helpers of the filings desk tests: logged-in clients, the desk's addresses, htmx requests, page text."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from django.test import Client

from regdesk.accounts.models import User
from regdesk.audit.models import AuditEvent
from regdesk.filings.models import Filing
from tests.accounts.helpers import login_fully

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

HTMX = {"HTTP_HX_REQUEST": "true"}


def desk_client(user: User | None) -> Client:
    """A browser session of ``user`` past every login step (anonymous for None)."""
    client = Client()
    if user is not None:
        login_fully(client, user)
    return client


def url(filing: Filing, suffix: str = "") -> str:
    return f"/desk/filings/{filing.pk}/{suffix}"


def text(response: TestResponse) -> str:
    """The page's visible text (tags and styles removed, entities decoded, spaces collapsed)."""
    content = response.content.decode("utf-8")
    content = re.sub(r"<style>.*?</style>", " ", content, flags=re.S)
    content = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", html.unescape(content)).strip()


def post(client: Client, address: str, data: dict[str, Any] | None = None, *, htmx: bool = False) -> TestResponse:
    extra = HTMX if htmx else {}
    response: TestResponse = client.post(address, data or {}, **extra)  # type: ignore[arg-type]
    return response


def audit_actions(**filters: Any) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("sequence").values_list("action", flat=True))
