"""Contact details of persons in charge: office phones, mobile numbers, e-mail addresses (XSD ``Fzr`` fields).

Each field may hold several values separated by ';' (XSD documentation of Fzr_dhhm, Fzr_sjhm, Fzr_dzyj), within
128 characters in all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from publicsuffixlist import PublicSuffixList

from regdesk.rules.icp.codes import read_rows
from regdesk.rules.icp.domains import DomainSyntaxError, default_public_suffix_list, normalize_domain
from regdesk.rules.icp.result import FieldError, finding
from regdesk.rules.icp.text import check_text, split_values

# XSD upload.xsd: Fzr_dhhm and Fzr_sjhm minLength 11, maxLength 128; Fzr_dzyj minLength 6, maxLength 128.
PHONE_MIN_LENGTH = 11
EMAIL_MIN_LENGTH = 6
CONTACT_MAX_LENGTH = 128
# Mobile kinds that reach a person by voice and SMS (the MIIT SMS check of a filing needs one).
ACCEPTED_MOBILE_KINDS = frozenset({"mobile", "virtual", "data", "satellite"})
# GB/T 15279 and the national numbering plan: an optional country code 86, a trunk-prefixed area code of 2 or 3
# digits after the 0, a 7- or 8-digit local number, an optional extension.
LANDLINE = re.compile(r"^(?:0{0,2}86-?)?0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$", re.ASCII)
# 400 and 800 nationwide service numbers (10 digits).
SERVICE_NUMBER = re.compile(r"^[48]00-?\d{3}-?\d{4}$", re.ASCII)
MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
# RFC 5322 dot-atom local part (ASCII), at most 64 characters (RFC 5321 §4.5.3.1.1).
EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
EMAIL_LOCAL_MAX_LENGTH = 64
ASCII_DIGITS = "0123456789"
PHONE_CHARACTERS = frozenset(ASCII_DIGITS + "-")
# What people put between the digits of a mobile number: spaces, hyphens, the + of +86.
MOBILE_CHARACTERS = frozenset(ASCII_DIGITS + " -+")


class Which(TypedDict):
    which_zh: str
    which_en: str
    which_lower_en: str


def _which(kind_zh: str, kind_en: str, position: int, count: int) -> Which:
    """How a message names one value of a multi-value field: "手机号码" alone, "第2个手机号码" among several."""
    if count <= 1:
        return Which(which_zh=kind_zh, which_en=f"The {kind_en}", which_lower_en=f"the {kind_en}")
    return Which(
        which_zh=f"第{position}个{kind_zh}",
        which_en=f"{kind_en[0].upper()}{kind_en[1:]} {position}",
        which_lower_en=f"{kind_en} {position}",
    )


@dataclass(frozen=True)
class MobileSegment:
    """A number segment (号段): its prefix, the operator it is allotted to and the kind of service."""

    prefix: str
    carrier: str
    kind: str


def load_mobile_segments(directory: Path | None = None) -> dict[str, MobileSegment]:
    return {
        row["prefix"].strip(): MobileSegment(row["prefix"].strip(), row.get("carrier", "").strip(), row["kind"].strip())
        for row in read_rows("mobile_prefixes.csv", directory)
    }


@lru_cache(maxsize=1)
def default_mobile_segments() -> dict[str, MobileSegment]:
    return load_mobile_segments()


def segment_of(number: str, segments: dict[str, MobileSegment]) -> MobileSegment | None:
    """The longest segment prefix of an 11-digit number (1349 before 134)."""
    for length in (4, 3):
        segment = segments.get(number[:length])
        if segment is not None:
            return segment
    return None


def normalize_mobile(text: str) -> str:
    """Digits only, without a +86 / 0086 / 86 country code in front of an 11-digit number."""
    digits = "".join(character for character in unicodedata.normalize("NFKC", text) if character in ASCII_DIGITS)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def check_mobile_numbers(
    field: str, value: str | None, *, required: bool = True, segments: dict[str, MobileSegment] | None = None
) -> tuple[list[str], list[FieldError]]:
    """Fzr_sjhm: mainland mobile numbers (11 digits, 1[3-9]x) in a segment in use that reaches a person."""
    # The XSD's minimum length (11) is what a mobile number's format says anyway: its message says what is wrong.
    text, findings = check_text(field, value, max_length=CONTACT_MAX_LENGTH, required=required)
    if text is None:
        return [], findings
    segments = default_mobile_segments() if segments is None else segments
    numbers: list[str] = []
    values = split_values(text)
    for position, raw in enumerate(values, start=1):
        which = _which("手机号码", "mobile number", position, len(values))
        number = normalize_mobile(raw)
        if not MOBILE.match(number) or any(c not in MOBILE_CHARACTERS for c in unicodedata.normalize("NFKC", raw)):
            findings.append(finding(field, "mobile_format", **which))
            continue
        segment = segment_of(number, segments)
        if segment is None:
            findings.append(finding(field, "mobile_prefix_unknown", prefix=number[:3], **which))
        elif segment.kind not in ACCEPTED_MOBILE_KINDS:
            findings.append(finding(field, "mobile_prefix_not_personal", prefix=segment.prefix, **which))
        else:
            numbers.append(number)
    return numbers, findings


def check_office_phones(field: str, value: str | None, *, required: bool) -> list[FieldError]:
    """Fzr_dhhm: "除“-”外，只允许出现数字", several separated by ';'; each a landline with its area code, a
    400/800 number or a mobile number. Required for organisations (XSD documentation)."""
    text, findings = check_text(field, value, max_length=CONTACT_MAX_LENGTH, required=required)
    if text is None:
        return findings
    values = split_values(text)
    for position, number in enumerate(values, start=1):
        which = _which("办公电话", "office phone number", position, len(values))
        if not set(number) <= PHONE_CHARACTERS:
            findings.append(finding(field, "phone_characters"))
            continue
        if not (LANDLINE.match(number) or SERVICE_NUMBER.match(number) or MOBILE.match(number)):
            findings.append(finding(field, "phone_format", **which))
        elif len(number) < PHONE_MIN_LENGTH:
            # The XSD's minimum (11 characters): a landline with a 3-digit area code and a 7-digit number is
            # written with its hyphen (010-1234567).
            findings.append(finding(field, "phone_too_short", **which))
    return findings


def check_emails(
    field: str, value: str | None, *, required: bool = True, suffixes: PublicSuffixList | None = None
) -> list[FieldError]:
    """Fzr_dzyj: addresses separated by ';', each with '@' (XSD documentation), a dot-atom local part and a
    domain under a suffix of the Public Suffix List."""
    text, findings = check_text(field, value, max_length=CONTACT_MAX_LENGTH, required=required)
    if text is None:
        return findings
    suffixes = suffixes or default_public_suffix_list()
    values = split_values(text)
    for position, address in enumerate(values, start=1):
        which = _which("电子邮件地址", "e-mail address", position, len(values))
        if "@" not in address:
            findings.append(finding(field, "email_missing_at", **which))
            continue
        local, _, domain = address.rpartition("@")
        if not local or len(local) > EMAIL_LOCAL_MAX_LENGTH or not EMAIL_LOCAL.match(local):
            findings.append(finding(field, "email_format", **which))
            continue
        try:
            ascii_domain = normalize_domain(domain)[0]
        except DomainSyntaxError:
            findings.append(finding(field, "email_format", **which))
            continue
        if "." not in ascii_domain or suffixes.privatesuffix(ascii_domain) is None:
            findings.append(finding(field, "email_domain_unknown", **which))
    if not findings and len(text) < EMAIL_MIN_LENGTH:
        # The XSD's minimum (6 characters); a valid address is nearly always longer.
        findings.append(finding(field, "email_format", **_which("电子邮件地址", "e-mail address", 1, 1)))
    return findings
