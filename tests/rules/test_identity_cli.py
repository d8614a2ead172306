"""``regdesk id check`` run as a program: JSON on stdout, exit 0 valid / 1 invalid / 2 usage error."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.rules.test_identity_reference import resident_number

REGDESK = Path(sys.executable).with_name("regdesk")


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REGDESK), "id", *arguments], capture_output=True, text=True, encoding="utf-8", check=False, timeout=60
    )


def output(process: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(process.stdout)
    return payload


def test_valid_number_exits_0_with_indented_chinese_json() -> None:
    process = run("check", "--type", "resident_id", "11010519491231002X")
    assert process.returncode == 0, process.stderr
    assert "朝阳区" in process.stdout  # ensure_ascii=False
    assert process.stdout.startswith('{\n  "valid": true')  # indent 2
    payload = output(process)
    assert payload["type"] == "resident_id"
    assert payload["normalized"] == "11010519491231002X"
    assert payload["errors"] == []
    assert payload["details"]["birth_date"] == "1949-12-31"


def test_invalid_number_exits_1_with_error_codes() -> None:
    process = run("check", "--type", "resident_id", "110105194912310021")
    assert process.returncode == 1
    payload = output(process)
    assert payload["valid"] is False
    assert [error["code"] for error in payload["errors"]] == ["checksum"]
    assert set(payload["errors"][0]["message"]) == {"zh-hans", "en"}


@pytest.mark.parametrize("prefix", ["810000", "820000", "830000"])
def test_a_residence_permit_number_is_refused_as_a_resident_id(prefix: str) -> None:
    number = resident_number(prefix, dt.date(1990, 1, 1), 1)
    process = run("check", "--type", "resident_id", number)
    assert process.returncode == 1
    assert [error["code"] for error in output(process)["errors"]] == ["residence_permit_number"]
    detected = run("check", number)
    assert detected.returncode == 0, detected.stderr
    assert output(detected)["type"] == "residence_permit"


def test_today_option_makes_future_dates_reproducible() -> None:
    number = resident_number("110105", dt.date(2025, 1, 1), 1)
    assert run("check", "--type", "resident_id", "--today", "2025-01-01", number).returncode == 0
    process = run("check", "--type", "resident_id", "--today", "2024-12-31", number)
    assert process.returncode == 1
    assert [error["code"] for error in output(process)["errors"]] == ["birth_date_future"]


def test_type_defaults_to_auto_and_full_width_input_works() -> None:
    process = run("check", "９１３５０１００Ｍ０００１００Ｙ４３")
    assert process.returncode == 0, process.stdout
    assert output(process)["type"] == "uscc"


def test_number_in_several_words_is_joined() -> None:
    process = run("check", "--type", "resident_id", "110105", "19491231", "002X")
    assert process.returncode == 0
    assert output(process)["normalized"] == "11010519491231002X"


def test_legacy_number_is_valid_but_historical() -> None:
    process = run("check", "--type", "legacy_resident_id", "110105491231002")
    assert process.returncode == 0
    payload = output(process)
    assert payload["normalized"] == "11010519491231002X"
    assert payload["details"]["usable_for_new_registration"] is False


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["check", "--type", "driving_licence", "123"], "invalid choice"),
        (["check", "--type", "resident_id"], "required: number"),
        (["check", "--type", "resident_id", " "], "empty"),
        (["check", "--today", "2025-02-30", "11010519491231002X"], "YYYY-MM-DD"),
        (["verify", "11010519491231002X"], "invalid choice"),
        ([], "required"),
    ],
)
def test_usage_errors_exit_2_with_a_message(arguments: list[str], message: str) -> None:
    process = run(*arguments)
    assert process.returncode == 2
    assert process.stdout == ""
    assert message in process.stderr
