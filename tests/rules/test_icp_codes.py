"""The code tables as data: every shipped table loads, refers to codes that exist, and can be replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from regdesk.rules.icp import default_code_tables, load_code_tables
from regdesk.rules.icp.certificates import FREE_FORMAT, PASSPORT_NUMBER
from regdesk.rules.icp.codes import check_code, parse_code
from regdesk.rules.identity import VALIDATORS


def test_every_table_has_rows_with_both_names() -> None:
    tables = default_code_tables()
    for table in (
        tables.natures,
        tables.certificate_types,
        tables.pre_approval_types,
        tables.service_contents,
        tables.access_methods,
        tables.languages,
    ):
        entries = list(table)
        assert entries, table.name_en
        for entry in entries:
            assert entry.name_zh
            assert entry.name_en
            # XSD upload.xsd: Dwxz and Zjlx are 1..999, the website codes 1..64.
            assert 1 <= entry.code <= 999


def test_confirmed_codes_have_their_public_meaning() -> None:
    tables = default_code_tables()
    names = {entry.code: entry.name_zh for entry in tables.natures}
    assert [names[code] for code in (1, 2, 3, 4, 5)] == ["国防机构", "政府机关", "事业单位", "企业", "个人"]
    assert tables.certificate_types.entries[2].name_zh == "居民身份证"
    assert tables.natures.entries[5].is_individual


def test_certificate_types_name_existing_natures_and_validators() -> None:
    tables = default_code_tables()
    for certificate_type in tables.certificate_types:
        assert certificate_type.natures <= set(tables.natures.entries)
        for document_format in certificate_type.formats:
            assert document_format in VALIDATORS or document_format in (FREE_FORMAT, PASSPORT_NUMBER)
    organisations = [c for c in tables.certificate_types if c.holder == "organisation"]
    for nature in tables.natures:
        if not nature.is_individual:
            assert any(nature.code in c.natures for c in organisations), nature.name_en


def test_service_contents_need_existing_pre_approvals() -> None:
    tables = default_code_tables()
    needed = {code for service in tables.service_contents for code in service.requires_approvals}
    assert needed <= set(tables.pre_approval_types.entries)
    # The eight regulated fields of seed 000 are all there.
    names = {entry.name_zh for entry in tables.pre_approval_types}
    assert {"新闻", "出版", "教育", "医疗保健", "药品和医疗器械", "文化", "广播电影电视节目", "电子公告"} <= names


def test_a_directory_replaces_the_tables_it_holds(tmp_path: Path) -> None:
    (tmp_path / "access_methods.csv").write_text(
        "# downloaded from the province system\ncode,name_zh,name_en\n7,云主机,Cloud host\n", encoding="utf-8"
    )
    tables = load_code_tables(tmp_path)
    assert [entry.code for entry in tables.access_methods] == [7]
    assert tables.natures == default_code_tables().natures


def test_a_broken_replacement_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "natures.csv").write_text(
        "code,name_zh,name_en,kind,national_body,uscc_prefixes\n1,甲,A,company,no,\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="nature kind"):
        load_code_tables(tmp_path)


@pytest.mark.parametrize(("value", "expected"), [(3, 3), (" 12 ", 12), ("", None), (None, None)])
def test_parse_code(value: int | str | None, expected: int | None) -> None:
    assert parse_code(value) == expected


@pytest.mark.parametrize("value", ["1.5", "-1", "１", "x"])
def test_parse_code_refuses_what_is_not_a_whole_number(value: str) -> None:
    with pytest.raises(ValueError, match="whole number"):
        parse_code(value)


def test_check_code_reports_each_problem() -> None:
    table = default_code_tables().languages
    assert check_code("languages[0]", 1, table)[0] == table.get(1)
    assert [f.code for f in check_code("languages[0]", None, table)[1]] == ["required"]
    assert check_code("languages[0]", None, table, required=False) == (None, [])
    assert [f.code for f in check_code("languages[0]", "zh", table)[1]] == ["code_not_integer"]
    unknown = check_code("languages[0]", 64, table)[1][0]
    assert (unknown.field, unknown.code) == ("languages[0]", "code_unknown")
    assert "网站语言类别" in unknown.message_zh
