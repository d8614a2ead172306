"""The suite's own rules: plain ``pytest`` passes on the SQLite default, and pytest-xdist workers share nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _fresh_pytest(arguments: list[str], var_dir: Path) -> subprocess.CompletedProcess[str]:
    """pytest as a developer starts it: no PostgreSQL URL, and not a worker of the run this test is part of."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name != "REGDESK_DATABASE_URL" and not name.startswith(("PYTEST_XDIST_", "PYTEST_CURRENT_TEST"))
    }
    environment["REGDESK_VAR_DIR"] = str(var_dir)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_every_postgres_test_skips_on_sqlite_with_its_reason(tmp_path: Path) -> None:
    result = _fresh_pytest(["-m", "postgres", "-p", "no:xdist", "-rs"], tmp_path / "var")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    summary = result.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"(\d+) skipped, \d+ deselected in .*", summary)
    assert match is not None, summary
    reasons = re.findall(r"^SKIPPED \[(\d+)\] .*: (.*)$", result.stdout, flags=re.MULTILINE)
    assert sum(int(count) for count, _ in reasons) == int(match.group(1))
    assert {reason for _, reason in reasons} == {
        "needs PostgreSQL (REGDESK_DATABASE_URL=postgres://...); the database is sqlite3"
    }


def test_each_xdist_worker_has_a_var_dir_of_its_own(tmp_path: Path) -> None:
    """Under pytest-xdist, the settings of each worker point at ``$REGDESK_VAR_DIR/<worker id>``."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is not None:
        assert settings.VAR_DIR.name == worker
        assert Path(os.environ["REGDESK_VAR_DIR"]).resolve() == settings.VAR_DIR
        assert (settings.VAR_DIR / "static").is_dir()
        return
    # A single process: this test again, under two workers.
    result = _fresh_pytest(["-n", "2", f"{__file__}::test_each_xdist_worker_has_a_var_dir_of_its_own"], tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "1 passed" in result.stdout.strip().splitlines()[-1]
    assert (tmp_path / "gw0" / "static").is_dir()
    assert (tmp_path / "gw1" / "static").is_dir()


def test_the_import_contracts_of_design_rule_12_hold() -> None:
    """``lint-imports`` (the contracts in pyproject.toml) passes: rules/ and simulators/ stand alone, config/ is
    imported by nobody but the framework, and the parts form no cycle."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
