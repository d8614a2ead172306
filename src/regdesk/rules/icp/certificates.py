"""Certificate and identity-document numbers of owners and persons in charge, by 证件类型 code.

Each certificate type names, in ``certificate_types.csv``, the validators of ``regdesk.rules.identity`` its number
is checked with (DOMAIN.md §3). Types without a public number format — military designations and licences
(军队代号, 军队单位对外有偿服务许可证, 军官证), private school licences (民办学校办学许可证), medical institution
licences (医疗机构执业许可证) and overseas organisations' documents (境外机构证件) — are kept as text and get a
warning so that a person checks them; a bare passport number is checked for its shape only (its check digits are
in the machine-readable zone, which the on-site verification reads with ``identity.validate("passport_mrz")``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from regdesk.rules import divisions
from regdesk.rules.icp.codes import CertificateType, Nature
from regdesk.rules.icp.result import FieldError, finding, warning
from regdesk.rules.icp.text import check_text
from regdesk.rules.identity import ValidationResult, validate
from regdesk.rules.identity.normalize import clean

FREE_FORMAT = "free"
PASSPORT_NUMBER = "passport_number"
# ICAO 9303 part 4 §4.2.2: the document number field holds up to 9 characters, longer numbers continue in the
# optional data; national passports in use carry 5 to 20 letters and digits.
PASSPORT_NUMBER_SHAPE = re.compile(r"^[A-Z0-9]{5,20}$")
# 国办发〔2015〕50号 (三证合一): business licences, organisation codes and tax numbers were replaced by the
# unified social credit code by the end of 2017; an old-format number on a USCC-bearing certificate is refused.
SUPERSEDED_FORMATS: dict[str, tuple[str, str]] = {
    "business_registration_number": ("15位营业执照注册号", "15-digit business registration number"),
    "org_code": ("组织机构代码", "organisation code"),
}
# GB 32100-2015 §4.3: characters 3-8 are the registering authority's division code; 100000 marks a body
# registered at national (central) level.
CENTRAL_REGION = "100000"
# XSD upload.xsd: Zjhm maxLength 255 (owner), Fzr_zjhm maxLength 128 (persons in charge).
OWNER_NUMBER_MAX_LENGTH = 255
PERSON_NUMBER_MAX_LENGTH = 128


@dataclass(frozen=True)
class CheckedNumber:
    """The outcome for one number: the normalised number (None if refused), the identity result when a
    validator accepted it, and the findings."""

    normalized: str | None
    result: ValidationResult | None = None
    findings: list[FieldError] = field(default_factory=list)

    @property
    def uscc(self) -> str | None:
        if self.result is not None and self.result.type == "uscc":
            return self.result.normalized
        return None


def _identity_findings(field_path: str, result: ValidationResult) -> list[FieldError]:
    # The identity catalogue's codes stay recognisable behind a prefix; its messages never repeat the number.
    return [
        FieldError(
            field=field_path, code=f"document_{error.code}", message_zh=error.message_zh, message_en=error.message_en
        )
        for error in result.errors
    ]


def no_public_format(field_path: str, certificate_type: CertificateType) -> FieldError:
    return warning(
        field_path, "certificate_no_public_format", type_zh=certificate_type.name_zh, type_en=certificate_type.name_en
    )


def check_certificate_number(
    field_path: str,
    certificate_type: CertificateType,
    number: str | None,
    *,
    today: dt.date,
    max_length: int = OWNER_NUMBER_MAX_LENGTH,
) -> CheckedNumber:
    """The number of a certificate of ``certificate_type``, by the validators its type names, first valid wins."""
    text, findings = check_text(field_path, number, max_length=max_length)
    if text is None:
        return CheckedNumber(None, None, findings)
    formats = certificate_type.formats
    if formats == (FREE_FORMAT,):
        return CheckedNumber(text, None, [no_public_format(field_path, certificate_type)])
    results: list[ValidationResult] = []
    for document_format in formats:
        if document_format == PASSPORT_NUMBER:
            passport = clean(text)
            if PASSPORT_NUMBER_SHAPE.match(passport):
                return CheckedNumber(passport)
            return CheckedNumber(None, None, [finding(field_path, "passport_number_format")])
        result = validate(document_format, text, today=today)
        if result.valid and result.details.get("manual_review"):
            # The identity rules keep numbers without a public format (military IDs) for a person to check.
            return CheckedNumber(result.normalized, result, [no_public_format(field_path, certificate_type)])
        if result.valid:
            return CheckedNumber(result.normalized, result)
        results.append(result)
    cleaned = clean(text)
    if "resident_id" in formats and len(cleaned) == 15 and cleaned.isdigit():
        return CheckedNumber(None, None, [finding(field_path, "legacy_resident_id")])
    if "uscc" in formats:
        for old_format, (name_zh, name_en) in SUPERSEDED_FORMATS.items():
            if validate(old_format, text, today=today).valid:
                return CheckedNumber(
                    None,
                    None,
                    [finding(field_path, "certificate_number_superseded", format_zh=name_zh, format_en=name_en)],
                )
    return CheckedNumber(None, None, _identity_findings(field_path, results[0]))


def check_uscc_against_owner(
    field_path: str, uscc: str, nature: Nature | None, province_code: str | None
) -> list[FieldError]:
    """Warnings when a valid unified social credit code does not fit the owner: its authority and category
    (characters 1-2) against the nature, its registering region (characters 3-8) against the province given."""
    findings: list[FieldError] = []
    if nature is not None and nature.uscc_prefixes and uscc[:2] not in nature.uscc_prefixes:
        findings.append(
            warning(
                field_path,
                "uscc_category_mismatch",
                prefix=uscc[:2],
                nature_zh=nature.name_zh,
                nature_en=nature.name_en,
            )
        )
    region = uscc[2:8]
    if province_code and region != CENTRAL_REGION and region[:2] != province_code[:2]:
        found = divisions.lookup(region[:2] + "0000")
        expected = divisions.lookup(province_code[:2] + "0000")
        if found is not None and expected is not None:
            findings.append(
                warning(field_path, "certificate_region_mismatch", found=found.name, expected=expected.name)
            )
    return findings


def is_central_registration(uscc: str | None) -> bool:
    """A unified social credit code registered at national (central) level."""
    return uscc is not None and len(uscc) == 18 and uscc[2:8] == CENTRAL_REGION
