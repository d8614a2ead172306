"""Synthetic enterprises with valid unified social credit codes, for the enterprise registry simulator's data set."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from regdesk.rules import divisions
from regdesk.rules.identity import validate
from regdesk.rules.identity.checksums import DIGITS, USCC_ALPHABET, organization_code_check, uscc_check
from regdesk.simulators.data.people import AS_OF, PeopleGenerator

ENTERPRISES = 100

# Enterprises: cities (prefecture codes) they are registered in, with the short name used in the firm name.
ENTERPRISE_CITIES = {
    "1101": "北京",
    "1201": "天津",
    "3101": "上海",
    "3201": "南京",
    "3205": "苏州",
    "3301": "杭州",
    "4201": "武汉",
    "4401": "广州",
    "4403": "深圳",
    "5001": "重庆",
    "5101": "成都",
}
BRANDS = (
    *("云帆", "星河", "青禾", "蓝鲸", "启明", "博远", "华信", "天行", "锐思", "海纳", "鼎新", "恒达", "卓越", "安信"),
    *("新睿", "智联", "光合", "长风", "北辰", "瀚海", "明德", "嘉禾", "优品", "凌云", "飞鸿", "知行", "易达", "方圆"),
    *("同创", "远航", "数联", "云栖", "弘毅", "朗润", "清源", "和光", "若水", "拓维", "精诚", "致远"),
)
INDUSTRIES = (
    "科技",
    "网络技术",
    "信息技术",
    "数据服务",
    "软件",
    "电子商务",
    "文化传媒",
    "云计算",
    "通信技术",
    "教育科技",
)
# Enterprise type as the business licence writes it -> the form at the end of the name.
ENTERPRISE_TYPES = (
    ("有限责任公司（自然人投资或控股）", "有限公司"),
    ("有限责任公司（法人独资）", "有限公司"),
    ("股份有限公司（非上市、自然人投资或控股）", "股份有限公司"),
)
INDIVIDUAL_TYPE = "个体工商户"
STREETS = ("科技路", "创新大道", "人民路", "建设路", "中山路", "解放路", "文化路", "高新路", "学院路", "软件园路")
# GB 32100 became the only code on 1 October 2015; organisation codes beginning "MA" were issued from then on.
USCC_START = dt.date(2015, 10, 1)


def _city_name(prefix: str) -> str:
    return ENTERPRISE_CITIES[prefix]


def _address(table: divisions.DivisionTable, region: str, rng: random.Random) -> str:
    details = divisions.region_details(region, table)
    assert details is not None  # noqa: S101 - the region comes from the table
    parts = [details["province"]["name"] if details["province"] else ""]
    if details["city"] is not None:
        parts.append(details["city"]["name"])
    parts.append(details["name"])
    street = f"{rng.choice(STREETS)}{rng.randrange(1, 300)}号"
    unit = f"{rng.randrange(1, 30)}层{rng.randrange(1, 30):02d}{rng.randrange(1, 20):02d}室"
    return "".join(parts) + street + unit


def _authority(table: divisions.DivisionTable, region: str) -> str:
    # The district's bureau carries its city's name (上海市杨浦区市场监督管理局).
    details = divisions.region_details(region, table)
    assert details is not None  # noqa: S101 - the region comes from the table
    city = details["city"] or details["province"]
    return f"{city['name']}{details['name']}市场监督管理局"


def _organization_code(rng: random.Random, modern: bool) -> str:
    # Organisation codes inside a USCC use only the USCC characters (no I, O, S, V, Z).
    if modern:
        body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice(DIGITS) for _ in range(8))
    return body + organization_code_check(body)


def _uscc(category: str, region: str, organization_code: str) -> str:
    body = f"9{category}{region}{organization_code}"
    return body + uscc_check(body)


def generate_enterprises(rng: random.Random, table: divisions.DivisionTable, people: dict[str, Any]) -> dict[str, Any]:
    """About 100 enterprises; the first sixty have legal representatives from the identity data set."""
    regions = sorted(
        code
        for code, division in table.divisions.items()
        if code[:4] in ENTERPRISE_CITIES
        and code[4:] != "00"
        and table.is_current(division)
        and division.name not in divisions.GROUPING_NAMES
    )
    representatives = [
        person["name"]
        for person in people["people"]
        if person["status"] == "valid" and not person["photo_never_matches"] and "·" not in person["name"]
    ]
    extra_people = PeopleGenerator(rng, table)
    extra_people.names.update(person["name"] for person in people["people"])
    enterprises: list[dict[str, Any]] = []
    names: set[str] = set()
    codes: set[str] = set()
    while len(enterprises) < ENTERPRISES:
        region = rng.choice(regions)
        individual = len(enterprises) % 12 == 11
        established = dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange((AS_OF - dt.date(1998, 1, 1)).days))
        modern = established >= USCC_START
        code = _uscc("2" if individual else "1", region, _organization_code(rng, modern))
        city = _city_name(region[:4])
        brand = rng.choice(BRANDS)
        industry = rng.choice(INDUSTRIES)
        if individual:
            county = table.divisions[region].name
            name = f"{county}{brand}网络工作室（个体工商户）"
            enterprise_type = INDIVIDUAL_TYPE
        else:
            enterprise_type, form = rng.choice(ENTERPRISE_TYPES)
            # Some firms put the place in parentheses after the brand (名称中间冠以行政区划), as the rules allow.
            name = f"{brand}（{city}）{industry}{form}" if rng.random() < 0.25 else f"{city}{brand}{industry}{form}"
        if name in names or code in codes:
            continue
        names.add(name)
        codes.add(code)
        index = len(enterprises)
        representative = representatives[index] if index < 60 else extra_people.name(rng.choice(("male", "female")))
        enterprises.append(
            {
                "uscc": code,
                "name": name,
                "legal_representative": representative,
                "enterprise_type": enterprise_type,
                "address": _address(table, region, rng),
                "established_on": established.isoformat(),
                "registration_authority": _authority(table, region),
                "status": "active",
                "status_changed_on": None,
            }
        )
    for enterprise in enterprises[-10:-4]:
        # 注销: dissolved and struck off the register at its own request.
        enterprise["status"] = "deregistered"
    for enterprise in enterprises[-4:]:
        # 吊销: the licence was revoked (it still exists as a legal person until it is deregistered).
        enterprise["status"] = "revoked"
    for enterprise in enterprises[-10:]:
        established = dt.date.fromisoformat(enterprise["established_on"])
        span = max(1, (AS_OF - established).days)
        enterprise["status_changed_on"] = (established + dt.timedelta(days=rng.randrange(span))).isoformat()
    for enterprise in enterprises:
        if not validate("uscc", enterprise["uscc"], today=AS_OF).valid:
            raise RuntimeError(f"generated an invalid code {enterprise['uscc']}")

    active = [enterprise for enterprise in enterprises if enterprise["status"] == "active"]
    bracketed = next(
        enterprise
        for enterprise in active
        if "（" in enterprise["name"] and enterprise["enterprise_type"] != INDIVIDUAL_TYPE
    )
    different_industry = next(
        enterprise for enterprise in active[1:] if enterprise is not bracketed and "科技" in enterprise["name"]
    )
    individual_business = next(enterprise for enterprise in active if enterprise["enterprise_type"] == INDIVIDUAL_TYPE)

    def entry(enterprise: dict[str, Any], note: str, **presented: str) -> dict[str, Any]:
        item = {
            "uscc": enterprise["uscc"],
            "name": presented.get("name", enterprise["name"]),
            "legal_representative": presented.get("legal_representative", enterprise["legal_representative"]),
            "note": note,
        }
        if "name" in presented:
            item["registered_name"] = enterprise["name"]
        if "legal_representative" in presented:
            item["registered_legal_representative"] = enterprise["legal_representative"]
        return item

    unregistered: list[str] = []
    while len(unregistered) < 3:
        code = _uscc("1", rng.choice(regions), _organization_code(rng, True))
        if code not in codes:
            codes.add(code)
            unregistered.append(code)
    examples = {
        "match": [
            entry(active[0], "an active enterprise; its legal representative is in the identity data set"),
            entry(
                bracketed,
                "written with ASCII parentheses: the registry compares names after NFKC normalisation",
                name=bracketed["name"].replace("（", "(").replace("）", ")"),
            ),
            entry(individual_business, "an individual business (个体工商户, code 92...)"),
        ],
        "name_mismatch": [
            entry(
                different_industry,
                "the industry word changed",
                name=different_industry["name"].replace("科技", "技术", 1),
            ),
        ],
        "representative_mismatch": [
            entry(
                active[1],
                "someone else named as legal representative",
                legal_representative=active[2]["legal_representative"],
            ),
        ],
        "not_found": [
            {
                "uscc": code,
                "name": "示例不存在科技有限公司",
                "legal_representative": "王某",
                "note": "valid code, not registered",
            }
            for code in unregistered
        ],
        "deregistered": [
            entry(enterprise, f"{enterprise['status']} on {enterprise['status_changed_on']}")
            for enterprise in (enterprises[-10], enterprises[-9], enterprises[-1])
        ],
    }
    return {
        "description": (
            "Synthetic enterprises of the enterprise registry simulator (企业登记信息模拟器). Invented, not real."
        ),
        "generated_by": "python -m regdesk.simulators.data.generate",
        "as_of": AS_OF.isoformat(),
        "examples": examples,
        "enterprises": enterprises,
    }
