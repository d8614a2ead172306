"""The rules of real-name registration as pure Python (no Django), each with the source it comes from.

They belong beside ``regdesk.rules`` in spirit; they live in the app until ``rules/`` grows a ``subscribers`` module.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum


class DocumentType(StrEnum):
    """Documents a subscriber or a representative may show (MIIT Order No. 25 arts. 7 and 8)."""

    # Art. 7(1): resident ID card, temporary resident ID card or household register (户口簿).
    RESIDENT_ID = "resident_id"
    TEMPORARY_RESIDENT_ID = "temporary_resident_id"
    HOUSEHOLD_REGISTER = "household_register"
    # Art. 7(2): military and armed-police IDs.
    MILITARY_ID = "military_id"
    ARMED_POLICE_ID = "armed_police_id"
    # Art. 7(3): travel permits for Hong Kong, Macau and Taiwan residents.
    HK_MACAU_PERMIT = "hk_macau_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    # Art. 7(4): foreign passports (typed as line 2 of the machine-readable zone).
    PASSPORT = "passport"
    # Art. 7(5): other IDs set by law: residence permits (2018) and the foreigner's permanent residence card.
    RESIDENCE_PERMIT = "residence_permit"
    PERMANENT_RESIDENCE = "permanent_residence"
    # Art. 8: organisation code certificate, business licence and other legal certificates; today mostly the
    # unified social credit code (GB 32100-2015).
    USCC = "uscc"
    ORG_CODE = "org_code"
    BUSINESS_REGISTRATION_NUMBER = "business_registration_number"


INDIVIDUAL_DOCUMENTS = frozenset(
    {
        DocumentType.RESIDENT_ID,
        DocumentType.TEMPORARY_RESIDENT_ID,
        DocumentType.HOUSEHOLD_REGISTER,
        DocumentType.MILITARY_ID,
        DocumentType.ARMED_POLICE_ID,
        DocumentType.HK_MACAU_PERMIT,
        DocumentType.TAIWAN_PERMIT,
        DocumentType.PASSPORT,
        DocumentType.RESIDENCE_PERMIT,
        DocumentType.PERMANENT_RESIDENCE,
    }
)
ORGANISATION_DOCUMENTS = frozenset(
    {DocumentType.USCC, DocumentType.ORG_CODE, DocumentType.BUSINESS_REGISTRATION_NUMBER}
)

# The validator of regdesk.rules.identity that checks each document's number.
VALIDATOR_OF: dict[DocumentType, str] = {
    DocumentType.RESIDENT_ID: "resident_id",
    DocumentType.TEMPORARY_RESIDENT_ID: "resident_id",
    DocumentType.HOUSEHOLD_REGISTER: "resident_id",
    DocumentType.MILITARY_ID: "military_id",
    DocumentType.ARMED_POLICE_ID: "military_id",
    DocumentType.HK_MACAU_PERMIT: "hk_macau_permit",
    DocumentType.TAIWAN_PERMIT: "taiwan_permit",
    DocumentType.PASSPORT: "passport_mrz",
    DocumentType.RESIDENCE_PERMIT: "residence_permit",
    DocumentType.PERMANENT_RESIDENCE: "permanent_residence",
    DocumentType.USCC: "uscc",
    DocumentType.ORG_CODE: "org_code",
    DocumentType.BUSINESS_REGISTRATION_NUMBER: "business_registration_number",
}

# Notice 工信部网安〔2016〕182号 §2(1): resident ID cards are read by a second-generation ID card reader and checked
# online; typing resident-ID data by hand is forbidden.
READER_ONLY_DOCUMENTS = frozenset({DocumentType.RESIDENT_ID})

# The temporary card and the household register carry the citizen's resident identity number (GB 11643-1999):
# for the per-ID limit and the one-ID lookup they are the same identity as the card.
_IDENTITY_FAMILY = {
    DocumentType.TEMPORARY_RESIDENT_ID: DocumentType.RESIDENT_ID,
    DocumentType.HOUSEHOLD_REGISTER: DocumentType.RESIDENT_ID,
    DocumentType.ARMED_POLICE_ID: DocumentType.MILITARY_ID,
}

# Documents the national identity service can check online (it looks up resident identity numbers only).
ONLINE_CHECKED_DOCUMENTS = frozenset(
    {DocumentType.RESIDENT_ID, DocumentType.TEMPORARY_RESIDENT_ID, DocumentType.HOUSEHOLD_REGISTER}
)


def identity_family(document_type: str) -> str:
    """The document type under which an identity is counted and looked up (a household register counts as the
    resident ID card of the same number)."""
    kind = DocumentType(document_type)
    return str(_IDENTITY_FAMILY.get(kind, kind))


class RefusalReason(StrEnum):
    """Why a registration is refused (MIIT Order No. 25 art. 10; Anti-Terrorism Law art. 21; DOMAIN.md §2)."""

    # Art. 10: the user refuses to show a valid document ...
    NO_ID_SHOWN = "no_id_shown"
    # ... or to give the data written on it ...
    DATA_WITHHELD = "data_withheld"
    # ... uses someone else's document ...
    SOMEONE_ELSES_ID = "someone_elses_id"
    # ... or a forged or altered one.
    FORGED_OR_ALTERED_ID = "forged_or_altered_id"
    # Anti-Terrorism Law art. 21: no service for anyone whose identity is unclear.
    IDENTITY_CHECK_FAILED = "identity_check_failed"
    # DOMAIN.md §2 (configurable): an ID with 5 valid lines at the operator gets no new line.
    PER_ID_LIMIT_REACHED = "per_id_limit_reached"


# Refusals a clerk records by judgement; the other two are reached by the checks themselves.
CLERK_REFUSALS = frozenset(
    {
        RefusalReason.NO_ID_SHOWN,
        RefusalReason.DATA_WITHHELD,
        RefusalReason.SOMEONE_ELSES_ID,
        RefusalReason.FORGED_OR_ALTERED_ID,
    }
)


def may_take_new_line(held_lines: int, limit: int) -> bool:
    """Whether an identity holding ``held_lines`` lines that are not cancelled may take one more.

    Source: MIIT notices on real-name registration (DOMAIN.md §2), 5 valid lines per ID at the same operator (the
    default of ``REGDESK_LINES_PER_ID``, the ``limit`` given).
    Suspended lines still belong to the ID and count (the stricter reading).
    """
    return held_lines < limit


# YD/T numbering plan: mainland mobile numbers are 11 digits starting with 1 and a digit 3-9.
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# A fixed number: a trunk prefix 0, a 2- or 3-digit area code and a 7- or 8-digit subscriber number.
_FIXED = re.compile(r"^0[1-9][0-9]{1,2}[2-9][0-9]{6,7}$")


def normalise_line_number(value: str) -> str:
    """Digits only: spaces, hyphens and a leading +86 or 86 of a mobile number are dropped."""
    digits = "".join(character for character in value if not character.isspace() and character not in "-()")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def line_number_problem(number: str, *, fixed: bool) -> str | None:
    """``None`` for a well-formed number of the kind, else a short English reason (the caller translates)."""
    if fixed:
        return None if _FIXED.match(number) else "fixed_format"
    return None if _MOBILE.match(number) else "mobile_format"


def card_validity_years(age_at_issue: int) -> int | None:
    """Years a second-generation resident ID card is valid, by the holder's age when it is issued; ``None`` is
    long-term (长期). Resident Identity Card Law art. 5: under 16: 5 years; 16-25: 10; 26-45: 20; 46 and over:
    long-term."""
    if age_at_issue < 16:
        return 5
    if age_at_issue <= 25:
        return 10
    if age_at_issue <= 45:
        return 20
    return None


def card_expired(valid_until: dt.date | None, today: dt.date) -> bool:
    """An ID card is valid through its last day; ``None`` (长期) never expires."""
    return valid_until is not None and valid_until < today
