"""Codes of organisations: the unified social credit code (GB 32100-2015), the organisation code (GB 11714-1997)
and the 15-digit business registration number that preceded both."""

from __future__ import annotations

import datetime as dt
from typing import Any

from regdesk.rules import divisions
from regdesk.rules.identity.checksums import (
    DIGITS,
    ORGANIZATION_CODE_ALPHABET,
    USCC_ALPHABET,
    mod_11_10_check,
    organization_code_check,
    uscc_check,
)
from regdesk.rules.identity.common import shape_errors
from regdesk.rules.identity.normalize import clean
from regdesk.rules.identity.result import ResultError, ValidationResult, build

# GB 32100-2015 appendix A and the later national assignments: registration authority code (character 1) ->
# (Chinese name, English name, {category code (character 2): (Chinese, English)}).
AUTHORITIES: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "1": (
        "机构编制",
        "staffing authorities",
        {
            "1": ("机关", "government body"),
            "2": ("事业单位", "public institution"),
            "3": ("中央编办直接管理机构编制的群众团体", "mass organisation staffed by the central staffing office"),
            "9": ("其他", "other"),
        },
    ),
    "2": (
        "外交",
        "foreign affairs",
        {"1": ("外国常驻新闻机构", "resident office of a foreign news organisation"), "9": ("其他", "other")},
    ),
    "3": (
        "司法行政",
        "justice administration",
        {
            "1": ("律师执业机构", "law firm"),
            "2": ("公证处", "notary office"),
            "3": ("基层法律服务所", "grassroots legal service office"),
            "4": ("司法鉴定机构", "forensic appraisal institution"),
            "5": ("仲裁委员会", "arbitration commission"),
            "9": ("其他", "other"),
        },
    ),
    "4": ("文化", "culture", {"1": ("外国在华文化中心", "foreign cultural centre in China"), "9": ("其他", "other")}),
    "5": (
        "民政",
        "civil affairs",
        {
            "1": ("社会团体", "social organisation"),
            "2": ("民办非企业单位", "private non-enterprise unit"),
            "3": ("基金会", "foundation"),
            "9": ("其他", "other"),
        },
    ),
    "6": (
        "旅游",
        "tourism",
        {
            "1": ("外国旅游部门常驻代表机构", "representative office of a foreign tourism authority"),
            "2": (
                "港澳台地区旅游部门常驻内地（大陆）代表机构",
                "representative office of a Hong Kong, Macau or Taiwan tourism authority",
            ),
            "9": ("其他", "other"),
        },
    ),
    "7": (
        "宗教",
        "religious affairs",
        {
            "1": ("宗教活动场所", "place of religious activity"),
            "2": ("宗教院校", "religious school"),
            "9": ("其他", "other"),
        },
    ),
    "8": ("工会", "trade unions", {"1": ("基层工会", "grassroots trade union"), "9": ("其他", "other")}),
    "9": (
        "工商",
        "industry and commerce (market regulation)",
        {
            "1": ("企业", "enterprise"),
            "2": ("个体工商户", "individual business"),
            "3": ("农民专业合作社", "farmers' specialised cooperative"),
        },
    ),
    "A": (
        "中央军委改革和编制办公室",
        "reform and staffing office of the Central Military Commission",
        {"1": ("军队事业单位", "military public institution"), "9": ("其他", "other")},
    ),
    "N": (
        "农业",
        "agriculture",
        {
            "1": ("组级集体经济组织", "group-level collective economic organisation"),
            "2": ("村级集体经济组织", "village-level collective economic organisation"),
            "3": ("乡镇级集体经济组织", "township-level collective economic organisation"),
            "9": ("其他", "other"),
        },
    ),
    # GB 32100-2015: "other" authorities have no categories and always use 1.
    "Y": ("其他", "other", {"1": ("其他", "other")}),
}

# Codes registered by national (central) authorities carry 100000 instead of a division code.
NATIONAL_REGION = {"code": "100000", "name": "国家（中央）级"}


def _region(code: str) -> dict[str, Any]:
    if code == NATIONAL_REGION["code"]:
        return dict(NATIONAL_REGION)
    return divisions.region_details(code) or {"code": code, "name": None}


def format_organization_code(code: str) -> str:
    return f"{code[:8]}-{code[8]}"


def validate_uscc(raw: str, today: dt.date) -> ValidationResult:
    """GB 32100-2015 unified social credit code: authority, category, region, organisation code with its own
    GB 11714 check, and the check character over the first 17 characters."""
    number = clean(raw)
    errors = shape_errors(number, 18, USCC_ALPHABET)
    if errors:
        return build("uscc", None, errors)
    if uscc_check(number[:17]) != number[17]:
        errors.append(ResultError.of("checksum"))
    details: dict[str, Any] = {}
    authority = AUTHORITIES.get(number[0])
    if authority is None:
        errors.append(ResultError.of("authority_unknown", code=number[0]))
    else:
        authority_zh, authority_en, categories = authority
        details["registration_authority"] = {"code": number[0], "name_zh": authority_zh, "name_en": authority_en}
        category = categories.get(number[1])
        if category is None:
            errors.append(
                ResultError.of("category_unknown", code=number[1], authority=authority_zh, authority_en=authority_en)
            )
        else:
            details["category"] = {"code": number[1], "name_zh": category[0], "name_en": category[1]}
    if number[2:8].isdigit():
        details["region"] = _region(number[2:8])
    else:
        errors.append(ResultError.of("region_format"))
    organization_code = number[8:17]
    if organization_code_check(organization_code[:8]) != organization_code[8]:
        errors.append(ResultError.of("organization_code_checksum"))
    details["organization_code"] = format_organization_code(organization_code)
    return build("uscc", number, errors, details)


def validate_org_code(raw: str, today: dt.date) -> ValidationResult:
    """GB 11714-1997 organisation code: 8 characters and a check character, shown as XXXXXXXX-X."""
    number = clean(raw)
    errors = shape_errors(number, 9, ORGANIZATION_CODE_ALPHABET)
    if errors:
        return build("org_code", None, errors)
    if organization_code_check(number[:8]) != number[8]:
        errors.append(ResultError.of("checksum"))
    return build("org_code", format_organization_code(number), errors)


def validate_business_registration_number(raw: str, today: dt.date) -> ValidationResult:
    """工商注册号 (GS 15-2006 of the SAIC): 6-digit code of the first registering authority, 8-digit sequence and an
    ISO 7064 MOD 11,10 check digit."""
    number = clean(raw)
    errors = shape_errors(number, 15, DIGITS)
    if errors:
        return build("business_registration_number", None, errors)
    if mod_11_10_check(number[:14]) != number[14]:
        errors.append(ResultError.of("checksum"))
    return build("business_registration_number", number, errors, {"region": _region(number[:6])})
