"""The structured answer of every identity-document validator, and the catalogue of its error messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Every failure has its own stable code and a message in Chinese (the default language) and English.
# Messages take str.format fields; none of them repeats the full number (it is personal data).
MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("号码为空。", "The number is empty."),
    "length": (
        "号码长度应为{expected}位，实际为{actual}位。",
        "The number must have {expected} characters, not {actual}.",
    ),
    "too_long": (
        "内容过长：最多{limit}个字符，实际为{actual}个。",
        "Too long: at most {limit} characters, not {actual}.",
    ),
    "characters": (
        "号码含有不允许的字符：{characters}。",
        "The number contains characters that are not allowed: {characters}.",
    ),
    "format": ("号码格式不符：应为{expected_zh}。", "The number does not have the expected form: {expected_en}."),
    "checksum": ("校验码不正确，号码有误。", "The check character does not match: the number is mistyped or invalid."),
    "birth_date_invalid": (
        "出生日期{value}不是真实存在的日期。",
        "The birth date {value} is not a real calendar date.",
    ),
    "birth_date_future": ("出生日期{value}晚于今天（{today}）。", "The birth date {value} is after today ({today})."),
    "birth_date_too_early": (
        "出生日期{value}早于{limit}年，不可能是有效证件。",
        "The birth date {value} is before {limit}: not a plausible document.",
    ),
    "region_unknown": (
        "地址码{code}不在任何一版《中华人民共和国行政区划代码》（GB/T 2260）中。",
        "The address code {code} is in no edition of the division codes (GB/T 2260).",
    ),
    "region_permanent_residence": (
        "以9开头的是外国人永久居留身份证号码，不是居民身份证号码。",
        "A number starting with 9 is a foreigner's permanent residence ID card, not a resident identity card.",
    ),
    "residence_permit_number": (
        "以{code}开头的号码属于港澳台居民居住证，不是居民身份证：证件类型应为港澳台居民居住证。",
        "A number starting with {code} belongs to a residence permit for Hong Kong, Macau or Taiwan residents, never "
        "to a resident identity card: record the document as a residence permit.",
    ),
    "prefix": (
        "居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头。",
        "A residence permit number must start with 810000 (Hong Kong), 820000 (Macau) or 830000 (Taiwan).",
    ),
    "nationality_unknown": (
        "国籍代码{code}不是已知的国家或地区代码。",
        "The nationality code {code} is not a known country code.",
    ),
    "province_unknown": (
        "受理地代码{code}不是省级行政区划代码。",
        "The place-of-issue code {code} is not a province code.",
    ),
    "authority_unknown": (
        "登记管理部门代码{code}不在GB 32100规定的范围内。",
        "The registration authority code {code} is not one defined for GB 32100.",
    ),
    "category_unknown": (
        "机构类别代码{code}不属于登记管理部门“{authority}”。",
        "The category code {code} is not defined for the registration authority {authority_en}.",
    ),
    "region_format": (
        "第3至8位（登记管理机关行政区划码）应为6位数字。",
        "Characters 3 to 8 (the region code of the registering authority) must be 6 digits.",
    ),
    "organization_code_checksum": (
        "第9至17位的组织机构代码校验码不正确。",
        "The organisation code in characters 9 to 17 has a wrong check character.",
    ),
    "number_checksum": ("护照号码的校验位不正确。", "The check digit of the document number does not match."),
    "birth_date_checksum": ("出生日期的校验位不正确。", "The check digit of the birth date does not match."),
    "expiry_date_checksum": ("有效期的校验位不正确。", "The check digit of the expiry date does not match."),
    "optional_data_checksum": (
        "个人号码（可选数据）的校验位不正确。",
        "The check digit of the optional data does not match.",
    ),
    "composite_checksum": (
        "机读区的总校验位不正确。",
        "The composite check digit of the machine-readable zone does not match.",
    ),
    "expiry_date_invalid": (
        "有效期{value}不是真实存在的日期。",
        "The expiry date {value} is not a real calendar date.",
    ),
    "expiry_before_birth": ("有效期早于出生日期。", "The expiry date is before the birth date."),
    "sex_invalid": ("性别代码{value}不正确（应为M、F、X或<）。", "The sex code {value} is not M, F, X or <."),
    "document_number_empty": ("机读区中没有证件号码。", "The machine-readable zone holds no document number."),
    "type_unknown": ("无法识别的证件类型。", "The type of document could not be recognised."),
}


def message_pair(error_code: str, /, **values: object) -> tuple[str, str]:
    chinese, english = MESSAGES[error_code]
    return chinese.format(**values), english.format(**values)


@dataclass(frozen=True)
class ResultError:
    """One failure of a number: a stable code and the message in Chinese and English."""

    code: str
    message_zh: str
    message_en: str

    @classmethod
    def of(cls, error_code: str, /, **values: object) -> ResultError:
        chinese, english = message_pair(error_code, **values)
        return cls(code=error_code, message_zh=chinese, message_en=english)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": {"zh-hans": self.message_zh, "en": self.message_en}}


@dataclass(frozen=True)
class ValidationResult:
    """The answer for one number: valid exactly when no error was found."""

    valid: bool = field(init=False)
    type: str
    normalized: str | None
    errors: tuple[ResultError, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "valid", not self.errors)

    @property
    def error_codes(self) -> list[str]:
        return [error.code for error in self.errors]

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "type": self.type,
            "normalized": self.normalized,
            "errors": [error.to_json() for error in self.errors],
            "details": dict(self.details),
        }


def build(
    document_type: str,
    normalized: str | None,
    errors: Sequence[ResultError] = (),
    details: Mapping[str, Any] | None = None,
) -> ValidationResult:
    return ValidationResult(
        type=document_type, normalized=normalized, errors=tuple(errors), details=dict(details or {})
    )
