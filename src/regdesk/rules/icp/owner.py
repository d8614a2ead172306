"""The website owner (主办者, XSD ``Zt_xx``; DOMAIN.md §1.3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from publicsuffixlist import PublicSuffixList

from regdesk.rules.icp.certificates import (
    OWNER_NUMBER_MAX_LENGTH,
    check_certificate_number,
    check_uscc_against_owner,
    is_central_registration,
)
from regdesk.rules.icp.codes import CertificateType, CodeTables, Nature, check_code, parse_code
from regdesk.rules.icp.domains import contains_domain
from regdesk.rules.icp.model import Owner, PersonInCharge
from regdesk.rules.icp.persons import check_person_in_charge
from regdesk.rules.icp.regions import check_address, check_address_province
from regdesk.rules.icp.result import FieldError, finding, join, warning
from regdesk.rules.icp.text import check_text, is_person_name, only_latin_or_digits, organisation_word

# XSD upload.xsd: Dwmc maxLength 255, Tzr maxLength 255, Zjzs maxLength 1024, Bz maxLength 1024.
NAME_MAX_LENGTH = 255
INVESTOR_MAX_LENGTH = 255
CERTIFICATE_ADDRESS_MAX_LENGTH = 1024
REMARKS_MAX_LENGTH = 1024
# XSD upload.xsd, Bbfs: 0 自行报备 (the owner reports), 1 代为报备 (the provider reports for the owner).
REPORTING_MODES = frozenset({0, 1})
# 单位性质 id of 企业 (confirmed by providers' public filing APIs): its names end in a legal form.
ENTERPRISE_NATURE = 4
# 《企业名称登记管理规定》(2020) art. 6: a name ends in the organisation form or industry of the business.
ENTERPRISE_NAME_ENDINGS = (
    "公司",
    "厂",
    "店",
    "部",
    "社",
    "行",
    "中心",
    "所",
    "馆",
    "场",
    "院",
    "坊",
    "站",
    "室",
    "城",
    "园",
    "企业",
    "个体工商户",
    ")",
    "）",
)


@dataclass(frozen=True)
class OwnerFacts:
    """What other rules need to know about the owner, read leniently (its own errors are reported elsewhere)."""

    name: str
    nature: Nature | None
    certificate_type: CertificateType | None
    is_individual: bool
    uscc: str | None
    national_level: bool
    province: str | None


def owner_facts(owner: Owner, *, tables: CodeTables, today: dt.date) -> OwnerFacts:
    nature, _ = check_code("", owner.nature, tables.natures, required=False)
    certificate_type, _ = check_code("", owner.certificate.type, tables.certificate_types, required=False)
    if nature is not None:
        is_individual = nature.is_individual
    else:
        is_individual = certificate_type is not None and certificate_type.holder == "person"
    uscc = None
    if certificate_type is not None and "uscc" in certificate_type.formats:
        uscc = check_certificate_number("", certificate_type, owner.certificate.number, today=today).uscc
    try:
        province_code = parse_code(owner.address.province)
    except ValueError:
        province_code = None
    return OwnerFacts(
        name=(owner.name or "").strip(),
        nature=nature,
        certificate_type=certificate_type,
        is_individual=is_individual,
        uscc=uscc,
        national_level=owner.national_level or is_central_registration(uscc),
        province=str(province_code) if province_code is not None else None,
    )


def check_owner_name(
    field: str,
    value: str | None,
    *,
    is_individual: bool,
    nature: Nature | None,
    suffixes: PublicSuffixList | None = None,
) -> list[FieldError]:
    """Dwmc: the full legal name or the person's name (at most 255 characters); never a domain or a web
    address; a person's name for individuals; not only letters or digits for organisations."""
    name, findings = check_text(field, value, max_length=NAME_MAX_LENGTH)
    if name is None:
        return findings
    if contains_domain(name, suffixes=suffixes):
        return [finding(field, "owner_name_domain")]
    if is_individual:
        if not is_person_name(name):
            return [finding(field, "person_name_characters")]
        word = organisation_word(name)
        return [finding(field, "individual_name_organisational", word=word)] if word else []
    if only_latin_or_digits(name):
        return [finding(field, "owner_name_latin_only")]
    if nature is not None and nature.code == ENTERPRISE_NATURE and not name.endswith(ENTERPRISE_NAME_ENDINGS):
        return [warning(field, "owner_name_incomplete")]
    return []


def check_owner_certificate(
    path: str, owner: Owner, *, facts: OwnerFacts, tables: CodeTables, today: dt.date
) -> list[FieldError]:
    """Dwxz and Zj: the nature (required for organisations), a certificate type that fits it, a number valid
    for the type, the address on the certificate; a USCC checked against the nature and the province."""
    nature_field = join(path, "nature")
    certificate_path = join(path, "certificate")
    type_field = join(certificate_path, "type")
    number_field = join(certificate_path, "number")
    certificate_type, findings = check_code(type_field, owner.certificate.type, tables.certificate_types)
    nature, nature_findings = check_code(
        nature_field,
        owner.nature,
        tables.natures,
        required=not (certificate_type and certificate_type.holder == "person"),
    )
    findings += nature_findings
    if nature is not None and certificate_type is not None:
        if nature.is_individual != (certificate_type.holder == "person"):
            findings.append(finding(type_field, "certificate_type_individual_mismatch"))
            certificate_type = None
        elif certificate_type.natures and nature.code not in certificate_type.natures:
            findings.append(
                finding(
                    type_field,
                    "certificate_type_nature_mismatch",
                    type_zh=certificate_type.name_zh,
                    type_en=certificate_type.name_en,
                    nature_zh=nature.name_zh,
                    nature_en=nature.name_en,
                )
            )
            certificate_type = None
    if certificate_type is not None:
        checked = check_certificate_number(
            number_field, certificate_type, owner.certificate.number, today=today, max_length=OWNER_NUMBER_MAX_LENGTH
        )
        findings += checked.findings
        if checked.uscc is not None:
            findings += check_uscc_against_owner(number_field, checked.uscc, nature, facts.province)
    elif not (owner.certificate.number or "").strip():
        findings.append(finding(number_field, "required"))
    address_field = join(certificate_path, "address")
    address, address_findings = check_text(
        address_field, owner.certificate.address, max_length=CERTIFICATE_ADDRESS_MAX_LENGTH
    )
    findings += address_findings
    if address and facts.province:
        findings += check_address_province(address_field, address, facts.province)
    return findings


def check_reporting_mode(field: str, value: int | str | None) -> list[FieldError]:
    """Bbfs: 0 or 1."""
    try:
        mode = parse_code(value)
    except ValueError:
        return [finding(field, "reporting_mode_invalid")]
    if mode is None:
        return [finding(field, "required")]
    return [] if mode in REPORTING_MODES else [finding(field, "reporting_mode_invalid")]


def check_individual_is_person_in_charge(
    person_path: str, owner: Owner, person: PersonInCharge, *, tables: CodeTables, today: dt.date
) -> list[FieldError]:
    """An individual owner is their own person in charge: same name, same document type and number (values
    that are missing or invalid are reported by their own rules, not here)."""
    if not owner.name or not person.name:
        return []
    mismatch = [finding(person_path, "individual_person_mismatch")]
    if owner.name.strip() != person.name.strip():
        return mismatch
    certificate_type, _ = check_code("", owner.certificate.type, tables.certificate_types, required=False)
    try:
        person_type = parse_code(person.document_type)
    except ValueError:
        return []
    if certificate_type is None or person_type is None:
        return []
    if person_type != certificate_type.code:
        return mismatch
    owner_number = check_certificate_number("", certificate_type, owner.certificate.number, today=today).normalized
    person_number = check_certificate_number("", certificate_type, person.document_number, today=today).normalized
    if owner_number is None or person_number is None or owner_number == person_number:
        return []
    return mismatch


def check_owner(
    owner: Owner,
    *,
    tables: CodeTables,
    today: dt.date,
    suffixes: PublicSuffixList | None = None,
    path: str = "owner",
) -> list[FieldError]:
    """Every rule on the owner: name, nature and certificate, divisions and address, person in charge,
    reporting mode, investor and remarks."""
    facts = owner_facts(owner, tables=tables, today=today)
    findings = check_owner_name(
        join(path, "name"), owner.name, is_individual=facts.is_individual, nature=facts.nature, suffixes=suffixes
    )
    findings += check_owner_certificate(path, owner, facts=facts, tables=tables, today=today)
    findings += check_address(join(path, "address"), owner.address)[1]
    person_path = join(path, "person_in_charge")
    person = owner.person_in_charge
    findings += check_person_in_charge(
        person_path,
        person,
        nature=facts.nature,
        individual_owner=facts.is_individual,
        name_required=not facts.is_individual,
        tables=tables,
        today=today,
    )
    if facts.is_individual:
        findings += check_individual_is_person_in_charge(person_path, owner, person, tables=tables, today=today)
    findings += check_reporting_mode(join(path, "reporting_mode"), owner.reporting_mode)
    findings += check_text(join(path, "investor"), owner.investor, max_length=INVESTOR_MAX_LENGTH, required=False)[1]
    findings += check_text(join(path, "remarks"), owner.remarks, max_length=REMARKS_MAX_LENGTH, required=False)[1]
    return findings


__all__ = [
    "OwnerFacts",
    "check_individual_is_person_in_charge",
    "check_owner",
    "check_owner_certificate",
    "check_owner_name",
    "check_reporting_mode",
    "owner_facts",
]
