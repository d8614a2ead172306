"""Data processing of accepted uploads: the specification's result codes, delivered as BAJG download files.

An upload that passes the transport checks is accepted (msg_code 0, the sequence advances); what the province finds
in its data comes back in the next download (specification 3-3-2).
"""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from tests.simulators.conftest import (
    FilingSpec,
    ProvinceClient,
    ProvinceSimulatorHandle,
    ResultEntry,
    WebsiteSpec,
    accepted,
    assert_valid,
    bajg_results,
    gbk,
    new_filing_document,
    next_download,
)


def _results(client: ProvinceClient, document: etree._Element | bytes, **options: object) -> list[ResultEntry]:
    accepted(client.upload(document if isinstance(document, bytes) else gbk(document), **options))  # type: ignore[arg-type]
    return bajg_results(next_download(client))


def _codes(client: ProvinceClient, *filings: FilingSpec) -> list[int]:
    (entry,) = _results(client, new_filing_document(*filings))
    return entry.codes


def test_the_realistic_filing_validates_against_upload_xsd() -> None:
    assert_valid(
        "upload.xsd",
        new_filing_document(
            FilingSpec(
                websites=(
                    WebsiteSpec(),
                    WebsiteSpec(name="示例科技博客网站", domains=("example-blog.cn",), homepage=None),
                )
            )
        ),
    )


def test_a_schema_invalid_file_is_accepted_then_refused_with_5001_naming_the_file(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    document = new_filing_document()
    owner = document.find("ICP/XZBA/Baxx/Zt_xx")
    assert owner is not None
    owner.remove(owner.find("Dwmc"))  # type: ignore[arg-type]
    (entry,) = _results(province, document, file_name="regdesk000001.xml")
    assert entry.codes == [5001]
    assert entry.descriptions == ["regdesk000001.xml"]  # download.xsd: Dmms is the file name for an XSD failure
    assert entry.note is not None
    assert "Dwmc" in entry.note
    # The file was received (受理): its sequence number is used, and nothing waits for review.
    assert province.previous_upload().find("fileInfos/dataSequence") == "1"
    assert province_simulator.state()["operations"] == []


def test_a_file_not_encoded_in_gbk_is_refused_with_5001(province: ProvinceClient) -> None:
    xml = etree.tostring(new_filing_document(), encoding="UTF-8", xml_declaration=True)
    (entry,) = _results(province, xml)
    assert entry.codes == [5001]
    assert entry.note is not None
    assert "GBK" in entry.note


def test_a_file_that_is_not_xml_is_refused_with_5001(province: ProvinceClient) -> None:
    (entry,) = _results(province, '<?xml version="1.0" encoding="GBK"?><UploadData'.encode("gbk"))
    assert entry.codes == [5001]


def test_a_wrong_version_is_refused_with_5004(province: ProvinceClient) -> None:
    (entry,) = _results(province, new_filing_document(version="2.1"))
    assert entry.codes == [5004]
    assert entry.descriptions == ["接口版本错误，当前接口版本为“3.0”"]


def test_a_requester_other_than_the_caller_is_refused_with_5003(province: ProvinceClient) -> None:
    (entry,) = _results(province, new_filing_document(requester=2002))
    assert entry.codes == [5003]


def test_more_than_1000_records_in_one_file_are_not_accepted(province: ProvinceClient) -> None:
    document = new_filing_document()
    xzba = document.find("ICP/XZBA")
    assert xzba is not None
    record = xzba[0]
    for _ in range(1000):
        xzba.append(copy.deepcopy(record))
    answer = province.upload(gbk(document))
    assert answer.code == 999
    assert "1000" in answer.message
    assert province.previous_upload().find("fileInfos/dataSequence") == "0"


def test_homepage_without_any_of_the_websites_domains_is_1041(province: ProvinceClient) -> None:
    codes = _codes(province, FilingSpec(websites=(WebsiteSpec(homepage="http://www.other-site.cn"),)))
    assert codes == [1041]


@pytest.mark.parametrize(
    "homepage", ["http://example-tech.cn/", "https://www.example-tech.cn/index.html", "www.example-tech.cn"]
)
def test_homepage_on_the_domain_or_a_subdomain_passes(province: ProvinceClient, homepage: str) -> None:
    assert _codes(province, FilingSpec(websites=(WebsiteSpec(homepage=homepage),))) == [1001]


def test_homepage_that_is_not_a_url_is_1022(province: ProvinceClient) -> None:
    assert _codes(province, FilingSpec(websites=(WebsiteSpec(homepage="ftp://example-tech.cn"),))) == [1022]


def test_ip_ranges_outside_the_providers_filed_ranges_are_1063(province: ProvinceClient) -> None:
    website = WebsiteSpec(ranges=(("192.0.2.250", "192.0.3.5"),))
    (entry,) = _results(province, new_filing_document(FilingSpec(websites=(website,))))
    assert entry.codes == [1063]
    assert "192.0.2.250-192.0.3.5" in entry.descriptions[0]


def test_ip_ranges_across_adjacent_filed_ranges_pass(province_simulator: ProvinceSimulatorHandle) -> None:
    province_simulator.configure(
        {"accounts": [{"isp_id": 1001, "user_name": "regdesk", "password": "simulator-password",
                       "aes_key": "regdesk-aes-key!", "aes_iv": "0102030405060708",
                       "filed_ip_ranges": ["192.0.2.0/25", "192.0.2.128-192.0.2.255"]}]}
    )  # fmt: skip
    client = province_simulator.client()
    website = WebsiteSpec(ranges=(("192.0.2.100", "192.0.2.200"),))
    assert _codes(client, FilingSpec(websites=(website,))) == [1001]


def test_an_ip_range_that_ends_before_it_starts_is_1006(province: ProvinceClient) -> None:
    website = WebsiteSpec(ranges=(("192.0.2.20", "192.0.2.10"),))
    assert _codes(province, FilingSpec(websites=(website,))) == [1006]


def test_an_owner_with_an_operation_in_flight_is_1003(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    province_simulator.configure({"review": {"delay_seconds": None}})
    accepted(province.upload(gbk(new_filing_document(FilingSpec()))))
    assert province.download().code == 2  # type: ignore[union-attr]  # the first waits for review
    second = FilingSpec(
        owner_id=2, websites=(WebsiteSpec(name="示例科技商城网站", domains=("example-shop.cn",), homepage=None),)
    )
    (entry,) = _results(province, new_filing_document(second))
    assert entry.codes == [1003]
    assert entry.marker == "2"  # Bs of a new filing: the provider's owner id
    statuses = [item["status"] for item in province_simulator.state()["operations"]]
    assert statuses == ["pending", "refused"]


def test_a_filed_owner_filing_anew_is_1003(province: ProvinceClient) -> None:
    assert _codes(province, FilingSpec()) == [1001]
    second = FilingSpec(
        owner_id=2, websites=(WebsiteSpec(name="示例科技商城网站", domains=("example-shop.cn",), homepage=None),)
    )
    assert _codes(province, second) == [1003]


def test_a_domain_filed_by_another_owner_is_1005(province: ProvinceClient) -> None:
    assert _codes(province, FilingSpec()) == [1001]
    other = FilingSpec(owner_id=2, owner_name="上海另一家科技有限公司", certificate_number="91310000MA1FL0000X")
    assert _codes(province, other) == [1005, 1021]  # the domain, and the homepage URL on it


def test_a_domain_in_flight_for_another_owner_is_1005(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    province_simulator.configure({"review": {"delay_seconds": None}})
    other = FilingSpec(owner_id=2, owner_name="上海另一家科技有限公司", certificate_number="91310000MA1FL0000X")
    # Two records in one file: the first waits for review, the second claims its domain.
    (entry,) = _results(province, new_filing_document(FilingSpec(), other))
    assert (entry.marker, entry.codes) == ("2", [1005])
    assert "正在备案" in entry.descriptions[0]
    statuses = [item["status"] for item in province_simulator.state()["operations"]]
    assert statuses == ["pending", "refused"]


def test_the_same_domain_twice_in_one_filing_is_1005(province: ProvinceClient) -> None:
    twice = FilingSpec(websites=(WebsiteSpec(), WebsiteSpec(name="示例科技另一网站", homepage=None)))
    assert _codes(province, twice) == [1005]


def test_an_invalid_domain_is_1004(province: ProvinceClient) -> None:
    website = WebsiteSpec(domains=("example_tech.cn",), homepage=None)
    assert _codes(province, FilingSpec(websites=(website,))) == [1004]


def test_an_organisations_website_without_office_phone_is_1031(province: ProvinceClient) -> None:
    assert _codes(province, FilingSpec(websites=(WebsiteSpec(office_phone=None),))) == [1031]


def test_an_individuals_website_needs_no_office_phone(province: ProvinceClient) -> None:
    individual = FilingSpec(
        owner_name="王五", certificate_type=2, certificate_number="11010519491231002X", head_name=None,
        websites=(WebsiteSpec(name="王五的个人博客", office_phone=None),),
    )  # fmt: skip
    assert _codes(province, individual) == [1001]


def test_an_organisation_without_the_name_of_its_person_in_charge_is_1044(province: ProvinceClient) -> None:
    assert _codes(province, FilingSpec(head_name=None)) == [1044]


def test_a_resident_id_with_a_wrong_check_character_is_1015(province: ProvinceClient) -> None:
    individual = FilingSpec(owner_name="王五", certificate_type=2, certificate_number="110105194912310021")
    (entry,) = _results(province, new_filing_document(individual))
    assert entry.codes == [1015]
    assert "110105194912310021" not in entry.descriptions[0]  # no personal value in the description


def test_division_codes_that_do_not_nest_are_1019(province: ProvinceClient) -> None:
    assert _codes(province, FilingSpec(city=310100)) == [1019]


def test_several_findings_are_reported_together(province: ProvinceClient) -> None:
    website = WebsiteSpec(homepage="http://elsewhere.cn", ranges=(("10.0.0.1", "10.0.0.1"),), office_phone=None)
    assert sorted(_codes(province, FilingSpec(head_name=None, websites=(website,)))) == [1031, 1041, 1044, 1063]


def test_blacklisted_domains_and_owners_are_1064_and_1065(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    province_simulator.configure(
        {"blacklist": {"domains": ["example-tech.cn"], "certificate_numbers": ["91110108MA01ABCD2X"]}}
    )
    (entry,) = _results(province, new_filing_document())
    assert sorted(entry.codes) == [1064, 1065]
    assert "“示例科技官方网站”网站的“example-tech.cn”域名在黑名单中" in entry.descriptions[entry.codes.index(1064)]


def test_operations_the_simulator_does_not_process_are_5011(province: ProvinceClient) -> None:
    document = etree.Element("UploadData", version="3.0")
    icp = etree.SubElement(document, "ICP")
    xzjr = etree.SubElement(etree.SubElement(icp, "XZJR"), "Xzxx")
    etree.SubElement(etree.SubElement(xzjr, "Wz_xx"), "Wzbah").text = "京ICP备18032651号-1"
    etree.SubElement(xzjr, "IspJrid").text = "7"
    etree.SubElement(etree.SubElement(xzjr, "Wzfb"), "Fbdd").text = "1"
    etree.SubElement(etree.SubElement(xzjr, "Wzjrfs"), "Jrfs").text = "1"
    ip_range = etree.SubElement(xzjr, "Ip_xx")
    etree.SubElement(ip_range, "IspIpid").text = "8"
    etree.SubElement(ip_range, "Qsip").text = "3221225994"
    etree.SubElement(ip_range, "Zzip").text = "3221225994"
    etree.SubElement(xzjr, "ICPmm").text = "e10adc3949ba59abbe56e057f20f883e"
    etree.SubElement(icp, "Qqdwid").text = "1001"
    assert_valid("upload.xsd", document)
    (entry,) = _results(province, document)
    assert (entry.operation_type, entry.codes) == (3, [5011])


def test_a_certificate_number_longer_than_the_province_can_publish_is_1008(province: ProvinceClient) -> None:
    assert _codes(province, FilingSpec(certificate_number="9" * 129)) == [1008]
