"""What a session knows about its login: whether the second factor was passed, and when it was last used."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from regdesk.accounts.permissions import needs_second_factor

SECOND_FACTOR_KEY = "regdesk_second_factor_at"
LAST_ACTIVITY_KEY = "regdesk_last_activity"
IDLE_LOGOUT_KEY = "regdesk_idle_logout"
_CACHE_ATTRIBUTE = "_regdesk_needs_second_factor"


def requires_second_factor(request: HttpRequest) -> bool:
    """Whether the request's user must pass TOTP (cached on the request: the middleware and the API both ask)."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = needs_second_factor(request.user)
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return bool(cached)


def second_factor_satisfied(request: HttpRequest) -> bool:
    """True for an authenticated session that needs no second factor or has passed it."""
    if not request.user.is_authenticated:
        return False
    return not requires_second_factor(request) or bool(request.session.get(SECOND_FACTOR_KEY))


def mark_second_factor_passed(request: HttpRequest) -> None:
    """Record in the session that the TOTP step succeeded (call after ``login``, which rotates the session)."""
    request.session[SECOND_FACTOR_KEY] = int(timezone.now().timestamp())
    touch(request)


def touch(request: HttpRequest) -> None:
    """Note the time of this request as the session's last activity (the idle timeout counts from it)."""
    request.session[LAST_ACTIVITY_KEY] = int(timezone.now().timestamp())
