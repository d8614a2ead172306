"""Resident identity numbers (GB 11643-1999), the legacy 15-digit numbers, and the residence permits of Hong Kong,
Macau and Taiwan residents (2018), which use the same layout and check but their own address codes: a number with a
permit's code is a permit, never a resident identity card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from regdesk.rules import divisions
from regdesk.rules.identity.checksums import DIGITS, mod_11_2_check
from regdesk.rules.identity.common import check_birth_date, sex_from_sequence, shape_errors
from regdesk.rules.identity.normalize import clean
from regdesk.rules.identity.result import ResultError, ValidationResult, build, message_pair

# 国务院办公厅国办发〔2018〕81号 (居住证申领发放办法): permit numbers start with these "address codes".
PERMIT_PREFIXES: dict[str, tuple[str, str]] = {
    "810000": ("香港特别行政区", "hong_kong"),
    "820000": ("澳门特别行政区", "macau"),
    "830000": ("台湾地区", "taiwan"),
}

LEGACY_NOTICE = (
    "15位身份证号码已于2004年起停止使用，仅可用于核对历史资料，不能用于新的登记。",
    "15-digit ID numbers have not been in use since 2004: they identify historical records only and are never "
    "accepted for a new registration.",
)


def _shape_18(number: str) -> list[ResultError]:
    """GB 11643-1999 §4: 17 digits and a check character that is a digit or X."""
    errors = shape_errors(number, 18, DIGITS + "X")
    if not errors and "X" in number[:17]:
        errors.append(ResultError.of("characters", characters="X"))
    return errors


def _checksum(number: str) -> list[ResultError]:
    return [] if mod_11_2_check(number[:17]) == number[17] else [ResultError.of("checksum")]


def _permit_region(prefix: str) -> dict[str, Any]:
    name = PERMIT_PREFIXES[prefix][0]
    return {"code": prefix, "name": name, "province": {"code": prefix, "name": name}}


def card_document_type(number: str) -> str:
    """The document a chip card bearing ``number`` is: ``residence_permit`` for the 810000/820000/830000 codes
    (the permits are read by the same second-generation card readers as ID cards), ``resident_id`` otherwise."""
    return "residence_permit" if clean(number)[:6] in PERMIT_PREFIXES else "resident_id"


def _region(code: str) -> tuple[dict[str, Any] | None, list[ResultError]]:
    """The address code must have existed in some GB/T 2260 edition; it is not tied to the birth year, since a
    code created after someone's birth is given to people who register there later."""
    if code in PERMIT_PREFIXES:
        # 国办发〔2018〕81号: these codes are given to residence permits only, never to a resident identity card.
        return None, [ResultError.of("residence_permit_number", code=code)]
    if code.startswith("9"):
        # No division code starts with 9: unknown, with a hint that such numbers are permanent residence cards.
        return None, [ResultError("region_unknown", *message_pair("region_permanent_residence"))]
    details = divisions.region_details(code)
    if details is None:
        return None, [ResultError.of("region_unknown", code=code)]
    return details, []


def _person_details(sequence: str, birth: dt.date | None, region: dict[str, Any] | None) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if birth is not None:
        details["birth_date"] = birth.isoformat()
    details["sex"] = sex_from_sequence(sequence)
    if region is not None:
        details["region"] = region
    return details


def validate_resident_id(raw: str, today: dt.date) -> ValidationResult:
    """GB 11643-1999 citizen identity number: address code, birth date, sequence, MOD 11-2 check character."""
    number = clean(raw)
    errors = _shape_18(number)
    if errors:
        return build("resident_id", None, errors)
    errors = _checksum(number)
    birth, birth_errors = check_birth_date(number[6:14], today)
    region, region_errors = _region(number[:6])
    errors += birth_errors + region_errors
    details = _person_details(number[14:17], birth, region)
    return build("resident_id", number, errors, details)


def upgrade_legacy(number: str) -> str:
    """GB 11643-1999 appendix: a 15-digit number becomes 18 digits by writing the year in full (19YY) and
    appending the MOD 11-2 check character."""
    body = number[:6] + "19" + number[6:]
    return body + mod_11_2_check(body)


def validate_legacy_resident_id(raw: str, today: dt.date) -> ValidationResult:
    """The 15-digit number (6-digit address code, YYMMDD, 3-digit sequence, no check character): valid in form,
    converted to 18 digits, but marked as usable for historical records only."""
    number = clean(raw)
    errors = shape_errors(number, 15, DIGITS)
    if errors:
        return build("legacy_resident_id", None, errors)
    birth, errors = check_birth_date("19" + number[6:12], today)
    region, region_errors = _region(number[:6])
    errors += region_errors
    details = _person_details(number[12:15], birth, region)
    chinese, english = LEGACY_NOTICE
    details["historical_only"] = True
    details["usable_for_new_registration"] = False
    details["notice"] = {"code": "legacy_historical_only", "message": {"zh-hans": chinese, "en": english}}
    return build("legacy_resident_id", upgrade_legacy(number), errors, details)


def validate_residence_permit(raw: str, today: dt.date) -> ValidationResult:
    """Residence permit for Hong Kong, Macau and Taiwan residents: 810000/820000/830000, birth date, sequence,
    MOD 11-2 check character (GB 11643-1999 layout)."""
    number = clean(raw)
    errors = _shape_18(number)
    if errors:
        return build("residence_permit", None, errors)
    prefix = number[:6]
    errors = []
    if prefix not in PERMIT_PREFIXES:
        errors.append(ResultError.of("prefix"))
    errors += _checksum(number)
    birth, birth_errors = check_birth_date(number[6:14], today)
    errors += birth_errors
    region = _permit_region(prefix) if prefix in PERMIT_PREFIXES else None
    details = _person_details(number[14:17], birth, region)
    if prefix in PERMIT_PREFIXES:
        details["issued_to_residents_of"] = PERMIT_PREFIXES[prefix][1]
    return build("residence_permit", number, errors, details)
