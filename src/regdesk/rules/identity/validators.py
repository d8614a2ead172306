"""One entry point for every document type: ``validate(document_type, number, today=...)``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from regdesk.rules.identity import detect
from regdesk.rules.identity.common import today_in_china
from regdesk.rules.identity.foreign import (
    validate_hk_macau_permit,
    validate_military_id,
    validate_permanent_residence,
    validate_taiwan_permit,
)
from regdesk.rules.identity.mrz import validate_passport_mrz
from regdesk.rules.identity.organisation import (
    validate_business_registration_number,
    validate_org_code,
    validate_uscc,
)
from regdesk.rules.identity.resident import (
    validate_legacy_resident_id,
    validate_residence_permit,
    validate_resident_id,
)
from regdesk.rules.identity.result import ResultError, ValidationResult, build

Validator = Callable[[str, dt.date], ValidationResult]

# DOMAIN.md §3: the documents an individual or an organisation may present.
VALIDATORS: dict[str, Validator] = {
    "resident_id": validate_resident_id,
    "legacy_resident_id": validate_legacy_resident_id,
    "residence_permit": validate_residence_permit,
    "permanent_residence": validate_permanent_residence,
    "hk_macau_permit": validate_hk_macau_permit,
    "taiwan_permit": validate_taiwan_permit,
    "passport_mrz": validate_passport_mrz,
    "military_id": validate_military_id,
    "uscc": validate_uscc,
    "org_code": validate_org_code,
    "business_registration_number": validate_business_registration_number,
}
AUTO = "auto"
DOCUMENT_TYPES: tuple[str, ...] = (*VALIDATORS, AUTO)


class UnknownDocumentType(ValueError):
    """The document type is not one of ``DOCUMENT_TYPES``."""

    def __init__(self, document_type: str) -> None:
        super().__init__(f"unknown document type {document_type!r}; known types: {', '.join(DOCUMENT_TYPES)}")
        self.document_type = document_type


def validate(document_type: str, number: str, *, today: dt.date | None = None) -> ValidationResult:
    """Validate ``number`` as a document of ``document_type`` (or ``auto``); ``today`` defaults to the date in
    Beijing and decides what a future birth date or an expired passport is."""
    today = today or today_in_china()
    if document_type == AUTO:
        return validate_auto(number, today)
    validator = VALIDATORS.get(document_type)
    if validator is None:
        raise UnknownDocumentType(document_type)
    return validator(number, today)


def validate_auto(number: str, today: dt.date) -> ValidationResult:
    """Detect the type from the shape; of several candidates the first valid one wins, otherwise the most
    plausible one is returned with its errors."""
    candidates = detect.candidates(number)
    results = [VALIDATORS[candidate](number, today) for candidate in candidates]
    chosen = next((result for result in results if result.valid), results[0] if results else None)
    if chosen is None:
        fallback = detect.most_plausible(number)
        if fallback is None:
            return build(AUTO, None, [ResultError.of("empty" if not number.strip() else "type_unknown")])
        chosen = VALIDATORS[fallback](number, today)
        candidates = [fallback]
    details = {**chosen.details, "detected": {"candidates": candidates}}
    return dataclasses.replace(chosen, details=details)
