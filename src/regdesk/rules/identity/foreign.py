"""Documents of foreigners and of Hong Kong, Macau and Taiwan residents (other than the residence permit), and the
military ID, which has no public format."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from regdesk.rules import divisions
from regdesk.rules.identity import countries
from regdesk.rules.identity.checksums import DIGITS, mod_11_2_check
from regdesk.rules.identity.common import check_birth_date, sex_from_sequence
from regdesk.rules.identity.normalize import clean, disallowed, sanitize_free_text
from regdesk.rules.identity.result import ResultError, ValidationResult, build

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# 公安部 2023: 18 characters: 9, province of issue (2), ISO 3166 numeric nationality (3), YYYYMMDD, sequence (3),
# MOD 11-2 check character (GB 11643-1999 layout).
PERMANENT_RESIDENCE_2023 = re.compile(r"^9\d{16}[\dX]$")
# 公安部 2017 (and the 2004 card): ISO 3166 alpha-3 nationality and 12 digits; no public check algorithm.
PERMANENT_RESIDENCE_2017 = re.compile(r"^[A-Z]{3}\d{12}$")
# 港澳居民来往内地通行证: H (Hong Kong) or M (Macau) and 8 digits; the 1999 booklet adds a 2-digit issue count.
HK_MACAU_PERMIT = re.compile(r"^([HM])(\d{8})(\d{2})?$")
# 台湾居民来往大陆通行证: the 2015 card has 8 digits; the older booklet 10 digits, sometimes with a letter in
# parentheses counting re-issues, e.g. 1234567890(B).
TAIWAN_PERMIT_CARD = re.compile(r"^\d{8}$")
TAIWAN_PERMIT_BOOKLET = re.compile(r"^(\d{10})(?:\(([A-Z])\))?$")
# Longest military or armed-police ID accepted as text for manual review.
MILITARY_ID_MAX_LENGTH = 64

HK_MACAU_REGIONS = {
    "H": {"code": "810000", "name": "香港特别行政区", "issued_to_residents_of": "hong_kong"},
    "M": {"code": "820000", "name": "澳门特别行政区", "issued_to_residents_of": "macau"},
}


def _format_error(expected_zh: str, expected_en: str) -> ResultError:
    return ResultError.of("format", expected_zh=expected_zh, expected_en=expected_en)


def _permanent_2023(number: str, today: dt.date) -> ValidationResult:
    errors: list[ResultError] = []
    if mod_11_2_check(number[:17]) != number[17]:
        errors.append(ResultError.of("checksum"))
    details: dict[str, Any] = {"edition": "2023"}
    province = divisions.region_details(number[1:3] + "0000")
    if province is None:
        errors.append(ResultError.of("province_unknown", code=number[1:3]))
    else:
        details["province_of_issue"] = {"code": province["code"], "name": province["name"]}
    nationality = countries.by_numeric(number[3:6])
    if nationality is None:
        errors.append(ResultError.of("nationality_unknown", code=number[3:6]))
    else:
        details["nationality"] = nationality
    birth, birth_errors = check_birth_date(number[6:14], today)
    errors += birth_errors
    if birth is not None:
        details["birth_date"] = birth.isoformat()
    details["sex"] = sex_from_sequence(number[14:17])
    return build("permanent_residence", number, errors, details)


def validate_permanent_residence(raw: str, today: dt.date) -> ValidationResult:
    """Foreigner's permanent residence ID card, either edition, told apart by its shape."""
    number = clean(raw)
    if not number:
        return build("permanent_residence", None, [ResultError.of("empty")])
    if PERMANENT_RESIDENCE_2023.match(number):
        return _permanent_2023(number, today)
    if PERMANENT_RESIDENCE_2017.match(number):
        nationality = countries.by_alpha3(number[:3])
        if nationality is None:
            return build(
                "permanent_residence",
                number,
                [ResultError.of("nationality_unknown", code=number[:3])],
                {"edition": "2017"},
            )
        return build("permanent_residence", number, [], {"edition": "2017", "nationality": nationality})
    bad = disallowed(number, DIGITS + LETTERS)
    errors = [ResultError.of("characters", characters=" ".join(bad))] if bad else []
    errors.append(
        _format_error(
            "18位、以9开头的号码（2023版）或3个字母加12位数字（2017版）",
            "18 characters starting with 9 (2023 edition) or 3 letters and 12 digits (2017 edition)",
        )
    )
    return build("permanent_residence", None, errors)


def validate_hk_macau_permit(raw: str, today: dt.date) -> ValidationResult:
    """Mainland travel permit for Hong Kong and Macau residents (回乡证): format only."""
    number = clean(raw)
    if not number:
        return build("hk_macau_permit", None, [ResultError.of("empty")])
    match = HK_MACAU_PERMIT.match(number)
    if match is None:
        bad = disallowed(number, DIGITS + "HM")
        errors = [ResultError.of("characters", characters=" ".join(bad))] if bad else []
        errors.append(
            _format_error(
                "H或M加8位数字（1999年版另加2位换证次数）",
                "H or M and 8 digits (the 1999 booklet adds a 2-digit issue count)",
            )
        )
        return build("hk_macau_permit", None, errors)
    region = HK_MACAU_REGIONS[match.group(1)]
    details: dict[str, Any] = {
        "issued_to_residents_of": region["issued_to_residents_of"],
        "region": {"code": region["code"], "name": region["name"]},
    }
    if match.group(3) is not None:
        details["issue_count"] = int(match.group(3))
    return build("hk_macau_permit", number, [], details)


def validate_taiwan_permit(raw: str, today: dt.date) -> ValidationResult:
    """Mainland travel permit for Taiwan residents (台胞证): format only."""
    number = clean(raw)
    if not number:
        return build("taiwan_permit", None, [ResultError.of("empty")])
    if TAIWAN_PERMIT_CARD.match(number):
        return build("taiwan_permit", number, [], {"form": "card"})
    booklet = TAIWAN_PERMIT_BOOKLET.match(number)
    if booklet is not None:
        details: dict[str, Any] = {"form": "booklet"}
        if booklet.group(2) is not None:
            details["issue_letter"] = booklet.group(2)
        return build("taiwan_permit", number, [], details)
    bad = disallowed(number, DIGITS + LETTERS + "()")
    errors = [ResultError.of("characters", characters=" ".join(bad))] if bad else []
    errors.append(
        _format_error(
            "8位数字（2015年起的卡式证件）或10位数字，可带括号内的一个字母，如1234567890(B)",
            "8 digits (the card issued since 2015) or 10 digits, optionally with a letter in parentheses, "
            "e.g. 1234567890(B)",
        )
    )
    return build("taiwan_permit", None, errors)


def validate_military_id(raw: str, today: dt.date) -> ValidationResult:
    """Military or armed-police ID: no public format, so any non-empty text is kept for manual review."""
    text = sanitize_free_text(raw)
    if not text:
        return build("military_id", None, [ResultError.of("empty")])
    if len(text) > MILITARY_ID_MAX_LENGTH:
        return build("military_id", None, [ResultError.of("too_long", limit=MILITARY_ID_MAX_LENGTH, actual=len(text))])
    return build("military_id", text, [], {"manual_review": True})
