"""Persons in charge: the owner's (主体负责人, XSD ``Zt_xx/Fzr``) and each website's (网站负责人, ``Wz_Fzr``)."""

from __future__ import annotations

import datetime as dt

from regdesk.rules.icp.certificates import PERSON_NUMBER_MAX_LENGTH, check_certificate_number
from regdesk.rules.icp.codes import CodeTables, Nature, check_code
from regdesk.rules.icp.contacts import check_emails, check_mobile_numbers, check_office_phones
from regdesk.rules.icp.model import PersonInCharge
from regdesk.rules.icp.result import FieldError, finding, join
from regdesk.rules.icp.text import check_person_name


def check_person_document(
    path: str, person: PersonInCharge, *, nature: Nature | None, tables: CodeTables, today: dt.date
) -> tuple[str | None, list[FieldError]]:
    """Fzr_zjlx and Fzr_zjhm: both given (DOMAIN.md §1.3: the filing carries both persons' ID documents), a personal
    document type allowed for the owner's nature, and a number valid for that type. Returns the normalised
    number when valid."""
    type_field, number_field = join(path, "document_type"), join(path, "document_number")
    document_type, findings = check_code(type_field, person.document_type, tables.certificate_types)
    if not (person.document_number or "").strip():
        findings.append(finding(number_field, "required"))
    if document_type is None or findings:
        return None, findings
    if document_type.holder != "person":
        return None, [finding(type_field, "person_document_not_personal")]
    if document_type.natures and (nature is None or nature.code not in document_type.natures):
        return None, [
            finding(
                type_field,
                "person_document_not_allowed",
                type_zh=document_type.name_zh,
                type_en=document_type.name_en,
                nature_zh=nature.name_zh if nature else "—",
                nature_en=nature.name_en if nature else "—",
            )
        ]
    checked = check_certificate_number(
        number_field, document_type, person.document_number, today=today, max_length=PERSON_NUMBER_MAX_LENGTH
    )
    return checked.normalized, checked.findings


def check_person_in_charge(
    path: str,
    person: PersonInCharge,
    *,
    nature: Nature | None,
    individual_owner: bool,
    name_required: bool,
    tables: CodeTables,
    today: dt.date,
) -> list[FieldError]:
    """Name (a person's name), identity document, office phone (required for organisations), mobile numbers
    and e-mail addresses (required), each field by the XSD's documentation."""
    _name, findings = check_person_name(join(path, "name"), person.name, required=name_required)
    _number, document_findings = check_person_document(path, person, nature=nature, tables=tables, today=today)
    findings += document_findings
    findings += check_office_phones(join(path, "office_phone"), person.office_phone, required=not individual_owner)
    findings += check_mobile_numbers(join(path, "mobile"), person.mobile)[1]
    findings += check_emails(join(path, "email"), person.email)
    return findings
