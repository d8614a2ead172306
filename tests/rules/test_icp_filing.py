"""A whole filing through ``check_filing``, the result shape, and the sample data the other ICP tests share."""

from __future__ import annotations

import dataclasses
import datetime as dt

from regdesk.rules.icp import (
    Access,
    Address,
    Certificate,
    FieldError,
    Filing,
    IpRange,
    Owner,
    PersonInCharge,
    Website,
    by_field,
    check_filing,
    errors_only,
    has_errors,
    load_rule_configuration,
)
from regdesk.rules.identity.checksums import mod_11_2_check, organization_code_check, uscc_check

TODAY = dt.date(2026, 1, 1)
PROVIDER_NETWORKS = ("58.1.0.0/16", "2400:da00::/32")
ENTERPRISE_USCC = "91110000802100433B"
CENTRAL_GOVERNMENT_USCC = "11100000000013127D"


def make_uscc(prefix: str, region: str, organisation: str = "12345678") -> str:
    """A valid unified social credit code: authority + category, region, organisation code with its check."""
    body = prefix + region + organisation + organization_code_check(organisation)
    return body + uscc_check(body)


def make_resident_id(region: str = "110105", birth: str = "19800101", sequence: str = "123") -> str:
    body = region + birth + sequence
    return body + mod_11_2_check(body)


PERSON = PersonInCharge(
    name="张三",
    document_type=2,
    document_number=make_resident_id(),
    office_phone="010-59928888",
    mobile="13800138000",
    email="admin@example.com",
)


def enterprise_owner(**changes: object) -> Owner:
    owner = Owner(
        name="北京百度网讯科技有限公司",
        nature=4,
        certificate=Certificate(type=1, number=ENTERPRISE_USCC, address="北京市海淀区上地十街10号"),
        address=Address(province=110000, city=110100, county=110108, detail="北京市海淀区上地十街10号"),
        person_in_charge=PERSON,
        reporting_mode=1,
    )
    return dataclasses.replace(owner, **changes)  # type: ignore[arg-type]


def individual_owner(**changes: object) -> Owner:
    number = make_resident_id()
    owner = Owner(
        name="张三",
        nature=5,
        certificate=Certificate(type=2, number=number, address="北京市朝阳区某某路1号"),
        address=Address(province="110000", city="110100", county="110105", detail="北京市朝阳区某某路1号"),
        person_in_charge=dataclasses.replace(PERSON, office_phone=None),
        reporting_mode=0,
    )
    return dataclasses.replace(owner, **changes)  # type: ignore[arg-type]


def website(**changes: object) -> Website:
    site = Website(
        name="百度网讯科技",
        domains=("baidu.com",),
        homepage_url="www.baidu.com",
        service_contents=(3,),
        languages=(1,),
        person_in_charge=PERSON,
        access=(Access(method=3, ip_ranges=(IpRange("58.1.2.0", "58.1.2.255"),)),),
    )
    return dataclasses.replace(site, **changes)  # type: ignore[arg-type]


def findings_of(filing: Filing) -> list[FieldError]:
    return check_filing(filing, provider_networks=PROVIDER_NETWORKS, today=TODAY)


def codes(findings: list[FieldError]) -> set[tuple[str, str]]:
    return {(finding.field, finding.code) for finding in findings}


def test_a_complete_enterprise_filing_has_no_findings() -> None:
    assert findings_of(Filing(owner=enterprise_owner(), websites=(website(),))) == []


def test_a_complete_individual_filing_has_no_findings() -> None:
    personal = website(
        name="张三的读书笔记",
        domains=("zhangsan.cn",),
        homepage_url="https://www.zhangsan.cn/",
        service_contents=(14,),
        person_in_charge=individual_owner().person_in_charge,
    )
    assert findings_of(Filing(owner=individual_owner(), websites=(personal,))) == []


def test_a_filing_without_websites_is_refused() -> None:
    assert ("websites", "required") in codes(findings_of(Filing(owner=enterprise_owner())))


def test_one_domain_in_two_websites_is_refused() -> None:
    first = website()
    second = website(name="百度网讯地图", domains=("BAIDU.com.",), homepage_url=None)
    findings = findings_of(Filing(owner=enterprise_owner(), websites=(first, second)))
    assert codes(findings) == {("websites[1].domains[0]", "domain_in_other_website")}


def test_field_paths_point_into_websites_and_accesses() -> None:
    access = Access(method=3, ip_ranges=(IpRange("58.1.0.1", "58.1.0.9"), IpRange("59.0.0.1", "59.0.0.2")))
    findings = findings_of(Filing(owner=enterprise_owner(), websites=(website(), website(access=(access,)))))
    assert ("websites[1].access[0].ip_ranges[1]", "ip_range_outside_provider") in codes(findings)


def test_a_finding_serialises_with_both_languages_and_its_severity() -> None:
    finding = findings_of(Filing(owner=enterprise_owner(reporting_mode=7), websites=(website(),)))[0]
    assert finding.to_json() == {
        "field": "owner.reporting_mode",
        "code": "reporting_mode_invalid",
        "severity": "error",
        "message": {
            "zh-hans": "报备方式只能是0（自行报备）或1（代为报备）。",
            "en": "The reporting mode is 0 (self) or 1 (by the provider).",
        },
    }
    assert by_field([finding], language="en") == {"owner.reporting_mode": [finding.message_en]}


def test_warnings_alone_do_not_count_as_errors() -> None:
    unrelated = website(name="天气预报查询")
    findings = findings_of(Filing(owner=enterprise_owner(), websites=(unrelated,)))
    assert codes(findings) == {("websites[0].name", "website_name_relation_unverified")}
    assert not has_errors(findings)
    assert errors_only(findings) == []


def test_configuration_carries_the_provider_networks() -> None:
    configuration = load_rule_configuration(provider_networks=["59.0.0.0/8"])
    findings = check_filing(
        Filing(owner=enterprise_owner(), websites=(website(),)), configuration=configuration, today=TODAY
    )
    assert codes(findings) == {("websites[0].access[0].ip_ranges[0]", "ip_range_outside_provider")}
