"""The pages that take input (login, the TOTP step, sign-up, the calendar import, the audit filters) with bad
input: the page answers with the field's error (never a 500) and no table changes.

A wrong password or a wrong code is not "bad input" but a failed attempt: it is counted towards the lockout and
written to the audit trail by design, and the tests say so.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from regdesk.accounts.models import User
from regdesk.accounts.roles import Role
from tests.accounts.helpers import PASSWORD, enrol_totp, login_fully, login_with_password, make_user
from tests.api.conftest import World
from tests.api.snapshot import changed_tables, database_snapshot
from tests.calendars.samples import BROKEN_2027, SCHEDULE_2027

FAILED_ATTEMPT_TABLES = ["accounts.LoginThrottle", "audit.AuditChainHead", "audit.AuditEvent"]


def _form_errors(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


# --- login ------------------------------------------------------------------------------------------------------

MALFORMED_LOGINS: list[tuple[str, dict[str, str], set[str]]] = [
    ("nothing", {"username": "", "password": ""}, {"username", "password"}),
    ("no password", {"username": "staff"}, {"password"}),
    ("no username", {"password": PASSWORD}, {"username"}),
    ("blank username", {"username": "   ", "password": PASSWORD}, {"username"}),
    ("username too long", {"username": "u" * 151, "password": PASSWORD}, {"username"}),
    ("password too long", {"username": "staff", "password": "p" * 4097}, {"password"}),
    ("NUL in username", {"username": "sta\x00ff", "password": PASSWORD}, {"username"}),
    ("NUL in password", {"username": "staff", "password": "pass\x00word"}, {"password"}),
]


@pytest.mark.parametrize("url", ["/accounts/login/", "/portal/login/"])
@pytest.mark.parametrize(("name", "data", "fields"), MALFORMED_LOGINS, ids=[login[0] for login in MALFORMED_LOGINS])
def test_a_malformed_login_names_the_fields_and_changes_nothing(
    world: World, url: str, name: str, data: dict[str, str], fields: set[str]
) -> None:
    client = Client()
    before = database_snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert set(_form_errors(response)) == fields
    assert changed_tables(before, database_snapshot()) == []
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_a_counted_attempt_and_nothing_else(world: World) -> None:
    before = database_snapshot()
    response = login_with_password(Client(), "staff", "Wrong-Horse-Battery-8")
    assert response.status_code == 200
    assert set(_form_errors(response)) == {"__all__"}
    assert changed_tables(before, database_snapshot()) == FAILED_ATTEMPT_TABLES


# --- the TOTP step ----------------------------------------------------------------------------------------------


@pytest.fixture
def half_logged_in(world: World) -> Client:
    """A staff member with an authenticator who has given the password but not the code yet."""
    enrol_totp(world.staff)
    client = Client()
    assert login_with_password(client, "staff").status_code == 302
    return client


@pytest.mark.parametrize("data", [{"code": ""}, {"code": "  "}, {"code": "1" * 13}, {"code": "12\x003456"}])
def test_a_malformed_code_names_the_field_and_changes_nothing(half_logged_in: Client, data: dict[str, str]) -> None:
    before = database_snapshot()
    response = half_logged_in.post("/accounts/login/verify/", data)
    assert response.status_code == 200
    assert set(_form_errors(response)) == {"code"}
    assert changed_tables(before, database_snapshot()) == []


@pytest.mark.parametrize("code", ["000000", "abcdef", "12 34 56 78", "１２３４５６"])
def test_a_wrong_code_is_a_counted_attempt_and_nothing_else(half_logged_in: Client, code: str) -> None:
    before = database_snapshot()
    response = half_logged_in.post("/accounts/login/verify/", {"code": code})
    assert response.status_code == 200
    assert set(_form_errors(response)) == {"code"}
    assert changed_tables(before, database_snapshot()) == FAILED_ATTEMPT_TABLES


# --- sign-up ----------------------------------------------------------------------------------------------------

GOOD_SIGNUP = {
    "username": "new-owner",
    "email": "new-owner@example.cn",
    "password": "Sturdy-Lantern-Copper-5",
    "password_again": "Sturdy-Lantern-Copper-5",
}
BAD_SIGNUPS: list[tuple[str, dict[str, str], set[str]]] = [
    ("nothing", dict.fromkeys(GOOD_SIGNUP, ""), {"username", "email", "password", "password_again"}),
    ("bad e-mail", {**GOOD_SIGNUP, "email": "not-an-address"}, {"email"}),
    ("passwords differ", {**GOOD_SIGNUP, "password_again": "Sturdy-Lantern-Copper-6"}, {"password_again"}),
    ("weak password", {**GOOD_SIGNUP, "password": "1234567890", "password_again": "1234567890"}, {"password"}),
    ("username taken", {**GOOD_SIGNUP, "username": "staff"}, {"username"}),
    ("username with spaces", {**GOOD_SIGNUP, "username": "new owner"}, {"username"}),
    ("username too long", {**GOOD_SIGNUP, "username": "u" * 151}, {"username"}),
    (
        "e-mail too long",
        {**GOOD_SIGNUP, "email": "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.cn"},
        {"email"},
    ),
    ("NUL in username", {**GOOD_SIGNUP, "username": "new\x00owner"}, {"username"}),
]


@pytest.mark.parametrize(("name", "data", "fields"), BAD_SIGNUPS, ids=[signup[0] for signup in BAD_SIGNUPS])
def test_a_bad_sign_up_names_the_fields_and_changes_nothing(
    world: World, name: str, data: dict[str, str], fields: set[str]
) -> None:
    client = Client()
    before = database_snapshot()
    response = client.post("/portal/signup/", data)
    assert response.status_code == 200
    assert set(_form_errors(response)) == fields
    assert changed_tables(before, database_snapshot()) == []
    assert not User.objects.filter(username__startswith="new").exists()


def test_the_good_sign_up_goes_through(world: World) -> None:
    response = Client().post("/portal/signup/", GOOD_SIGNUP)
    assert response.status_code == 302
    assert User.objects.filter(username="new-owner").exists()


# --- the calendar import ----------------------------------------------------------------------------------------


@pytest.fixture
def administrator(world: World) -> Client:
    client = Client()
    login_fully(client, make_user("admin", (world.provider, Role.ADMINISTRATOR)))
    return client


def _upload(content: bytes, name: str = "2027.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


BAD_IMPORTS: list[tuple[str, dict[str, Any], set[str]]] = [
    ("nothing", {"text": "", "source": ""}, {"__all__"}),
    ("both", {"text": SCHEDULE_2027, "file": SCHEDULE_2027.encode()}, {"__all__"}),
    ("broken text", {"text": BROKEN_2027}, {"text"}),
    ("broken file", {"file": BROKEN_2027.encode()}, {"file"}),
    ("not UTF-8", {"file": "year: 2027\n".encode("utf-16")}, {"file"}),
    ("binary", {"file": bytes(range(256))}, {"file"}),
    ("too large", {"file": b"# " + b"x" * (256 * 1024)}, {"file"}),
    ("source too long", {"text": SCHEDULE_2027, "source": "s" * 2001}, {"source"}),
    ("year outside", {"text": SCHEDULE_2027.replace("2027", "1999")}, {"text"}),
    ("NUL in text", {"text": SCHEDULE_2027.replace("元旦", "元\x00旦")}, {"text"}),
]


@pytest.mark.parametrize(("name", "data", "fields"), BAD_IMPORTS, ids=[bad[0] for bad in BAD_IMPORTS])
def test_a_bad_calendar_import_names_the_field_and_changes_nothing(
    administrator: Client, name: str, data: dict[str, Any], fields: set[str]
) -> None:
    posted = {key: _upload(value) if key == "file" else value for key, value in data.items()}
    before = database_snapshot()
    response = administrator.post("/desk/calendar/", posted)
    assert response.status_code == 200
    assert set(_form_errors(response)) == fields
    assert changed_tables(before, database_snapshot()) == []


def test_the_good_calendar_import_goes_through(administrator: Client) -> None:
    before = database_snapshot()
    assert administrator.post("/desk/calendar/", {"text": SCHEDULE_2027}).status_code == 302
    assert "calendars.ImportedYear" in changed_tables(before, database_snapshot())


def test_staff_who_are_not_administrators_cannot_import(world: World) -> None:
    client = Client()
    login_fully(client, world.staff)
    before = database_snapshot()
    assert client.post("/desk/calendar/", {"text": SCHEDULE_2027}).status_code == 403
    assert changed_tables(before, database_snapshot()) == []


# --- the audit filters ------------------------------------------------------------------------------------------

BAD_FILTERS: list[tuple[str, dict[str, str], set[str]]] = [
    ("bad date", {"date_from": "2026-02-30"}, {"date_from"}),
    ("words for a date", {"date_to": "yesterday"}, {"date_to"}),
    ("end before start", {"date_from": "2026-03-02", "date_to": "2026-03-01"}, {"date_to"}),
    ("actor too long", {"actor": "a" * 151}, {"actor"}),
    ("object too long", {"object_id": "1" * 101}, {"object_id"}),
    ("NUL in action", {"action": "case\x00.start"}, {"action"}),
]


@pytest.mark.parametrize(("name", "query", "fields"), BAD_FILTERS, ids=[bad[0] for bad in BAD_FILTERS])
def test_bad_audit_filters_name_the_field_and_change_nothing(
    world: World, name: str, query: dict[str, str], fields: set[str]
) -> None:
    client = Client()
    login_fully(client, world.staff)
    before = database_snapshot()
    response = client.get("/desk/audit/", query)
    assert response.status_code == 200
    assert set(_form_errors(response)) == fields
    assert list(response.context["page"].object_list) == []
    assert changed_tables(before, database_snapshot()) == []


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999999999999999999999"])
def test_any_audit_page_number_shows_a_page(world: World, page: str) -> None:
    client = Client()
    login_fully(client, world.staff)
    response = client.get("/desk/audit/", {"page": page})
    assert response.status_code == 200
