"""The demo accounts' generated credentials, kept beside the database under var/ (never in the repository)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.utils import timezone

from regdesk.accounts import totp


class DemoLogin(TypedDict):
    username: str
    password: str
    role: str
    totp_secret: str | None


def _path() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.json"


class CredentialsFileError(Exception):
    """The credentials file under var/ cannot be read (not JSON, or not the shape this module writes)."""


def load() -> dict[str, DemoLogin]:
    path = _path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CredentialsFileError(f"{path} cannot be read: {error.__class__.__name__}") from None
    if not isinstance(data, dict):
        raise CredentialsFileError(f"{path} is not a demo credentials file")
    logins: dict[str, DemoLogin] = data
    return logins


def save(logins: dict[str, DemoLogin]) -> None:
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(logins, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(temporary, 0o600)
    temporary.replace(path)


def new_password() -> str:
    # Readable, long enough for the password validators, and unique to this installation.
    return "demo-" + secrets.token_urlsafe(9)


def current_totp_code(username: str) -> str | None:
    login = load().get(username)
    if login is None or not login["totp_secret"]:
        return None
    return totp.code_at(login["totp_secret"], timezone.now())


def logins_text() -> str:
    logins = load()
    if not logins:
        return "No demo accounts yet: run `regdesk demo load`. / 尚无演示账户。"
    lines = ["Demo logins / 演示账户 (staff need a TOTP code: `regdesk demo totp USERNAME`):"]
    for login in logins.values():
        factor = "password + TOTP" if login["totp_secret"] else "password"
        lines.append(f"  {login['username']:<14} {login['password']:<20} {login['role']:<20} {factor}")
    return "\n".join(lines)
