"""Deployment checks of regdesk's own (``regdesk check --deploy``), beside Django's security checks.

Each names a real problem of a production configuration: production mode off, an outside system still addressed
at its development simulator, the embedded SQLite database, a public address without HTTPS.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

from regdesk.web import config

# The environment variables of the outside systems' addresses; unset, each points at its simulator on loopback.
OUTSIDE_SYSTEM_ADDRESSES = {
    "REGDESK_MIIT_URL": "the province filing system (MIIT)",
    "REGDESK_IDENTITY_GATEWAY_URL": "the identity check service",
    "REGDESK_REGISTRY_GATEWAY_URL": "the enterprise registry",
    "REGDESK_PROVISIONING_GATEWAY_URL": "the network provisioning system",
    "REGDESK_FACE_MATCH_GATEWAY_URL": "the face-match service",
    "REGDESK_SMS_GATEWAY_URL": "the SMS gateway",
    "REGDESK_SMTP_HOST": "the mail server",
}


@register(Tags.security, deploy=True)
def production_mode_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if config.production():
        return []
    return [
        CheckWarning(
            "REGDESK_ENV is not 'production': demo commands, development secrets and simulators are allowed.",
            hint="Set REGDESK_ENV=production for a deployment.",
            id="regdesk.W001",
        )
    ]


@register(Tags.security, deploy=True)
def outside_systems_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    return [
        CheckWarning(
            f"{name} is not set: {system} is its development simulator on loopback.",
            hint=f"Set {name} to the real service's address.",
            id="regdesk.W002",
        )
        for name, system in OUTSIDE_SYSTEM_ADDRESSES.items()
        if not os.environ.get(name)
    ]


@register(Tags.database, deploy=True)
def database_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    return [
        CheckWarning(
            "The database is the embedded SQLite file: one machine, one writer at a time.",
            hint="Set REGDESK_DATABASE_URL to a PostgreSQL database (postgres://user@host:5432/name).",
            id="regdesk.W003",
        )
    ]


@register(Tags.security, deploy=True)
def public_address_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if config.public_base_url().startswith("https://"):
        return []
    return [
        CheckWarning(
            "REGDESK_PUBLIC_BASE_URL is not an https:// address: certificates and notices link to it.",
            hint="Set REGDESK_PUBLIC_BASE_URL to the portal's public HTTPS address.",
            id="regdesk.W004",
        )
    ]
