"""Review by the simulated 管局: record numbers, returns with opinions, the reviewer, restarts, status queries,
added websites (XZWZ) and cancellations (ZXBA)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from lxml import etree

from tests.simulators.conftest import (
    Download,
    FilingSpec,
    ProvinceClient,
    ProvinceSimulatorHandle,
    WebsiteSpec,
    accepted,
    assert_valid,
    bajg_results,
    gbk,
    ip,
    new_filing_document,
    next_download,
    start_province_simulator,
)

OWNER_NUMBER = re.compile(r"京ICP备[0-9]{8}号")
TWO_WEBSITES = FilingSpec(
    websites=(
        WebsiteSpec(),
        WebsiteSpec(name="示例科技博客网站", domains=("example-blog.cn",), homepage="https://blog.example-blog.cn/"),
    )
)


def _file(client: ProvinceClient, filing: FilingSpec = TWO_WEBSITES) -> Download:
    accepted(client.upload(gbk(new_filing_document(filing))))
    return next_download(client)


def test_approval_assigns_record_numbers_in_the_official_format(province: ProvinceClient) -> None:
    download = _file(province)
    (entry,) = bajg_results(download)
    assert (entry.operation_type, entry.marker, entry.codes) == (1, "1", [1001])
    record = download.document.find("ICP/BASJ/Baxx")
    assert record is not None
    owner_number = record.findtext("Zt_xx/Baxh") or ""
    assert OWNER_NUMBER.fullmatch(owner_number)
    assert record.findtext("Zt_xx/IspZtid") == "1"
    assert int(record.findtext("Zt_xx/Ztid") or 0) > 0
    websites = record.findall("Wz_xx")
    assert [(site.findtext("Wzmc"), site.findtext("Baxh")) for site in websites] == [
        ("示例科技官方网站", f"{owner_number}-1"),
        ("示例科技博客网站", f"{owner_number}-2"),
    ]
    assert [site.findtext("IspWzid") for site in websites] == ["100", "104"]
    assert websites[0].findtext("Jr_xx/Ispid") == "1001"
    assert websites[0].findtext("Jr_xx/Ip_xx/Qsip") == str(ip("192.0.2.10"))
    review = download.document.find("ICP/BAJG/GJSHS/Gjsh")
    assert review is not None
    assert (review.findtext("Shjg"), review.findtext("Czlx"), review.findtext("Jlid")) == ("1", "1", "1")
    assert entry.note is not None
    assert owner_number in entry.note


def _owner_in(province: int, city: int, county: int, *, owner_id: int, name: str, uscc: str, domain: str) -> FilingSpec:
    return FilingSpec(
        owner_id=owner_id,
        owner_name=name,
        certificate_number=uscc,
        websites=(WebsiteSpec(name=f"{name.removesuffix('有限公司')}官网", domains=(domain,), homepage=None),),
        province=province,
        city=city,
        county=county,
    )


SHANGHAI_OWNER = _owner_in(
    310000, 310100, 310104, owner_id=2, name="上海示例网络有限公司", uscc="91310000MA1FL0000X", domain="sh-example.cn"
)
CHENGDU_OWNER = _owner_in(
    510000, 510100, 510104, owner_id=3, name="成都示例网络有限公司", uscc="91510100MA61XY0000", domain="cd-example.cn"
)


def test_the_owners_province_issues_the_number_with_its_own_serials(
    province_simulator: ProvinceSimulatorHandle,
) -> None:
    """The administration of the owner's province (备案地) reviews and numbers, whichever province's system the
    provider uploads through (接入地, here Shanghai's): a Beijing owner gets 京, a Shanghai owner 沪, a Chengdu
    owner 蜀, each province counting its own serials from the seed."""
    province_simulator.configure({"province": {"code": 310000}, "record_serial_seed": 20240100})
    client = province_simulator.client()
    beijing = _file(client, FilingSpec())
    shanghai = _file(client, SHANGHAI_OWNER)
    chengdu = _file(client, CHENGDU_OWNER)
    assert beijing.document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh") == "京ICP备20240101号"
    assert shanghai.document.findtext("ICP/BASJ/Baxx/Wz_xx/Baxh") == "沪ICP备20240101号-1"
    assert chengdu.document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh") == "蜀ICP备20240101号"
    second_chengdu = _file(
        client,
        _owner_in(
            510000,
            510100,
            510107,
            owner_id=4,
            name="成都另一网络有限公司",
            uscc="91510100MA62XY0000",
            domain="cd-another.cn",
        ),
    )
    assert second_chengdu.document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh") == "蜀ICP备20240102号"


def test_a_returned_filing_carries_the_reviewers_opinion(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    returned = FilingSpec(websites=(WebsiteSpec(name="示例科技测试退回网站"),))
    download = _file(province, returned)
    (entry,) = bajg_results(download)
    assert entry.codes == [1002]
    assert download.document.find("ICP/BASJ") is None
    review = download.document.find("ICP/BAJG/GJSHS/Gjsh")
    assert review is not None
    assert review.findtext("Shjg") == "0"
    assert "网站名称不符合要求" in (review.findtext("Shyj") or "")
    assert review.findtext("Shrxm") == "审核员甲"
    assert province.beian_status(0, "example-tech.cn").find("StatusInfo/Bazt") == "1"
    # Corrected and filed again: the returned filing no longer holds the owner or the domain.
    assert bajg_results(_file(province, FilingSpec()))[0].codes == [1001]
    statuses = [item["status"] for item in province_simulator.state()["operations"]]
    assert statuses == ["returned", "approved"]


def test_return_rules_on_the_owners_name_and_by_share(province_simulator: ProvinceSimulatorHandle) -> None:
    province_simulator.configure(
        {"review": {"return_rules": [{"owner_name_pattern": "^北京示例", "opinion": "主办单位名称与证件不符。"}]}}
    )
    client = province_simulator.client()
    download = _file(client, FilingSpec())
    assert download.document.findtext("ICP/BAJG/GJSHS/Gjsh/Shyj") == "主办单位名称与证件不符。"
    province_simulator.configure({"review": {"return_rules": [], "return_share_percent": 100}})
    download = _file(client, FilingSpec())
    assert bajg_results(download)[0].codes == [1002]
    assert "抽查" in (download.document.findtext("ICP/BAJG/GJSHS/Gjsh/Shyj") or "")


def test_manual_review_waits_for_review_now(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    province_simulator.configure({"review": {"delay_seconds": None}})
    accepted(province.upload(gbk(new_filing_document())))
    assert province.download().code == 2  # type: ignore[union-attr]
    assert province_simulator.review_now() == 1
    assert province_simulator.review_now() == 0
    assert bajg_results(next_download(province))[0].codes == [1001]


def test_the_reviewer_reviews_after_the_configured_delay(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    province_simulator.configure({"review": {"delay_seconds": 0.05}})
    accepted(province.upload(gbk(new_filing_document())))
    deadline = time.monotonic() + 20
    result = province.download()
    while not isinstance(result, Download) and time.monotonic() < deadline:
        time.sleep(0.05)
        result = province.download()
    assert isinstance(result, Download), "the reviewer never reviewed the filing"
    assert bajg_results(result)[0].codes == [1001]


def test_state_survives_a_restart(tmp_path: Path) -> None:
    state_dir = tmp_path / "province"
    first = start_province_simulator(state_dir)
    try:
        client = first.client()
        accepted(client.upload(gbk(new_filing_document())))
        pending = client.download()
        assert isinstance(pending, Download)  # served, not acknowledged
        owner_number = pending.document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh")
    finally:
        first.stop()
    second = start_province_simulator(state_dir)
    try:
        client = second.client(sequence=1)
        assert client.previous_upload().find("fileInfos/dataSequence") == "1"
        again = client.download()
        assert isinstance(again, Download)
        assert again.file_name == pending.file_name
        status = client.beian_status(0, "example-tech.cn")
        assert status.find("StatusInfo/Ztbah") == owner_number
        assert client.upload(gbk(new_filing_document()), sequence=1).code == 14
        other = FilingSpec(
            owner_id=2,
            owner_name="北京另一家科技有限公司",
            certificate_number="91110105MA00XXXX1Y",
            websites=(WebsiteSpec(name="另一家科技官网", domains=("another-tech.cn",), homepage=None),),
        )
        accepted(client.upload(gbk(new_filing_document(other))))
        assert client.ack(again.file_name).code == 0
        number = next_download(client).document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh") or ""
        assert int(number[5:13]) == int((owner_number or "")[5:13]) + 1
    finally:
        second.stop()


def test_filing_status_by_domain_and_by_certificate_number(province: ProvinceClient) -> None:
    download = _file(province)
    owner_number = download.document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh")
    by_domain = province.beian_status(0, "example-blog.cn")
    assert by_domain.code == 0
    assert [by_domain.find(f"StatusInfo/{name}") for name in ("Cxtjlx", "Cxtj", "Wzmc", "Ztbah", "Wzbah", "Bazt")] == [
        "0", "example-blog.cn", "示例科技博客网站", owner_number, f"{owner_number}-2", "0",
    ]  # fmt: skip
    assert province.beian_status(0, "www.example-tech.cn").find("StatusInfo/Wzbah") == f"{owner_number}-1"
    by_certificate = province.beian_status(1, "91110108ma01abcd2x")
    assert by_certificate.find("StatusInfo/Ztbah") == owner_number
    assert by_certificate.root.find("StatusInfo/Wzbah") is None
    unknown = province.beian_status(0, "never-filed.cn")
    assert unknown.find("StatusInfo/Bazt") == "1"
    assert unknown.root.find("StatusInfo/Ztbah") is None
    assert province.beian_status(12, "example-tech.cn").code == 999
    assert province.beian_status(0, "a.b").code == 999


def test_verify_filing_password(province: ProvinceClient, province_simulator: ProvinceSimulatorHandle) -> None:
    _file(province, FilingSpec())
    (owner,) = province_simulator.state()["owners"]
    password = owner["filing_password"]
    import hashlib

    assert province.verify_filing_password(owner["record_number"], password).find("VerifyRes") == "0"
    digest = hashlib.md5(password.encode()).hexdigest()  # noqa: S324 - ICPmm is a hex MD5
    assert province.verify_filing_password(f"{owner['record_number']}-1", digest).find("VerifyRes") == "0"
    assert province.verify_filing_password(owner["record_number"], "wrong").find("VerifyRes") == "1"


def _xzwz(owner_number: str, *, website_id: int = 500, domain: str = "example-news.cn") -> etree._Element:
    root = etree.Element("UploadData", version="3.0")
    icp = etree.SubElement(root, "ICP")
    request = etree.SubElement(etree.SubElement(icp, "XZWZ"), "Xzxx")
    etree.SubElement(etree.SubElement(request, "Zt_xx"), "Ztbah").text = owner_number
    template = new_filing_document(
        FilingSpec(websites=(WebsiteSpec(name="示例科技资讯网站", domains=(domain,), homepage=f"http://{domain}"),))
    ).find("ICP/XZBA/Baxx/Wz_xx")
    assert template is not None
    template.find("IspWzid").text = str(website_id)  # type: ignore[union-attr]
    request.append(template)
    etree.SubElement(icp, "Qqdwid").text = "1001"
    assert_valid("upload.xsd", root)
    return root


def _zxba(kind: int, record_id: int) -> etree._Element:
    root = etree.Element("UploadData", version="3.0")
    icp = etree.SubElement(root, "ICP")
    item = etree.SubElement(etree.SubElement(icp, "ZXBA"), "Zx_xx")
    etree.SubElement(item, "Zxlb").text = str(kind)
    etree.SubElement(item, "Jlid").text = str(record_id)
    etree.SubElement(item, "Zxly").text = "1"
    etree.SubElement(icp, "Qqdwid").text = "1001"
    assert_valid("upload.xsd", root)
    return root


def test_an_added_website_continues_the_owners_numbering(province: ProvinceClient) -> None:
    owner_number = _file(province).document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh") or ""
    accepted(province.upload(gbk(_xzwz(owner_number))))
    download = next_download(province)
    (entry,) = bajg_results(download)
    assert (entry.operation_type, entry.marker, entry.codes) == (2, owner_number, [1001])
    (website,) = download.document.findall("ICP/BASJ/Baxx/Wz_xx")
    assert (website.findtext("IspWzid"), website.findtext("Baxh")) == ("500", f"{owner_number}-3")
    assert download.document.findtext("ICP/BASJ/Baxx/Zt_xx/Baxh") == owner_number


def test_adding_a_website_to_an_unknown_owner_is_1058(province: ProvinceClient) -> None:
    accepted(province.upload(gbk(_xzwz("京ICP备99999999号"))))
    (entry,) = bajg_results(next_download(province))
    assert entry.codes == [1058]


@pytest.fixture
def filed(province: ProvinceClient, province_simulator: ProvinceSimulatorHandle) -> dict[str, object]:
    _file(province)
    (owner,) = province_simulator.state()["owners"]
    return owner  # type: ignore[no-any-return]


def test_the_only_access_of_a_website_cannot_be_cancelled(province: ProvinceClient, filed: dict[str, object]) -> None:
    website = filed["websites"][0]  # type: ignore[index]
    accepted(province.upload(gbk(_zxba(2, website["accesses"][0]["id"]))))
    (entry,) = bajg_results(next_download(province))
    assert (entry.operation_type, entry.codes) == (5, [1025])


def test_cancelling_a_website_frees_its_domain(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle, filed: dict[str, object]
) -> None:
    website = filed["websites"][1]  # type: ignore[index]
    accepted(province.upload(gbk(_zxba(1, website["id"]))))
    download = next_download(province)
    (entry,) = bajg_results(download)
    assert (entry.operation_type, entry.marker, entry.codes) == (7, str(filed["id"]), [1001])
    cancelled = download.document.find("ICP/ZXSJ/Zxxx")
    assert cancelled is not None
    assert (cancelled.findtext("Zxlb"), cancelled.findtext("Jlid")) == ("1", str(website["id"]))
    assert province.beian_status(0, "example-blog.cn").find("StatusInfo/Bazt") == "1"
    assert province.beian_status(0, "example-tech.cn").find("StatusInfo/Bazt") == "0"
    accepted(province.upload(gbk(_zxba(1, website["id"]))))
    assert bajg_results(next_download(province))[0].codes == [1050]


def test_cancelling_the_owner_cancels_everything(province: ProvinceClient, filed: dict[str, object]) -> None:
    accepted(province.upload(gbk(_zxba(0, filed["id"]))))  # type: ignore[arg-type]
    download = next_download(province)
    assert bajg_results(download)[0].codes == [1001]
    assert download.document.findtext("ICP/ZXSJ/Zxxx/Zxlb") == "0"
    assert province.beian_status(1, "91110108MA01ABCD2X").find("StatusInfo/Bazt") == "1"
    assert province.beian_status(0, "example-tech.cn").find("StatusInfo/Bazt") == "1"
    # The owner may file anew.
    assert bajg_results(_file(province, FilingSpec()))[0].codes == [1001]


def test_a_second_cancellation_in_flight_is_refused(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle, filed: dict[str, object]
) -> None:
    province_simulator.configure({"review": {"delay_seconds": None}})
    accepted(province.upload(gbk(_zxba(0, filed["id"]))))  # type: ignore[arg-type]
    accepted(province.upload(gbk(_zxba(0, filed["id"]))))  # type: ignore[arg-type]
    assert bajg_results(next_download(province))[0].codes == [1027]
    accepted(province.upload(gbk(_xzwz(str(filed["record_number"])))))
    assert bajg_results(next_download(province))[0].codes == [1003]


def test_control_config_refuses_bad_values_and_keeps_the_old_ones(province_simulator: ProvinceSimulatorHandle) -> None:
    answer = province_simulator.configure({"province": {"code": 999999}})
    assert answer["status"] == 400
    assert "province.code" in answer["error"]["message"]
    answer = province_simulator.configure({"review": {"return_rules": [{"owner_name_pattern": "("}]}})
    assert answer["status"] == 400
    config = province_simulator.control("GET", "/control/config")
    assert config["province"]["code"] == 110000
    assert config["accounts"][0]["password"] == "***"


def test_control_reset_forgets_everything(
    province: ProvinceClient, province_simulator: ProvinceSimulatorHandle
) -> None:
    _file(province)
    assert province_simulator.control("POST", "/control/reset", {}) == {"reset": True}
    state = province_simulator.state()
    assert (state["uploads"], state["owners"], state["downloads"]) == ([], [], [])
    assert province.previous_upload().find("fileInfos/dataSequence") == "0"
