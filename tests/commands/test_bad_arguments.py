"""Every ``regdesk`` command with bad arguments exits with 2, says what is wrong on standard error (no
traceback), prints nothing on standard output and changes nothing: no table, no file (key ring, credentials).

The calls run as subprocesses of the installed ``regdesk`` command, side by side, each in its own copy of a
migrated database with the demo data (see conftest).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.calendars.samples import BROKEN_2027, SCHEDULE_2027
from tests.commands.conftest import Outcome, Template

# Each call starts Django (about a second of CPU): as many side by side as there are processors.
PARALLEL_CALLS = max(2, os.cpu_count() or 2)


@dataclass(frozen=True)
class BadCall:
    name: str
    arguments: tuple[str, ...]
    message: str  # a part of what standard error must say (English: argparse's text, or the English half)
    stdin: bytes | None = field(default=None, compare=False)
    files: dict[str, bytes] | None = field(default=None, compare=False)  # var files replaced before the call


def call(
    name: str, *arguments: str, says: str, stdin: bytes | None = None, files: dict[str, bytes] | None = None
) -> BadCall:
    return BadCall(name, arguments, says, stdin, files)


# "{inputs}" is the directory of the files below (see ``inputs``).
BAD_CALLS = [
    # id check (pure: no database)
    call("id: no sub-command", "id", says="the following arguments are required: command"),
    call("id: unknown sub-command", "id", "verify", says="invalid choice: 'verify'"),
    call("id check: no number", "id", "check", says="the following arguments are required: number"),
    call("id check: empty number", "id", "check", "", says="the number is empty"),
    call("id check: bad date", "id", "check", "--today", "2020-13-01", "1", says="not a date in the form YYYY-MM-DD"),
    call("id check: unknown type", "id", "check", "--type", "visa", "1", says="invalid choice: 'visa'"),
    # divisions show
    call("divisions: unknown sub-command", "divisions", "list", says="invalid choice: 'list'"),
    call("divisions show: no code", "divisions", "show", says="the following arguments are required: code"),
    call("divisions show: letters", "divisions", "show", "abc", says="'abc' is not a six-digit division code"),
    call("divisions show: wide digits", "divisions", "show", "１１０１０１", says="is not a six-digit division code"),
    call(
        "divisions refresh: out under a file",
        "divisions",
        "refresh",
        "--out",
        "{inputs}/plain.txt/table.csv",
        says="is not a directory",
    ),
    call(
        "divisions refresh: out is a directory", "divisions", "refresh", "--out", "{inputs}", says="it is a directory"
    ),
    call(
        "divisions refresh: missing extra",
        "divisions",
        "refresh",
        "--out",
        "{inputs}/t.csv",
        "--extra",
        "{inputs}/missing.csv",
        says="does not exist",
    ),
    # workdays add / between
    call("workdays: no sub-command", "workdays", says="the following arguments are required: subcommand"),
    call("workdays: unknown sub-command", "workdays", "count", says="invalid choice: 'count'"),
    call("workdays add: nothing", "workdays", "add", says="the following arguments are required: DATE, N"),
    call("workdays add: bad date", "workdays", "add", "2026-02-30", "3", says="is not a valid date (YYYY-MM-DD)"),
    call("workdays add: bad number", "workdays", "add", "2026-01-01", "x", says="“x” is not a whole number"),
    call("workdays add: huge number", "workdays", "add", "2026-01-01", "9" * 13, says="is out of range"),
    call("workdays add: past 9999", "workdays", "add", "9999-12-31", "5", says="outside the supported dates"),
    call("workdays between: words", "workdays", "between", "2026-01-01", "tomorrow", says="is not a valid date"),
    # calendar import / show
    call("calendar: no sub-command", "calendar", says="the following arguments are required: subcommand"),
    call("calendar import: no file", "calendar", "import", says="the following arguments are required: file"),
    call("calendar import: missing file", "calendar", "import", "{inputs}/missing.txt", says="cannot read"),
    call("calendar import: malformed file", "calendar", "import", "{inputs}/broken.txt", says="nothing imported"),
    call(
        "calendar import: malformed stdin",
        "calendar",
        "import",
        "-",
        says="nothing imported",
        stdin=BROKEN_2027.encode(),
    ),
    call("calendar import: not UTF-8", "calendar", "import", "{inputs}/binary.bin", says="is not UTF-8 text"),
    call("calendar import: too large", "calendar", "import", "{inputs}/large.txt", says="is larger than"),
    call(
        "calendar import: unknown user",
        "calendar",
        "import",
        "{inputs}/good.txt",
        "--actor",
        "nobody",
        says="no user named “nobody”",
    ),
    call(
        "calendar import: not an administrator",
        "calendar",
        "import",
        "{inputs}/good.txt",
        "--actor",
        "specialist",
        says="is not an administrator; nothing imported",
    ),
    call("calendar show: no year", "calendar", "show", says="the following arguments are required: year"),
    call("calendar show: words", "calendar", "show", "next", says="“next” is not a year from 2000 to 2199"),
    # audit verify
    call("audit: no sub-command", "audit", says="usage: regdesk audit verify"),
    call("audit verify: bad chunk size", "audit", "verify", "--chunk-size", "x", says="invalid int value: 'x'"),
    call("audit verify: zero chunk size", "audit", "verify", "--chunk-size", "0", says="--chunk-size must be"),
    call("audit verify: huge chunk size", "audit", "verify", "--chunk-size", "9" * 20, says="--chunk-size must be"),
    # vault status / rotate
    call("vault: no sub-command", "vault", says="usage: regdesk vault"),
    call("vault: unknown sub-command", "vault", "open", says="invalid choice: 'open'"),
    call(
        "vault status: malformed key ring",
        "vault",
        "status",
        says="the vault key ring is malformed",
        files={"vault-keys.json": b"{"},
    ),
    call(
        "vault rotate: key ring of the wrong shape",
        "vault",
        "rotate",
        says="the vault key ring is malformed",
        files={"vault-keys.json": b'{"active": "k9", "keys": {}}'},
    ),
    call("vault rotate: bad batch size", "vault", "rotate", "--batch-size", "x", says="invalid int value: 'x'"),
    call("vault rotate: zero batch size", "vault", "rotate", "--batch-size", "0", says="batch_size: "),
    call("vault rotate: huge batch size", "vault", "rotate", "--batch-size", "9" * 20, says="batch_size: "),
    call("vault rotate: unknown user", "vault", "rotate", "--actor", "nobody", says="no user named 'nobody'"),
    call("vault rotate: bad key id", "vault", "rotate", "--new-key-id", "../k2", says="new_key_id: "),
    call("vault rotate: existing key id", "vault", "rotate", "--new-key-id", "k1", says="new_key_id: "),
    # token create / revoke
    call("token: no sub-command", "token", says="the following arguments are required: action"),
    call("token create: unknown user", "token", "create", "nobody", says="unknown user: 'nobody'"),
    call("token create: bad days", "token", "create", "admin", "--days", "soon", says="invalid int value: 'soon'"),
    call("token create: zero days", "token", "create", "admin", "--days", "0", says="token_days_invalid"),
    call("token create: endless days", "token", "create", "admin", "--days", "9" * 13, says="token_days_invalid"),
    call("token create: empty name", "token", "create", "admin", "--name", " ", says="token_name_required"),
    call("token revoke: unknown prefix", "token", "revoke", "deadbeef", says="no token with prefix 'deadbeef'"),
    # demo totp
    call("demo: no sub-command", "demo", says="the following arguments are required: command"),
    call("demo totp: no user", "demo", "totp", says="the following arguments are required: username"),
    # miit export
    call("miit: no sub-command", "miit", says="the following arguments are required: subcommand"),
    call("miit export: no directory", "miit", "export", says="the following arguments are required: --out"),
    call("miit export: out is a file", "miit", "export", "--out", "{inputs}/plain.txt", says="is not a directory"),
    call(
        "miit export: out under a file", "miit", "export", "--out", "{inputs}/plain.txt/uploads", says="cannot write to"
    ),
    call(
        "miit export: out where nothing can be made",
        "miit",
        "export",
        "--out",
        "/proc/regdesk/uploads",
        says="cannot write to",
    ),
    call(
        "miit export: unknown user",
        "miit",
        "export",
        "--out",
        "{inputs}/out",
        "--actor",
        "nobody",
        says="No user nobody",
    ),
    # sweep --loop
    call("sweep: bad loop", "sweep", "--loop", "often", says="invalid float value: 'often'"),
    call("sweep: zero loop", "sweep", "--loop", "0", says="--loop needs a number of seconds"),
    call("sweep: nan loop", "sweep", "--loop", "nan", says="--loop needs a number of seconds"),
    call("sweep: infinite loop", "sweep", "--loop", "inf", says="--loop needs a number of seconds"),
    call("sweep: loop past a double", "sweep", "--loop", "1e400", says="--loop needs a number of seconds"),
]


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("inputs")
    (directory / "good.txt").write_text(SCHEDULE_2027, encoding="utf-8")
    (directory / "broken.txt").write_text(BROKEN_2027, encoding="utf-8")
    (directory / "binary.bin").write_bytes(bytes(range(256)))
    (directory / "large.txt").write_bytes(b"# " + b"x" * (256 * 1024))
    (directory / "plain.txt").write_text("a file, not a directory\n", encoding="utf-8")
    return directory


def _arguments(bad: BadCall, inputs: Path) -> list[str]:
    return [argument.replace("{inputs}", str(inputs)) for argument in bad.arguments]


@pytest.fixture(scope="session")
def outcomes(
    request: pytest.FixtureRequest, template: Template, inputs: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    """The outcome of every bad call selected in this session, run side by side."""
    selected = {
        item.callspec.params["bad"].name
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("bad"), BadCall)
    }
    calls = [bad for bad in BAD_CALLS if bad.name in selected]
    root = tmp_path_factory.mktemp("calls")

    def run(numbered: tuple[int, BadCall]) -> tuple[str, Outcome]:
        number, bad = numbered
        return bad.name, template.call(_arguments(bad, inputs), root / str(number), stdin=bad.stdin, files=bad.files)

    with ThreadPoolExecutor(max_workers=PARALLEL_CALLS) as pool:
        return dict(pool.map(run, enumerate(calls)))


def _ids() -> Iterator[str]:
    return (bad.name for bad in BAD_CALLS)


def test_the_names_are_unique() -> None:
    assert len(set(_ids())) == len(BAD_CALLS)


@pytest.mark.parametrize("bad", BAD_CALLS, ids=list(_ids()))
def test_a_bad_call_exits_2_with_a_message_and_changes_nothing(bad: BadCall, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[bad.name]
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.returncode == 2, outcome.stderr
    assert bad.message in outcome.stderr
    assert outcome.stdout == ""
    assert outcome.changed_tables == []
    assert outcome.changed_files == []


def test_an_unknown_command_is_named_without_a_traceback(template: Template, tmp_path: Path) -> None:
    outcome = template.call(["frobnicate"], tmp_path / "var")
    assert "Traceback" not in outcome.stderr
    assert "Unknown command: 'frobnicate'" in outcome.stderr
    assert outcome.changed_tables == outcome.changed_files == []


def test_an_unknown_command_is_a_usage_error(template: Template, tmp_path: Path) -> None:
    assert template.call(["frobnicate"], tmp_path / "var").returncode == 2


def test_demo_totp_for_an_unknown_user_says_so_without_a_traceback(template: Template, tmp_path: Path) -> None:
    outcome = template.call(["demo", "totp", "nobody"], tmp_path / "var")
    assert "Traceback" not in outcome.stderr
    assert "nobody: not a demo account with a second factor" in outcome.stderr
    assert outcome.changed_tables == outcome.changed_files == []


def test_demo_totp_for_an_unknown_user_is_a_usage_error(template: Template, tmp_path: Path) -> None:
    assert template.call(["demo", "totp", "nobody"], tmp_path / "var").returncode == 2


def test_demo_totp_with_malformed_credentials_is_a_usage_error(template: Template, tmp_path: Path) -> None:
    outcome = template.call(["demo", "totp", "admin"], tmp_path / "var", files={"demo-credentials.json": b"{"})
    assert "Traceback" not in outcome.stderr
    assert outcome.returncode == 2
