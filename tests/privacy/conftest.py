"""Fixtures of the privacy tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from tests.privacy.proof_models import ProofRecord


@pytest.fixture(scope="session")
def _proof_table_created(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    # Made once, outside the tests' transactions: SQLite cannot change its schema inside one.
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(ProofRecord)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(ProofRecord)


@pytest.fixture
def proof_table(_proof_table_created: None, db: None) -> Iterator[type[ProofRecord]]:
    """The table of the test-only ``ProofRecord`` model, empty at the start of each test."""
    ProofRecord.objects.all().delete()
    yield ProofRecord
    ProofRecord.objects.all().delete()
