"""The JSON API under /api/v1/: one NinjaAPI, the routers of every app, and the error shape of DESIGN.md.

Errors are always ``{"error": {"code": ..., "message": ..., "fields": {...}}}`` with a 4xx status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from regdesk.config.api_input import StrictJsonParser, fields_with_nul
from regdesk.config.errors import ApiError

__all__ = ["ApiError", "api", "api_urls"]

from regdesk.accounts.api import router as accounts_router
from regdesk.accounts.api_auth import SessionOrToken
from regdesk.audit.api import router as audit_router
from regdesk.calendars.api import router as calendars_router
from regdesk.cases.api import router as cases_router
from regdesk.filings.api import router as filings_router
from regdesk.gateways.api import router as gateways_router
from regdesk.privacy.api import router as privacy_router
from regdesk.subscribers.api import router as subscribers_router
from regdesk.web.api import router as web_router
from regdesk.web.config import request_max_bytes

logger = logging.getLogger(__name__)

# The Swagger UI of /api/v1/docs comes from django-ninja's own static files (``ninja`` is an installed app), never a
# CDN: it works without internet and under the Content-Security-Policy. No validator badge (an outside image).
api = NinjaAPI(
    title="regdesk API",
    version="1",
    urls_namespace="api",
    parser=StrictJsonParser(),
    docs=Swagger(settings={"validatorUrl": None}),
)


def error_response(
    request: HttpRequest, *, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, status=exc.status, code=exc.code, message=exc.message, fields=exc.fields)


# Where pydantic says an error was found; the field name is what follows.
_LOCATION_WORDS = frozenset({"body", "query", "path", "payload"})


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location: list[Any] = [part for part in error.get("loc", ()) if part not in _LOCATION_WORDS]
        name = ".".join(str(part) for part in location) or "__all__"
        fields.setdefault(name, []).append(str(error.get("msg", "")))
    return error_response(
        request, status=422, code="invalid_input", message=_("Some fields are invalid: see each field."), fields=fields
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, status=401, code="unauthenticated", message=_("Log in or send a valid API token."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, status=404, code="not_found", message=_("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _framework_refusal(exc)
    return error_response(request, status=exc.status_code, code=code, message=message)


def _framework_refusal(exc: HttpError) -> tuple[str, str]:
    """django-ninja's own refusals carry English text only: give the known ones a code and the user's language."""
    text = str(exc)
    if exc.status_code == 403 and text.startswith("CSRF check"):
        return "csrf_failed", _(
            "The CSRF check failed: a logged-in browser sends the CSRF cookie and the X-CSRFToken header; "
            "integrations send an API token."
        )
    if exc.status_code == 400 and text.startswith("Cannot parse request body"):
        return "invalid_body", _("The request body is not valid JSON.")
    return f"http_{exc.status_code}", text


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    code = str(getattr(exc, "code", "") or "forbidden")
    message = str(exc) if str(exc) else _("You may not do this.")
    return error_response(request, status=403, code=code, message=message)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    fields = (
        {name: [str(message) for message in messages] for name, messages in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {}
    )
    message = (
        " ".join(str(message) for message in exc.messages)
        if not fields
        else _("Some fields are invalid: see each field.")
    )
    return error_response(request, status=422, code="invalid_input", message=message, fields=fields)


@api.exception_handler(RequestDataTooBig)
def _request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(
        request,
        status=413,
        code="too_large",
        message=_("The request is larger than the server accepts (at most %(max)s bytes).")
        % {"max": f"{request_max_bytes():,}"},
    )


@api.exception_handler(MultiPartParserError)
def _malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return error_response(
        request, status=400, code="invalid_body", message=_("The request body is not a readable multipart form.")
    )


@api.exception_handler(UnreadablePostError)
def _unreadable_body(request: HttpRequest, exc: UnreadablePostError) -> HttpResponse:
    return error_response(
        request, status=400, code="invalid_body", message=_("The request body could not be read to its end.")
    )


@api.exception_handler(TooManyFieldsSent)
def _too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
    return error_response(
        request,
        status=400,
        code="too_many_fields",
        message=_("The request has more parameters than the server accepts (at most %(max)d).")
        % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
    )


@api.exception_handler(TooManyFilesSent)
def _too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    return error_response(
        request,
        status=400,
        code="too_many_files",
        message=_("The request has more files than the server accepts (at most %(max)d).")
        % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FILES},
    )


@api.exception_handler(SuspiciousOperation)
def _suspicious_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Django's word for a request it will not take as sent; what it suspects stays in the log.
    logger.warning("refused request in %s %s: %s", request.method, request.path, type(exc).__name__)
    return error_response(request, status=400, code="bad_request", message=_("The request cannot be taken as sent."))


@api.exception_handler(Exception)
def _unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The details go to the log, never to the caller: they may hold personal data.
    logger.error("unexpected error in %s %s", request.method, request.path, exc_info=exc)
    return error_response(
        request,
        status=500,
        code="internal_error",
        message=_("Something went wrong on our side. Please try again later."),
    )


# Exempt like the API's own views: otherwise an unsafe method without a CSRF cookie gets Django's HTML 403 page.
@csrf_exempt
def unknown_endpoint(request: HttpRequest, path: str) -> HttpResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not with an HTML page."""
    return error_response(request, status=404, code="not_found", message=_("Not found."))


def _method_not_allowed_in_error_shape(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """django-ninja answers a method a path does not take with a plain-text 405; ours is in the error shape."""

    @wraps(view)  # keeps csrf_exempt, which django-ninja sets on its views
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        shaped = error_response(
            request,
            status=405,
            code="method_not_allowed",
            message=_("This address does not take %(method)s requests; it takes %(allowed)s.")
            % {"method": request.method, "allowed": allowed},
        )
        shaped["Allow"] = allowed
        return shaped

    return wrapper


def _refusing_unusable_input(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Refuse, before the view runs, text with NUL characters (PostgreSQL cannot store it; see ``api_input``) and
    more query parameters than Django reads (its own refusal would be an HTML page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            names = fields_with_nul(request, kwargs)
        except TooManyFieldsSent as refused:
            return _too_many_fields(request, refused)
        if not names:
            return view(request, *args, **kwargs)
        problem = _("Null characters are not allowed.")
        return error_response(
            request,
            status=422,
            code="invalid_input",
            message=_("Some fields are invalid: see each field."),
            fields={name: [problem] for name in names},
        )

    return wrapper


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """``api.urls`` with every view answering a wrong method in the error shape and refusing unusable input
    up front; mount this, not ``api.urls``."""
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = [
        URLPattern(
            pattern.pattern,
            _method_not_allowed_in_error_shape(_refusing_unusable_input(pattern.callback)),
            pattern.default_args,
            pattern.name,
        )
        if isinstance(pattern, URLPattern)
        else pattern
        for pattern in patterns
    ]
    return wrapped, app_name, namespace


api.add_router("/accounts", accounts_router)
# The trail sits below accounts/ (every account service writes it): its readers authenticate as the desk does.
api.add_router("/audit", audit_router, auth=SessionOrToken)
api.add_router("/privacy", privacy_router)
api.add_router("/calendar", calendars_router)
api.add_router("/cases", cases_router)
api.add_router("/filings", filings_router)
api.add_router("/gateways", gateways_router)
api.add_router("/subscribers", subscribers_router)
api.add_router("/", web_router)
