"""Website names (网站名称, XSD ``Wzmc``; DOMAIN.md §1.3).

What can be decided from the data is an error; "related to the owner" cannot be fully decided, so an
organisation's website name that shares nothing with the owner's name or its known aliases gets a warning for a
person to check.

Reserved words (中国, 中华, 国家, 中央, 人民) are allowed when the owner's own registered name contains the word
(the registry already approved it: 中国移动通信集团有限公司, 某某市人民医院), or when the owner is a national body:
a 国防机构 always (the armed forces are national), a 政府机关, 事业单位 or 群众性团体组织 when its unified social
credit code was registered at central level (region 100000, GB 32100-2015) or a specialist confirmed it
(``Owner.national_level``). Other organisations of those natures get a warning; every other nature an error.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from publicsuffixlist import PublicSuffixList

from regdesk.rules.icp.codes import CodeTables
from regdesk.rules.icp.domains import contains_domain
from regdesk.rules.icp.owner import OwnerFacts
from regdesk.rules.icp.result import FieldError, finding, warning
from regdesk.rules.icp.text import count_cjk, is_cjk_ideograph, only_latin_or_digits, organisation_word

# DOMAIN.md §1.3 (the 管局's review of website names): at least three Chinese characters.
MIN_CHINESE_CHARACTERS = 3
# DOMAIN.md §1.3: words reserved to national bodies.
RESERVED_WORDS = ("中国", "中华", "国家", "中央", "人民")
# Words that say nothing about who the owner is; left out when comparing website and owner names.
GENERIC_NAME_PARTS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|分公司|公司|集团|控股|股份|科技|技术|信息|网络|发展|实业|贸易|文化|传媒|"
    r"咨询|管理|服务|电子|商务|工作室|中心|企业|国际|中国|省|市|区|县|自治区|特别行政区)"
)
PROVINCE_SHORT_NAMES = re.compile(
    r"(北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|"
    r"海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆)"
)


def _distinctive_bigrams(owner_name: str) -> set[str]:
    """Pairs of adjacent Chinese characters of the owner's name without place names and generic words."""
    remainder = GENERIC_NAME_PARTS.sub(" ", PROVINCE_SHORT_NAMES.sub(" ", owner_name))
    return {
        remainder[index : index + 2]
        for index in range(len(remainder) - 1)
        if is_cjk_ideograph(remainder[index]) and is_cjk_ideograph(remainder[index + 1])
    }


def related_to_owner(website_name: str, owner_name: str, aliases: Collection[str] = ()) -> bool:
    """The checkable part of "related to the owner": the website name contains one of the owner's aliases
    (short names, brands, trade marks, given by the caller) or two adjacent distinctive characters of its name."""
    if any(alias.strip() and alias.strip() in website_name for alias in aliases):
        return True
    return any(bigram in website_name for bigram in _distinctive_bigrams(owner_name))


def _reserved_word_findings(field: str, name: str, owner: OwnerFacts) -> list[FieldError]:
    findings: list[FieldError] = []
    for word in RESERVED_WORDS:
        if word not in name or word in owner.name:
            continue
        national_body = owner.nature.national_body if owner.nature else "no"
        if national_body == "always" or (national_body == "if_central" and owner.national_level):
            continue
        if national_body == "if_central":
            findings.append(warning(field, "website_name_reserved_word_check", word=word))
        else:
            findings.append(finding(field, "website_name_reserved_word", word=word))
    return findings


def check_website_name(
    field: str,
    name: str,
    *,
    owner: OwnerFacts,
    aliases: Collection[str] = (),
    approved_types: Collection[int] = (),
    tables: CodeTables,
    suffixes: PublicSuffixList | None = None,
) -> list[FieldError]:
    """One website name: not a domain, not only letters or digits, at least 3 Chinese characters, reserved
    words only for national bodies, 论坛/新闻 only with the matching pre-approval (``approved_types``: the
    pre-approval types the website holds complete), no organisation words for individuals, and related to the
    owner (a warning when that cannot be seen)."""
    findings: list[FieldError] = []
    if contains_domain(name, suffixes=suffixes):
        findings.append(finding(field, "website_name_domain"))
    if only_latin_or_digits(name):
        findings.append(finding(field, "website_name_latin_only"))
    chinese = count_cjk(name)
    if chinese < MIN_CHINESE_CHARACTERS:
        findings.append(finding(field, "website_name_too_few_chinese", count=chinese))
    findings += _reserved_word_findings(field, name, owner)
    for approval in tables.pre_approval_types:
        if approval.code in approved_types:
            continue
        for word in approval.name_keywords:
            if word in name:
                findings.append(
                    finding(
                        field,
                        "website_name_needs_approval",
                        word=word,
                        approval_zh=approval.name_zh,
                        approval_en=approval.name_en,
                    )
                )
    if owner.is_individual:
        organisational = organisation_word(name)
        if organisational is not None:
            findings.append(finding(field, "website_name_organisational_for_individual", word=organisational))
    elif owner.name and not related_to_owner(name, owner.name, aliases):
        findings.append(warning(field, "website_name_relation_unverified"))
    return findings
