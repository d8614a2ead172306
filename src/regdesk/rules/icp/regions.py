"""Province, city and county of an owner (XSD ``Txdz``: Shengid, Shiid, Xianid; GB/T 2260 codes) and the
province named in the postal address (DOMAIN.md §1.3: same province as the certificate; MIIT code 1020)."""

from __future__ import annotations

import re
from functools import lru_cache

from regdesk.rules import divisions
from regdesk.rules.icp.codes import parse_code
from regdesk.rules.icp.model import Address, Code
from regdesk.rules.icp.result import FieldError, finding, join
from regdesk.rules.icp.text import check_text

# XSD upload.xsd, Xxdz: maxLength 1024.
ADDRESS_MAX_LENGTH = 1024
LEVELS = {"province": ("省", "province"), "city": ("市", "city"), "county": ("县", "county")}
PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
COUNTRY_PREFIX = re.compile(r"^(中华人民共和国|中国)")


def _division_code(value: Code) -> str | None:
    """A six-digit division code as text, None when absent; ValueError when not six digits."""
    code = parse_code(value)
    if code is None:
        return None
    text = str(code)
    if len(text) != 6:
        raise ValueError("not six digits")
    return text


@lru_cache(maxsize=1)
def _current_city_prefixes() -> frozenset[str]:
    """First four digits of every current code: a grouping row (市辖区, 县, 省直辖县级行政区划) that no current
    edition lists is still the city code of the current counties under it."""
    table = divisions.load_table()
    return frozenset(code[:4] for code, division in table.divisions.items() if table.is_current(division))


def _check_division(field: str, code: str, level: str) -> list[FieldError]:
    table = divisions.load_table()
    division = table.get(code)
    if division is None:
        return [finding(field, "division_unknown", code=code)]
    level_zh, level_en = LEVELS[level]
    shape_ok = {
        "province": code.endswith("0000"),
        "city": code.endswith("00") and not code.endswith("0000"),
        "county": not code.endswith("00"),
    }[level]
    if not shape_ok:
        return [finding(field, "division_level", code=code, level_zh=level_zh, level_en=level_en)]
    current = table.is_current(division)
    if not current and level == "city" and division.name in divisions.GROUPING_NAMES:
        current = code[:4] in _current_city_prefixes()
    if not current:
        return [finding(field, "division_abolished", code=code, name=division.name)]
    return []


def check_divisions(path: str, address: Address) -> tuple[str | None, list[FieldError]]:
    """Province and city required, county optional (XSD); each an existing, current code of its level; the
    city inside the province and the county inside the city. Returns the province code when it is valid."""
    findings: list[FieldError] = []
    codes: dict[str, str | None] = {}
    for level, value, required in (
        ("province", address.province, True),
        ("city", address.city, True),
        ("county", address.county, False),
    ):
        field = join(path, level)
        try:
            code = _division_code(value)
        except ValueError:
            findings.append(finding(field, "division_not_integer"))
            codes[level] = None
            continue
        if code is None:
            if required:
                findings.append(finding(field, "required"))
            codes[level] = None
            continue
        level_findings = _check_division(field, code, level)
        findings += level_findings
        codes[level] = None if level_findings else code
    province, city, county = codes["province"], codes["city"], codes["county"]
    if province and city and city[:2] != province[:2]:
        findings.append(finding(join(path, "city"), "division_outside", code=city, parent=province))
        city = None
    if city and county and county[:4] != city[:4]:
        findings.append(finding(join(path, "county"), "division_outside", code=county, parent=city))
    return province, findings


@lru_cache(maxsize=1)
def _province_names() -> dict[str, tuple[str, ...]]:
    """Each current province code with the names an address may start with: the full name, and the short name
    followed by 省, 市 or 自治区 (a short name alone, such as 北京 in 北京西路, is a street as often as a province)."""
    table = divisions.load_table()
    names: dict[str, tuple[str, ...]] = {}
    for code, division in table.divisions.items():
        if not code.endswith("0000") or not table.is_current(division):
            continue
        full = division.name
        short = PROVINCE_SUFFIX.sub("", full)
        names[code] = tuple(dict.fromkeys((full, short + "省", short + "市", short + "自治区")))
    return names


def province_named_in(address: str) -> str | None:
    """The province code an address starts with (after an optional 中国), or None when it starts otherwise."""
    text = COUNTRY_PREFIX.sub("", address.strip())
    matches = [
        (len(name), code) for code, names in _province_names().items() for name in names if text.startswith(name)
    ]
    return max(matches)[1] if matches else None


def check_address(path: str, address: Address) -> tuple[str | None, list[FieldError]]:
    """The divisions, and the postal address (optional, at most 1024 characters), which must not name a
    province other than the certificate's."""
    province, findings = check_divisions(path, address)
    detail, detail_findings = check_text(
        join(path, "detail"), address.detail, max_length=ADDRESS_MAX_LENGTH, required=False
    )
    findings += detail_findings
    if detail and province:
        findings += check_address_province(join(path, "detail"), detail, province)
    return province, findings


def check_address_province(field: str, address: str, province: str) -> list[FieldError]:
    """XSD Txdz/Shengid is the province on the certificate: an address (the postal address, the address on the
    certificate) that starts with a province's name must start with that one."""
    named = province_named_in(address)
    if named is None or named == province:
        return []
    found = divisions.lookup(named)
    expected = divisions.lookup(province)
    return [
        finding(
            field,
            "address_province_mismatch",
            found=found.name if found else named,
            expected=expected.name if expected else province,
        )
    ]
