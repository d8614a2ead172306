"""Building XZBA uploads: XSD-valid documents, field-named GBK errors, paths of XSD errors, limits."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from regdesk.miit.codec import FieldNotEncodable, UploadInvalid, encode_new_filings, validate_upload
from regdesk.miit.codec.errors import AttachmentTooLarge, UploadTooLarge
from regdesk.miit.codec.schemas import UPLOAD, schema_problems
from regdesk.miit.codec.upload import new_filing_element, serialise
from tests.miit.samples import complete_filing, with_website_name


def test_complete_record_validates_against_upload_xsd_in_gbk() -> None:
    document = encode_new_filings([complete_filing()], requesting_unit_id=7)
    assert document.startswith(b'<?xml version="1.0" encoding="GBK"?>')
    root = etree.fromstring(document)
    assert schema_problems(root, UPLOAD) == []
    assert root.get("version") == "V.3.0"
    assert root.findtext("ICP/Qqdwid") == "7"
    assert root.findtext("ICP/XZBA/Baxx/Zt_xx/Dwmc") == "北京示例科技有限公司"
    assert root.findtext("ICP/XZBA/Baxx/Wz_xx/Jr_xx/Ip_xx/Qsip") == str(int.from_bytes(bytes([203, 0, 113, 10])))
    record = root.find("ICP/XZBA/Baxx")
    assert record is not None
    assert [child.tag for child in record] == ["Zt_xx", "Wz_xx", "Fj", "Fj", "Fj", "Fj", "Fj"]
    assert "北京".encode("gbk") in document


def test_website_children_follow_the_xsd_sequence() -> None:
    root = new_filing_element([complete_filing()], requesting_unit_id=1)
    website = root.find("ICP/XZBA/Baxx/Wz_xx")
    assert website is not None
    assert [child.tag for child in website] == [
        "IspWzid", "Wzmc", "Nrlx", "Fwnr", "Yylb", "Ym_xx", "Jr_xx", "Wz_Fzr", "Syurl", "Wz_Bz",
    ]  # fmt: skip


def test_several_filings_in_one_upload() -> None:
    document = encode_new_filings([complete_filing(101, 201), complete_filing(102, 202)], requesting_unit_id=1)
    assert len(etree.fromstring(document).findall("ICP/XZBA/Baxx")) == 2


def test_broken_record_gives_upload_invalid_with_the_path() -> None:
    with pytest.raises(UploadInvalid) as caught:
        encode_new_filings([with_website_name(complete_filing(), "")], requesting_unit_id=1)
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["/UploadData/ICP/XZBA/Baxx/Wz_xx/Wzmc"]
    assert "upload.xsd" in str(caught.value)


def test_missing_required_content_is_reported() -> None:
    filing = complete_filing()
    website = replace(filing.websites[0], domains=())
    with pytest.raises(UploadInvalid) as caught:
        encode_new_filings([replace(filing, websites=(website,))], requesting_unit_id=1)
    assert any(problem.path.endswith("/Wz_xx/Jr_xx") or "Ym_xx" in problem.message for problem in caught.value.problems)


def test_short_mobile_number_breaks_the_length_facet() -> None:
    filing = complete_filing()
    person = replace(filing.owner.person_in_charge, mobile="1391234")
    owner = replace(filing.owner, person_in_charge=person)
    with pytest.raises(UploadInvalid) as caught:
        encode_new_filings([replace(filing, owner=owner)], requesting_unit_id=1)
    assert caught.value.problems[0].path == "/UploadData/ICP/XZBA/Baxx/Zt_xx/Fzr/Fzr_sjhm"
    assert "1391234" not in str(caught.value)


@pytest.mark.parametrize("character", ["😀", "𠀀"])
def test_character_outside_gbk_names_the_field(character: str) -> None:
    with pytest.raises(FieldNotEncodable) as caught:
        encode_new_filings([with_website_name(complete_filing(), f"示例{character}网站")], requesting_unit_id=1)
    error = caught.value
    assert error.field_path == "Wz_xx[1]/Wzmc"
    assert error.character == character
    assert error.record_index == 1
    message = str(error)
    assert "Wz_xx[1]/Wzmc" in message
    assert f"U+{ord(character):04X}" in message
    assert "cannot be encoded in GBK" in message
    assert "GBK编码" in message  # the Chinese half (zh_Hans catalogue)
    assert "示例" not in message  # the value itself is not repeated


def test_gbk_error_in_a_nested_field_of_a_later_record() -> None:
    filing = complete_filing(102, 202)
    website = filing.websites[0]
    person = replace(website.person_in_charge, name="李\U0001f600")
    broken = replace(filing, websites=(replace(website, person_in_charge=person),))
    with pytest.raises(FieldNotEncodable) as caught:
        encode_new_filings([complete_filing(), broken], requesting_unit_id=1)
    assert caught.value.field_path == "Wz_xx[1]/Wz_Fzr/Fzr_xm"
    assert caught.value.record_index == 2


def test_control_character_is_refused_with_its_field() -> None:
    filing = complete_filing()
    owner = replace(filing.owner, remarks="备注\x07")
    with pytest.raises(FieldNotEncodable) as caught:
        encode_new_filings([replace(filing, owner=owner)], requesting_unit_id=1)
    assert caught.value.field_path == "Zt_xx/Bz"


def test_oversized_attachment_is_refused() -> None:
    filing = complete_filing()
    attachment = replace(filing.attachments[0], content=b"x" * (150 * 1024))
    with pytest.raises(AttachmentTooLarge) as caught:
        encode_new_filings([replace(filing, attachments=(attachment,))], requesting_unit_id=1)
    assert caught.value.field_path == "Fj[1]/Fjxx/Fjnr"


def test_more_than_a_thousand_records_is_refused() -> None:
    root = new_filing_element([complete_filing()], requesting_unit_id=1)
    operation = root.find("ICP/XZBA")
    assert operation is not None
    record = operation[0]
    for _ in range(1000):
        operation.append(etree.fromstring(etree.tostring(record)))
    with pytest.raises(UploadTooLarge) as caught:
        validate_upload(serialise(root))
    assert caught.value.records == 1001
