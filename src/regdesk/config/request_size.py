"""Refusing request bodies larger than ``REGDESK_REQUEST_MAX_BYTES`` before anything reads them.

The declared ``Content-Length`` decides: a larger body is answered 413 unread, so an upload of a gigabyte costs the
server a header, not a gigabyte. Under /api/ the answer is in the API's error shape; elsewhere it is a plain page in
both languages (the middleware runs before the user's language is known). The web server applies the same limit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from regdesk.web.config import request_max_bytes

API_PREFIX = "/api/"


def _declared_length(request: HttpRequest) -> int | None:
    """The body's declared length; None when none is declared; -1 when the header is not a length."""
    header = request.META.get("CONTENT_LENGTH", "")
    if not header:
        return None
    if not header.isascii() or not header.isdigit():
        return -1
    return int(header)


def _limit_text() -> str:
    return _("The request is larger than the server accepts (at most %(max)s bytes).") % {
        "max": f"{request_max_bytes():,}"
    }


def _api_refusal(request: HttpRequest, *, status: int) -> HttpResponse:
    with translation.override(translation.get_language_from_request(request)):
        if status == 413:
            code, message = "too_large", _limit_text()
        else:
            code, message = "invalid_body", _("The Content-Length header is not a number of bytes.")
        body = {"error": {"code": code, "message": message, "fields": {}}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _page_refusal(*, status: int) -> HttpResponse:
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            if status == 413:
                title, text = _("Request too large"), _limit_text()
            else:
                title, text = _("Bad request"), _("The Content-Length header is not a number of bytes.")
        parts.append(f'<section lang="{language}"><h1>{escape(title)}</h1><p>{escape(text)}</p></section>')
    page = '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{}</title>{}</html>'.format(
        status, "".join(parts)
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class RequestSizeLimitMiddleware:
    """413 for a declared body larger than ``REGDESK_REQUEST_MAX_BYTES``; 400 for a Content-Length that is no
    length. Django itself would read such a body up to its own limit and then fail inside the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _declared_length(request)
        if length is None or 0 <= length <= request_max_bytes():
            return self.get_response(request)
        status = 413 if length > 0 else 400
        if request.path_info.startswith(API_PREFIX):
            return _api_refusal(request, status=status)
        return _page_refusal(status=status)
