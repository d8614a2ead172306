"""The province simulator refuses document type declarations and entities in whatever it parses, on its own
(``regdesk.simulators.province.safe_xml``, not the adapter's codec)."""

from __future__ import annotations

import pytest
from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from lxml import etree

from regdesk.simulators.province import safe_xml
from tests.simulators.conftest import (
    SOAP,
    ProvinceClient,
    ProvinceSimulatorHandle,
    accepted,
    bajg_results,
    gbk,
    new_filing_document,
    next_download,
)

DOCUMENTS = [
    b'<!DOCTYPE a [<!ENTITY n "1">]><a>&n;</a>',
    b'<!DOCTYPE a [<!ENTITY n SYSTEM "file:///etc/passwd">]><a>&n;</a>',
    b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/a.dtd"><a/>',
    b"<!DOCTYPE a><a/>",
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_safe_xml_refuses_any_document_type(document: bytes) -> None:
    with pytest.raises(DefusedXmlException):
        safe_xml.parse(document)
    with pytest.raises(DefusedXmlException):
        safe_xml.parse(document.decode(), huge_tree=True)


def test_safe_xml_reads_a_plain_gbk_document() -> None:
    assert safe_xml.parse('<?xml version="1.0" encoding="GBK"?><a>备案</a>'.encode("gbk")).text == "备案"


def test_an_envelope_with_an_entity_gets_a_client_fault(province: ProvinceClient) -> None:
    body = (
        f'<!DOCTYPE e [<!ENTITY n "regdesk">]><e:Envelope xmlns:e="{SOAP}"><e:Body>&n;</e:Body></e:Envelope>'
    ).encode()
    status, answer = province.post_raw(body, '"isp_download"')
    assert status == 500
    fault = etree.fromstring(answer).find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None
    assert fault.findtext("faultcode") == "soap:Client"
    assert "document type" in (fault.findtext("faultstring") or "")


def test_an_upload_with_an_entity_is_refused_with_5001_not_a_server_error(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    document = gbk(new_filing_document()).replace(b"?>", b'?><!DOCTYPE UploadData [<!ENTITY n "1">]>', 1)
    document = document.replace(b"<Dwxz>", b"<Dwxz>&n;", 1).replace(b"&n;4<", b"&n;<", 1)
    accepted(province.upload(document))
    (entry,) = bajg_results(next_download(province))
    assert entry.codes == [5001]
    assert entry.note is not None
    assert "DOCTYPE" in entry.note
    assert province_simulator.state()["operations"] == []
