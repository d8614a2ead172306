"""Errors of the personal-data vault. Their messages never contain personal data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RevealRefusedError(PermissionDenied):
    """A request to reveal a personal value was refused; ``code`` says why, ``message`` says it to the user."""

    code = "reveal_refused"
    default_message: str | Promise = _("You may not reveal this personal data.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class RevealNotPermittedError(RevealRefusedError):
    """The actor holds no role that may reveal personal data."""

    code = "reveal_not_permitted"
    default_message = _(
        "Your roles do not allow revealing personal data. Registration specialists, counter clerks and "
        "compliance officers may reveal it."
    )


class RevealPurposeError(RevealRefusedError):
    """No purpose, or one too short to mean anything, was stated."""

    code = "reveal_purpose_required"
    default_message = _("State why you need the plain value (at least 4 characters).")
