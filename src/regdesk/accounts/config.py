"""The settings of accounts: login lockout, idle timeout, rate limits of the anonymous forms, trusted proxies.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``. This module imports nothing of regdesk.
"""

from __future__ import annotations

from django.conf import settings


def login_max_failures() -> int:
    """``REGDESK_LOGIN_MAX_FAILURES``: failed logins in a row from one address that lock the username there."""
    return int(settings.REGDESK_LOGIN_MAX_FAILURES)


def login_username_max_failures() -> int:
    """``REGDESK_LOGIN_USERNAME_MAX_FAILURES``: failed logins from anywhere that lock the username everywhere."""
    return int(settings.REGDESK_LOGIN_USERNAME_MAX_FAILURES)


def login_lockout_minutes() -> int:
    """``REGDESK_LOGIN_LOCKOUT_MINUTES``: how long a lockout lasts."""
    return int(settings.REGDESK_LOGIN_LOCKOUT_MINUTES)


def idle_timeout_minutes() -> int:
    """``REGDESK_IDLE_TIMEOUT_MINUTES``: minutes without a request after which a session is logged out."""
    return int(settings.REGDESK_IDLE_TIMEOUT_MINUTES)


def trusted_proxies() -> tuple[str, ...]:
    """``REGDESK_TRUSTED_PROXIES``: addresses or networks of the reverse proxies whose forwarded headers count."""
    return tuple(str(entry) for entry in settings.REGDESK_TRUSTED_PROXIES)


def rate_login_per_address() -> str:
    """``REGDESK_RATE_LOGIN_PER_ADDRESS``: login POSTs per client address, as ``<count>/<period>``."""
    return str(settings.REGDESK_RATE_LOGIN_PER_ADDRESS)


def rate_login_per_session() -> str:
    """``REGDESK_RATE_LOGIN_PER_SESSION``: login POSTs per session."""
    return str(settings.REGDESK_RATE_LOGIN_PER_SESSION)


def rate_signup_per_address() -> str:
    """``REGDESK_RATE_SIGNUP_PER_ADDRESS``: sign-up POSTs per client address."""
    return str(settings.REGDESK_RATE_SIGNUP_PER_ADDRESS)


def rate_signup_per_session() -> str:
    """``REGDESK_RATE_SIGNUP_PER_SESSION``: sign-up POSTs per session."""
    return str(settings.REGDESK_RATE_SIGNUP_PER_SESSION)


def rate_lookup_per_address() -> str:
    """``REGDESK_RATE_LOOKUP_PER_ADDRESS``: self-service lookup POSTs per client address."""
    return str(settings.REGDESK_RATE_LOOKUP_PER_ADDRESS)


def rate_lookup_per_session() -> str:
    """``REGDESK_RATE_LOOKUP_PER_SESSION``: self-service lookup POSTs per session."""
    return str(settings.REGDESK_RATE_LOOKUP_PER_SESSION)
