"""What the verification form (网站备案信息真实性核验单) records, as plain data classes.

The form is the official record of the verification and carries the full data, ID numbers included; the caller
stores the generated PDF encrypted, like every other document holding personal data.
Labels of coded values are given by the caller as display text (the MIIT code tables name them in Chinese).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum

from regdesk.filings.documents.errors import VerificationFormError


class VerificationMethod(StrEnum):
    """How the identity was verified: face to face at the provider's office, or remotely since 2019."""

    ON_SITE = "on_site"
    ELECTRONIC = "electronic"

    @property
    def labels(self) -> tuple[str, str]:
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    VerificationMethod.ON_SITE: ("当面核验", "On-site verification"),
    VerificationMethod.ELECTRONIC: ("电子核验", "Electronic verification"),
}


class RecordSource(StrEnum):
    """The official records the data was checked against (seed 001, step 4)."""

    PUBLIC_SECURITY = "public_security"
    ENTERPRISE_REGISTRY = "enterprise_registry"
    ORGANISATION_CODE = "organisation_code"
    DOMAIN_REGISTRY = "domain_registry"
    PRE_APPROVAL_AUTHORITY = "pre_approval_authority"

    @property
    def labels(self) -> tuple[str, str]:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    RecordSource.PUBLIC_SECURITY: ("公安部门身份信息", "Public-security identity records"),
    RecordSource.ENTERPRISE_REGISTRY: ("工商部门企业登记信息", "Enterprise registry"),
    RecordSource.ORGANISATION_CODE: ("质监部门组织机构代码信息", "Organisation-code records"),
    RecordSource.DOMAIN_REGISTRY: ("域名注册信息", "Domain registration records"),
    RecordSource.PRE_APPROVAL_AUTHORITY: ("前置审批部门信息", "Pre-approval authority records"),
}


class CheckOutcome(StrEnum):
    """The answer of one check against the records."""

    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    NOT_AVAILABLE = "not_available"

    @property
    def labels(self) -> tuple[str, str]:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    CheckOutcome.CONSISTENT: ("一致", "Consistent"),
    CheckOutcome.INCONSISTENT: ("不一致", "Inconsistent"),
    CheckOutcome.NOT_AVAILABLE: ("无法核查", "Could not be checked"),
}


@dataclass(frozen=True)
class FormOwner:
    """The website owner (网站主办者): an organisation or an individual."""

    name: str
    nature: str
    certificate_type: str
    certificate_number: str
    certificate_address: str = ""


@dataclass(frozen=True)
class FormPerson:
    """A person in charge (负责人) and the identity document shown."""

    name: str
    document_type: str
    document_number: str
    mobile: str = ""
    office_phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class FormWebsite:
    """One website of the filing, with its own person in charge when the owner named one."""

    name: str
    domains: tuple[str, ...]
    homepage_url: str
    person_in_charge: FormPerson | None = None
    pre_approvals: tuple[str, ...] = ()


@dataclass(frozen=True)
class OriginalsSeen:
    """The originals the specialist inspected (photos of them, read by OCR, for electronic verification)."""

    owner_certificate: bool
    person_in_charge_id: bool
    website_person_in_charge_ids: bool
    domain_certificates: bool
    # None when no website of the filing needs a pre-approval (前置审批).
    pre_approvals: bool | None = None
    other: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordCheck:
    """One check against official records: which records, what was checked, the outcome and its reference."""

    source: RecordSource
    subject: str
    outcome: CheckOutcome
    reference: str = ""


DEFAULT_STATEMENT_ZH = (
    "主体负责人承诺：本人（本单位）提交的备案信息和证件真实、准确、完整，如有虚假，愿承担由此产生的一切法律责任。"
    "接入服务提供者确认：已按工信部电管〔2010〕64号的要求，查验上述证件原件并与有关部门的信息进行比对，核验结果如上。"
)
DEFAULT_STATEMENT_EN = (
    "The person in charge declares that the filing information and documents submitted are true, accurate and "
    "complete, and accepts all legal responsibility for any falsehood. The access provider confirms that it "
    "inspected the originals above and checked them against the records of the authorities as required by "
    "MIIT document 工信部电管〔2010〕64号, with the outcome shown."
)


@dataclass(frozen=True)
class VerificationFormData:
    """Everything the form shows. `verified_at` is timezone-aware and shown in Asia/Shanghai time."""

    form_number: str
    owner: FormOwner
    person_in_charge: FormPerson
    websites: tuple[FormWebsite, ...]
    provider_name: str
    originals_seen: OriginalsSeen
    # The specialist's confirmation that the person present (or in the live check) matches the ID photo.
    face_matches_id: bool
    record_checks: tuple[RecordCheck, ...]
    method: VerificationMethod
    specialist_name: str
    verified_at: datetime
    place: str
    provider_licence: str = ""
    statement_zh: str = DEFAULT_STATEMENT_ZH
    statement_en: str = DEFAULT_STATEMENT_EN


_REQUIRED_TEXT = {
    "form_number",
    "owner.name",
    "owner.nature",
    "owner.certificate_type",
    "owner.certificate_number",
    "person_in_charge.name",
    "person_in_charge.document_type",
    "person_in_charge.document_number",
    "provider_name",
    "specialist_name",
    "place",
    "statement_zh",
    "statement_en",
}
_REQUIRED_WEBSITE_TEXT = {"name", "homepage_url"}
_REQUIRED_PERSON_TEXT = {"name", "document_type", "document_number"}


def validate_form_data(data: VerificationFormData) -> None:
    """Raise `VerificationFormError` naming the first missing or wrong field (never its value)."""
    for path, text in iter_text_fields(data):
        if _is_required(path) and not text.strip():
            raise VerificationFormError("form_field_missing", field=path)
    if not data.websites:
        raise VerificationFormError("form_field_missing", field="websites")
    for index, website in enumerate(data.websites):
        if not website.domains:
            raise VerificationFormError("form_field_missing", field=f"websites[{index}].domains")
    if data.verified_at.tzinfo is None or data.verified_at.utcoffset() is None:
        raise VerificationFormError(
            "form_field_invalid",
            field="verified_at",
            reason_zh="应为带时区的时间",
            reason_en="it must be a timezone-aware time",
        )


def _is_required(path: str) -> bool:
    # Items of a tuple (a domain, a pre-approval, another original seen) are never blank.
    if path in _REQUIRED_TEXT or path.endswith("]"):
        return True
    parent, _, leaf = path.rpartition(".")
    if re.fullmatch(r"websites\[\d+\]", parent):
        return leaf in _REQUIRED_WEBSITE_TEXT
    if re.fullmatch(r"websites\[\d+\]\.person_in_charge", parent):
        return leaf in _REQUIRED_PERSON_TEXT
    if re.fullmatch(r"record_checks\[\d+\]", parent):
        return leaf == "subject"
    return False


def iter_text_fields(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in the data with its field path (`websites[0].domains[1]`), for validation and glyph checks."""
    if isinstance(value, Enum):
        return
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            child = getattr(value, field.name)
            yield from iter_text_fields(child, f"{path}.{field.name}" if path else field.name)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from iter_text_fields(item, f"{path}[{index}]")
