"""Proof: no ID number, phone number, e-mail address or name of the test data is stored in plain text.

The stored bytes are read as an attacker with a copy of the database would: the SQLite file with its write-ahead
log, and a ``pg_dump`` of the PostgreSQL database. A canary stored unencrypted on purpose shows the scan works.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.privacy.plaintext_data import CANARY, ID_NUMBERS, PHONES, populate, secrets
from tests.privacy.proof_models import ProofRecord

REPOSITORY = Path(__file__).resolve().parents[2]


def found_in(data: bytes) -> list[str]:
    return [secret for secret in secrets() if secret.encode("utf-8") in data]


def test_the_scan_finds_plain_text() -> None:
    assert found_in(f"x{PHONES[0]}y".encode()) == [PHONES[0]]
    assert found_in(ID_NUMBERS[0].lower().encode()) == [ID_NUMBERS[0].lower()]


def _subprocess_env(directory: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REGDESK_")}
    env.update(
        {
            "REGDESK_DATABASE_URL": f"sqlite:///{directory / 'proof.sqlite3'}",
            "REGDESK_VAR_DIR": str(directory / "var"),
            "DJANGO_SETTINGS_MODULE": "regdesk.config.settings",
            "PYTHONPATH": os.pathsep.join([str(REPOSITORY), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
    )
    return env


def _stored_files(database: Path) -> Iterator[Path]:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = database.with_name(database.name + suffix)
        if path.exists():
            yield path


def test_sqlite_file_holds_no_plain_personal_data(tmp_path: Path) -> None:
    env = _subprocess_env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "regdesk.cli", "migrate", "--no-input", "-v", "0"],
        cwd=REPOSITORY,
        env=env,
        check=True,
        timeout=300,
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.privacy.plaintext_script"],
        cwd=REPOSITORY,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"records": 3, "contacts": 4}

    database = tmp_path / "proof.sqlite3"
    stored = b"".join(path.read_bytes() for path in _stored_files(database))
    assert CANARY.encode() in stored
    assert found_in(stored) == []

    # The rows are really there, sealed: three records and four contact points, and the reveal's audit event.
    with sqlite3.connect(database) as reader:
        assert reader.execute("SELECT COUNT(*) FROM privacy_proof_record WHERE id_number IS NOT NULL").fetchone() == (
            3,
        )
        assert reader.execute("SELECT COUNT(*) FROM privacy_contactpoint").fetchone() == (4,)
        actions = {row[0] for row in reader.execute("SELECT action FROM audit_auditevent")}
    assert {"contact_point.add", "personal_data.reveal"} <= actions


def _pg_dump() -> str:
    for candidate in (shutil.which("pg_dump"), "/usr/local/bin/pg_dump", "/usr/bin/pg_dump"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("pg_dump is not installed (Debian: postgresql-client)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_dump_holds_no_plain_personal_data(proof_table: type[ProofRecord]) -> None:
    assert populate() == {"records": 3, "contacts": 4}
    database = connection.settings_dict
    command = [_pg_dump(), "--format=plain", "--no-owner", "--dbname", str(database["NAME"])]
    if database.get("HOST"):
        command += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        command += ["--port", str(database["PORT"])]
    if database.get("USER"):
        command += ["--username", str(database["USER"])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    dump = subprocess.run(command, env=env, check=True, capture_output=True, timeout=300).stdout
    assert b"privacy_contactpoint" in dump
    assert CANARY.encode() in dump
    assert found_in(dump) == []
