"""What every desk view shares: the login and gate decorators, refusals as text, htmx or full-page answers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regdesk.accounts.models import User
from regdesk.cases.services import CaseRefused
from regdesk.filings.desk.access import get_desk_filing_or_404
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing
from regdesk.gateways.errors import GatewayError
from regdesk.privacy.errors import RevealRefusedError

P = ParamSpec("P")
LOGIN_URL = "accounts:login"


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def filing_view(
    view: Callable[Concatenate[HttpRequest, Filing, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, int, P], HttpResponse]:
    """A view of one filing: staff log in first; the filing comes through the desk's gate (404 alike for
    missing filings and filings the user may not see on the desk)."""

    @wraps(view)
    def wrapper(request: HttpRequest, filing_id: int, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        filing = get_desk_filing_or_404(request.user, filing_id)
        return view(request, filing, *args, **kwargs)

    protected = login_required(login_url=LOGIN_URL)(wrapper)
    return cast(Callable[Concatenate[HttpRequest, int, P], HttpResponse], protected)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _english() -> bool:
    return (get_language() or "").startswith("en")


def refusal_text(error: Exception) -> str:
    """A refusal in the user's language, without personal data (the services' messages carry none)."""
    if isinstance(error, FilingValidationError):
        lines = [f"{error.message_en if _english() else error.message_zh}" for error in error.errors]
        return " ".join(lines) or str(error.message)
    if isinstance(error, CaseRefused):
        return error.message
    if isinstance(error, RevealRefusedError):
        return str(error.message)
    if isinstance(error, GatewayError):
        return _("The outside system did not answer as expected (%(code)s); try again.") % {"code": error.code}
    return _("The request could not be carried out.")


def field_messages(error: FilingValidationError) -> dict[str, list[str]]:
    """The validation error's messages per field, in the user's language."""
    return error.fields("en" if _english() else "zh-hans")


def back_to(request: HttpRequest, url: str, *, success: str = "", error: str = "") -> HttpResponse:
    """The answer of a form sent without htmx: a message and the page again (post/redirect/get)."""
    if success:
        messages.success(request, success)
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(url)


def no_store(response: HttpResponse) -> HttpResponse:
    """Pages with personal data or documents are never kept by the browser or a proxy."""
    response["Cache-Control"] = "no-store, private"
    return response


def with_headers(response: HttpResponse, **headers: Any) -> HttpResponse:
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response
