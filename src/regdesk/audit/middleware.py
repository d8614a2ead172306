"""Puts the request's address into the audit context for the services called while it is handled."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from regdesk.accounts.client_address import client_address
from regdesk.audit import context


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.request_address.set(client_address(request)[:64])
        try:
            return self.get_response(request)
        finally:
            context.request_address.reset(token)
