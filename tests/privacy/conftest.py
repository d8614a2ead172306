"""Fixtures of the privacy tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from regdesk.privacy import keys
from tests.privacy.proof_models import ProofRecord


@pytest.fixture
def ring_file(tmp_path: Path) -> Iterator[Path]:
    """A key ring of the test's own (rotation must not touch the ring other tests share)."""
    path = tmp_path / "ring.json"
    keys.write_key_ring(keys.KeyRing.generate(key_id="k1"), path)
    with override_settings(VAULT_KEYS_FILE=str(path)):
        keys.forget_cached_key_ring()
        yield path
    keys.forget_cached_key_ring()


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
