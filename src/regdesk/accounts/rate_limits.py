"""Per-client rate limits of the forms anyone may post without an account: login, sign-up, the self-service
one-ID lookup (一证通查).

Each form is limited twice, with django-ratelimit counting in the shared database cache: per client address (an
IPv6 client per /64; the address as ``client_address`` decides it, proxies included) and per session, so that
neither rotating addresses nor dropping the session escapes both. A session limit applies to requests that carry
a session; a client without one is held by the address limit. Only POSTs count: reading a form is free.

Over a limit the view is not run: ``Ratelimited`` is raised and django-ratelimit's middleware answers with
``too_many_requests`` (429). The rates are settings (``REGDESK_RATE_<FORM>_PER_ADDRESS`` and ``_PER_SESSION``),
read on every request so that tests and deployments may change them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit  # type: ignore[import-untyped]  # ships no type hints

from regdesk.accounts import config
from regdesk.accounts.client_address import client_network

Params = ParamSpec("Params")
Result = TypeVar("Result")
RateSource = Callable[[], str]


@dataclass(frozen=True)
class FormLimit:
    """The rates of one form: the group that names its counters and the settings that give its rates."""

    group: str
    per_address: RateSource
    per_session: RateSource


LOGIN = FormLimit(
    "login",
    per_address=config.rate_login_per_address,
    per_session=config.rate_login_per_session,
)
SIGNUP = FormLimit(
    "signup",
    per_address=config.rate_signup_per_address,
    per_session=config.rate_signup_per_session,
)
LOOKUP = FormLimit(
    "lookup",
    per_address=config.rate_lookup_per_address,
    per_session=config.rate_lookup_per_session,
)


def _address_key(group: str, request: HttpRequest) -> str:
    return client_network(request)


def _session_key(group: str, request: HttpRequest) -> str:
    return request.session.session_key or ""


def limit_posts(limit: FormLimit) -> Callable[[Callable[Params, Result]], Callable[Params, Result]]:
    """Decorate a view so that POSTs over the form's per-address or per-session rate get 429, the view unrun."""

    def address_rate(group: str, request: HttpRequest) -> str | None:
        return limit.per_address() if client_network(request) else None

    def session_rate(group: str, request: HttpRequest) -> str | None:
        # No session yet: nothing to count by (creating one would give every anonymous POST a session row).
        return limit.per_session() if request.session.session_key else None

    def decorate(view: Callable[Params, Result]) -> Callable[Params, Result]:
        by_session = ratelimit(group=f"{limit.group}:session", key=_session_key, rate=session_rate, method="POST")
        by_address = ratelimit(group=f"{limit.group}:address", key=_address_key, rate=address_rate, method="POST")
        limited: Callable[Params, Result] = by_address(by_session(view))
        return limited

    return decorate
