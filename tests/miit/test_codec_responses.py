"""Answers of the six methods, made to validate against their XSDs, and downloaded documents."""

from __future__ import annotations

import pytest
from lxml import etree

from regdesk.miit.codec import DownloadInvalid, EncryptAlgorithm, ResponseInvalid, pack, parse_download
from regdesk.miit.codec.responses import (
    parse_ack_answer,
    parse_beian_status_answer,
    parse_download_answer,
    parse_previous_upload_answer,
    parse_upload_answer,
    parse_verify_password_answer,
)
from regdesk.miit.codec.schemas import (
    BEIAN_STATUS_RESPONSE,
    DOWNLOAD_ACK_RESPONSE,
    DOWNLOAD_RESPONSE,
    QUERY_PREVIOUS_UPLOAD_RESPONSE,
    UPLOAD_RESPONSE,
    schema_problems,
)
from regdesk.miit.codes import DATA_RESULT_CODES, RETURN_CODES, data_result_meaning
from regdesk.miit.records import FilingResults, PassThroughSection, PublishedFilings
from tests.miit.samples import answer, file_infos, filing_result_document, notice_document

PACKED = pack(b"<x/>", file_name="BAJG20250320", encrypt_algorithm=EncryptAlgorithm.NONE)


def _valid(text: str, schema: str) -> str:
    assert schema_problems(etree.fromstring(text.encode()), schema) == []
    return text


def test_upload_answers() -> None:
    accepted = parse_upload_answer(_valid(answer(0, "操作成功"), UPLOAD_RESPONSE))
    assert accepted.accepted
    assert accepted.ok
    assert accepted.meaning == "操作成功"
    gap = _valid(
        answer(
            14,
            "本次上载没有受理",
            "<dataSequences><dataSequence>501</dataSequence><dataSequence>502</dataSequence></dataSequences>",
        ),
        UPLOAD_RESPONSE,
    )
    parsed = parse_upload_answer(gap)
    assert parsed.gap
    assert not parsed.accepted
    assert parsed.missing_sequences == (501, 502)
    assert parsed.meaning == RETURN_CODES[14]
    busy = parse_upload_answer(_valid(answer(15, "稍后"), UPLOAD_RESPONSE))
    assert busy.transient
    assert not busy.accepted
    assert busy.english.startswith("Not accepted")


def test_download_answer_with_a_file() -> None:
    text = _valid(answer(3, "操作成功", file_infos(file_name="BAJG20250320", packed=PACKED)), DOWNLOAD_RESPONSE)
    parsed = parse_download_answer(text)
    assert parsed.more
    assert parsed.file is not None
    assert parsed.file.file_name == "BAJG20250320"
    assert parsed.file.packed == PACKED


def test_nothing_to_download_and_ack() -> None:
    assert parse_download_answer(_valid(answer(2, "无数据"), DOWNLOAD_RESPONSE)).file is None
    assert parse_ack_answer(_valid(answer(0, "操作成功"), DOWNLOAD_ACK_RESPONSE)).ok


def test_previous_upload_answer() -> None:
    text = _valid(
        answer(0, "操作成功", file_infos(file_name="XZBA0000000007", packed=PACKED, sequence=7)),
        QUERY_PREVIOUS_UPLOAD_RESPONSE,
    )
    parsed = parse_previous_upload_answer(text)
    assert parsed.data_sequence == 7
    assert parsed.file is not None
    assert parsed.file.file_name == "XZBA0000000007"


def test_beian_status_answers() -> None:
    filed = _valid(
        answer(
            0,
            "操作成功",
            "<StatusInfo><Cxtjlx>0</Cxtjlx><Cxtj>example-tech.cn</Cxtj><Wzmc>示例科技官方网站</Wzmc>"
            "<Ztbah>京ICP备12345678号</Ztbah><Wzbah>京ICP备12345678号-1</Wzbah><Bazt>0</Bazt></StatusInfo>",
        ),
        BEIAN_STATUS_RESPONSE,
    )
    parsed = parse_beian_status_answer(filed)
    assert parsed.filed is True
    assert parsed.website_record_number == "京ICP备12345678号-1"
    not_filed = parse_beian_status_answer(
        answer(0, "操作成功", "<StatusInfo><Cxtjlx>0</Cxtjlx><Cxtj>unfiled.cn</Cxtj><Bazt>1</Bazt></StatusInfo>")
    )
    assert not_filed.filed is False
    assert not_filed.owner_record_number is None


def test_verify_password_answer() -> None:
    assert parse_verify_password_answer(answer(0, "操作成功", "<VerifyRes>0</VerifyRes>", pad=False)).valid is True
    assert parse_verify_password_answer(answer(0, "操作成功", "<VerifyRes>1</VerifyRes>", pad=False)).valid is False


def test_a_short_msg_is_tolerated_but_other_deviations_are_not() -> None:
    assert parse_upload_answer(answer(0, "操作成功", pad=False)).accepted
    with pytest.raises(ResponseInvalid):
        parse_upload_answer(answer(0, "x" * 300, pad=False))
    with pytest.raises(ResponseInvalid) as caught:
        parse_upload_answer('<return version="V.3.0"><msg>no code</msg></return>')
    assert caught.value.problems
    with pytest.raises(ResponseInvalid):
        parse_download_answer("not xml at all")


def test_answer_with_gbk_declaration_in_the_string_is_read() -> None:
    text = answer(0, "操作成功").replace('encoding="UTF-8"', 'encoding="GBK"')
    assert parse_ack_answer(text).ok


def test_filing_results_with_record_numbers() -> None:
    document = parse_download(filing_result_document(owner_id=101))
    assert document.kinds == ("BASJ", "BAJG")
    results = document.sections["BAJG"]
    assert isinstance(results, FilingResults)
    assert results.results[0].codes == (1001,)
    assert results.results[0].identifier == "101"
    assert results.results[0].results[0].meaning == "管局审核通过"
    assert results.reviews[0].approved
    assert results.reviews[0].opinion == "材料齐全，审核通过"
    entry = results.published_for_owner(101)
    assert entry is not None
    assert entry.owner.record_number == "京ICP备12345678号"
    assert [website.record_number for website in entry.websites] == ["京ICP备12345678号-1"]
    assert isinstance(document.sections["BASJ"], PublishedFilings)


def test_returned_filing_carries_the_reviewers_opinion() -> None:
    document = parse_download(filing_result_document(approved=False, opinion="网站名称与主办者无关联"))
    results = document.sections["BAJG"]
    assert isinstance(results, FilingResults)
    assert not results.reviews[0].approved
    assert results.reviews[0].opinion == "网站名称与主办者无关联"
    assert results.published == ()


def test_other_kinds_pass_through_as_xml() -> None:
    section = parse_download(notice_document()).sections["XGTZ"]
    assert isinstance(section, PassThroughSection)
    assert section.element().findtext("Tzxx/Tznr") == "请在首页底部中间位置悬挂备案号"


def test_download_not_matching_the_xsd() -> None:
    document = (
        '<?xml version="1.0" encoding="GBK"?><DownloadData version="V.3.0"><ICP><BAJG>'
        "<Jg_xx><Czlx>9</Czlx></Jg_xx></BAJG></ICP></DownloadData>"
    )
    with pytest.raises(DownloadInvalid) as caught:
        parse_download(document.encode("gbk"))
    assert all(problem.path.startswith("/DownloadData/ICP/BAJG") for problem in caught.value.problems)


def test_code_tables_hold_the_codes_the_domain_cites() -> None:
    assert data_result_meaning(1003) == "网站主办者冲突，请核实后再次报备"
    assert DATA_RESULT_CODES[1025].startswith("该网站只有一个接入")
    assert DATA_RESULT_CODES[1041].startswith("网站首页URL中必须包含域名")
    assert DATA_RESULT_CODES[1047].startswith("只能取消本接入商的接入信息")
    assert DATA_RESULT_CODES[1063].startswith("ICP备案接入信息中所使用的IP地址")
    assert len([code for code in DATA_RESULT_CODES if 1001 <= code <= 1068]) == 68
    assert set(range(23)) <= set(RETURN_CODES)


def test_code_table_texts_come_from_the_specification() -> None:
    from pathlib import Path

    # The repository's copy of the specification handed with the project (docs/miit-interface/SOURCE.md).
    specification = Path(__file__).resolve().parents[2] / "docs" / "miit-interface" / "interface-spec-v3.0.txt"
    lines = set(specification.read_text(encoding="utf-8").splitlines())
    short = {text for text in DATA_RESULT_CODES.values() if len(text) <= 5}
    assert set(DATA_RESULT_CODES.values()) - short <= lines
