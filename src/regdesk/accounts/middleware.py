"""Session policies: staff reach nothing but the TOTP pages until they pass the second factor, and sessions end
after a period without requests.

Both go after ``AuthenticationMiddleware`` and before ``MessageMiddleware``::

    "regdesk.accounts.middleware.StaffSecondFactorMiddleware",
    "regdesk.accounts.middleware.IdleTimeoutMiddleware",
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from regdesk.accounts.client_address import client_address
from regdesk.accounts.config import idle_timeout_minutes
from regdesk.accounts.login_state import (
    IDLE_LOGOUT_KEY,
    LAST_ACTIVITY_KEY,
    requires_second_factor,
    second_factor_satisfied,
    touch,
)
from regdesk.accounts.permissions import is_staff_user
from regdesk.audit import context as audit_context

API_PREFIX = "/api/"
ACTIVITY_RESOLUTION_SECONDS = 15


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _is_static(request: HttpRequest) -> bool:
    return request.path.startswith(str(settings.STATIC_URL))


class StaffSecondFactorMiddleware:
    """A user who needs a second factor and has not passed it reaches only the TOTP, enrolment and logout pages
    (and the language switch). Other pages redirect to the TOTP step; the API treats the session as anonymous."""

    allowed_url_names = ("accounts:totp_verify", "accounts:totp_enrol", "accounts:logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated or second_factor_satisfied(request) or _is_static(request):
            return self.get_response(request)
        if _is_api(request):
            # Tokens still work (TokenAuth sets the user itself); the unfinished session does not.
            request.user = AnonymousUser()
            return self.get_response(request)
        allowed = {reverse(name) for name in self.allowed_url_names}
        if request.path in allowed:
            return self.get_response(request)
        return HttpResponseRedirect(reverse("accounts:totp_verify"))


class IdleTimeoutMiddleware:
    """Log out a session idle for ``REGDESK_IDLE_TIMEOUT_MINUTES``; the login page then says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated or _is_static(request):
            return self.get_response(request)
        timeout_seconds = 60 * idle_timeout_minutes()
        now = int(timezone.now().timestamp())
        last = request.session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int) and now - last > timeout_seconds:
            staff = requires_second_factor(request) or is_staff_user(request.user)
            logout(request)
            # logout() flushed the session; the flag goes into the new, anonymous one for the login page.
            request.session[IDLE_LOGOUT_KEY] = True
            if _is_api(request):
                return self.get_response(request)
            login_url = reverse("accounts:login" if staff else "web:portal_login")
            if request.headers.get("HX-Request") == "true":
                # htmx would swap the login page into a fragment; HX-Redirect makes it load the whole page.
                response = HttpResponse(status=200)
                response["HX-Redirect"] = login_url
                return response
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return HttpResponseRedirect(f"{login_url}?{query}" if query else login_url)
        # Saving the session on every request would be a write per page; a coarser mark is precise enough.
        if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            touch(request)
        return self.get_response(request)


class AuditRequestContextMiddleware:
    """Puts the client's address (behind trusted proxies) into the audit context for the services called while the
    request is handled. It lives here, not in audit/, because the trail sits below accounts/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit_context.request_address.set(client_address(request)[:64])
        try:
            return self.get_response(request)
        finally:
            audit_context.request_address.reset(token)
