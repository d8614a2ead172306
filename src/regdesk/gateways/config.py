"""The settings of the outside systems behind gateways/: their addresses, timeouts and attempts.

Each function reads its setting when called (so that tests and deployments may change it); the defaults (the
simulators on loopback) and the environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from django.conf import settings


def sms_gateway_url() -> str:
    """``REGDESK_SMS_GATEWAY_URL``: the SMS gateway."""
    return str(settings.REGDESK_SMS_GATEWAY_URL)


def identity_gateway_url() -> str:
    """``REGDESK_IDENTITY_GATEWAY_URL``: the identity check service (name, ID number and photo)."""
    return str(settings.REGDESK_IDENTITY_GATEWAY_URL)


def registry_gateway_url() -> str:
    """``REGDESK_REGISTRY_GATEWAY_URL``: the enterprise registry."""
    return str(settings.REGDESK_REGISTRY_GATEWAY_URL)


def provisioning_gateway_url() -> str:
    """``REGDESK_PROVISIONING_GATEWAY_URL``: network provisioning (a website's access, a line's service)."""
    return str(settings.REGDESK_PROVISIONING_GATEWAY_URL)


def face_match_gateway_url() -> str:
    """``REGDESK_FACE_MATCH_GATEWAY_URL``: the face-match service."""
    return str(settings.REGDESK_FACE_MATCH_GATEWAY_URL)


def timeout_seconds() -> float:
    """``REGDESK_GATEWAY_TIMEOUT_SECONDS``: the longest wait of one attempt of a call."""
    return float(settings.REGDESK_GATEWAY_TIMEOUT_SECONDS)


def attempts() -> int:
    """``REGDESK_GATEWAY_ATTEMPTS``: attempts of a call that fails transiently."""
    return int(settings.REGDESK_GATEWAY_ATTEMPTS)
