"""Production mode refuses what it must: demo commands, weak secret keys, key files that other accounts can read;
``check --deploy`` names the real problems of a production configuration; DEBUG is off unless asked for.

Every case starts ``regdesk`` as a subprocess with ``REGDESK_ENV=production`` and its own key files (mode 0600)
in a temporary directory, as a provider's process manager would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.production import production_environment, run_regdesk

# A command that needs the settings and nothing else: it runs only when the configuration is accepted.
SETTINGS_ONLY = ["check"]


def assert_refused(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for part in parts:
        assert part in result.stderr


def test_a_complete_production_configuration_starts(tmp_path: Path) -> None:
    result = run_regdesk(SETTINGS_ONLY, production_environment(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("arguments", [["demo", "load"], ["demo", "totp", "admin"], ["demo", "logins"]])
def test_demo_commands_are_refused_and_write_nothing(tmp_path: Path, arguments: list[str]) -> None:
    environment = production_environment(tmp_path)
    result = run_regdesk(arguments, environment, cwd=tmp_path)
    assert_refused(result, "refused in production mode", "生产模式")
    assert result.stdout == ""
    var_dir = Path(environment["REGDESK_VAR_DIR"])
    assert not var_dir.exists() or not any(var_dir.glob("regdesk.sqlite3*"))
    assert not (var_dir / "demo-credentials.json").exists()


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "s3cr3t-but-only-forty-nine-characters-long-abcdef"[:49],
        "ab" * 40,  # long enough, two different characters
        "django-insecure-" + "k7#q9vX2mLpR4tW8zY1nB6cF3hJ5dG0sA" * 2,
    ],
    ids=["one character", "49 characters", "two distinct characters", "django-insecure key"],
)
def test_a_weak_secret_key_is_refused(tmp_path: Path, key: str) -> None:
    key_file = tmp_path / "weak-secret"
    key_file.write_text(key)
    key_file.chmod(0o600)
    environment = production_environment(tmp_path / "config", REGDESK_SECRET_KEY_FILE=str(key_file))
    assert_refused(run_regdesk(SETTINGS_ONLY, environment, cwd=tmp_path), "REGDESK_SECRET_KEY")
    # The same key given directly in the environment is refused alike.
    environment = production_environment(tmp_path / "config", REGDESK_SECRET_KEY_FILE="", REGDESK_SECRET_KEY=key)
    assert_refused(run_regdesk(SETTINGS_ONLY, environment, cwd=tmp_path), "REGDESK_SECRET_KEY")


@pytest.mark.parametrize(
    "setting",
    [
        "REGDESK_VAULT_KEYS_FILE",
        "REGDESK_SECRET_KEY_FILE",
        "REGDESK_AUDIT_CHECKPOINT_KEY_FILE",
        "REGDESK_CERTIFICATE_KEY_FILE",
    ],
)
@pytest.mark.parametrize("mode", [0o640, 0o604])
def test_a_key_file_other_accounts_can_read_stops_the_start(tmp_path: Path, setting: str, mode: int) -> None:
    environment = production_environment(tmp_path)
    key_file = Path(environment[setting])
    key_file.chmod(mode)
    result = run_regdesk(SETTINGS_ONLY, environment, cwd=tmp_path)
    assert_refused(result, setting, str(key_file), f"chmod 600 {key_file}")
    key_file.chmod(0o600)
    assert run_regdesk(SETTINGS_ONLY, environment, cwd=tmp_path).returncode == 0


def test_a_missing_key_file_stops_the_start_with_its_name(tmp_path: Path) -> None:
    environment = production_environment(tmp_path, REGDESK_VAULT_KEYS_FILE=str(tmp_path / "nowhere.json"))
    assert_refused(run_regdesk(SETTINGS_ONLY, environment, cwd=tmp_path), "REGDESK_VAULT_KEYS_FILE", "nowhere.json")


def test_check_deploy_names_the_problems_of_an_unfinished_production_configuration(tmp_path: Path) -> None:
    environment = production_environment(tmp_path, REGDESK_ALLOWED_HOSTS="")
    result = run_regdesk(["check", "--deploy", "--fail-level", "WARNING"], environment, cwd=tmp_path)
    assert result.returncode != 0
    for problem in (
        "regdesk.W002) REGDESK_IDENTITY_GATEWAY_URL",
        "regdesk.W002) REGDESK_MIIT_URL",
        "regdesk.W003)",  # SQLite
        "security.W020)",  # no ALLOWED_HOSTS
    ):
        assert problem in result.stderr


def test_check_deploy_is_quiet_about_https_and_cookies_in_production(tmp_path: Path) -> None:
    gateways = (
        "REGDESK_MIIT_URL",
        "REGDESK_IDENTITY_GATEWAY_URL",
        "REGDESK_REGISTRY_GATEWAY_URL",
        "REGDESK_PROVISIONING_GATEWAY_URL",
        "REGDESK_FACE_MATCH_GATEWAY_URL",
        "REGDESK_SMS_GATEWAY_URL",
    )
    addresses = dict.fromkeys(gateways, "https://gateway.provider.example.cn/")
    environment = production_environment(
        tmp_path,
        REGDESK_SMTP_HOST="smtp.provider.example.cn",
        REGDESK_DATABASE_URL="postgres://regdesk@db.provider.example.cn:5432/regdesk",
        REGDESK_HSTS_PRELOAD="1",
        **addresses,
    )
    result = run_regdesk(["check", "--deploy", "--fail-level", "WARNING"], environment, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    def debug(**overrides: str) -> str:
        environment = {
            name: value for name, value in os.environ.items() if not name.startswith(("REGDESK_", "DJANGO_"))
        }
        environment.update({"REGDESK_VAR_DIR": str(tmp_path / "var"), **overrides})
        code = "from django.conf import settings; print(settings.DEBUG)"
        environment["DJANGO_SETTINGS_MODULE"] = "regdesk.config.settings"
        result = subprocess.run(
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=True
        )
        return result.stdout.strip()

    assert debug() == "False"
    assert debug(REGDESK_DEBUG="1") == "True"
