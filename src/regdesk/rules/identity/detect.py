"""Guessing the type of a document from the shape of its number (for ``auto``)."""

from __future__ import annotations

import re

from regdesk.rules.identity.mrz import LINE_LENGTH as MRZ_LINE_LENGTH
from regdesk.rules.identity.normalize import clean
from regdesk.rules.identity.resident import PERMIT_PREFIXES

EIGHTEEN_DIGITS = re.compile(r"^\d{17}[\dX]$")
SEVENTEEN_DIGITS_FIRST = re.compile(r"^\d{17}.$")
FIFTEEN_DIGITS = re.compile(r"^\d{15}$")
USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
PERMANENT_2017_SHAPE = re.compile(r"^[A-Z]{3}\d{12}$")
HK_MACAU_SHAPE = re.compile(r"^[HM]\d{8}(\d{2})?$")
ORGANIZATION_CODE_SHAPE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")
TAIWAN_SHAPE = re.compile(r"^(\d{8}|\d{10}(\([A-Z]\))?)$")
NEAR_RESIDENT_ID = re.compile(r"^\d{14,19}X?$")
# ICAO 9303-4 TD3 line 2: number, check, nationality, birth date, check, sex, expiry, check, optional data, checks.
MRZ_LINE_TWO = re.compile(r"^[A-Z0-9<]{9}\d[A-Z<]{3}[\d<]{6}\d[MFX<][\d<]{6}\d[A-Z0-9<]{14}[\d<]\d$")


def _eighteen_digit_family(number: str) -> str:
    if number[:6] in PERMIT_PREFIXES:
        return "residence_permit"
    if number.startswith("9"):
        return "permanent_residence"
    return "resident_id"


def candidates(raw: str) -> list[str]:
    """The types whose shape the number has, most plausible first (may be empty)."""
    number = clean(raw)
    line_two = number[MRZ_LINE_LENGTH:] if len(number) == 2 * MRZ_LINE_LENGTH else number
    if MRZ_LINE_TWO.match(line_two) or (len(line_two) == MRZ_LINE_LENGTH and "<" in line_two):
        return ["passport_mrz"]
    if EIGHTEEN_DIGITS.match(number):
        return [_eighteen_digit_family(number), "uscc"]
    if USCC_SHAPE.match(number):
        return ["uscc"]
    if FIFTEEN_DIGITS.match(number):
        # A legacy ID must also show a real birth date and a known address code, a stronger sign than the one
        # check digit of a registration number, so it is tried first.
        return ["legacy_resident_id", "business_registration_number"]
    if PERMANENT_2017_SHAPE.match(number):
        return ["permanent_residence"]
    if HK_MACAU_SHAPE.match(number):
        return ["hk_macau_permit", "org_code"] if len(number) == 9 else ["hk_macau_permit"]
    if ORGANIZATION_CODE_SHAPE.match(number):
        return ["org_code"]
    if TAIWAN_SHAPE.match(number):
        return ["taiwan_permit"]
    return []


def most_plausible(raw: str) -> str | None:
    """When no shape fits: the type the number most resembles, to report what is wrong with it."""
    number = clean(raw)
    if "<" in number:
        return "passport_mrz"
    if SEVENTEEN_DIGITS_FIRST.match(number) and len(number) == 18:
        return _eighteen_digit_family(number)
    if len(number) == 18:
        return "uscc"
    if NEAR_RESIDENT_ID.match(number):
        return "legacy_resident_id" if len(number) == 15 else _eighteen_digit_family(number)
    if number[:1] in ("H", "M") and number[1:].isdigit():
        return "hk_macau_permit"
    return None
