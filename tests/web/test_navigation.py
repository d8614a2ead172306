"""The desk menu shows only what the role may open, and a page the user may not open answers with the house's own
403 and 404 pages in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.web.pages import STAFF_ACCOUNTS, client_of, load_demo, menu_links, visible_text

pytestmark = pytest.mark.django_db

# Every address the menu may offer, to check that the ones a role does not see are indeed closed to it.
ALL_ENTRIES = (
    "/desk/",
    "/desk/filings/",
    "/desk/audit/",
    "/desk/calendar/",
    "/desk/subscribers/counter/",
    "/desk/subscribers/reports/",
    "/desk/subscribers/campaigns/",
    "/desk/subscribers/agents/",
    "/desk/subscribers/inspections/",
    "/desk/privacy/dictionary",
    "/desk/units/",
)


@pytest.fixture
def demo(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    load_demo(tmp_path)


@pytest.mark.parametrize("username", STAFF_ACCOUNTS)
def test_every_menu_entry_opens_and_every_hidden_one_is_closed(demo: None, username: str) -> None:
    client = client_of(username, "zh-hans")
    links = menu_links(client.get("/desk/").content)
    assert links, "the desk shows no menu"
    shown = {address for _label, address in links}
    for label, address in links:
        response = client.get(address, follow=True)
        assert response.status_code == 200, (username, label, address, response.status_code)
    for address in set(ALL_ENTRIES) - shown:
        assert client.get(address).status_code in (403, 404), (username, address)


def test_the_roles_see_the_menus_of_their_work(demo: None) -> None:
    def menu(username: str) -> set[str]:
        return {address for _label, address in menu_links(client_of(username, "zh-hans").get("/desk/").content)}

    assert "/desk/filings/" in menu("specialist")
    assert "/desk/audit/" not in menu("specialist")
    assert "/desk/subscribers/counter/" in menu("clerk")
    assert "/desk/filings/" not in menu("clerk")
    assert {"/desk/audit/", "/desk/privacy/dictionary", "/desk/subscribers/reports/"} <= menu("auditor")
    assert {"/desk/calendar/", reverse("admin:index")} <= menu("admin")
    assert "/desk/filings/" not in menu("admin")


@pytest.mark.parametrize(
    ("language", "forbidden_title", "missing_title"),
    [("zh-hans", "您无权打开此页面", "页面不存在"), ("en", "You may not open this page", "Page not found")],
)
def test_forbidden_and_missing_pages_are_the_houses_own(
    demo: None, language: str, forbidden_title: str, missing_title: str
) -> None:
    client = client_of("clerk", language)
    forbidden = client.get("/desk/filings/")
    assert forbidden.status_code == 403
    assert forbidden_title in visible_text(forbidden.content)
    assert "403 Forbidden" not in forbidden.content.decode()
    assert b"desk-navigation" in forbidden.content  # the page keeps the desk's menu
    missing = client.get("/desk/filings/999999/")
    assert missing.status_code == 404
    assert missing_title in visible_text(missing.content)
    nowhere = client.get("/desk/no-such-page/")
    assert nowhere.status_code == 404
    assert missing_title in visible_text(nowhere.content)


def test_a_form_sent_without_its_token_gets_the_houses_page() -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(reverse("web:portal_signup"), {"username": "someone"})
    assert response.status_code == 403
    assert "表单已失效" in visible_text(response.content)
    assert "CSRF verification failed" not in response.content.decode()


def test_an_error_of_ours_gets_the_houses_page(settings: SettingsWrapper) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        page = render_to_string("500.html")
    assert "系统出现故障" in visible_text(page.encode())
    with translation.override("en"):
        page = render_to_string("500.html")
    assert "Something went wrong on our side" in visible_text(page.encode())
