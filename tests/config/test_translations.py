"""Every message catalogue is complete: Chinese is the default language, so an untranslated msgid would show
English to a Chinese user."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "regdesk"
CATALOGUES = sorted(SOURCE.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_catalogue_is_complete(catalogue: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
