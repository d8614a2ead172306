"""Data-processing checks that need only the record itself and the configuration (specification 3-5).

Checks against what the province already holds (owner and domain conflicts) live in ``processing``. Each finding
is a result code with a description for ``Dmms`` (at most 255 characters, never a personal value).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from urllib.parse import urlsplit

from regdesk.simulators.province import codes
from regdesk.simulators.province.config import PROVINCE_ABBREVIATIONS, Account, SimulatorConfig
from regdesk.simulators.province.records import RESIDENT_ID_CARD, NewFiling, Owner, Person, Website

Finding = tuple[int, str]

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
_OFFICE_PHONE = re.compile(r"[0-9]+(-[0-9]+)*")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_QQ = re.compile(r"[1-9][0-9]{4,11}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"
DESCRIPTION_LIMIT = 255  # Dmms maxLength in download.xsd
# upload.xsd allows 255 characters, download.xsd (where the province publishes the number) 128.
CERTIFICATE_NUMBER_LIMIT = 128


def finding(code: int, detail: str | None = None, text: str | None = None) -> Finding:
    description = text or codes.RESULT_CODES[code]
    if detail:
        description = f"{description}（{detail}）"
    return code, description[:DESCRIPTION_LIMIT]


def domain_problem(domain: str) -> str | None:
    """Why a domain is not a registrable host name, or None. Internationalised names are checked as A-labels."""
    if not domain or any(character in domain for character in "/:@ ") or len(domain) > 253:
        return "不是域名"
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        pass
    else:
        return "IP地址不是域名"
    try:
        ascii_form = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "不是有效的国际化域名"
    labels = ascii_form.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return "域名格式错误"
    if not _TOP_LEVEL.fullmatch(labels[-1]):
        return "顶级域名错误"
    return None


def homepage_host(homepage: str) -> str | None:
    """The host of a homepage URL (a scheme is optional, http or https), or None when it is not a URL."""
    candidate = homepage.strip()
    if "://" not in candidate:
        candidate = f"http://{candidate}"
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.rstrip(".")
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return host if domain_problem(host) is None else None
    return host


def normalise_homepage(homepage: str) -> str:
    """A homepage URL compared for conflicts: no scheme, no trailing slash, lower-case host."""
    candidate = homepage.strip()
    if "://" in candidate:
        candidate = candidate.split("://", 1)[1]
    host, _, rest = candidate.partition("/")
    rest = rest.rstrip("/")
    return f"{host.lower()}/{rest}" if rest else host.lower()


def resident_id_problem(number: str) -> str | None:
    """GB 11643-1999: 17 digits, a birth date, and the ISO 7064 MOD 11-2 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return "身份证号码应为18位"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "出生日期无效"
    if birth.year < 1900:
        return "出生日期无效"
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK_CHARACTERS[total % 11] != number[17].upper():
        return "校验码错误"
    return None


def division_problem(province_id: int, city_id: int | None, county_id: int | None) -> str | None:
    """GB/T 2260 codes must nest: a province (xx0000), a city of it (xxyy00), a county of that city."""
    if province_id not in PROVINCE_ABBREVIATIONS:
        return "省代码不存在"
    province_prefix = str(province_id)[:2]
    if city_id is not None:
        city = str(city_id)
        if len(city) != 6 or city[:2] != province_prefix or city.endswith("0000") or not city.endswith("00"):
            return "市代码不属于该省"
    if county_id is not None:
        county = str(county_id)
        if len(county) != 6 or county[:2] != province_prefix or county.endswith("00"):
            return "县代码不属于该省"
        if city_id is not None and county[:4] != str(city_id)[:4]:
            return "县代码不属于该市"
    return None


def _parts(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def check_person(person: Person, role: str) -> list[Finding]:
    """Contact details of a person in charge: formats stated in upload.xsd's field documentation."""
    findings: list[Finding] = []
    if person.email is not None and not all(
        "@" in part and not part.startswith("@") and not part.endswith("@") for part in _parts(person.email)
    ):
        findings.append(finding(codes.INVALID_EMAIL, f"{role}电子邮件"))
    if person.office_phone is not None and not all(
        _OFFICE_PHONE.fullmatch(part) for part in _parts(person.office_phone)
    ):
        findings.append(finding(codes.INVALID_OFFICE_PHONE, f"{role}办公电话只允许数字和“-”"))
    if person.mobile is not None and not all(_MOBILE.fullmatch(part) for part in _parts(person.mobile)):
        findings.append(finding(codes.INVALID_MOBILE, f"{role}手机号码应为11位数字"))
    if person.msn is not None and "@" not in person.msn:
        findings.append(finding(codes.INVALID_MSN, f"{role}MSN"))
    if person.qq is not None and not _QQ.fullmatch(person.qq):
        findings.append(finding(codes.INVALID_QQ, f"{role}QQ"))
    if person.id_type == RESIDENT_ID_CARD and person.id_number is not None:
        problem = resident_id_problem(person.id_number.strip())
        if problem:
            findings.append(finding(codes.INVALID_ID_NUMBER, f"{role}：{problem}"))
    return findings


def check_owner(owner: Owner, config: SimulatorConfig) -> list[Finding]:
    findings: list[Finding] = []
    problem = division_problem(owner.province_id, owner.city_id, owner.county_id)
    if problem:
        findings.append(finding(codes.DIVISION_CODES_WRONG, problem))
    if len(owner.certificate_number) > CERTIFICATE_NUMBER_LIMIT:
        findings.append(finding(codes.INVALID_CERTIFICATE, "证件号码超过128个字符"))
    if owner.certificate_type == RESIDENT_ID_CARD:
        problem = resident_id_problem(owner.certificate_number)
        if problem:
            findings.append(finding(codes.INVALID_ID_NUMBER, f"主办者证件：{problem}"))
    if not owner.is_individual and owner.head.name is None:
        findings.append(finding(codes.OWNER_HEAD_NAME_MISSING, "单位主办者"))
    findings.extend(check_person(owner.head, "主体负责人"))
    if owner.certificate_number in config.blacklisted_certificate_numbers:
        findings.append(finding(codes.OWNER_BLACKLISTED))
    return findings


def _inside(first: int, last: int, filed: tuple[tuple[int, int], ...]) -> bool:
    """Whether [first, last] lies inside the union of the filed ranges (adjacent ranges join)."""
    position = first
    for start, end in sorted(filed):
        if start > position:
            break
        if end >= position:
            if end >= last:
                return True
            position = end + 1
    return False


def _range_text(first: int, last: int) -> str:
    return f"{ipaddress.IPv4Address(first)}-{ipaddress.IPv4Address(last)}"


def check_website(
    website: Website, *, individual_owner: bool, account: Account, config: SimulatorConfig
) -> list[Finding]:
    findings: list[Finding] = []
    label = f"网站“{website.name}”"
    for domain in website.domains:
        problem = domain_problem(domain.name)
        if problem:
            findings.append(finding(codes.INVALID_DOMAIN, f"{label}的域名{domain.name}：{problem}"))
        if domain.name in config.blacklisted_domains:
            findings.append(
                finding(
                    codes.DOMAIN_BLACKLISTED,
                    text=f"“{website.name}”网站的“{domain.name}”域名在黑名单中，请核实后再次报备",
                )
            )
    if website.homepage is not None:
        host = homepage_host(website.homepage)
        if host is None:
            findings.append(finding(codes.HOMEPAGE_FORMAT_WRONG, label))
        elif not any(host == domain.name or host.endswith(f".{domain.name}") for domain in website.domains):
            findings.append(finding(codes.HOMEPAGE_WITHOUT_DOMAIN, f"{label}的首页{website.homepage}"))
    seen_accesses: set[tuple[tuple[int, int], ...]] = set()
    for access in website.accesses:
        signature = tuple(sorted((item.first, item.last) for item in access.ranges))
        if signature in seen_accesses:
            findings.append(finding(codes.DUPLICATE_ACCESS, label))
        seen_accesses.add(signature)
        for item in access.ranges:
            if item.first > item.last:
                findings.append(finding(codes.INVALID_IP, f"起始IP大于终止IP：{_range_text(item.first, item.last)}"))
            elif not _inside(item.first, item.last, account.filed_ip_ranges):
                findings.append(
                    finding(codes.IP_OUTSIDE_FILED_RANGES, f"{_range_text(item.first, item.last)}不在报备的IP地址段内")
                )
    if not individual_owner and website.head.office_phone is None:
        findings.append(finding(codes.WEBSITE_OFFICE_PHONE_MISSING, label))
    findings.extend(check_person(website.head, f"{label}负责人"))
    return findings


def check_new_filing(filing: NewFiling, account: Account, config: SimulatorConfig) -> list[Finding]:
    findings = check_owner(filing.owner, config)
    for website in filing.websites:
        findings.extend(
            check_website(website, individual_owner=filing.owner.is_individual, account=account, config=config)
        )
    return findings
