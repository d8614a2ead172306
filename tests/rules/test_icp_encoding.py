"""Text the regulator cannot take (MIIT interface v3.0 §3-2: GBK-encoded XML) is refused at its field, by the rules
every stage runs, instead of at the upload."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.rules.icp import Filing, check_encodable, check_filing_encodable, first_unencodable
from tests.rules.test_icp_filing import enterprise_owner, findings_of, website

KANGXI_RADICALS = [chr(code) for code in range(0x2F00, 0x2FD6)]
UNSENDABLE = ["😀", "한", "⼀", "⿕", "𠀀", "\ue000", "\x0b", "€"]
SENDABLE = "北京市海淀区上地十街10号·—（）《》，。ABCabc 123 -_@.;；"

# Fields of free text: an unsendable character is the only thing wrong with them.
FREE_TEXT = [
    "owner.name",
    "owner.certificate.address",
    "owner.address.detail",
    "owner.investor",
    "owner.remarks",
    "websites[0].name",
    "websites[0].remarks",
]
# Every text field the regulator receives: each refuses an unsendable character, by that finding or its own.
FILED_TEXT = [
    *FREE_TEXT,
    "owner.certificate.number",
    "owner.person_in_charge.name",
    "owner.person_in_charge.document_number",
    "owner.person_in_charge.office_phone",
    "owner.person_in_charge.mobile",
    "owner.person_in_charge.email",
    "websites[0].domains[0]",
    "websites[0].homepage_url",
    "websites[0].person_in_charge.name",
    "websites[0].person_in_charge.email",
    "websites[0].access[0].ip_ranges[0].start",
]
_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def valid_filing() -> Filing:
    return Filing(owner=enterprise_owner(), websites=(website(),))


def _replaced(value: Any, parts: list[tuple[str, int | None]], text: str) -> Any:
    (name, index), rest = parts[0], parts[1:]
    current = getattr(value, name)
    if index is None:
        new = _replaced(current, rest, text) if rest else (current or "说明") + text
    else:
        element = _replaced(current[index], rest, text) if rest else current[index] + text
        new = (*current[:index], element, *current[index + 1 :])
    return dataclasses.replace(value, **{name: new})


def appended(filing: Filing, path: str, text: str) -> Filing:
    """The filing with ``text`` appended to the field at ``path`` (``websites[0].domains[0]``)."""
    parts = [(match[1], int(match[2]) if match[2] else None) for match in _PART.finditer(path)]
    result: Filing = _replaced(filing, parts, text)
    return result


def errors_at(filing: Filing, path: str) -> list[str]:
    return [finding.code for finding in findings_of(filing) if finding.field == path and finding.is_error]


@pytest.mark.parametrize("character", UNSENDABLE + KANGXI_RADICALS[::25] + [KANGXI_RADICALS[-1]])
def test_characters_outside_gbk_are_named(character: str) -> None:
    assert first_unencodable(f"网站{character}名称") == character


def test_every_kangxi_radical_is_outside_gbk() -> None:
    assert all(first_unencodable(radical) == radical for radical in KANGXI_RADICALS)


def test_text_of_gbk_passes() -> None:
    assert first_unencodable(SENDABLE) is None
    assert check_encodable("owner.name", SENDABLE) == []
    assert check_encodable("owner.name", None) == []


@given(st.text(max_size=30))
def test_a_text_is_sendable_exactly_when_gbk_and_xml_carry_it(text: str) -> None:
    character = first_unencodable(text)
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        assert character is not None
    else:
        assert character is None or re.match("[\x00-\x08\x0b\x0c\x0e-\x1f]", character)
    if character is not None:
        assert character in text


def test_the_finding_names_the_character_in_both_languages() -> None:
    [finding] = check_encodable("websites[0].name", "我的网站😀")
    assert (finding.field, finding.code) == ("websites[0].name", "not_encodable")
    assert "含有无法报送的字符“😀”（U+1F600）" in finding.message_zh
    assert "GBK" in finding.message_zh
    assert "“😀” (U+1F600)" in finding.message_en
    assert "GBK" in finding.message_en
    [invisible] = check_encodable("owner.remarks", "说明\ue000")
    assert "U+E000" in invisible.message_zh
    assert "“\ue000”" not in invisible.message_zh


@pytest.mark.parametrize("path", FREE_TEXT)
@pytest.mark.parametrize("character", ["😀", "한", "⼀"])
def test_a_free_text_field_refuses_a_character_outside_gbk(path: str, character: str) -> None:
    assert errors_at(appended(valid_filing(), path, character), path) == ["not_encodable"]


@pytest.mark.parametrize("path", FILED_TEXT)
def test_every_filed_text_field_refuses_a_character_outside_gbk(path: str) -> None:
    assert errors_at(valid_filing(), path) == []
    assert errors_at(appended(valid_filing(), path, "😀"), path) != []


def test_a_number_of_an_unknown_type_is_still_checked() -> None:
    # The certificate rules skip the number when the type is unknown; the encoding pass does not.
    owner = enterprise_owner(certificate=dataclasses.replace(enterprise_owner().certificate, type=None, number="号😀"))
    codes = {(finding.field, finding.code) for finding in findings_of(Filing(owner=owner, websites=(website(),)))}
    assert ("owner.certificate.number", "not_encodable") in codes


def test_names_kept_by_the_provider_are_not_checked() -> None:
    # Aliases are the provider's own help for the website-name rules; they never reach the regulator.
    filing = Filing(owner=enterprise_owner(aliases=("百度😀",)), websites=(website(),))
    assert check_filing_encodable(filing) == []
