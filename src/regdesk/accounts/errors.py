"""The specific, user-facing errors of the accounts services."""

from __future__ import annotations

from django.utils.functional import Promise


class AccountsError(Exception):
    """A refused account operation: ``code`` for programs, ``message`` (translated lazily) for people, and the
    form ``field`` it concerns, if any. Messages never contain passwords, codes, secrets or e-mail addresses."""

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
