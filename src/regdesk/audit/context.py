"""Per-request context for the audit trail (the caller's address), set by the middleware."""

from __future__ import annotations

from contextvars import ContextVar

request_address: ContextVar[str] = ContextVar("regdesk_request_address", default="")
