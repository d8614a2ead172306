"""Services called with bad input raise their specific error and change nothing: no row, no audit event, and for
the vault no key in the ring file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regdesk.accounts.errors import AccountsError
from regdesk.accounts.models import User
from regdesk.accounts.services import TOKEN_MAX_DAYS, api_token_create, user_create
from regdesk.calendars.importing import CalendarImportError, parse_calendar_text
from regdesk.calendars.services import calendar_year_import
from regdesk.privacy.models import ContactPoint
from regdesk.privacy.services import MAX_BATCH_SIZE, contact_point_add, vault_reencrypt, vault_rotate
from tests.accounts.helpers import PASSWORD
from tests.api.conftest import World
from tests.api.snapshot import changed_tables, database_snapshot
from tests.calendars.samples import SCHEDULE_2027


def _refused(call: Callable[[], Any], error: type[Exception]) -> Exception:
    before = database_snapshot()
    with pytest.raises(error) as caught:
        call()
    assert changed_tables(before, database_snapshot()) == []
    return caught.value


@pytest.mark.parametrize(
    ("name", "days", "code"),
    [
        ("", None, "token_name_required"),
        ("   ", None, "token_name_required"),
        ("n" * 101, None, "token_name_too_long"),
        ("ok", 0, "token_days_invalid"),
        ("ok", -1, "token_days_invalid"),
        ("ok", TOKEN_MAX_DAYS + 1, "token_days_invalid"),
        ("ok", 10**13, "token_days_invalid"),
    ],
)
def test_api_token_create_refuses_bad_input(world: World, name: str, days: int | None, code: str) -> None:
    error = _refused(lambda: api_token_create(actor=None, user=world.staff, name=name, days=days), AccountsError)
    assert isinstance(error, AccountsError)
    assert error.code == code


def test_the_longest_token_validity_is_accepted(world: World) -> None:
    token, _plain = api_token_create(actor=None, user=world.staff, name="long", days=TOKEN_MAX_DAYS)
    assert token.expires_at is not None


def test_tokens_of_a_disabled_user_are_refused(world: World) -> None:
    User.objects.filter(pk=world.staff.pk).update(is_active=False)
    world.staff.refresh_from_db()
    error = _refused(lambda: api_token_create(actor=None, user=world.staff, name="x"), AccountsError)
    assert isinstance(error, AccountsError)
    assert error.code == "user_inactive"


@pytest.mark.parametrize(
    ("username", "email", "password", "code"),
    [
        ("", "", PASSWORD, "username_required"),
        ("with space", "", PASSWORD, "username_invalid"),
        ("u" * 151, "", PASSWORD, "username_invalid"),
        ("fine", "no-at-sign", PASSWORD, "email_invalid"),
        ("fine", "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.cn", PASSWORD, "email_invalid"),
        ("fine", "", "short", "password_invalid"),
        ("STAFF", "", PASSWORD, "username_taken"),
    ],
)
def test_user_create_refuses_bad_input(world: World, username: str, email: str, password: str, code: str) -> None:
    error = _refused(lambda: user_create(actor=None, username=username, email=email, password=password), AccountsError)
    assert isinstance(error, AccountsError)
    assert error.code == code


def test_calendar_import_by_a_non_administrator_is_refused(world: World) -> None:
    parsed = parse_calendar_text(SCHEDULE_2027)
    _refused(
        lambda: calendar_year_import(actor=world.staff, year=parsed.year, entries=parsed.entries, source="x"),
        PermissionDenied,
    )


def test_calendar_entries_of_another_year_are_refused(world: World) -> None:
    parsed = parse_calendar_text(SCHEDULE_2027)
    _refused(
        lambda: calendar_year_import(actor=None, year=2028, entries=parsed.entries, source="x"), CalendarImportError
    )


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [("phone", "12", "value"), ("phone", "call me", "value"), ("email", "nobody", "value"), ("fax", "1", "kind")],
)
def test_contact_point_add_refuses_bad_values(world: World, kind: str, value: str, field: str) -> None:
    error = _refused(lambda: contact_point_add(actor=None, kind=kind, value=value, user=world.staff), ValidationError)
    assert isinstance(error, ValidationError)
    assert list(error.message_dict) == [field]
    assert not ContactPoint.objects.exists()


@pytest.mark.parametrize("batch_size", [0, -1, MAX_BATCH_SIZE + 1, 10**20])
def test_a_refused_rotation_leaves_the_key_ring_alone(world: World, ring_file: Path, batch_size: int) -> None:
    ring = ring_file.read_bytes()
    error = _refused(lambda: vault_rotate(actor=None, batch_size=batch_size), ValidationError)
    assert isinstance(error, ValidationError)
    assert list(error.message_dict) == ["batch_size"]
    assert ring_file.read_bytes() == ring


@pytest.mark.parametrize("new_key_id", ["k1", "../../escape", "k" * 33, "key with spaces", "k\x00"])
def test_a_bad_new_key_id_leaves_the_key_ring_alone(world: World, ring_file: Path, new_key_id: str) -> None:
    ring = ring_file.read_bytes()
    _refused(lambda: vault_rotate(actor=None, new_key_id=new_key_id), ValidationError)
    assert ring_file.read_bytes() == ring


@pytest.mark.parametrize("batch_size", [0, MAX_BATCH_SIZE + 1])
def test_reencryption_refuses_bad_batch_sizes(world: World, ring_file: Path, batch_size: int) -> None:
    _refused(lambda: vault_reencrypt(actor=None, batch_size=batch_size), ValidationError)
