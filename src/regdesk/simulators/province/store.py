"""The province's state in one SQLite file (``province.sqlite3`` in the state directory).

Every change runs in one ``BEGIN IMMEDIATE`` transaction under the store's lock, so that a restart finds either
all of an upload's effects or none of them, and two calls never interleave (the sequence check and the insert of
an upload are one step).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STATE_FILE_NAME = "province.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
-- Every isp_upload call that passed authentication, with the code it was answered with.
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY,
    isp_id INTEGER NOT NULL,
    data_sequence INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    msg_code INTEGER NOT NULL,
    msg TEXT NOT NULL,
    file_name TEXT,
    beian_info TEXT,
    beian_info_hash TEXT,
    encrypt_algorithm INTEGER,
    result_codes TEXT NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX IF NOT EXISTS uploads_accepted ON uploads (isp_id, data_sequence) WHERE msg_code = 0;
-- One operation of an accepted upload (an XZBA Baxx, an XZWZ Xzxx, a ZXBA Zx_xx) and where it stands.
CREATE TABLE IF NOT EXISTS operations (
    id INTEGER PRIMARY KEY,
    isp_id INTEGER NOT NULL,
    upload_id INTEGER NOT NULL REFERENCES uploads (id),
    kind TEXT NOT NULL,
    operation_type INTEGER NOT NULL,
    marker TEXT,
    record_id INTEGER,
    owner_id INTEGER,
    certificate_number TEXT,
    owner_name TEXT,
    website_names TEXT NOT NULL DEFAULT '',
    domains TEXT NOT NULL DEFAULT '',
    homepages TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    result_codes TEXT NOT NULL DEFAULT '[]',
    received_at TEXT NOT NULL,
    review_due_at TEXT,
    reviewed_at TEXT,
    opinion TEXT
);
CREATE INDEX IF NOT EXISTS operations_status ON operations (status, review_due_at);
-- Filed owners (主体), websites, domains, accesses and IP ranges; ids are the province's record ids.
CREATE TABLE IF NOT EXISTS owners (
    id INTEGER PRIMARY KEY,
    isp_id INTEGER NOT NULL,
    isp_owner_id INTEGER NOT NULL,
    certificate_type INTEGER NOT NULL,
    certificate_number TEXT NOT NULL,
    name TEXT NOT NULL,
    record_number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    last_website_position INTEGER NOT NULL,
    filing_password TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS websites (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES owners (id),
    isp_website_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    homepage TEXT,
    record_number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS domains (
    id INTEGER PRIMARY KEY,
    website_id INTEGER NOT NULL REFERENCES websites (id),
    isp_domain_id INTEGER NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS domains_name ON domains (name);
CREATE TABLE IF NOT EXISTS accesses (
    id INTEGER PRIMARY KEY,
    website_id INTEGER NOT NULL REFERENCES websites (id),
    isp_id INTEGER NOT NULL,
    isp_access_id INTEGER NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ip_ranges (
    id INTEGER PRIMARY KEY,
    access_id INTEGER NOT NULL REFERENCES accesses (id),
    isp_ip_id INTEGER NOT NULL,
    first_address INTEGER NOT NULL,
    last_address INTEGER NOT NULL
);
-- Download files waiting for the provider's isp_download, until isp_downloadack names them.
CREATE TABLE IF NOT EXISTS downloads (
    id INTEGER PRIMARY KEY,
    isp_id INTEGER NOT NULL,
    file_name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    document BLOB NOT NULL,
    summary TEXT NOT NULL,
    served_count INTEGER NOT NULL DEFAULT 0,
    acked_at TEXT
);
"""

# Province record ids (Ztid, Wzid, Ymid, Jrid, Ipid) start here so that they look like a live system's.
FIRST_RECORD_ID = 31_000_001


class Store:
    """The SQLite file, one connection shared under a lock (the simulator's load is a few calls a second)."""

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / STATE_FILE_NAME
        self._lock = threading.RLock()
        self._connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._connection.row_factory = sqlite3.Row
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=FULL")
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._connection.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested use joins the outer transaction."""
        with self._lock:
            if self._connection.in_transaction:
                yield self._connection
                return
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def reset(self) -> None:
        """Forget everything (``POST /control/reset``)."""
        with self.transaction() as connection:
            for table in ("ip_ranges", "accesses", "domains", "websites", "owners", "operations", "downloads"):
                connection.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            connection.execute("DELETE FROM uploads")
            connection.execute("DELETE FROM meta")


def stamp(moment: dt.datetime) -> str:
    """A stored time: UTC, ISO 8601 with microseconds always, so that stored times compare as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def next_value(connection: sqlite3.Connection, key: str, first: int) -> int:
    """The next value of a named counter kept in ``meta`` (inside the caller's transaction)."""
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    value = int(row["value"]) if row is not None else first
    connection.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value + 1),
    )
    return value


def next_record_id(connection: sqlite3.Connection) -> int:
    return next_value(connection, "next_record_id", FIRST_RECORD_ID)
