"""The web shell: permission matrix of desk and portal pages, root redirect, sign-up, portal and desk contents,
the base template, the language switch and collectstatic."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.audit.models import AuditEvent
from regdesk.web.desk import home_sections
from tests.accounts.helpers import PASSWORD, login_fully, make_unit, make_user
from tests.web.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> dict[str, OrgUnit]:
    provider = make_unit("provider", UnitKind.PROVIDER)
    beijing = make_unit("beijing", UnitKind.BRANCH, provider)
    return {
        "provider": provider,
        "beijing": beijing,
        "haidian": make_unit("haidian", UnitKind.OUTLET, beijing),
        "shanghai": make_unit("shanghai", UnitKind.BRANCH, provider),
    }


@pytest.fixture
def people(units: dict[str, OrgUnit]) -> dict[str, User | None]:
    return {
        "owner": make_user("owner", (units["provider"], Role.WEBSITE_OWNER)),
        "staff_right_unit": make_user("beijing-specialist", (units["beijing"], Role.SPECIALIST)),
        "staff_other_unit": make_user("shanghai-specialist", (units["shanghai"], Role.SPECIALIST)),
        "anonymous": None,
    }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_fully(client, user)
    return client


def state_snapshot() -> tuple[int, int, int, int]:
    return (
        AuditEvent.objects.count(),
        User.objects.count(),
        Membership.objects.filter(active=True).count(),
        OrgUnit.objects.count(),
    )


# Expected status per page and person; 302 means "sent to a login page".
MATRIX = {
    "desk_home": {"owner": 403, "staff_right_unit": 200, "staff_other_unit": 200, "anonymous": 302},
    "unit_list": {"owner": 403, "staff_right_unit": 200, "staff_other_unit": 200, "anonymous": 302},
    "unit_detail": {"owner": 403, "staff_right_unit": 200, "staff_other_unit": 404, "anonymous": 302},
    "unit_detail_child": {"owner": 403, "staff_right_unit": 200, "staff_other_unit": 404, "anonymous": 302},
    "portal_home": {"owner": 200, "staff_right_unit": 403, "staff_other_unit": 403, "anonymous": 302},
}


@pytest.mark.parametrize("page", sorted(MATRIX))
@pytest.mark.parametrize("person", ["owner", "staff_right_unit", "staff_other_unit", "anonymous"])
def test_permission_matrix(page: str, person: str, units: dict[str, OrgUnit], people: dict[str, User | None]) -> None:
    url = {
        "desk_home": reverse("web:desk_home"),
        "unit_list": reverse("web:unit_list"),
        "unit_detail": reverse("web:unit_detail", args=[units["beijing"].pk]),
        "unit_detail_child": reverse("web:unit_detail", args=[units["haidian"].pk]),
        "portal_home": reverse("web:portal_home"),
    }[page]
    before = state_snapshot()
    response = client_for(people[person]).get(url)
    expected = MATRIX[page][person]
    assert response.status_code == expected
    if expected == 302:
        login_page = reverse("web:portal_login") if page == "portal_home" else reverse("accounts:login")
        assert response["Location"].startswith(login_page + "?next=")
    if expected != 200:
        assert state_snapshot() == before


def test_missing_and_forbidden_units_look_the_same(units: dict[str, OrgUnit], people: dict[str, User | None]) -> None:
    client = client_for(people["staff_other_unit"])
    forbidden = client.get(reverse("web:unit_detail", args=[units["beijing"].pk]))
    missing = client.get(reverse("web:unit_detail", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    # The house's 404 page: the same words for both (the pages differ only in their own address and form token).
    assert visible_text(forbidden.content) == visible_text(missing.content)
    assert b"beijing" not in forbidden.content


def test_unit_list_shows_only_visible_units(people: dict[str, User | None]) -> None:
    body = client_for(people["staff_right_unit"]).get(reverse("web:unit_list")).content.decode()
    assert "haidian" in body
    assert "shanghai" not in body


@pytest.mark.parametrize(
    ("person", "target"),
    [("owner", "/portal/"), ("staff_right_unit", "/desk/"), ("anonymous", "/portal/")],
)
def test_root_redirects_sensibly(person: str, target: str, people: dict[str, User | None]) -> None:
    response = client_for(people[person]).get("/")
    assert response.status_code == 302
    assert response["Location"] == target


# --- owner portal ----------------------------------------------------------------------------------------------


def test_sign_up_creates_an_owner_and_opens_the_portal(client: Client, units: dict[str, OrgUnit]) -> None:
    response = client.post(
        reverse("web:portal_signup"),
        {"username": "new-owner", "email": "new@example.cn", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response["Location"] == reverse("web:portal_home")
    user = User.objects.get(username="new-owner")
    assert Membership.objects.filter(user=user, unit=units["provider"], role=Role.WEBSITE_OWNER).exists()
    page = client.get(reverse("web:portal_home")).content.decode()
    assert "new-owner" in page
    assert "账户已创建" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "x", "email": "x@example.cn", "password": PASSWORD, "password_again": "other"},
            "两次输入的密码不一致",
        ),
        ({"username": "x", "email": "x@example.cn", "password": "12345", "password_again": "12345"}, "password"),
        ({"username": "x", "email": "not-mail", "password": PASSWORD, "password_again": PASSWORD}, "email"),
        (
            {"username": "owner", "email": "x@example.cn", "password": PASSWORD, "password_again": PASSWORD},
            "该用户名已被使用",
        ),
        ({"username": "", "email": "x@example.cn", "password": PASSWORD, "password_again": PASSWORD}, "username"),
    ],
)
def test_sign_up_errors_name_the_field_and_change_nothing(
    client: Client, people: dict[str, User | None], data: dict[str, str], message: str
) -> None:
    before = state_snapshot()
    response = client.post(reverse("web:portal_signup"), data)
    assert response.status_code == 200
    body = response.content.decode()
    if message in {"password", "email", "username"}:
        assert message in response.context["form"].errors
    else:
        assert message in body
    assert state_snapshot() == before


def test_sign_up_without_a_provider_unit_says_so(client: Client) -> None:
    response = client.post(
        reverse("web:portal_signup"),
        {"username": "early", "email": "early@example.cn", "password": PASSWORD, "password_again": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "the provider&#x27;s organisation unit is not configured" in response.content.decode()
    assert not User.objects.exists()


def test_portal_home_shows_the_account_and_an_empty_filings_section(people: dict[str, User | None]) -> None:
    body = client_for(people["owner"]).get(reverse("web:portal_home")).content.decode()
    assert "我的账户" in body
    assert "owner@example.cn" in body
    assert "我的备案" in body
    assert "您还没有 ICP 备案" in body
    english = client_for(people["owner"]).get(reverse("web:portal_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "You have no ICP filings yet" in english.content.decode()


# --- desk home -------------------------------------------------------------------------------------------------


def test_desk_home_without_cases_says_there_are_none(people: dict[str, User | None]) -> None:
    body = client_for(people["staff_right_unit"]).get(reverse("web:desk_home")).content.decode()
    assert "目前没有分配给您的案件" in body
    assert "即将超时的时限" in body
    assert "未处理的日历提醒" not in body


def test_desk_home_shows_calendar_alerts_to_administrators(units: dict[str, OrgUnit]) -> None:
    administrator = make_user("admin", (units["provider"], Role.ADMINISTRATOR))
    body = client_for(administrator).get(reverse("web:desk_home")).content.decode()
    assert "未处理的日历提醒" in body


def test_home_sections_render_what_the_selectors_return(
    monkeypatch: pytest.MonkeyPatch, people: dict[str, User | None]
) -> None:
    fake = types.ModuleType("regdesk.cases.selectors")
    calls: list[tuple[str, int]] = []

    def cases_assigned_to(user: User, limit: int = 20) -> list[str]:
        calls.append(("cases", limit))
        return ["ICP-2026-000123"]

    def clocks_closest_to_breach(user: User, limit: int = 10) -> list[str]:
        calls.append(("clocks", limit))
        return ["clock of ICP-2026-000124"]

    fake.cases_assigned_to = cases_assigned_to  # type: ignore[attr-defined]
    fake.clocks_closest_to_breach = clocks_closest_to_breach  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "regdesk.cases.selectors", fake)
    body = client_for(people["staff_right_unit"]).get(reverse("web:desk_home")).content.decode()
    assert "ICP-2026-000123" in body
    assert "clock of ICP-2026-000124" in body
    assert calls == [("cases", 20), ("clocks", 10)]


def test_home_sections_are_empty_while_a_selector_is_missing(
    monkeypatch: pytest.MonkeyPatch, people: dict[str, User | None]
) -> None:
    user = people["staff_right_unit"]
    assert user is not None
    # None in sys.modules makes the import fail with ImportError, as for an app that is not written yet.
    monkeypatch.setitem(sys.modules, "regdesk.cases.selectors", None)
    sections = home_sections(user)
    assert (sections.my_cases, sections.clocks, sections.shows_alerts) == ([], [], False)
    monkeypatch.setitem(sys.modules, "regdesk.cases.selectors", types.ModuleType("regdesk.cases.selectors"))
    assert home_sections(user).my_cases == []


# --- base template, language, static files ---------------------------------------------------------------------


def test_base_template_has_the_shell(people: dict[str, User | None]) -> None:
    body = client_for(people["staff_right_unit"]).get(reverse("web:desk_home")).content.decode()
    for expected in (
        "备案与实名登记系统",
        "regdesk",
        "beijing-specialist",
        'action="/accounts/logout/"',
        'action="/i18n/setlang/"',
        'href="/desk/filings/"',
        'href="/desk/units/"',
        "/static/vendor/pico/pico.min.css",
        "/static/vendor/htmx/htmx.min.js",
    ):
        assert expected in body, expected
    # A specialist's menu holds no page the specialist may not open.
    for closed in ('href="/desk/audit/"', 'href="/desk/calendar/"', 'href="/desk/privacy/dictionary"'):
        assert closed not in body, closed


def test_owners_see_no_desk_navigation(people: dict[str, User | None]) -> None:
    body = client_for(people["owner"]).get(reverse("web:portal_home")).content.decode()
    assert 'href="/desk/audit/"' not in body


def test_language_switch_to_english(people: dict[str, User | None]) -> None:
    client = client_for(people["owner"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    assert response.status_code == 302
    body = client.get("/portal/").content.decode()
    assert "My filings" in body
    assert 'lang="en"' in body


def test_collectstatic_gathers_own_and_vendor_files(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    for relative in (
        "web/regdesk.css",
        "vendor/pico/pico.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/chartjs/chart.umd.min.js",
    ):
        assert (tmp_path / relative).is_file(), f"{relative} missing: run scripts/build-assets"
