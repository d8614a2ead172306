"""Identity documents and organisation codes (DOMAIN.md §3): one validator per document type, each returning a
``ValidationResult`` with a stable error code per failure and messages in Chinese and English."""

from __future__ import annotations

from regdesk.rules.identity.resident import card_document_type
from regdesk.rules.identity.result import ResultError, ValidationResult
from regdesk.rules.identity.validators import DOCUMENT_TYPES, VALIDATORS, UnknownDocumentType, validate

__all__ = [
    "DOCUMENT_TYPES",
    "VALIDATORS",
    "ResultError",
    "UnknownDocumentType",
    "ValidationResult",
    "card_document_type",
    "validate",
]
