"""Passports: line 2 of the machine-readable zone of a TD3 document (ICAO Doc 9303 part 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from regdesk.rules.identity import countries
from regdesk.rules.identity.checksums import MRZ_ALPHABET, mrz_check
from regdesk.rules.identity.common import EARLIEST_BIRTH_YEAR, parse_date, shape_errors
from regdesk.rules.identity.normalize import clean
from regdesk.rules.identity.result import ResultError, ValidationResult, build

LINE_LENGTH = 44
ALLOWED = MRZ_ALPHABET + "<"
# An expiry year YY is read as 20YY unless that is further ahead than any passport runs (10 years, with margin).
EXPIRY_LOOKAHEAD_YEARS = 20

# ICAO 9303-4 §4.2.2, TD3 line 2: (start, end) of each field, 0-based and end-exclusive, or a single position.
NUMBER = (0, 9)
NUMBER_CHECK = 9
NATIONALITY = (10, 13)
BIRTH = (13, 19)
BIRTH_CHECK = 19
SEX = 20
EXPIRY = (21, 27)
EXPIRY_CHECK = 27
OPTIONAL = (28, 42)
OPTIONAL_CHECK = 42
COMPOSITE_CHECK = 43


def _take_line_two(number: str) -> str:
    """Accept the whole two-line zone as well: line 1 of a passport starts with P."""
    if len(number) == 2 * LINE_LENGTH and number.startswith("P"):
        return number[LINE_LENGTH:]
    return number


def validate_passport_mrz(raw: str, today: dt.date) -> ValidationResult:
    """Line 2 of a passport's machine-readable zone: the check digits of the number, birth date, expiry date and
    optional data, the composite check digit, and real dates."""
    line = _take_line_two(clean(raw))
    errors = shape_errors(line, LINE_LENGTH, ALLOWED)
    if errors:
        return build("passport_mrz", None, errors)

    def field(bounds: tuple[int, int]) -> str:
        return line[bounds[0] : bounds[1]]

    document_number = field(NUMBER).rstrip("<")
    if not document_number:
        errors.append(ResultError.of("document_number_empty"))
    if mrz_check(field(NUMBER)) != line[NUMBER_CHECK]:
        errors.append(ResultError.of("number_checksum"))
    if mrz_check(field(BIRTH)) != line[BIRTH_CHECK]:
        errors.append(ResultError.of("birth_date_checksum"))
    if mrz_check(field(EXPIRY)) != line[EXPIRY_CHECK]:
        errors.append(ResultError.of("expiry_date_checksum"))
    optional = field(OPTIONAL)
    # ICAO 9303-4 §4.2.2.2: with no optional data its check digit may be a filler.
    optional_ok = mrz_check(optional) == line[OPTIONAL_CHECK] or (
        optional == "<" * len(optional) and line[OPTIONAL_CHECK] == "<"
    )
    if not optional_ok:
        errors.append(ResultError.of("optional_data_checksum"))
    composite_source = line[0:10] + line[13:20] + line[21:43]
    if mrz_check(composite_source) != line[COMPOSITE_CHECK]:
        errors.append(ResultError.of("composite_checksum"))

    details: dict[str, Any] = {"document_number": document_number}
    nationality_code = field(NATIONALITY).rstrip("<")
    nationality = countries.by_icao(nationality_code)
    if nationality is None:
        errors.append(ResultError.of("nationality_unknown", code=field(NATIONALITY)))
    else:
        details["nationality"] = {**nationality, "code": nationality_code}

    birth_text = field(BIRTH)
    birth: dt.date | None = None
    if "<" not in birth_text:
        birth = _resolve(birth_text, today, birth=True)
        if birth is None:
            errors.append(ResultError.of("birth_date_invalid", value=birth_text))
        elif birth.year < EARLIEST_BIRTH_YEAR:
            errors.append(ResultError.of("birth_date_too_early", value=birth.isoformat(), limit=EARLIEST_BIRTH_YEAR))
    details["birth_date"] = birth.isoformat() if birth else None

    sex_code = line[SEX]
    if sex_code not in "MFX<":
        errors.append(ResultError.of("sex_invalid", value=sex_code))
    details["sex"] = {"M": "male", "F": "female"}.get(sex_code)

    expiry_text = field(EXPIRY)
    expiry: dt.date | None = None
    if "<" not in expiry_text:
        expiry = _resolve(expiry_text, today, birth=False)
        if expiry is None:
            errors.append(ResultError.of("expiry_date_invalid", value=expiry_text))
    if birth is not None and expiry is not None and expiry < birth:
        errors.append(ResultError.of("expiry_before_birth"))
    details["expiry_date"] = expiry.isoformat() if expiry else None
    # An expired passport is still a well-formed number; whether it may be used is the caller's decision.
    details["expired"] = expiry is not None and expiry < today
    personal_number = optional.rstrip("<")
    if personal_number:
        details["personal_number"] = personal_number
    return build("passport_mrz", line, errors, details)


def _resolve(text: str, today: dt.date, *, birth: bool) -> dt.date | None:
    """A YYMMDD field as a date: a birth date is the latest such date not after today; an expiry date is in
    20YY unless that lies further ahead than any passport runs. None when the digits are not a real date."""
    if not text.isdigit():
        return None
    year = int(text[:2])
    for century in (2000, 1900):
        candidate = parse_date(f"{century + year}{text[2:]}")
        if candidate is None:
            # 29 February can exist in one century and not the other (2000 was a leap year, 1900 was not).
            continue
        if birth and candidate > today:
            continue
        if not birth and candidate.year > today.year + EXPIRY_LOOKAHEAD_YEARS:
            continue
        return candidate
    return None
