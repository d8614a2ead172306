"""Refusals of the case kernel. Messages are translated and never contain personal data."""

from __future__ import annotations

from django.utils.functional import Promise


class CaseRefused(Exception):
    """A kernel service refused a request; nothing was changed. ``code`` is stable, ``message`` translated."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class TransitionRefused(CaseRefused):
    """``case_transition`` refused: ``unknown_action``, ``wrong_state``, ``role`` or ``guard``."""


class ClockRefused(CaseRefused):
    """A clock service refused (no such clock in the process, already running, not paused ...)."""


class DocumentRefused(CaseRefused):
    """A document was refused (type, size, unreadable image, unknown kind, missing purpose)."""


class NoticeRefused(CaseRefused):
    """A notice was refused (unknown channel or template, malformed recipient)."""
