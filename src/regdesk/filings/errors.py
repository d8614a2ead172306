"""Refusals of the filings services: field errors in both languages, and refusals of a whole request.

Messages name fields and rules, never a value the user entered (values may be personal data).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regdesk.cases.services.errors import CaseRefused
from regdesk.rules.icp import FieldError

Language = Literal["zh-hans", "en"]

# Codes of the filings app itself (the rules' codes come with their own messages).
MESSAGES: dict[str, Promise] = {
    "not_text": _("Enter text here."),
    "not_list": _("Enter a list here."),
    "not_object": _("Enter an object with its fields here."),
    "not_code": _("Enter a code number from the list."),
    "not_yes_no": _("Enter yes or no."),
    "unknown_field": _("There is no such field."),
    "not_returned": _("This field was not returned for changes and cannot be changed now."),
    "document_missing": _("The document was not found on this filing."),
    "server_location_invalid": _("Enter the six-digit division code of the place where the servers are."),
    "return_reason_required": _("Give a reason for each field returned for changes."),
    "return_field_unknown": _("There is no such field in the filing."),
    "return_fields_required": _("Name at least one field to change, with its reason."),
    "owner_elsewhere": _("Another owner record holds this certificate: file for that owner instead."),
}


def message(code: str, language: Language) -> str:
    with translation.override(language):
        return str(MESSAGES[code])


def field_error(path: str, code: str) -> FieldError:
    """A field error of the filings app's own catalogue, in both languages."""
    return FieldError(field=path, code=code, message_zh=message(code, "zh-hans"), message_en=message(code, "en"))


class FilingRefused(CaseRefused):
    """A filings service refused a request as a whole (state, permission, a rule across filings); nothing was
    changed. ``code`` is stable, ``message`` translated."""


class FilingValidationError(FilingRefused):
    """The filing data breaks rules; nothing was saved. ``errors`` are the findings, each with its field path
    (``websites[0].domains[1]``), a stable code and the message in Chinese and English."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("invalid_filing", _("The filing data is not valid: see each field."))

    def fields(self, language: Language | None = None) -> dict[str, list[str]]:
        """The API's ``fields`` shape in one language (the active one when ``None``)."""
        if language is None:
            language = "en" if (translation.get_language() or "").startswith("en") else "zh-hans"
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error.message_en if language == "en" else error.message_zh)
        return grouped

    def fields_bilingual(self) -> dict[str, list[dict[str, str]]]:
        """Every field's messages in both languages, with their codes."""
        grouped: dict[str, list[dict[str, str]]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(
                {"code": error.code, "zh-hans": error.message_zh, "en": error.message_en}
            )
        return grouped

    @property
    def codes(self) -> dict[str, list[str]]:
        """Field path → codes (for tests and logs; codes are not personal data)."""
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error.code)
        return grouped
