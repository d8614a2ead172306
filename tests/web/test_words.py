"""Every desk and portal page reachable from the menus, read in Chinese, shows words: no snake_case or dotted code
(``specialist_review``, ``personal_data.reveal``) and no English left untranslated.

The walk starts at each demo account's home page, follows the menu and the links of the pages it reaches (at most
two pages of each shape, ``/desk/filings/<id>/`` counting once), and reads what a person sees and hears. Data and
formats that stay as they are in every language are marked ``translate="no"`` by the pages; the allow-list below
holds proper nouns, abbreviations and formats.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from regdesk.accounts.models import OrgUnit, User
from regdesk.privacy import dictionary
from tests.privacy.proof_models import PROOF_KEY_PREFIX
from tests.web.pages import OWNER_ACCOUNT, STAFF_ACCOUNTS, client_of, load_demo, page_links, visible_text

pytestmark = pytest.mark.django_db

PAGES_PER_SHAPE = 2
PAGES_PER_ACCOUNT = 60

# A dotted code (personal_data.reveal, filings.filing) or a snake_case one (specialist_review).
CODE = re.compile(r"\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

# Proper nouns, abbreviations and formats that Chinese pages write in Latin letters.
ALLOWED_WORDS = {
    "regdesk", "English", "ICP", "ID", "IP", "IPv4", "IPv6", "PDF", "XLSX", "CSV", "JSON", "API", "TOTP", "SMS",
    "URL", "JPEG", "JPG", "PNG", "KB", "MB", "UTF-8", "UTF", "MIIT", "Cookie", "Parquet", "LRG", "CA", "QR",
    "Asia", "Shanghai", "App", "Y", "m", "d", "H", "i", "chinesecalendar",
}  # fmt: skip
# Internet names are data in every language: host names, e-mail addresses and web addresses.
INTERNET_NAME = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)+(?:cn|com|net|org|example|test|local)\b[\w/.-]*|[\w.+-]+@[\w.-]+"
)
# A record number (京ICP备12345678号-1) and a reference (ICP-2026-000001) are data.
REFERENCE = re.compile(r"[A-Z]{2,8}-\d[\d-]*|[\u4e00-\u9fff]ICP备\d+号(?:-\d+)?")


def _shape(address: str) -> str:
    return re.sub(r"\d+", "N", address.split("?", 1)[0])


def _data_words() -> set[str]:
    """Names the demo data gives in Latin letters: user names and unit codes."""
    words: set[str] = set(User.objects.values_list("username", flat=True))
    words |= set(OrgUnit.objects.values_list("code", flat=True))
    return words


def _offences(text: str, data: set[str]) -> list[str]:
    text = INTERNET_NAME.sub(" ", text)
    text = REFERENCE.sub(" ", text)
    for word in sorted(data, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z0-9_-]){re.escape(word)}(?![A-Za-z0-9_-])", " ", text)
    found = [f"code {match}" for match in CODE.findall(text)]
    found += [
        f"English {word}"
        for word in LATIN_WORD.findall(CODE.sub(" ", text))
        if word not in ALLOWED_WORDS and word.strip("-'") not in ALLOWED_WORDS
    ]
    return found


def _walk(username: str) -> dict[str, list[str]]:
    client = client_of(username, "zh-hans")
    start = "/portal/" if username == OWNER_ACCOUNT else "/desk/"
    data = _data_words()
    pending: list[str] = [start]
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    problems: dict[str, list[str]] = {}
    while pending and len(seen) < PAGES_PER_ACCOUNT:
        address = pending.pop(0)
        if address in seen:
            continue
        seen.add(address)
        response = client.get(address, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        offences = _offences(visible_text(response.content), data)
        if offences:
            problems[address] = sorted(set(offences))
        for link in page_links(response.content):
            if link not in seen and shapes[_shape(link)] < PAGES_PER_SHAPE:
                shapes[_shape(link)] += 1
                pending.append(link)
    return problems


@pytest.fixture
def demo(settings: SettingsWrapper, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.VAR_DIR = tmp_path
    # A worker that ran the vault's tests first holds their test-only declarations (English, by design); the data
    # dictionary page is walked as the product declares it.
    monkeypatch.setattr(
        dictionary,
        "_REGISTRY",
        {key: field for key, field in dictionary._REGISTRY.items() if not key.startswith(PROOF_KEY_PREFIX)},
    )
    load_demo(tmp_path)


@pytest.mark.parametrize("username", [*STAFF_ACCOUNTS, OWNER_ACCOUNT])
def test_pages_in_chinese_show_words_not_codes(demo: None, username: str) -> None:
    assert _walk(username) == {}


def test_the_check_finds_codes_and_english() -> None:
    assert _offences("时钟 specialist_review", set()) == ["code specialist_review"]
    assert _offences("操作 personal_data.reveal", set()) == ["code personal_data.reveal"]
    assert _offences("状态 Submitted", set()) == ["English Submitted"]
    assert _offences("网站 www.example.cn 京ICP备12345678号-1 ICP-2026-000001 regdesk clerk", {"clerk"}) == []
