"""The owner's rules: name, nature and certificate, divisions and address, person in charge, reporting mode."""

from __future__ import annotations

import dataclasses

import pytest

from regdesk.rules.icp import Address, Certificate, FieldError, Owner, check_owner, default_code_tables
from regdesk.rules.identity.checksums import mod_11_10_check
from tests.rules.test_icp_filing import (
    CENTRAL_GOVERNMENT_USCC,
    PERSON,
    TODAY,
    codes,
    enterprise_owner,
    individual_owner,
    make_resident_id,
    make_uscc,
)


def check(owner: Owner) -> list[FieldError]:
    return check_owner(owner, tables=default_code_tables(), today=TODAY)


def only(owner: Owner) -> tuple[str, str, str]:
    findings = check(owner)
    assert len(findings) == 1, findings
    return findings[0].field, findings[0].code, findings[0].severity


def test_the_sample_owners_are_fine() -> None:
    assert check(enterprise_owner()) == []
    assert check(individual_owner()) == []


# Name (Dwmc).


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "required"),
        ("公" * 256, "too_long"),
        ("baidu.com", "owner_name_domain"),
        ("百度在线 www.baidu.cn", "owner_name_domain"),
        ("Baidu Online 2000", "owner_name_latin_only"),
        ("ＢＡＩＤＵ", "owner_name_latin_only"),
        ("北京百度网讯科技有限公司\u0007", "control_characters"),
    ],
)
def test_organisation_name_rules(name: str, code: str) -> None:
    assert only(enterprise_owner(name=name))[:2] == ("owner.name", code)


def test_an_enterprise_name_without_its_legal_form_gets_a_warning() -> None:
    assert only(enterprise_owner(name="百度")) == ("owner.name", "owner_name_incomplete", "warning")


def test_the_longest_name_the_xsd_allows_is_accepted() -> None:
    assert check(enterprise_owner(name="北" * 251 + "有限公司")) == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("张三3", "person_name_characters"),
        ("张三工作室", "individual_name_organisational"),
        ("zhangsan.com", "owner_name_domain"),
    ],
)
def test_individual_name_rules(name: str, code: str) -> None:
    owner = individual_owner(
        name=name, person_in_charge=dataclasses.replace(individual_owner().person_in_charge, name=name)
    )
    assert ("owner.name", code) in codes(check(owner))


def test_names_of_minorities_and_foreigners_are_person_names() -> None:
    for name in ("阿依古丽·买买提", "John O'Neil-Smith"):
        owner = individual_owner(
            name=name, person_in_charge=dataclasses.replace(individual_owner().person_in_charge, name=name)
        )
        assert check(owner) == []


# Nature (Dwxz) and certificate (Zj).


def test_nature_is_required_for_organisations_only() -> None:
    assert only(enterprise_owner(nature=None))[:2] == ("owner.nature", "required")
    assert check(individual_owner(nature=None)) == []


@pytest.mark.parametrize(("nature", "code"), [(99, "code_unknown"), ("four", "code_not_integer")])
def test_nature_comes_from_the_code_table(nature: object, code: str) -> None:
    assert ("owner.nature", code) in codes(check(enterprise_owner(nature=nature)))


def test_a_certificate_type_must_fit_the_nature() -> None:
    certificate = Certificate(type=5, number=make_uscc("12", "110000"), address="北京市")
    assert only(enterprise_owner(certificate=certificate))[:2] == (
        "owner.certificate.type",
        "certificate_type_nature_mismatch",
    )


def test_an_individual_presents_a_personal_document() -> None:
    certificate = Certificate(type=1, number="91110000802100433B", address="北京市")
    assert ("owner.certificate.type", "certificate_type_individual_mismatch") in codes(
        check(individual_owner(certificate=certificate))
    )


def test_the_certificate_number_is_checked_by_its_type_validator() -> None:
    certificate = Certificate(type=1, number="91110000802100433C", address="北京市")
    assert only(enterprise_owner(certificate=certificate))[:2] == ("owner.certificate.number", "document_checksum")


def test_an_old_business_registration_number_on_a_business_licence_is_superseded() -> None:
    body = "11010800000000"
    certificate = Certificate(type=1, number=body + mod_11_10_check(body), address="北京市")
    assert only(enterprise_owner(certificate=certificate))[:2] == (
        "owner.certificate.number",
        "certificate_number_superseded",
    )


def test_a_certificate_without_public_format_is_kept_for_a_person_to_check() -> None:
    defence = enterprise_owner(
        name="中国人民解放军某部队", nature=1, certificate=Certificate(type=6, number="61234部队", address="北京市")
    )
    assert only(defence) == ("owner.certificate.number", "certificate_no_public_format", "warning")


def test_a_uscc_of_another_category_than_the_nature_gets_a_warning() -> None:
    social = enterprise_owner(
        name="北京市计算机行业协会",
        nature=6,
        certificate=Certificate(type=8, number="91110000802100433B", address="北京市"),
    )
    assert only(social) == ("owner.certificate.number", "uscc_category_mismatch", "warning")


def test_a_uscc_registered_in_another_province_gets_a_warning() -> None:
    certificate = Certificate(type=1, number=make_uscc("91", "310000"), address="北京市海淀区")
    assert only(enterprise_owner(certificate=certificate)) == (
        "owner.certificate.number",
        "certificate_region_mismatch",
        "warning",
    )


def test_a_central_uscc_fits_any_province() -> None:
    government = enterprise_owner(
        name="国务院办公厅", nature=2, certificate=Certificate(type=4, number=CENTRAL_GOVERNMENT_USCC, address="北京市")
    )
    assert check(government) == []


def test_a_fifteen_digit_resident_id_is_refused_with_its_own_code() -> None:
    legacy = "110105800101123"
    owner = individual_owner(certificate=Certificate(type=2, number=legacy, address="北京市"))
    assert ("owner.certificate.number", "legacy_resident_id") in codes(check(owner))


def test_passport_numbers_are_checked_for_shape() -> None:
    passport = Certificate(type=22, number="E1234", address="北京市")
    assert ("owner.certificate.number", "passport_number_format") in codes(
        check(individual_owner(certificate=dataclasses.replace(passport, number="E1")))
    )
    person = dataclasses.replace(individual_owner().person_in_charge, document_type=22, document_number="e12345678")
    fine = individual_owner(certificate=dataclasses.replace(passport, number="E12345678"), person_in_charge=person)
    assert check(fine) == []


def test_the_certificate_address_is_required() -> None:
    certificate = dataclasses.replace(enterprise_owner().certificate, address=" ")
    assert only(enterprise_owner(certificate=certificate))[:2] == ("owner.certificate.address", "required")


# Divisions and address (Txdz).


@pytest.mark.parametrize(
    ("address", "field", "code"),
    [
        (Address(province=None, city=110100), "owner.address.province", "required"),
        (Address(province=110000, city=None), "owner.address.city", "required"),
        (Address(province="11000", city=110100), "owner.address.province", "division_not_integer"),
        (Address(province=119900, city=110100), "owner.address.province", "division_unknown"),
        (Address(province=110100, city=110100), "owner.address.province", "division_level"),
        (Address(province=110000, city=110100, county=110103), "owner.address.county", "division_abolished"),
        (Address(province=110000, city=320100), "owner.address.city", "division_outside"),
        (Address(province=370000, city=370100, county=320102), "owner.address.county", "division_outside"),
    ],
)
def test_division_rules(address: Address, field: str, code: str) -> None:
    province = str(address.province or "")
    region = province[:2] + "0000" if len(province) == 6 else "110000"
    certificate = dataclasses.replace(enterprise_owner().certificate, number=make_uscc("91", region))
    assert (field, code) in codes(check(enterprise_owner(address=address, certificate=certificate)))


def test_a_county_level_city_under_the_province_is_accepted() -> None:
    certificate = Certificate(type=1, number=make_uscc("91", "420000"), address="湖北省仙桃市")
    owner = enterprise_owner(certificate=certificate, address=Address(province=420000, city=429000, county=429004))
    assert check(owner) == []


def test_the_postal_address_cannot_name_another_province() -> None:
    owner = enterprise_owner(address=Address(province=110000, city=110100, detail="上海市浦东新区世纪大道1号"))
    assert only(owner)[:2] == ("owner.address.detail", "address_province_mismatch")


def test_the_address_on_the_certificate_cannot_name_another_province() -> None:
    certificate = dataclasses.replace(enterprise_owner().certificate, address="中国广东省深圳市南山区")
    assert only(enterprise_owner(certificate=certificate))[:2] == (
        "owner.certificate.address",
        "address_province_mismatch",
    )


def test_a_street_named_after_a_province_is_not_a_province() -> None:
    certificate = Certificate(type=1, number=make_uscc("91", "310000"), address="上海市")
    owner = enterprise_owner(
        certificate=certificate, address=Address(province=310000, city=310100, detail="北京西路1号")
    )
    assert check(owner) == []


# Person in charge (Fzr) and reporting mode (Bbfs).


def test_an_organisations_person_in_charge_needs_a_name_and_an_office_phone() -> None:
    person = dataclasses.replace(PERSON, name=None, office_phone=None)
    assert codes(check(enterprise_owner(person_in_charge=person))) == {
        ("owner.person_in_charge.name", "required"),
        ("owner.person_in_charge.office_phone", "required"),
    }


def test_the_person_in_charge_presents_a_personal_document() -> None:
    person = dataclasses.replace(PERSON, document_type=1, document_number="91110000802100433B")
    assert only(enterprise_owner(person_in_charge=person))[:2] == (
        "owner.person_in_charge.document_type",
        "person_document_not_personal",
    )


def test_a_military_officers_card_is_for_defence_bodies_only() -> None:
    person = dataclasses.replace(PERSON, document_type=28, document_number="军字第0012345号")
    assert only(enterprise_owner(person_in_charge=person))[:2] == (
        "owner.person_in_charge.document_type",
        "person_document_not_allowed",
    )
    defence = enterprise_owner(
        name="中国人民解放军某部队",
        nature=1,
        certificate=Certificate(type=6, number="61234部队", address="北京市"),
        person_in_charge=person,
    )
    assert {finding.code for finding in check(defence)} == {"certificate_no_public_format"}


def test_the_document_of_the_person_in_charge_is_validated() -> None:
    person = dataclasses.replace(PERSON, document_number=make_resident_id(birth="20300101"))
    assert only(enterprise_owner(person_in_charge=person))[:2] == (
        "owner.person_in_charge.document_number",
        "document_birth_date_future",
    )


def test_an_individual_is_their_own_person_in_charge() -> None:
    other = dataclasses.replace(individual_owner().person_in_charge, name="李四")
    assert only(individual_owner(person_in_charge=other))[:2] == (
        "owner.person_in_charge",
        "individual_person_mismatch",
    )
    other_document = dataclasses.replace(
        individual_owner().person_in_charge, document_number=make_resident_id(sequence="456")
    )
    assert only(individual_owner(person_in_charge=other_document))[:2] == (
        "owner.person_in_charge",
        "individual_person_mismatch",
    )


@pytest.mark.parametrize(
    ("mode", "code"), [(None, "required"), (2, "reporting_mode_invalid"), ("x", "reporting_mode_invalid")]
)
def test_reporting_mode_is_zero_or_one(mode: object, code: str) -> None:
    assert only(enterprise_owner(reporting_mode=mode))[:2] == ("owner.reporting_mode", code)


def test_investor_and_remarks_keep_to_the_xsd_lengths() -> None:
    assert only(enterprise_owner(investor="投" * 256))[:2] == ("owner.investor", "too_long")
    assert only(enterprise_owner(remarks="备" * 1025))[:2] == ("owner.remarks", "too_long")
