"""The database snapshot sees inserts and updates, and leaves out only the bookkeeping it names."""

from __future__ import annotations

import pytest
from django.utils import timezone

from regdesk.accounts.models import ApiToken
from regdesk.accounts.services import api_token_create
from regdesk.cases.models import Case
from tests.api.conftest import World
from tests.api.snapshot import changed_tables, database_snapshot


def test_an_update_of_one_row_shows(world: World) -> None:
    before = database_snapshot()
    Case.objects.filter(pk=world.draft_case.pk).update(state="withdrawn")
    assert changed_tables(before, database_snapshot()) == ["cases.Case"]


def test_an_insert_shows(world: World) -> None:
    before = database_snapshot()
    api_token_create(actor=None, user=world.staff, name="new")
    assert changed_tables(before, database_snapshot()) == [
        "accounts.ApiToken",
        "audit.AuditChainHead",
        "audit.AuditEvent",
    ]


@pytest.mark.django_db
def test_the_time_a_token_was_last_used_is_bookkeeping(world: World) -> None:
    token, _plain = api_token_create(actor=None, user=world.staff, name="used")
    before = database_snapshot()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    assert changed_tables(before, database_snapshot()) == []
