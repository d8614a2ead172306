"""The settings of the web layer: production mode, the request size limit, access logs, health thresholds.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from django.conf import settings


def production() -> bool:
    """``PRODUCTION`` (``REGDESK_ENV=production``)."""
    return bool(settings.PRODUCTION)


def public_base_url() -> str:
    """``REGDESK_PUBLIC_BASE_URL``: the public address of the portal (the deploy check wants https://)."""
    return str(settings.REGDESK_PUBLIC_BASE_URL)


def request_max_bytes() -> int:
    """``REGDESK_REQUEST_MAX_BYTES``: the largest request body taken at all (a larger one is refused unread)."""
    return int(settings.REGDESK_REQUEST_MAX_BYTES)


def access_log() -> bool:
    """``REGDESK_ACCESS_LOG``: one log line per request and per task (always on in production)."""
    return bool(settings.REGDESK_ACCESS_LOG)


def health_queue_max_age_seconds() -> int:
    """``REGDESK_HEALTH_QUEUE_MAX_AGE_SECONDS``: the oldest waiting task the health check accepts."""
    return int(settings.REGDESK_HEALTH_QUEUE_MAX_AGE_SECONDS)


def health_poll_max_age_seconds() -> int:
    """``REGDESK_HEALTH_POLL_MAX_AGE_SECONDS``: the oldest last regulator poll the health check accepts (0: not
    judged)."""
    return int(settings.REGDESK_HEALTH_POLL_MAX_AGE_SECONDS)
