"""One way to read configuration (DESIGN.md rule 13): every ``REGDESK_`` setting is defined in config/settings.py
from the environment, with its default stated there once; each part reads its settings only through its own
``<part>/config.py``, never with ``getattr(settings, name, default)``; every setting read exists; and every
environment variable is documented in the README's configuration table."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "regdesk"
SETTINGS_MODULE = PACKAGE / "config" / "settings.py"
README = ROOT / "README.md"
SETTING_NAME = re.compile(r"^REGDESK_[A-Z0-9_]+$")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.text}"


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_accessor(path: Path) -> bool:
    """``<part>/config.py``: the one module of a part that reads its settings."""
    relative = path.relative_to(PACKAGE)
    return len(relative.parts) == 2 and relative.name == "config.py" and relative.parts[0] != "config"


def _settings_names(tree: ast.Module) -> set[str]:
    """The names ``django.conf.settings`` is bound to in a module (``from django.conf import settings [as x]``),
    at any depth (some modules import it inside a function)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.conf":
            names.update(alias.asname or alias.name for alias in node.names if alias.name == "settings")
    return names


def _is_settings(node: ast.expr, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    # django.conf.settings spelled out
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "settings"
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "conf"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "django"
    )


def _getattr_findings(path: Path, tree: ast.Module) -> Iterator[Finding]:
    """``getattr(settings, ...)``: refused everywhere, except a by-name read without a default in an accessor
    module (a clock definition or a data-dictionary declaration names the setting; the names are checked below)."""
    names = _settings_names(tree) | {"settings"}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"):
            continue
        if not node.args or not _is_settings(node.args[0], names):
            continue
        by_name = len(node.args) == 2 and not isinstance(node.args[1], ast.Constant)
        if not (by_name and _is_accessor(path)):
            yield Finding(path, node.lineno, ast.unparse(node))


def _attribute_reads(tree: ast.Module) -> Iterator[tuple[int, str]]:
    names = _settings_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_settings(node.value, names) and SETTING_NAME.match(node.attr):
            yield node.lineno, node.attr


def test_no_getattr_on_settings() -> None:
    findings = [str(finding) for path, tree in _modules() for finding in _getattr_findings(path, tree)]
    assert findings == [], "settings are read through <part>/config.py, not getattr:\n" + "\n".join(findings)


def test_regdesk_settings_are_read_only_in_the_accessor_modules() -> None:
    findings = [
        str(Finding(path, line, f"settings.{name}"))
        for path, tree in _modules()
        if not _is_accessor(path) and path != SETTINGS_MODULE
        for line, name in _attribute_reads(tree)
    ]
    assert findings == [], "read REGDESK_ settings through <part>/config.py:\n" + "\n".join(findings)


def test_every_setting_an_accessor_reads_exists() -> None:
    read = {name for path, tree in _modules() if _is_accessor(path) for _line, name in _attribute_reads(tree)}
    assert len(read) > 50
    missing = sorted(name for name in read if not hasattr(settings, name))
    assert missing == [], f"read but not defined in config/settings.py: {missing}"


def test_every_setting_named_by_a_definition_or_a_declaration_exists() -> None:
    """The by-name reads: clock budgets of the registered processes, retention periods of the data dictionary. In a
    fresh interpreter, so that processes the tests register on the side do not count."""
    script = (
        "import django; django.setup()\n"
        "import json\n"
        "from regdesk.cases.definitions import registered_processes\n"
        "from regdesk.privacy.dictionary import all_fields\n"
        "names = {clock.budget_setting for process in registered_processes() for clock in process.clocks}\n"
        "names |= {field.retention.setting for field in all_fields()}\n"
        "print(json.dumps(sorted(name for name in names if name)))\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "regdesk.config.settings"}
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    named = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "REGDESK_ICP_ONSITE_DAYS" in named
    assert "REGDESK_RETENTION_LINE_REGISTRATION_DAYS" in named
    missing = [name for name in named if not hasattr(settings, name)]
    assert missing == [], f"named but not defined in config/settings.py: {missing}"


def _environment_variables() -> set[str]:
    """The REGDESK_ variables config/settings.py reads: every call with a REGDESK_ name as its first argument
    (``os.environ.get``, ``_flag``, ``_rate``, ...); a secret read by ``_secret_from_env`` has a ``_FILE`` twin."""
    tree = ast.parse(SETTINGS_MODULE.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        argument: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            argument = node.args[0]
        elif isinstance(node, ast.Subscript):
            argument = node.slice
        if (
            isinstance(argument, ast.Constant)
            and isinstance(argument.value, str)
            and SETTING_NAME.match(argument.value)
        ):
            found.add(argument.value)
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "_secret_from_env":
                found.add(f"{argument.value}_FILE")
    return found


def _documented_variables() -> set[str]:
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `REGDESK_")]
    return {name for row in rows for name in re.findall(r"`(REGDESK_[A-Z0-9_]+)`", row.split(" | ")[0])}


def test_every_environment_variable_is_in_the_readme_table() -> None:
    variables = _environment_variables()
    assert {"REGDESK_ENV", "REGDESK_SECRET_KEY_FILE", "REGDESK_MIIT_PASSWORD_FILE", "REGDESK_LINES_PER_ID"} <= variables
    missing = sorted(variables - _documented_variables())
    assert missing == [], f"add to the configuration table of README.md: {missing}"
