"""Record numbers (DOMAIN.md §1.5): parse, format, province abbreviations, the homepage footer snippet."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.rules import divisions
from regdesk.rules.icp import (
    BEIAN_URL,
    RecordNumber,
    RecordNumberError,
    check_record_number,
    footer_html,
    format_record_number,
    parse_record_number,
    province_abbreviation,
    province_code_of,
)
from regdesk.rules.icp.record_numbers import default_provinces

DOMAIN_ABBREVIATIONS = tuple("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("京ICP备12345678号", RecordNumber("京", "12345678")),
        ("京ICP备12345678号-1", RecordNumber("京", "12345678", website=1)),
        ("京ICP证030173号", RecordNumber("京", "030173", licensed=True)),
        ("京ICP证030173号-1", RecordNumber("京", "030173", licensed=True, website=1)),
        ("粤ICP备2021012345号-3A", RecordNumber("粤", "2021012345", website=3, kind="app")),
        ("沪ICP备12345678号-12X", RecordNumber("沪", "12345678", website=12, kind="mini_program")),
        (" 蜀icp备１２３４５６７８号－２ ", RecordNumber("蜀", "12345678", website=2)),
        ("川ICP备09150084号", RecordNumber("川", "09150084")),
    ],
)
def test_parse(text: str, expected: RecordNumber) -> None:
    assert parse_record_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "京ICP备号",
        "京ICP备١٢٣٤٥٦٧٨号",
        "京ICP备12345678",
        "港ICP备12345678号",
        "京ICP备12345678号-0",
        "京ICP备12345678号-1B",
        "京ICP备12345678号A",
        "京ICP备123号",
    ],
)
def test_malformed_numbers_are_refused(text: str) -> None:
    with pytest.raises(RecordNumberError):
        parse_record_number(text)


def test_check_record_number_names_the_field() -> None:
    assert [f.code for f in check_record_number("record_number", "京ICP备123号")] == ["record_number_format"]
    assert [f.code for f in check_record_number("record_number", None)] == ["required"]
    assert check_record_number("record_number", "京ICP备12345678号-1", province_code="110108") == []
    mismatch = check_record_number("record_number", "沪ICP备12345678号-1", province_code="110000")
    assert [(f.field, f.code) for f in mismatch] == [("record_number", "record_number_province")]


def test_thirty_one_provinces_each_with_an_abbreviation() -> None:
    provinces = default_provinces()
    assert len(provinces) == 31
    for province in provinces:
        assert divisions.lookup(province.code) is not None
        assert province_code_of(province.abbreviation) == province.code
    known = {abbreviation for province in provinces for abbreviation in (province.abbreviation, *province.alternates)}
    assert set(DOMAIN_ABBREVIATIONS) <= known


@pytest.mark.parametrize(
    ("code", "abbreviation"), [("110000", "京"), ("110108", "京"), (440305, "粤"), ("650100", "新"), ("510104", "蜀")]
)
def test_province_abbreviation_of_any_division_code(code: str | int, abbreviation: str) -> None:
    assert province_abbreviation(code) == abbreviation


@pytest.mark.parametrize("code", ["810000", "710000", "11000", "abcdef"])
def test_no_abbreviation_outside_the_31_provinces(code: str) -> None:
    with pytest.raises(ValueError, match="division"):
        province_abbreviation(code)


def test_format_keeps_leading_zeros_and_refuses_impossible_parts() -> None:
    assert format_record_number("110000", "030173", licensed=True) == "京ICP证030173号"
    assert format_record_number("粤", 2021012345, website=3, kind="app") == "粤ICP备2021012345号-3A"
    with pytest.raises(ValueError, match="website part"):
        format_record_number("京", "12345678", kind="app")
    with pytest.raises(ValueError, match="record number"):
        format_record_number("京", "12", website=1)


def test_owner_number_of_a_website_number() -> None:
    assert parse_record_number("京ICP备12345678号-1X").owner_number.format() == "京ICP备12345678号"


def test_footer_snippet() -> None:
    assert footer_html("京ICP备12345678号-1") == (
        '<div class="icp-record" style="text-align: center;">'
        '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">京ICP备12345678号-1</a></div>'
    )
    assert BEIAN_URL == "https://beian.miit.gov.cn/"


def test_footer_escapes_and_refuses_what_is_not_a_number() -> None:
    assert 'class="a&quot;&gt;&lt;script&gt;"' in footer_html("京ICP备12345678号", css_class='a"><script>')
    with pytest.raises(RecordNumberError):
        footer_html("<script>alert(1)</script>")


ABBREVIATIONS = sorted({a for p in default_provinces() for a in (p.abbreviation, *p.alternates)})


@given(
    st.sampled_from(ABBREVIATIONS),
    st.from_regex(r"[0-9]{4,12}", fullmatch=True),
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=1, max_value=999_999)),
    st.sampled_from(["website", "app", "mini_program"]),
)
def test_format_parse_round_trip(province: str, serial: str, licensed: bool, website: int | None, kind: str) -> None:
    if website is None:
        kind = "website"
    number = RecordNumber(province, serial, licensed=licensed, website=website, kind=kind)  # type: ignore[arg-type]
    text = number.format()
    assert parse_record_number(text) == number
    assert parse_record_number(text).format() == text
    assert format_record_number(province, serial, licensed=licensed, website=website, kind=kind) == text  # type: ignore[arg-type]
    assert text in footer_html(text)
