"""A website's rules: name, domains and homepage, service contents, languages, pre-approvals, person in charge."""

from __future__ import annotations

import dataclasses

import pytest

from regdesk.rules.icp import (
    Certificate,
    FieldError,
    Owner,
    PreApproval,
    Website,
    check_website,
    default_code_tables,
    parse_networks,
    related_to_owner,
)
from tests.rules.test_icp_filing import (
    CENTRAL_GOVERNMENT_USCC,
    PROVIDER_NETWORKS,
    TODAY,
    codes,
    enterprise_owner,
    individual_owner,
    make_uscc,
    website,
)

NEWS_APPROVAL = PreApproval(type=1, number="京新网备字〔2026〕1号", document_size=50_000)
BBS_APPROVAL = PreApproval(type=8, number="京通信管理局电子公告〔2026〕1号", document_size=50_000)


def check(site: Website, owner: Owner | None = None) -> list[FieldError]:
    return check_website(
        site,
        owner=owner or enterprise_owner(),
        tables=default_code_tables(),
        today=TODAY,
        provider_networks=parse_networks(PROVIDER_NETWORKS),
    )


def name_findings(name: str, owner: Owner | None = None, **changes: object) -> list[tuple[str, str]]:
    return sorted(
        (finding.code, finding.severity)
        for finding in check(website(name=name, **changes), owner)
        if finding.field == "website.name"
    )


def test_the_sample_website_is_fine() -> None:
    assert check(website()) == []


# Name (Wzmc).


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("百度", "website_name_too_few_chinese"),
        ("百度网讯baidu.com", "website_name_domain"),
        ("www.百度网讯.com", "website_name_domain"),
    ],
)
def test_website_name_rules(name: str, code: str) -> None:
    assert (code, "error") in name_findings(name)


def test_a_name_of_letters_or_digits_only_is_refused() -> None:
    assert name_findings("BAIDU 2026") == [
        ("website_name_latin_only", "error"),
        ("website_name_relation_unverified", "warning"),
        ("website_name_too_few_chinese", "error"),
    ]


def test_chinese_characters_are_counted_not_characters() -> None:
    assert ("website_name_too_few_chinese", "error") in name_findings("百度AI")
    assert name_findings("百度网讯AI") == []
    # An extension-B ideograph counts as a Chinese character too.
    assert name_findings("百度网\U00020000") == []


def test_several_names_are_each_checked() -> None:
    assert name_findings("百度网讯;百度") == [("website_name_too_few_chinese", "error")]


@pytest.mark.parametrize("word", ["中国", "中华", "国家", "中央", "人民"])
def test_reserved_words_are_refused_for_enterprises(word: str) -> None:
    assert name_findings(f"百度网讯{word}频道") == [("website_name_reserved_word", "error")]


def test_reserved_words_are_allowed_when_the_owner_name_has_them() -> None:
    owner = enterprise_owner(name="中国移动通信集团有限公司")
    assert name_findings("中国移动网上营业厅", owner) == []


def test_reserved_words_for_national_bodies() -> None:
    central = enterprise_owner(
        name="国务院办公厅", nature=2, certificate=Certificate(type=4, number=CENTRAL_GOVERNMENT_USCC, address="北京市")
    )
    assert name_findings("中国政府网", central) == [("website_name_relation_unverified", "warning")]
    local = enterprise_owner(
        name="北京市海淀区人民政府办公室",
        nature=2,
        certificate=Certificate(type=4, number=make_uscc("11", "110000"), address="北京市"),
    )
    assert ("website_name_reserved_word_check", "warning") in name_findings("国家政务服务平台", local)
    confirmed = dataclasses.replace(local, national_level=True)
    assert ("website_name_reserved_word_check", "warning") not in name_findings("国家政务服务平台", confirmed)
    defence = enterprise_owner(
        name="某部队", nature=1, certificate=Certificate(type=6, number="61234部队", address="北京市")
    )
    assert name_findings("中国国防在线", defence) == [("website_name_relation_unverified", "warning")]


def test_news_and_forum_in_a_name_need_their_pre_approval() -> None:
    assert name_findings("百度网讯新闻") == [("website_name_needs_approval", "error")]
    assert name_findings("百度网讯论坛") == [("website_name_needs_approval", "error")]
    assert name_findings("百度网讯新闻", pre_approvals=(NEWS_APPROVAL,), content_categories=(1,)) == []
    assert name_findings("百度网讯论坛", pre_approvals=(BBS_APPROVAL,)) == []
    # An approval without its document does not count.
    without_document = dataclasses.replace(NEWS_APPROVAL, document_size=None)
    assert ("website_name_needs_approval", "error") in name_findings("百度网讯新闻", pre_approvals=(without_document,))


def test_an_individuals_website_name_has_no_organisation_words() -> None:
    owner = individual_owner()
    person = owner.person_in_charge
    assert name_findings("张三科技有限公司", owner, person_in_charge=person) == [
        ("website_name_organisational_for_individual", "error")
    ]
    assert name_findings("张三的读书笔记", owner, person_in_charge=person) == []


def test_relation_to_the_owner_is_a_warning_when_it_cannot_be_seen() -> None:
    assert name_findings("天气预报查询") == [("website_name_relation_unverified", "warning")]
    assert name_findings("百度天气") == []
    owner = enterprise_owner(aliases=("好123",))
    assert name_findings("好123导航网", owner) == []


def test_generic_words_of_the_owner_name_do_not_make_a_relation() -> None:
    assert not related_to_owner("科技资讯网", "北京百度网讯科技有限公司")
    assert related_to_owner("百度资讯", "北京百度网讯科技有限公司")
    assert not related_to_owner("北京资讯", "北京百度网讯科技有限公司")


# Domains, homepage, service contents, languages.


def test_domain_and_homepage_paths() -> None:
    findings = check(website(domains=("baidu.com", "www.baidu.com", "baidu.com"), homepage_url="www.google.com"))
    assert codes(findings) == {
        ("website.domains[1]", "domain_not_registrable"),
        ("website.domains[2]", "duplicate"),
        ("website.homepage_url", "homepage_url_domain_mismatch"),
    }


def test_a_website_needs_a_domain() -> None:
    assert codes(check(website(domains=()))) == {("website.domains", "required")}


def test_service_contents_and_languages_come_from_their_tables() -> None:
    findings = check(website(service_contents=(3, 3, 999), languages=()))
    assert codes(findings) == {
        ("website.service_contents[1]", "duplicate"),
        ("website.service_contents[2]", "code_unknown"),
        ("website.languages", "required"),
    }
    assert codes(check(website(service_contents=()))) == {("website.service_contents", "required")}
    assert codes(check(website(languages=("zh",)))) == {("website.languages[0]", "code_not_integer")}


# Pre-approvals (前置审批, seed 000).


@pytest.mark.parametrize(
    ("service", "approval_type"), [(4, 1), (13, 2), (16, 3), (17, 4), (18, 5), (9, 6), (11, 7), (15, 8)]
)
def test_services_in_regulated_fields_need_their_pre_approval(service: int, approval_type: int) -> None:
    assert codes(check(website(service_contents=(service,)))) == {
        ("website.service_contents[0]", "pre_approval_missing")
    }
    approval = PreApproval(type=approval_type, number="批准文号1", document_size=1024)
    assert check(website(service_contents=(service,), pre_approvals=(approval,))) == []


def test_declared_content_categories_need_their_pre_approval() -> None:
    findings = check(website(content_categories=(4, 5)))
    assert codes(findings) == {
        ("website.content_categories[0]", "pre_approval_missing"),
        ("website.content_categories[1]", "pre_approval_missing"),
    }
    assert "Medical and health care" in findings[0].message_en


def test_a_pre_approval_has_type_number_and_document() -> None:
    approvals = (
        PreApproval(type=99, number="1", document_size=1),
        PreApproval(type=1, number=" ", document_size=None),
        PreApproval(type=2, number="x" * 513, document_size=100 * 1024 + 1),
        PreApproval(type=2, number="2", document_size=10),
    )
    assert codes(check(website(pre_approvals=approvals))) == {
        ("website.pre_approvals[0].type", "code_unknown"),
        ("website.pre_approvals[1].number", "required"),
        ("website.pre_approvals[1].document", "required"),
        ("website.pre_approvals[2].number", "too_long"),
        ("website.pre_approvals[2].document", "pre_approval_document_too_large"),
        ("website.pre_approvals[3].type", "duplicate"),
    }


# Person in charge (Wz_Fzr) and access.


def test_the_website_person_in_charge_needs_a_name_even_for_individuals() -> None:
    owner = individual_owner()
    person = dataclasses.replace(owner.person_in_charge, name=None)
    site = website(name="张三的读书笔记", domains=("zhangsan.cn",), homepage_url=None, person_in_charge=person)
    assert codes(check(site, owner)) == {("website.person_in_charge.name", "required")}


def test_an_individuals_website_person_in_charge_is_the_individual() -> None:
    owner = individual_owner()
    person = dataclasses.replace(owner.person_in_charge, name="李四")
    site = website(name="张三的读书笔记", domains=("zhangsan.cn",), homepage_url=None, person_in_charge=person)
    assert codes(check(site, owner)) == {("website.person_in_charge", "individual_person_mismatch")}


def test_a_website_needs_an_access() -> None:
    assert codes(check(website(access=()))) == {("website.access", "required")}


def test_remarks_keep_to_the_xsd_length() -> None:
    assert codes(check(website(remarks="备" * 1025))) == {("website.remarks", "too_long")}
