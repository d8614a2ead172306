"""Errors of the outside-system adapters, classified so that callers know whether trying again can help.

Messages name the system and what went wrong, never the recipient or the content (they may be personal data).
"""

from __future__ import annotations

from django.utils.functional import Promise


class GatewayError(Exception):
    """An outside system did not take the request. ``transient`` says whether a later attempt may succeed."""

    transient = False

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class TransientGatewayError(GatewayError):
    """Time-outs, refused connections, 5xx and 429 answers: try again later."""

    transient = True


class PermanentGatewayError(GatewayError):
    """The request itself was refused (4xx, a refused recipient): trying again sends the same refusal."""
