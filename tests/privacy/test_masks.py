"""Masks of personal data: the shapes shown on screens and paper, and that no mask gives the value away."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.privacy import masks


@pytest.mark.parametrize(
    ("value", "expected"),
    [("张三", "张*"), ("张小三", "张*三"), ("欧阳小明", "欧**明"), ("王", "*"), ("", ""), (" 李四 ", "李*")],
)
def test_name(value: str, expected: str) -> None:
    assert masks.mask_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", "1101**********002X"),
        ("110105491231002", "1101*******1002"),
        ("E12345678", "E1*****78"),
        ("AB12", "A**2"),
        ("123", "***"),
    ],
)
def test_id_number(value: str, expected: str) -> None:
    assert masks.mask_id_number(value) == expected


def test_id_number_shape_of_18_characters() -> None:
    masked = masks.mask_id_number("11010519491231002X")
    assert len(masked) == 18
    assert masked[:4] == "1101"
    assert masked[-4:] == "002X"
    assert masked[4:-4] == "*" * 10


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+8613812345678", "+86*******5678"),
        ("01012345678", "010****5678"),
        ("12345678", "12****78"),
        ("95588", "***88"),
        ("110", "***"),
    ],
)
def test_phone(value: str, expected: str) -> None:
    assert masks.mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zhangsan@example.com", "z***@example.com"),
        ("z@example.com", "z***@example.com"),
        ("not an address", "not an***"),
        ("@example.com", "@examp***"),
    ],
)
def test_email(value: str, expected: str) -> None:
    assert masks.mask_email(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("北京市朝阳区建国路88号", "北京市朝阳区"),
        ("广东省深圳市南山区粤海街道科技园路1号", "广东省深圳市南山区"),
        ("上海市浦东新区世纪大道100号", "上海市浦东新区"),
        ("江苏省苏州市昆山市玉山镇人民路5号", "江苏省苏州市昆山市"),
        ("河北省保定市涞水县城关镇", "河北省保定市涞水县"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放南路", "新疆维吾尔自治区乌鲁木齐市天山区"),
        ("内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇", "内蒙古自治区呼伦贝尔市鄂温克族自治旗"),
        ("湖北省恩施土家族苗族自治州恩施市舞阳大街", "湖北省恩施土家族苗族自治州恩施市"),
        ("新疆维吾尔自治区喀什地区喀什市人民路", "新疆维吾尔自治区喀什地区喀什市"),
        ("深圳市南山区粤海街道", "深圳市南山区"),
        ("宁波市镇海区招宝山街道", "宁波市镇海区"),
        ("海南省儋州市那大镇市场路3号", "海南省儋州市"),
        ("北京市朝阳区", "北京市"),
        ("建国路88号院3号楼", "建国路88***"),
        ("Room 5, 88 Jianguo Road", "Room 5***"),
        ("某处", "某***"),
    ],
)
def test_address(value: str, expected: str) -> None:
    assert masks.mask_address(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-05-17", "1990-**-**"),
        ("19900517", "1990****"),
        ("1990年5月17日", "1990年**月**日"),
        ("unknown", "unk***"),
    ],
)
def test_birth_date(value: str, expected: str) -> None:
    assert masks.mask_birth_date(value) == expected


def test_photo_and_free_text() -> None:
    assert masks.mask_photo("abc.jpg") == "[photo]"
    assert masks.mask_photo("") == ""
    assert masks.mask_free_text("客户来电说明情况") == "客户来电***"
    assert masks.mask_free_text("客户来电说明情况，要求更正") == "客户来电说明***"


MASKS = [
    masks.mask_name,
    masks.mask_id_number,
    masks.mask_phone,
    masks.mask_email,
    masks.mask_address,
    masks.mask_birth_date,
    masks.mask_free_text,
    masks.mask_photo,
]

# Personal data never contains the mask character itself; without that, "a**b" would be its own mask.
CHARACTERS = st.characters(exclude_characters="*", exclude_categories=["Cs"])
ADDRESSY = st.sampled_from(list("省市区县旗州盟镇乡路号街道自治地北京朝阳南山深圳广东"))
VALUES = st.one_of(
    st.text(CHARACTERS, min_size=4, max_size=40),
    st.text(st.one_of(CHARACTERS, ADDRESSY), min_size=4, max_size=40),
    st.from_regex(r"\A[1-9]\d{16}[\dX]\Z"),
    st.from_regex(r"\A1[3-9]\d{9}\Z"),
    # RFC 5322 allows "*" in the local part; the comment above holds for e-mail addresses too.
    st.emails().filter(lambda email: "*" not in email),
)


@pytest.mark.parametrize("mask", MASKS, ids=lambda mask: mask.__name__)
@given(value=VALUES)
def test_a_mask_never_contains_the_whole_value(mask: object, value: str) -> None:
    assert callable(mask)
    stripped = "".join(value.split())
    masked = mask(value)
    assert value not in masked
    if len(stripped) >= 4:
        assert stripped not in masked
