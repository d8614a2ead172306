"""Authentication of the JSON API: bearer tokens for integrations and sessions for browsers.

Endpoints use ``auth=SessionOrToken``. A session counts only once it has passed the second factor where one is
needed, so a half-finished staff login cannot call the API.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from regdesk.accounts.login_state import second_factor_satisfied
from regdesk.accounts.models import User
from regdesk.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer rdk_...``: the token's hash must match a token neither revoked nor expired."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token.strip())
        if user is not None:
            # Views read request.user whichever way the caller authenticated.
            request.user = user
        return user


class SecondFactorSessionAuth(SessionAuth):
    """Django's session authentication (``django_auth``), refusing sessions that still owe the second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if second_factor_satisfied(request):
            return request.user
        return None


session_auth = SecondFactorSessionAuth()
SessionOrToken = [TokenAuth(), session_auth]
