"""Helpers shared by the page walks: the demo data in the test database, a logged-in client per demo account, the
desk menu of a page, and the text a reader sees on it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client
from lxml import html

from regdesk.accounts.models import User
from regdesk.demo.loader import load_all
from tests.accounts.helpers import login_fully

# The demo accounts of the staff roles (regdesk.demo.accounts) and the page each starts on.
STAFF_ACCOUNTS = ("specialist", "clerk", "agent", "compliance", "auditor", "admin")
OWNER_ACCOUNT = "owner"

# Addresses a walk does not follow: downloads, documents, the log-out and language forms' targets, the admin site.
NOT_PAGES = re.compile(r"/(open|download|export|reveal|i18n|logout)\b|\.(pdf|xlsx|csv|png|jpe?g)$|^/admin/")


def load_demo(var_dir: Path) -> None:
    """The demo data, as ``regdesk demo load`` makes it, in the test database (credentials under ``var_dir``)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    load_all()


def client_of(username: str, language: str) -> Client:
    """A client logged in as the demo account (both login steps passed), asking for ``language``."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    login_fully(client, User.objects.get(username=username))
    return client


def document(content: bytes) -> Any:
    return html.fromstring(content)


def menu_links(content: bytes) -> list[tuple[str, str]]:
    """``(label, address)`` of every entry of the desk menu on a page."""
    page = document(content)
    return [
        (" ".join(link.text_content().split()), link.get("href") or "")
        for link in page.xpath('//nav[contains(@class, "desk-navigation")]//a')
    ]


def page_links(content: bytes) -> list[str]:
    """The desk and portal addresses a page links to (fragments dropped)."""
    page = document(content)
    found: list[str] = []
    for link in page.xpath("//a[@href]"):
        address = str(link.get("href")).split("#", 1)[0]
        if address.startswith(("/desk/", "/portal/")) and not NOT_PAGES.search(address.split("?", 1)[0]):
            found.append(address)
    return found


def visible_text(content: bytes) -> str:
    """What a reader sees and hears on the page: text, titles, placeholders, labels for assistive technology and
    confirmation texts; without scripts, styles, and elements marked ``translate="no"`` (data and formats that
    stay as they are in every language: codes of units, hashes, addresses, file column names)."""
    page = document(content)
    for element in page.xpath('//script|//style|//*[@translate="no"]'):
        element.drop_tree()
    parts = [page.text_content()]
    for attribute in ("title", "placeholder", "aria-label", "data-confirm", "alt"):
        parts += [str(value) for value in page.xpath(f"//@{attribute}")]
    return " ".join(" ".join(parts).split())
