"""``regdesk workdays`` and ``regdesk calendar``: in-process through call_command, and as real processes against
a freshly migrated database (exit codes, standard output and standard error)."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from regdesk.accounts.models import User
from regdesk.calendars.models import CalendarAlert, ImportedDay, ImportedYear
from tests.calendars.samples import BROKEN_2027, SCHEDULE_2027

D = datetime.date


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # National Day 2026: 1–7 Oct off, Saturday 10 Oct worked (see tests/rules/test_workdays.py).
        (("add", "2026-09-30", "5"), {"date": "2026-10-13", "provisional": False}),
        (("add", "2026-09-30", "0"), {"date": "2026-09-30", "provisional": False}),
        (("add", "2026-10-13", "-5"), {"date": "2026-09-30", "provisional": False}),
        # Spring Festival 2025: 28 Jan – 4 Feb off, Sunday 26 Jan worked.
        (("add", "2025-01-24", "1"), {"date": "2025-01-26", "provisional": False}),
        (("add", "2025-01-27", "1"), {"date": "2025-02-05", "provisional": False}),
        # 1–3 Jan 2026 off, Sunday 4 Jan worked.
        (("add", "2025-12-31", "1"), {"date": "2026-01-04", "provisional": False}),
        (("add", "2026-12-31", "1"), {"date": "2027-01-01", "provisional": True}),
        (("between", "2026-09-30", "2026-10-13"), {"working_days": 5, "provisional": False}),
        (("between", "2026-10-13", "2026-09-30"), {"working_days": -5, "provisional": False}),
        (("between", "2024-09-27", "2024-10-14"), {"working_days": 8, "provisional": False}),
        (("between", "2026-12-31", "2027-01-04"), {"working_days": 2, "provisional": True}),
    ],
)
def test_workdays_command(args: tuple[str, ...], expected: dict[str, object]) -> None:
    output = run("workdays", *args)
    assert output == json.dumps(expected) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("add", "2026-02-30", "5"), "DATE"),
        (("add", "2026/09/30", "5"), "not a valid date"),
        (("add", "2026-09-30", "five"), "N"),
        (("add", "2026-09-30", "1.5"), "not a whole number"),
        (("add", "2026-09-30", "9" * 13), "out of range"),
        (("add", "9999-12-30", "5"), "9999-12-31"),
        (("between", "2026-09-30", "tomorrow"), "B"),
    ],
)
def test_workdays_command_refuses_bad_input(args: tuple[str, ...], fragment: str) -> None:
    with pytest.raises(CommandError) as caught:
        run("workdays", *args)
    assert caught.value.returncode == 2
    assert fragment in str(caught.value)
    assert not CalendarAlert.objects.exists()


@pytest.mark.django_db
def test_calendar_import_then_show(tmp_path: Path, administrator: User) -> None:
    source = tmp_path / "2027.txt"
    source.write_text(SCHEDULE_2027, encoding="utf-8")
    output = run("calendar", "import", str(source), "--actor", administrator.username)
    assert "2027" in output
    imported = ImportedYear.objects.get(year=2027)
    assert imported.imported_by == administrator
    assert imported.days.count() == 9
    assert run("workdays", "add", "2026-12-31", "1") == '{"date": "2027-01-04", "provisional": false}\n'
    shown = run("calendar", "show", "2027")
    assert shown.splitlines()[:2] == ["# imported", "year: 2027"]
    assert "2027-02-20 workday 春节调休" in shown
    # The output of show imports again (as a replacement) unchanged.
    source.write_text(shown, encoding="utf-8")
    run("calendar", "import", str(source))
    assert ImportedYear.objects.get(year=2027).revision == 2
    assert ImportedDay.objects.count() == 9


@pytest.mark.django_db
def test_calendar_import_reports_lines_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "broken.txt"
    source.write_text(BROKEN_2027, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("calendar", "import", str(source))
    assert caught.value.returncode == 2
    message = str(caught.value)
    for line in (3, 4, 5, 6, 7, 8):
        assert f"line {line}:" in message
    assert not ImportedYear.objects.exists()
    assert not ImportedDay.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "options", "fragment"),
    [
        (b"\xff\xfe year", (), "UTF-8"),
        (SCHEDULE_2027.encode(), ("--actor", "nobody"), "nobody"),
        (SCHEDULE_2027.encode(), ("--actor", "specialist1"), "specialist1"),
    ],
)
def test_calendar_import_usage_errors(
    tmp_path: Path, specialist: User, content: bytes, options: tuple[str, ...], fragment: str
) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        run("calendar", "import", str(source), *options)
    assert caught.value.returncode == 2
    assert fragment in str(caught.value)
    assert not ImportedYear.objects.exists()


@pytest.mark.django_db
def test_calendar_show_package_year_and_missing_year() -> None:
    shown = run("calendar", "show", "2025")
    assert shown.startswith("# package\nyear: 2025\n")
    assert "2025-01-26 workday Spring Festival" in shown
    with pytest.raises(SystemExit) as exited:
        run("calendar", "show", "2031")
    assert exited.value.code == 1
    with pytest.raises(CommandError):
        run("calendar", "show", "next")


# Real processes ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a ``regdesk`` process with its own, freshly migrated SQLite database."""
    var_dir = tmp_path_factory.mktemp("fresh-var")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("REGDESK_DATABASE")}
    environment.update(REGDESK_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="regdesk.config.settings")
    migrated = subprocess.run(
        [_regdesk(), "migrate", "--no-input", "-v", "0"], env=environment, capture_output=True, text=True, check=False
    )
    assert migrated.returncode == 0, migrated.stderr
    return environment


def _regdesk() -> str:
    return str(Path(sys.executable).with_name("regdesk"))


def _run_process(environment: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_regdesk(), *args], env=environment, capture_output=True, text=True, input=stdin, check=False
    )


def test_processes_on_a_fresh_database(fresh_database: dict[str, str]) -> None:
    done = _run_process(fresh_database, "workdays", "add", "2026-09-30", "5")
    assert (done.returncode, done.stdout, done.stderr) == (0, '{"date": "2026-10-13", "provisional": false}\n', "")
    # Sunday 26 Jan (make-up), Monday 27 Jan, 5–7 Feb, Saturday 8 Feb (make-up).
    done = _run_process(fresh_database, "workdays", "between", "2025-01-24", "2025-02-08")
    assert (done.returncode, done.stdout) == (0, '{"working_days": 6, "provisional": false}\n')

    for args in (("add", "2026-13-01", "1"), ("add", "2026-09-30", "x"), ("between", "2026-09-30", "")):
        done = _run_process(fresh_database, "workdays", *args)
        assert done.returncode == 2, args
        assert done.stdout == ""
        assert done.stderr.strip(), args
    done = _run_process(fresh_database, "workdays", "add", "2026-09-30")
    assert done.returncode == 2
    assert "N" in done.stderr

    done = _run_process(fresh_database, "calendar", "import", "-", stdin=BROKEN_2027)
    assert done.returncode == 2
    assert "line 3" in done.stderr
    done = _run_process(fresh_database, "workdays", "add", "2026-12-31", "1")
    assert done.stdout == '{"date": "2027-01-01", "provisional": true}\n'
    done = _run_process(fresh_database, "calendar", "import", "-", stdin=SCHEDULE_2027)
    assert done.returncode == 0, done.stderr
    done = _run_process(fresh_database, "workdays", "add", "2026-12-31", "1")
    assert done.stdout == '{"date": "2027-01-04", "provisional": false}\n'
