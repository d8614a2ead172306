"""Refusals of the real-name registration services. Messages are translated and never contain personal data."""

from __future__ import annotations

from django.utils.functional import Promise


class RegistrationRefused(Exception):
    """A service refused a request and changed nothing.

    ``code`` is stable (the API returns it), ``message`` is translated, ``field`` names the input at fault (dotted,
    as the API's ``fields``), and ``transient`` says that the same request may succeed later (an outside system
    did not answer).
    """

    def __init__(
        self, code: str, message: str | Promise, *, field: str = "", transient: bool = False, status: int = 0
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.field = field
        self.transient = transient
        self.status = status

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ReadingRefused(RegistrationRefused):
    """A card reading was refused: bad signature, stale, replayed, wrong outlet, unenrolled or inactive reader."""


class LookupRefused(RegistrationRefused):
    """A one-ID lookup, its SMS challenge or a dispute was refused."""
