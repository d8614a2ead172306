"""Tampering as someone who holds the database: raw SQL past the ORM guards and, on PostgreSQL, past the triggers."""

from __future__ import annotations

from django.db import connection


def as_database_superuser() -> None:
    """Let raw SQL in this test's transaction change audit rows, as a PostgreSQL superuser can.

    The append-only triggers (migration 0003) refuse UPDATE and DELETE to the application; a superuser switches them
    off with ``session_replication_role``. SQLite has no triggers to pass.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
