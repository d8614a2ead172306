"""Every XML the adapter reads refuses document type declarations and entities (defusedxml's ``forbid_dtd``)."""

from __future__ import annotations

import pytest
from defusedxml import DefusedXmlException  # type: ignore[import-untyped]

from regdesk.miit.codec import DecodingError, ResponseInvalid, parse_download
from regdesk.miit.codec.responses import parse_ack_answer
from regdesk.miit.codec.xml import parse_bytes, parse_text
from regdesk.miit.transport import OutcomeUnknown, read_envelope
from tests.miit.samples import notice_document

INTERNAL_ENTITY = b'<!DOCTYPE return [<!ENTITY n "0">]><return><msg_code>&n;</msg_code><msg>ok</msg></return>'
EXTERNAL_ENTITY = b'<!DOCTYPE return [<!ENTITY n SYSTEM "file:///etc/passwd">]><return><msg>&n;</msg></return>'
LAUGHS = (
    b'<!DOCTYPE return [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><return><msg>&c;</msg></return>'
)
BARE_DOCTYPE = b'<!DOCTYPE return SYSTEM "http://127.0.0.1:9/return.dtd"><return><msg_code>0</msg_code></return>'


@pytest.mark.parametrize("document", [INTERNAL_ENTITY, EXTERNAL_ENTITY, LAUGHS, BARE_DOCTYPE])
def test_parse_bytes_and_parse_text_refuse_any_document_type(document: bytes) -> None:
    with pytest.raises(DefusedXmlException):
        parse_bytes(document)
    with pytest.raises(DefusedXmlException):
        parse_text('<?xml version="1.0" encoding="utf-8"?>' + document.decode())


def test_a_plain_document_still_parses() -> None:
    assert parse_bytes(notice_document()).tag == "DownloadData"


def test_a_download_with_an_entity_is_a_decoding_error_of_step_doctype() -> None:
    poisoned = notice_document().replace(b"?>", b'?><!DOCTYPE DownloadData [<!ENTITY n "1">]>', 1)
    poisoned = poisoned.replace(b"<Tzlb>1</Tzlb>", b"<Tzlb>&n;</Tzlb>")
    with pytest.raises(DecodingError) as refused:
        parse_download(poisoned)
    assert refused.value.step == "doctype"


def test_an_answer_or_envelope_with_a_document_type_is_refused() -> None:
    with pytest.raises(ResponseInvalid):
        parse_ack_answer(INTERNAL_ENTITY.decode())
    envelope = (
        b'<!DOCTYPE e [<!ENTITY n "x">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        b"<soap:Body>&n;</soap:Body></soap:Envelope>"
    )
    with pytest.raises(OutcomeUnknown, match="document type"):
        read_envelope("isp_download", envelope)
