"""Pieces shared by the validators: today's date in China, birth dates, sex, shape errors."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from regdesk.rules.identity.normalize import disallowed
from regdesk.rules.identity.result import ResultError

CHINA = ZoneInfo("Asia/Shanghai")
# A birth date before 1850 cannot belong to a living holder of a document; refused as implausible.
EARLIEST_BIRTH_YEAR = 1850


def today_in_china() -> dt.date:
    """The calendar date now in Beijing time, which is what "the future" of a birth date is measured against."""
    return dt.datetime.now(CHINA).date()


def parse_date(text: str) -> dt.date | None:
    """A YYYYMMDD string as a date, or None when it is not a real calendar date."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def check_birth_date(text: str, today: dt.date) -> tuple[dt.date | None, list[ResultError]]:
    """GB 11643-1999 §4.2: the birth date is a real date, not after today and not implausibly early."""
    shown = f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 else text
    birth = parse_date(text)
    if birth is None:
        return None, [ResultError.of("birth_date_invalid", value=shown)]
    if birth > today:
        return birth, [ResultError.of("birth_date_future", value=birth.isoformat(), today=today.isoformat())]
    if birth.year < EARLIEST_BIRTH_YEAR:
        return birth, [ResultError.of("birth_date_too_early", value=birth.isoformat(), limit=EARLIEST_BIRTH_YEAR)]
    return birth, []


def sex_from_sequence(sequence: str) -> str:
    """GB 11643-1999 §4.3: an odd sequence code is given to men, an even one to women."""
    return "male" if int(sequence[-1]) % 2 == 1 else "female"


def shape_errors(text: str, length: int, allowed: str) -> list[ResultError]:
    """Errors of a number that has the wrong length or characters outside ``allowed`` (empty list when fine)."""
    if not text:
        return [ResultError.of("empty")]
    errors: list[ResultError] = []
    bad = disallowed(text, allowed)
    if bad:
        errors.append(ResultError.of("characters", characters=" ".join(bad)))
    if len(text) != length:
        errors.append(ResultError.of("length", expected=length, actual=len(text)))
    return errors
