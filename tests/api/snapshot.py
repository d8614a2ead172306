"""A fingerprint of the whole database, to prove that a refused request changed nothing.

Every model is read in primary-key order and hashed, table by table, so a comparison names the tables that
changed. Some columns change on every request by design and are left out: sessions (a logged-in request notes its
last activity) and the time an API token was last used (bookkeeping, see ``api_token_authenticate``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.apps import apps
from django.db import connection

# Model label -> columns left out of the fingerprint; None leaves the whole table out.
BOOKKEEPING: dict[str, frozenset[str] | None] = {
    "sessions.Session": None,
    "accounts.ApiToken": frozenset({"last_used_at"}),
    # Written by migrations only.
    "auth.Permission": None,
    "contenttypes.ContentType": None,
}


def _columns(label: str, names: Iterable[str]) -> list[str]:
    left_out = BOOKKEEPING.get(label) or frozenset()
    return [name for name in names if name not in left_out]


def database_snapshot(*, leave_out: Iterable[str] = ()) -> dict[str, str]:
    """``{model label: sha256 of its rows}`` for every table, leaving out the labels in ``leave_out`` as well."""
    skipped = set(leave_out)
    snapshot: dict[str, str] = {}
    quote = connection.ops.quote_name
    # Plain SQL rather than the ORM: the fuzzing takes two snapshots per request, and the ORM's overhead per
    # query would dominate the run.
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label
            if label in skipped or (label in BOOKKEEPING and BOOKKEEPING[label] is None):
                continue
            columns = _columns(label, (field.column for field in model._meta.concrete_fields))
            primary_key = quote(model._meta.pk.column)
            selected = ", ".join(quote(column) for column in columns)
            cursor.execute(f"SELECT {selected} FROM {quote(model._meta.db_table)} ORDER BY {primary_key}")  # noqa: S608
            snapshot[label] = hashlib.sha256(repr(cursor.fetchall()).encode("utf-8")).hexdigest()
    return snapshot


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The labels whose rows differ between two snapshots (an empty list when nothing changed)."""
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
