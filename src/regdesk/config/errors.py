"""The API's error type, in its own module so that app routers can import it without an import loop."""

from __future__ import annotations


class ApiError(Exception):
    """Raised by endpoints for a specific, user-facing error."""

    def __init__(
        self, code: str, message: str, *, status: int = 400, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields or {}
