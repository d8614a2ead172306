"""Running ``regdesk`` as a subprocess against a database of its own.

One SQLite database is migrated and loaded with the demo data once per session; every call then runs in a copy of
that var directory, so calls never see each other's effects and can run side by side. After the call the copy is
compared with the original: every table (sessions aside) and every file (the key ring, the credentials ...).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

REGDESK = Path(sys.executable).with_name("regdesk")
DATABASE = "regdesk.sqlite3"
# Seconds a bad call may take: long enough for a slow machine, short enough that a hang fails instead of waiting.
TIMEOUT = 60


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    changed_tables: list[str]
    changed_files: list[str]


def command_environment(var_dir: Path) -> dict[str, str]:
    environment = dict(os.environ)
    # The SQLite database under var_dir, whatever the surrounding test phase points at.
    for name in ("REGDESK_DATABASE_URL", "REGDESK_VAULT_KEYS_FILE", "DJANGO_SETTINGS_MODULE"):
        environment.pop(name, None)
    environment["REGDESK_VAR_DIR"] = str(var_dir)
    return environment


def run_regdesk(
    arguments: Sequence[str], var_dir: Path, *, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(REGDESK), *arguments],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=command_environment(var_dir),
        cwd=cwd or var_dir,
        timeout=TIMEOUT,
        check=False,
    )


def table_snapshot(database: Path) -> dict[str, str]:
    """``{table: sha256 of its rows}`` of a SQLite database, sessions left out."""
    snapshot: dict[str, str] = {}
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for name in names:
            if name == "django_session":
                continue
            rows = connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()  # noqa: S608
            snapshot[name] = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
    return snapshot


def file_snapshot(var_dir: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under var_dir but the database's own files."""
    return {
        str(path.relative_to(var_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(var_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(DATABASE)
    }


def differences(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


@dataclass(frozen=True)
class Template:
    """The migrated var directory with the demo data, and its snapshots."""

    var_dir: Path
    tables: dict[str, str]
    files: dict[str, str]

    def copy(self, destination: Path) -> Path:
        shutil.copytree(self.var_dir, destination)
        return destination

    def call(
        self,
        arguments: Sequence[str],
        destination: Path,
        *,
        stdin: bytes | None = None,
        files: Mapping[str, bytes] | None = None,
    ) -> Outcome:
        """Run ``regdesk arguments`` in a fresh copy and say what it printed and what it changed.

        ``files`` replaces files of the copy first (a malformed key ring ...); changes are counted from there.
        """
        var_dir = self.copy(destination)
        for name, content in (files or {}).items():
            (var_dir / name).write_bytes(content)
        files_before = file_snapshot(var_dir)
        try:
            result = run_regdesk(arguments, var_dir, stdin=stdin)
        except subprocess.TimeoutExpired as expired:
            # A hang is a finding of its own call, not a reason to lose the outcomes of all the others.
            return Outcome(-1, "", f"timed out after {expired.timeout} seconds", [], [])
        return Outcome(
            returncode=result.returncode,
            stdout=result.stdout.decode("utf-8", "replace"),
            stderr=result.stderr.decode("utf-8", "replace"),
            changed_tables=differences(self.tables, table_snapshot(var_dir / DATABASE)),
            changed_files=differences(files_before, file_snapshot(var_dir)),
        )


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    var_dir = tmp_path_factory.mktemp("commands") / "var"
    var_dir.mkdir()
    for arguments in (["migrate", "--verbosity", "0"], ["demo", "load"], ["vault", "status"]):
        result = run_regdesk(arguments, var_dir)
        assert result.returncode == 0, result.stderr.decode()
    return Template(var_dir, table_snapshot(var_dir / DATABASE), file_snapshot(var_dir))
