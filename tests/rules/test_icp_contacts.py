"""Contact details (office phones, mobile numbers, e-mail) and the contact rules across owners."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.rules.icp import (
    check_emails,
    check_mobile_numbers,
    check_mobile_ownership,
    check_office_phones,
    check_website_person_owners,
    default_code_tables,
    load_mobile_segments,
    mobile_numbers,
    normalize_mobile,
    person_identity_key,
)
from tests.rules.test_icp_filing import TODAY, make_resident_id


def codes_of(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [finding.code for finding in findings]


# Office phones (Fzr_dhhm).


@pytest.mark.parametrize(
    "phone",
    [
        "010-59928888",
        "01059928888",
        "0755-86013388",
        "086-010-59928888",
        "010-59928888-123",
        "400-800-8888",
        "13800138000",
        "010-59928888;021-61234567",
    ],
)
def test_office_phones_that_are_accepted(phone: str) -> None:
    assert check_office_phones("phone", phone, required=True) == []


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ("010 59928888", "phone_characters"),
        ("(010)59928888", "phone_characters"),
        ("12345678901", "phone_format"),
        ("010-5992", "phone_format"),
    ],
)
def test_office_phone_rules(phone: str, code: str) -> None:
    assert codes_of(check_office_phones("phone", phone, required=True)) == [code]


def test_office_phone_is_required_only_when_asked() -> None:
    assert codes_of(check_office_phones("phone", "", required=True)) == ["required"]
    assert check_office_phones("phone", None, required=False) == []


# Mobile numbers (Fzr_sjhm).


@pytest.mark.parametrize(
    "mobile", ["13800138000", "+86 138 0013 8000", "0086-13800138000", "19212345678", "13800138000;18912345678"]
)
def test_mobile_numbers_that_are_accepted(mobile: str) -> None:
    assert check_mobile_numbers("mobile", mobile)[1] == []


@pytest.mark.parametrize(
    ("mobile", "code"),
    [
        ("2380013800", "mobile_format"),
        ("23800138000", "mobile_format"),
        ("1380013800a", "mobile_format"),
        ("12012345678", "mobile_format"),
        ("١٣٨٠٠١٣٨٠٠٠", "mobile_format"),
        ("15412345678", "mobile_prefix_unknown"),
        ("14812345678", "mobile_prefix_not_personal"),
    ],
)
def test_mobile_number_rules(mobile: str, code: str) -> None:
    assert codes_of(check_mobile_numbers("mobile", mobile)[1]) == [code]


def test_the_position_of_a_bad_number_is_named() -> None:
    finding = check_mobile_numbers("mobile", "13800138000;15412345678")[1][0]
    assert "第2个" in finding.message_zh
    assert "Mobile number 2" in finding.message_en
    assert "15412345678" not in finding.message_zh + finding.message_en


def test_the_longest_segment_prefix_wins(tmp_path: Path) -> None:
    segments = load_mobile_segments()
    assert segments["1349"].kind == "satellite"
    assert check_mobile_numbers("mobile", "13491234567", segments=segments)[1] == []
    (tmp_path / "mobile_prefixes.csv").write_text("prefix,carrier,kind\n138,China Mobile,mobile\n", encoding="utf-8")
    only_138 = load_mobile_segments(tmp_path)
    assert codes_of(check_mobile_numbers("mobile", "13912345678", segments=only_138)[1]) == ["mobile_prefix_unknown"]


@given(
    st.sampled_from(
        sorted(
            prefix for prefix, segment in load_mobile_segments().items() if segment.kind != "iot" and len(prefix) == 3
        )
    ),
    st.text("0123456789", min_size=8, max_size=8),
)
def test_every_personal_segment_is_accepted(prefix: str, rest: str) -> None:
    number = prefix + rest
    if number.startswith("1349"):
        return  # satellite: accepted too, but through its own 4-digit segment
    assert check_mobile_numbers("mobile", number)[1] == []
    assert normalize_mobile("+86 " + number) == number


# E-mail addresses (Fzr_dzyj).


@pytest.mark.parametrize(
    "email", ["admin@example.com", "a.b+c@mail.example.com.cn", "admin@例子.中国", "a@b.cn;c@d.com"]
)
def test_emails_that_are_accepted(email: str) -> None:
    assert check_emails("email", email) == []


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("admin.example.com", "email_missing_at"),
        (".admin@example.com", "email_format"),
        ("ad..min@example.com", "email_format"),
        ("admin@exa mple.com", "email_format"),
        ("admin@localhost", "email_domain_unknown"),
        ("admin@example.invalidtld", "email_domain_unknown"),
        ("a@b", "email_domain_unknown"),
    ],
)
def test_email_rules(email: str, code: str) -> None:
    assert codes_of(check_emails("email", email)) == [code]


def test_contact_fields_keep_to_128_characters() -> None:
    assert codes_of(check_emails("email", ";".join(["someone@example.com"] * 7))) == ["too_long"]


# Contact rules across owners.


def test_a_mobile_number_belongs_to_one_owner() -> None:
    existing = {"13800138000": {"owner-1"}}
    assert check_mobile_ownership("owner.person_in_charge.mobile", "owner-1", "+86 13800138000", existing) == []
    findings = check_mobile_ownership("owner.person_in_charge.mobile", "owner-2", "18912345678;13800138000", existing)
    assert codes_of(findings) == ["mobile_used_by_other_owner"]
    assert findings[0].field == "owner.person_in_charge.mobile"


def test_numbers_are_looked_up_in_normalised_form() -> None:
    assert mobile_numbers("+86 138-0013-8000；18912345678") == ["13800138000", "18912345678"]


def test_a_website_person_in_charge_serves_related_owners_only() -> None:
    field = "websites[0].person_in_charge"
    assert check_website_person_owners(field, 1, []) == []
    assert check_website_person_owners(field, 1, [1]) == []
    assert check_website_person_owners(field, 1, [2], related_owners={2}) == []
    assert codes_of(check_website_person_owners(field, 1, [1, 3], related_owners={2})) == [
        "person_in_charge_for_unrelated_owners"
    ]


def test_a_person_is_keyed_by_document_type_and_normalised_number() -> None:
    number = make_resident_id(birth="19800101", sequence="12" + "3")
    tables = default_code_tables()
    key = person_identity_key(2, " " + number.lower() + " ", tables=tables, today=TODAY)
    assert key == f"2:{number}"
    assert person_identity_key(2, "123", tables=tables, today=TODAY) is None
    assert person_identity_key(999, number, tables=tables, today=TODAY) is None


@pytest.mark.parametrize(
    ("check", "value", "chinese", "english"),
    [
        (check_mobile_numbers, "1381234", "手机号码应为11位数字，以1开头。", "The mobile number must be 11 digits"),
        (check_mobile_numbers, "13812345678;1381234", "第2个手机号码应为11位数字", "Mobile number 2 must be 11"),
        (
            check_office_phones,
            "0101234567",
            "办公电话位数不足：固定电话应带区号",
            "The office phone number is too short",
        ),
        (check_emails, "a@b", "电子邮件地址的域名后缀不存在", "The domain of the e-mail address"),
    ],
)
def test_contact_messages_say_what_is_wrong_not_only_a_length(
    check: Callable[..., Any], value: str, chinese: str, english: str
) -> None:
    """A short mobile number is "not 11 digits starting with 1", never "too short: at least 11 characters"."""
    result = check("person.mobile", value, required=True)
    findings = result[1] if isinstance(result, tuple) else result
    assert findings, value
    assert all("字符" not in item.message_zh and "characters" not in item.message_en for item in findings)
    assert chinese in findings[0].message_zh
    assert english in findings[0].message_en
