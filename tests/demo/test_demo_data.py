"""The demo data as `scripts/run --setup-only` loads it: idempotent, and no ID or mobile number of it in plain text
in any database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from regdesk.filings import demo as filings_demo

PEOPLE = Path(__file__).resolve().parents[2] / "src/regdesk/simulators/data/identity-people.json"


@dataclass(frozen=True)
class LoadedDemo:
    var_dir: Path
    first: dict[str, dict[str, int]]
    second: dict[str, dict[str, int]]


def _regdesk(var_dir: Path, *args: str) -> str:
    environment = {**os.environ, "REGDESK_VAR_DIR": str(var_dir)}
    environment.pop("REGDESK_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "regdesk.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def loaded_demo(tmp_path_factory: pytest.TempPathFactory) -> LoadedDemo:
    var_dir = tmp_path_factory.mktemp("demo-var")
    _regdesk(var_dir, "migrate", "--noinput", "-v", "0")
    first = json.loads(_regdesk(var_dir, "demo", "load").strip().splitlines()[-1])
    second = json.loads(_regdesk(var_dir, "demo", "load").strip().splitlines()[-1])
    return LoadedDemo(var_dir=var_dir, first=first, second=second)


def _plain_identifiers() -> set[str]:
    people = json.loads(PEOPLE.read_text(encoding="utf-8"))["people"]
    numbers = {person["id_number"] for person in people}
    mobiles = {
        str(filings_demo.filing_data(spec, index)["owner"]["person_in_charge"]["mobile"])
        for index, spec in enumerate(filings_demo.DEMO)
    }
    return numbers | mobiles


def test_demo_load_is_idempotent(loaded_demo: LoadedDemo) -> None:
    assert loaded_demo.first["accounts"]["users_created"] > 0
    assert loaded_demo.first["filings"]["created"] == len(filings_demo.DEMO)
    assert loaded_demo.second["accounts"] == {"units_created": 0, "users_created": 0}
    assert loaded_demo.second["filings"]["created"] == 0
    assert loaded_demo.first["campaigns"] == {"campaigns_created": 1}
    assert loaded_demo.second["campaigns"] == {"campaigns_created": 0}
    assert loaded_demo.second["filings"]["filings"] == loaded_demo.first["filings"]["filings"]


def test_no_plain_id_or_mobile_number_in_any_database_file(loaded_demo: LoadedDemo) -> None:
    database_files = sorted(loaded_demo.var_dir.glob("regdesk.sqlite3*"))
    assert database_files, "the demo database was not created"
    contents = b"".join(path.read_bytes() for path in database_files)
    identifiers = _plain_identifiers()
    assert len(identifiers) > 100
    found = sorted(identifier for identifier in identifiers if identifier.encode() in contents)
    assert found == []


def test_the_scan_covers_the_numbers_the_demo_stored(loaded_demo: LoadedDemo) -> None:
    # The control: opened through the vault, the stored ID and mobile numbers are among those the scan looks for,
    # so an empty scan result means they are sealed, not absent.
    script = (
        "import django, json; django.setup();"
        "from regdesk.filings.models import ContactMobile, Owner;"
        "ids = [o.person_document_number.reveal() for o in Owner.objects.all() if o.person_document_number];"
        "mobiles = [m.number.reveal() for m in ContactMobile.objects.all()];"
        "print(json.dumps({'ids': ids, 'mobiles': mobiles}))"
    )
    environment = {
        **os.environ,
        "REGDESK_VAR_DIR": str(loaded_demo.var_dir),
        "DJANGO_SETTINGS_MODULE": "regdesk.config.settings",
    }
    environment.pop("REGDESK_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    stored = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(stored["ids"]) == len(filings_demo.DEMO)
    assert stored["mobiles"]
    assert set(stored["ids"]) | set(stored["mobiles"]) <= _plain_identifiers()
