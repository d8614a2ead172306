"""Masks of personal data (模糊化): what screens, paper and logs show instead of the value.

Pure functions, no Django. Every mask of a value of four characters or more hides at least one of them, so a mask
never contains the whole value (the property tests check it).
"""

from __future__ import annotations

import re

MASK = "*"
CUT = "***"


def _stars(count: int) -> str:
    return MASK * max(count, 0)


def mask_name(value: str) -> str:
    """``张三`` -> ``张*``; ``张小三`` -> ``张*三``; ``欧阳小明`` -> ``欧**明``: first and last character for three and
    more."""
    text = value.strip()
    if len(text) <= 1:
        return _stars(len(text))
    if len(text) == 2:
        return text[0] + MASK
    return text[0] + _stars(len(text) - 2) + text[-1]


def mask_id_number(value: str) -> str:
    """``11010519491231002X`` -> ``1101**********002X``: the first and last four of twelve characters and more.

    Shorter numbers (passports, permits) keep a quarter of their length at each end, so most of them stays hidden.
    """
    text = value.strip()
    keep = 4 if len(text) >= 12 else len(text) // 4
    if keep == 0:
        return _stars(len(text))
    return text[:keep] + _stars(len(text) - 2 * keep) + text[-keep:]


def mask_phone(value: str) -> str:
    """``13800138000`` -> ``138****8000``: the first three and last four of ten characters and more; shorter numbers
    keep two at each end (seven to nine characters) or the last two (four to six)."""
    text = "".join(value.split())
    length = len(text)
    if length >= 10:
        head, tail = 3, 4
    elif length >= 7:
        head, tail = 2, 2
    elif length >= 4:
        head, tail = 0, 2
    else:
        return _stars(length)
    return text[:head] + _stars(length - head - tail) + text[length - tail :]


def mask_email(value: str) -> str:
    """``zhangsan@example.com`` -> ``z***@example.com``: the first character of the mailbox and the domain."""
    text = value.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return mask_free_text(text)
    return local[0] + CUT + "@" + domain


_PROVINCE = r"(?:[^省市区县]{2,7}?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)"
_CITY = r"(?:[^省市区县]{1,10}?(?:市|自治州|地区|盟))"
_DISTRICT = r"(?:[^省市区县]{1,14}?(?:区|县|市|旗))"
_ADDRESS = re.compile(rf"^(?P<province>{_PROVINCE})?(?P<city>{_CITY})?(?P<district>{_DISTRICT})?")
# A district-level name does not contain a town, street or house number after its first character (镇海区, 路北区
# and 乡宁县 begin with one): "那大镇市场路" is a town and a street, not a district called 那大镇市.
_NOT_A_DISTRICT = re.compile(r".(?:镇|乡(?!族)|街道|路|号|村|巷|弄)")


def _address_levels(text: str) -> list[str]:
    match = _ADDRESS.match(text)
    if match is None:
        return []
    levels = [part for part in (match["province"], match["city"]) if part]
    district = match["district"]
    if district and not _NOT_A_DISTRICT.search(district):
        levels.append(district)
    return levels


def mask_address(value: str) -> str:
    """Cut an address to its district: ``广东省深圳市南山区粤海街道科技园路1号`` -> ``广东省深圳市南山区``.

    Keeps the province (if given), the city (if given) and the first district-level unit after the city (区, 县,
    county-level 市, 旗); drops the rest. When the address is nothing but those units, the last is dropped too, so
    the mask still hides something. Addresses without recognisable units keep their first six characters (half,
    when shorter than twelve) and ``***``.
    """
    text = "".join(value.split())
    levels = _address_levels(text)
    while levels and "".join(levels) == text:
        levels.pop()
    if levels:
        return "".join(levels)
    return mask_free_text(value)


def mask_birth_date(value: str) -> str:
    """``1990-05-17`` -> ``1990-**-**``: the year only."""
    text = value.strip()
    match = re.match(r"^(\d{4})(\D?)\d{1,2}(\D?)\d{1,2}(\D?)$", text)
    if match is None:
        return mask_free_text(text)
    first, second, last = match[2], match[3], match[4]
    return f"{match[1]}{first}**{second}**{last}"


def mask_photo(value: str) -> str:
    """Photos are never shown masked; the page shows a placeholder."""
    return "[photo]" if value else ""


def mask_free_text(value: str) -> str:
    """The first six characters and ``***``; texts shorter than twelve characters keep only their first half."""
    text = value.strip()
    if not text:
        return ""
    keep = min(6, len(text) // 2)
    return text[:keep] + CUT
