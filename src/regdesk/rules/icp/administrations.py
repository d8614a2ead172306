"""Which Communications Administration reviews a filing, and where an owner is.

The administration of the owner's province reviews the filing (备案地省管局: "the communications administration
of the province where the website owner is", interface specification v3.0 §1-3 名词解释) and issues the record
number with that province's abbreviation, whichever province's system the provider uploads through (接入地省管局).

An owner's region is the most precise GB/T 2260 code known: the county, city or province of its address (XSD
``Txdz``), else the region its certificate was issued in — characters 3-8 of a unified social credit code (GB
32100-2015 §4.3), the first six digits of a resident ID card number (GB 11643-1999 §5.2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regdesk.rules.icp.record_numbers import default_provinces

# GB 32100-2015: a unified social credit code registered by a national authority carries 100000 as its region.
CENTRAL_REGION = "100000"
RESIDENT_ID_CARD = 2  # the MIIT code of a resident ID card (居民身份证), code table 证件类型
_DIVISION = re.compile(r"^[1-8][0-9]{5}$")
_USCC = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$")
_RESIDENT_ID = re.compile(r"^[1-8][0-9]{16}[0-9X]$")


@dataclass(frozen=True)
class Administration:
    """A province's Communications Administration (省通信管理局) and the abbreviation of its record numbers."""

    province_code: str
    abbreviation: str
    name_zh: str
    name_en: str


def is_division_code(text: str) -> bool:
    """Six digits in the shape of a GB/T 2260 code (a province, city or county; not the central 100000)."""
    return bool(_DIVISION.match(text)) and text != CENTRAL_REGION


def administration_of(division_code: str | None) -> Administration | None:
    """The administration of the province the code lies in (``510104`` → 四川省通信管理局); None when the code is
    missing or in none of the 31 provinces."""
    text = (division_code or "").strip()
    if not is_division_code(text):
        return None
    province_code = text[:2] + "0000"
    for province in default_provinces():
        if province.code == province_code:
            return Administration(
                province_code=province.code,
                abbreviation=province.abbreviation,
                name_zh=f"{province.name_zh}通信管理局",
                name_en=f"{province.name_en or province.name_zh} Communications Administration",
            )
    return None


def certificate_region(certificate_type: int | None, certificate_number: str | None) -> str | None:
    """The region a certificate was issued in: a resident ID card's first six digits, a unified social credit
    code's characters 3-8 (None for a national registration or any other document)."""
    number = (certificate_number or "").strip().upper()
    if certificate_type == RESIDENT_ID_CARD and _RESIDENT_ID.match(number):
        return number[:6]
    if _USCC.match(number) and is_division_code(number[2:8]):
        return number[2:8]
    return None


def owner_region(
    *,
    province: str | None,
    city: str | None = None,
    county: str | None = None,
    certificate_type: int | None = None,
    certificate_number: str | None = None,
) -> str | None:
    """The most precise region of an owner: its address's county, city or province (in that order; a code outside
    the province given is ignored), else its certificate's region; None when nothing is known."""
    province_text = (province or "").strip()
    if is_division_code(province_text):
        for code in ((county or "").strip(), (city or "").strip()):
            if is_division_code(code) and code[:2] == province_text[:2]:
                return code
        return province_text[:2] + "0000"
    return certificate_region(certificate_type, certificate_number)


def region_prefixes(code: str) -> tuple[str, ...]:
    """The codes that cover a region, most precise first: ``510104`` → (510104, 510100, 510000)."""
    if not is_division_code(code):
        return ()
    chain = [code, code[:4] + "00", code[:2] + "0000"]
    return tuple(dict.fromkeys(chain))
